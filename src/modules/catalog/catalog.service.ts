// The catalog of support measures: read-only views for the portal and the staff workspace.
import type { DbOrTrx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import * as repo from './catalog.repository.ts';

export type MeasureSummary = Awaited<ReturnType<typeof repo.measuresInSphere>>[number];

export async function catalogOverview(db: DbOrTrx) {
  const [spheres, situations] = await Promise.all([repo.listSpheres(db), repo.listLifeSituations(db)]);
  return {
    spheres: spheres.filter((s) => Number(s.measure_count) > 0),
    situations: situations.filter((s) => Number(s.measure_count) > 0),
  };
}

export async function sphereWithMeasures(db: DbOrTrx, code: string) {
  const sphere = await repo.findSphere(db, code);
  if (!sphere) throw notFound('Sphere');
  return { sphere, measures: await repo.measuresInSphere(db, code) };
}

export async function situationWithMeasures(db: DbOrTrx, code: string) {
  const situation = await repo.findLifeSituation(db, code);
  if (!situation) throw notFound('Life situation');
  return { situation, measures: await repo.measuresForLifeSituation(db, code) };
}

export async function measureDetails(db: DbOrTrx, code: string) {
  const measure = await repo.findMeasure(db, code);
  if (!measure) throw notFound('Measure');
  const [documents, situations, priority, offices] = await Promise.all([
    repo.measureDocuments(db, measure.id),
    repo.measureLifeSituations(db, measure.id),
    repo.measurePriorityCategories(db, measure.id),
    repo.officesServing(db, measure.id),
  ]);
  return { measure, documents, situations, priority, offices };
}

export type MeasureDetails = Awaited<ReturnType<typeof measureDetails>>;

/** Code → title of every recipient category, for showing a person's categories. */
export async function categoryTitles(db: DbOrTrx): Promise<Map<string, { ru: string; en: string }>> {
  const rows = await repo.categoryTitles(db);
  return new Map(rows.map((r) => [r.code, { ru: r.title_ru, en: r.title_en }]));
}

export type MeasureRef = Awaited<ReturnType<typeof repo.measureRefs>>[number];

/** Measures by id or code, for modules that keep measure ids (the registry's assignments and ledger). */
export async function measureRefs(
  db: DbOrTrx,
  filter: { ids?: number[]; codes?: string[] } = {},
): Promise<MeasureRef[]> {
  return await repo.measureRefs(db, filter);
}

export type NewMeasure = repo.NewMeasureRow;

/** Adds a measure to the catalog (the emergency-measure flow); a code already in use is an error. */
export async function createMeasure(db: DbOrTrx, measure: NewMeasure): Promise<number> {
  const id = await repo.insertMeasure(db, measure);
  if (id === undefined) throw new AppError('measure_code_taken', 409, `Measure ${measure.code} exists`);
  return id;
}

/** Shows or hides a measure on the portal (an emergency measure appears once its rule is published). */
export const setMeasureActive = repo.setMeasureActive;

export type MeasureChannels = Awaited<ReturnType<typeof repo.measureChannels>>[number];

/** Active measures with their channels: 'proactive' ones may be assigned without an application. */
export const measuresWithChannels = repo.measureChannels;

export type MeasureForApplication = NonNullable<Awaited<ReturnType<typeof repo.measureForApplication>>>;

/** A measure as the application flow needs it (documents with their purpose and agency, deadline). */
export async function measureForApplication(
  db: DbOrTrx,
  by: { id: number } | { code: string },
): Promise<MeasureForApplication> {
  const measure = await repo.measureForApplication(db, by);
  if (!measure) throw notFound('Measure');
  return measure;
}

/** Offices that take applications for a measure (with their district), largest district first. */
export const officesServing = repo.officesServing;
/** Ids of the measures an office serves. */
export const measureIdsOfOffice = repo.measureIdsOfOffice;
