// Catalog reads for the EGISSO export: each measure's form and priority categories (which decide the
// recipient category sent). Read-only; the egisso module owns nothing here.
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { MeasureForm } from './catalog.schema.ts';

export interface MeasureForExport {
  id: number;
  code: string;
  title_ru: string;
  form: MeasureForm;
  priorityCategories: string[];
}

export async function measuresForExport(db: DbOrTrx, ids: number[]): Promise<Map<number, MeasureForExport>> {
  if (ids.length === 0) return new Map();
  const [measures, priority] = await Promise.all([
    db.selectFrom('measures').select(['id', 'code', 'title_ru', 'form']).where('id', 'in', ids).execute(),
    db
      .selectFrom('measure_priority_categories')
      .select(['measure_id', 'category_code'])
      .where('measure_id', 'in', ids)
      .orderBy('category_code')
      .execute(),
  ]);
  return new Map(
    measures.map((m) => [
      m.id,
      {
        ...m,
        priorityCategories: priority.filter((p) => p.measure_id === m.id).map((p) => p.category_code),
      },
    ]),
  );
}
