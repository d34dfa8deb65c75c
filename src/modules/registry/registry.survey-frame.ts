// What the surveys module needs from the registry to sample recipients and describe respondents:
// a person's district and birth date, and the sampling frame — living persons receiving at least
// one live support measure (an assignment active or suspended, not ended by the date). The frame is
// returned as a query (not run) so surveys can join it with the applications module's part in one
// statement over a 2.5-million registry without shipping id lists back and forth.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, DbOrTrx } from '../../platform/db/database.ts';

/** District and birth date of one person, or undefined when no such person. */
export async function personForSurvey(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('persons')
    .select(['id', 'district_id', 'birth_date', 'died_on'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

export interface RecipientFilter {
  /** Only recipients living in these districts (none: all). */
  districtIds?: readonly number[];
  /** Only recipients of these measures (none: any). */
  measureIds?: readonly number[];
}

/** A row of the recipients frame. */
export interface RecipientRow {
  person_id: number;
  district_id: number;
  birth_date: string;
}

/**
 * Living persons with at least one live assignment on `onDate` (ISO), as a select of
 * (person_id, district_id, birth_date); one row per person.
 */
export function recipientsQuery(
  db: DbOrTrx,
  filter: RecipientFilter,
  onDate: string,
): SelectQueryBuilder<Database, 'persons', RecipientRow> {
  let q = db
    .selectFrom('persons')
    .select(['persons.id as person_id', 'persons.district_id', 'persons.birth_date'])
    .where((eb) => eb.or([eb('persons.died_on', 'is', null), eb('persons.died_on', '>', onDate)]))
    .where((eb) => {
      let live = eb
        .selectFrom('assignments')
        .select(sql`1`.as('one'))
        .whereRef('assignments.person_id', '=', 'persons.id')
        .where('assignments.status', '<>', 'ended')
        .where('assignments.start_date', '<=', onDate)
        .where((e) => e.or([e('assignments.end_date', 'is', null), e('assignments.end_date', '>=', onDate)]));
      if (filter.measureIds?.length)
        live = live.where('assignments.measure_id', 'in', [...filter.measureIds]);
      return eb.exists(live);
    });
  if (filter.districtIds?.length) q = q.where('persons.district_id', 'in', [...filter.districtIds]);
  return q as unknown as SelectQueryBuilder<Database, 'persons', RecipientRow>;
}
