// Shared test data: a small seeded region and staff accounts with known passwords.

import type { StaffRole } from '../../src/modules/staff/staff.schema.ts';
import { createStaffUser } from '../../src/modules/staff/staff.service.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { seedRegion } from '../../src/seed/seed.service.ts';
import type { TestDatabase } from './db.ts';

export const PASSWORD = 'correct horse battery staple';

export async function seedSmallRegion(database: TestDatabase, persons = 400): Promise<void> {
  await seedRegion(database.db, database.url, { persons, seed: 7 });
}

export async function staffUser(
  db: Db,
  login: string,
  role: StaffRole,
  districtCodes: string[] = [],
): Promise<number> {
  return await createStaffUser(db, {
    login,
    fullName: `Test ${login}`,
    role,
    password: PASSWORD,
    districtCodes,
  });
}
