// What the quality indicators read from the catalogue: which active measures can be applied for on the portal.
import type { DbOrTrx } from '../../platform/db/database.ts';

export async function measuresPortalAvailability(
  db: DbOrTrx,
): Promise<{ id: number; code: string; titleRu: string; titleEn: string; onPortal: boolean }[]> {
  const rows = await db
    .selectFrom('measures')
    .select(['id', 'code', 'title_ru', 'title_en', 'channels'])
    .where('is_active', '=', true)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    titleRu: r.title_ru,
    titleEn: r.title_en,
    onPortal: r.channels.includes('portal'),
  }));
}
