// Districts, settlements and offices of the region.
import type { DbOrTrx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './geography.repository.ts';

export const listDistricts = repo.listDistricts;
export const districtsByIds = repo.districtsByIds;

/** Resolves district codes to ids; an unknown code is an error naming it, not a silent skip. */
export async function districtIdsByCodes(db: DbOrTrx, codes: string[]): Promise<number[]> {
  const found = await repo.findDistrictsByCodes(db, codes);
  const unknown = codes.filter((code) => !found.some((d) => d.code === code));
  if (unknown.length > 0) {
    throw new AppError('unknown_district', 422, `Unknown district: ${unknown.join(', ')}`, { unknown });
  }
  return codes.map((code) => found.find((d) => d.code === code)!.id);
}

export type DistrictCentre = NonNullable<Awaited<ReturnType<typeof repo.districtCentre>>>;
export const districtCentre = repo.districtCentre;

export type Office = Awaited<ReturnType<typeof repo.listOffices>>[number];
/** Offices (with district names): all, by id, or of some districts; by district, centre before MFC. */
export const listOffices = repo.listOffices;

export async function officeById(db: DbOrTrx, id: number): Promise<Office | undefined> {
  return (await repo.listOffices(db, { ids: [id] }))[0];
}

export type Settlement = Awaited<ReturnType<typeof repo.settlementsOfDistrict>>[number];
export const settlementsOfDistrict = repo.settlementsOfDistrict;
