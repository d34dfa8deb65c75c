// The sampling frame: recipients of support measures from the registry with their background
// (district, age group, channel of the latest application), through the registry's and the
// applications module's exported functions.
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { Background } from './surveys.background.ts';

/** The background of one linked respondent on a date (ISO). Audited by the caller's context. */
export async function backgroundOf(_db: DbOrTrx, _personId: number, _onDate: string): Promise<Background> {
  throw new Error('backgroundOf: not written yet (helper B owns this file)');
}
