import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { StaffRole } from './staff.schema.ts';

export async function findByLogin(db: DbOrTrx, login: string) {
  return await db
    .selectFrom('staff_users')
    .select(['id', 'login', 'password_hash', 'totp_secret', 'failed_attempts', 'locked_until', 'is_disabled'])
    .where('login', '=', login)
    .executeTakeFirst();
}

export async function findById(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('staff_users')
    .select(['id', 'login', 'full_name', 'email', 'role', 'totp_secret', 'is_disabled', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Counts a failed attempt; at the limit the account locks until `lockUntil`. Returns the new count. */
export async function recordFailure(
  db: DbOrTrx,
  id: number,
  limit: number,
  lockUntil: Date,
): Promise<number> {
  const row = await db
    .updateTable('staff_users')
    .set({
      failed_attempts: sql`failed_attempts + 1`,
      locked_until: sql`case when failed_attempts + 1 >= ${limit} then ${lockUntil}::timestamptz else locked_until end`,
    })
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return row.failed_attempts;
}

export async function resetFailures(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('staff_users')
    .set({ failed_attempts: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export interface NewStaffUser {
  login: string;
  full_name: string;
  email: string | null;
  role: StaffRole;
  password_hash: string;
}

export async function insertUser(db: DbOrTrx, user: NewStaffUser, districtIds: number[]): Promise<number> {
  const { id } = await db.insertInto('staff_users').values(user).returning('id').executeTakeFirstOrThrow();
  if (districtIds.length > 0) {
    await db
      .insertInto('staff_user_districts')
      .values(districtIds.map((district_id) => ({ staff_user_id: id, district_id })))
      .execute();
  }
  return id;
}

export async function setTotpSecret(db: DbOrTrx, id: number, secret: string | null): Promise<void> {
  await db.updateTable('staff_users').set({ totp_secret: secret }).where('id', '=', id).execute();
}

export async function listUsers(db: DbOrTrx) {
  return await db
    .selectFrom('staff_users as u')
    .select(['u.id', 'u.login', 'u.full_name', 'u.role', 'u.is_disabled'])
    .select(
      sql<number[]>`coalesce((select array_agg(sd.district_id order by sd.district_id)
      from staff_user_districts sd where sd.staff_user_id = u.id), '{}')`.as('district_ids'),
    )
    .orderBy('u.login')
    .execute();
}

/** Staff working in any of these districts (whom a case can be assigned to). */
export async function usersInDistricts(db: DbOrTrx, districtIds: number[]) {
  if (districtIds.length === 0) return [];
  return await db
    .selectFrom('staff_users as u')
    .innerJoin('staff_user_districts as sd', 'sd.staff_user_id', 'u.id')
    .select(['u.id', 'u.full_name', 'u.role', 'sd.district_id'])
    .where('sd.district_id', 'in', districtIds)
    .where('u.is_disabled', '=', false)
    .orderBy('u.full_name')
    .execute();
}

export async function userDistricts(db: DbOrTrx, id: number): Promise<number[]> {
  const rows = await db
    .selectFrom('staff_user_districts')
    .select('district_id')
    .where('staff_user_id', '=', id)
    .execute();
  return rows.map((r) => r.district_id);
}
