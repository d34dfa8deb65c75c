import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { CatalogTables } from './catalog.schema.ts';

export async function listSpheres(db: DbOrTrx) {
  return await db
    .selectFrom('spheres as s')
    .select(['s.code', 's.title_ru', 's.title_en'])
    .select((eb) =>
      eb
        .selectFrom('measures as m')
        .whereRef('m.sphere_code', '=', 's.code')
        .where('m.is_active', '=', true)
        .select(eb.fn.countAll<number>().as('n'))
        .as('measure_count'),
    )
    .orderBy('s.sort')
    .execute();
}

export async function listLifeSituations(db: DbOrTrx) {
  return await db
    .selectFrom('life_situations as l')
    .select(['l.code', 'l.title_ru', 'l.title_en'])
    .select((eb) =>
      eb
        .selectFrom('measure_life_situations as ml')
        .innerJoin('measures as m', 'm.id', 'ml.measure_id')
        .whereRef('ml.life_situation_code', '=', 'l.code')
        .where('m.is_active', '=', true)
        .select(eb.fn.countAll<number>().as('n'))
        .as('measure_count'),
    )
    .orderBy('l.sort')
    .execute();
}

export async function findSphere(db: DbOrTrx, code: string) {
  return await db
    .selectFrom('spheres')
    .select(['code', 'title_ru', 'title_en'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function findLifeSituation(db: DbOrTrx, code: string) {
  return await db
    .selectFrom('life_situations')
    .select(['code', 'title_ru', 'title_en'])
    .where('code', '=', code)
    .executeTakeFirst();
}

const summaryColumns = [
  'm.code',
  'm.title_ru',
  'm.title_en',
  'm.summary_ru',
  'm.summary_en',
  'm.form',
  'm.channels',
] as const;

export async function measuresInSphere(db: DbOrTrx, sphereCode: string) {
  return await db
    .selectFrom('measures as m')
    .select(summaryColumns)
    .where('m.sphere_code', '=', sphereCode)
    .where('m.is_active', '=', true)
    .orderBy('m.title_ru')
    .execute();
}

export async function measuresForLifeSituation(db: DbOrTrx, situationCode: string) {
  return await db
    .selectFrom('measures as m')
    .innerJoin('measure_life_situations as ml', 'ml.measure_id', 'm.id')
    .select(summaryColumns)
    .where('ml.life_situation_code', '=', situationCode)
    .where('m.is_active', '=', true)
    .orderBy('m.title_ru')
    .execute();
}

export async function findMeasure(db: DbOrTrx, code: string) {
  return await db
    .selectFrom('measures as m')
    .innerJoin('spheres as s', 's.code', 'm.sphere_code')
    .innerJoin('departments as d', 'd.id', 'm.department_id')
    .selectAll('m')
    .select([
      's.title_ru as sphere_ru',
      's.title_en as sphere_en',
      'd.name_ru as department_ru',
      'd.name_en as department_en',
    ])
    .where('m.code', '=', code)
    .where('m.is_active', '=', true)
    .executeTakeFirst();
}

export async function measureDocuments(db: DbOrTrx, measureId: number) {
  return await db
    .selectFrom('measure_documents')
    .select(['title_ru', 'title_en', 'interagency_agency'])
    .where('measure_id', '=', measureId)
    .orderBy('sort')
    .execute();
}

export async function measureLifeSituations(db: DbOrTrx, measureId: number) {
  return await db
    .selectFrom('measure_life_situations as ml')
    .innerJoin('life_situations as l', 'l.code', 'ml.life_situation_code')
    .select(['l.code', 'l.title_ru', 'l.title_en'])
    .where('ml.measure_id', '=', measureId)
    .orderBy('l.sort')
    .execute();
}

export async function measurePriorityCategories(db: DbOrTrx, measureId: number) {
  return await db
    .selectFrom('measure_priority_categories as mp')
    .innerJoin('recipient_categories as c', 'c.code', 'mp.category_code')
    .select(['c.code', 'c.title_ru', 'c.title_en'])
    .where('mp.measure_id', '=', measureId)
    .execute();
}

export async function officesServing(db: DbOrTrx, measureId: number) {
  return await db
    .selectFrom('office_measures as om')
    .innerJoin('offices as o', 'o.id', 'om.office_id')
    .innerJoin('districts as d', 'd.id', 'o.district_id')
    .select([
      'o.id',
      'o.district_id',
      'o.name_ru',
      'o.name_en',
      'o.address_ru',
      'o.address_en',
      'o.phone',
      'd.name_ru as district_ru',
      'd.name_en as district_en',
    ])
    .where('om.measure_id', '=', measureId)
    .orderBy('d.population', 'desc')
    .execute();
}

export async function categoryTitles(db: DbOrTrx) {
  return await db.selectFrom('recipient_categories').select(['code', 'title_ru', 'title_en']).execute();
}

/** Identity, titles and periodicity of measures (inactive ones too: old assignments refer to them). */
export async function measureRefs(db: DbOrTrx, filter: { ids?: number[]; codes?: string[] } = {}) {
  let query = db
    .selectFrom('measures')
    .select(['id', 'code', 'title_ru', 'title_en', 'periodicity', 'is_active'])
    .orderBy('id');
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [-1]);
  if (filter.codes) query = query.where('code', 'in', filter.codes.length ? filter.codes : ['']);
  return await query.execute();
}

/** A new measure: the table's columns (id generated), its department by code, its life situations. */
export type NewMeasureRow = Required<Omit<Insertable<CatalogTables['measures']>, 'id' | 'department_id'>> & {
  department_code: string;
  life_situations: string[];
};

/** Inserts a measure and its life situations; returns undefined when the code is taken. */
export async function insertMeasure(db: DbOrTrx, m: NewMeasureRow): Promise<number | undefined> {
  const { department_code, life_situations, ...row } = m;
  const department = await db
    .selectFrom('departments')
    .select('id')
    .where('code', '=', department_code)
    .executeTakeFirstOrThrow();
  const inserted = await db
    .insertInto('measures')
    .values({ ...row, department_id: department.id })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted && life_situations.length > 0) {
    await db
      .insertInto('measure_life_situations')
      .values(life_situations.map((c) => ({ measure_id: inserted.id, life_situation_code: c })))
      .execute();
  }
  return inserted?.id;
}

export async function setMeasureActive(db: DbOrTrx, id: number, active: boolean): Promise<void> {
  await db.updateTable('measures').set({ is_active: active }).where('id', '=', id).execute();
}

/** Active measures with the channels they are offered through, for choosing one to sweep. */
export async function measureChannels(db: DbOrTrx) {
  return await db
    .selectFrom('measures')
    .select(['id', 'code', 'title_ru', 'title_en', 'channels', 'periodicity'])
    .where('is_active', '=', true)
    .orderBy('code')
    .execute();
}

/** A measure with everything an application needs: its documents, deadline and priority categories. */
export async function measureForApplication(db: DbOrTrx, by: { id: number } | { code: string }) {
  let q = db
    .selectFrom('measures')
    .select([
      'id',
      'code',
      'title_ru',
      'title_en',
      'legal_basis_ru',
      'legal_basis_en',
      'form',
      'channels',
      'decision_days',
      'is_active',
    ]);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('code', '=', by.code);
  const measure = await q.executeTakeFirst();
  if (!measure) return undefined;
  const [documents, priority] = await Promise.all([
    db
      .selectFrom('measure_documents')
      .select(['id', 'title_ru', 'title_en', 'interagency_agency', 'purpose'])
      .where('measure_id', '=', measure.id)
      .orderBy('sort')
      .execute(),
    db
      .selectFrom('measure_priority_categories')
      .select('category_code')
      .where('measure_id', '=', measure.id)
      .execute(),
  ]);
  return { ...measure, documents, priorityCategories: priority.map((p) => p.category_code) };
}

/** Ids of the measures an office takes applications for. */
export async function measureIdsOfOffice(db: DbOrTrx, officeId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('office_measures')
    .select('measure_id')
    .where('office_id', '=', officeId)
    .execute();
  return rows.map((r) => r.measure_id);
}
