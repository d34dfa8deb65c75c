import { sql } from 'kysely';
import { type DbOrTrx, PREPARED } from '../db/database.ts';
import type { SessionKind } from '../db/platform.schema.ts';

export interface NewSession {
  id: string;
  kind: SessionKind;
  staffUserId?: number;
  residentAccountId?: number;
  mfaPending: boolean;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(db: DbOrTrx, s: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      kind: s.kind,
      staff_user_id: s.staffUserId ?? null,
      resident_account_id: s.residentAccountId ?? null,
      mfa_pending: s.mfaPending,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

/** The live session with what the actor needs: staff user and districts, or resident's person. */
export async function findLiveSession(db: DbOrTrx, id: string) {
  return (await findLiveSessions(db, [id]))[0];
}

/** findLiveSession for several ids in one query (concurrent requests share it). */
export async function findLiveSessions(db: DbOrTrx, ids: string[]) {
  return await db
    .selectFrom('sessions as s')
    .leftJoin('staff_users as u', (j) =>
      j.onRef('u.id', '=', 's.staff_user_id').on('u.is_disabled', '=', false),
    )
    .leftJoin('resident_accounts as r', 'r.id', 's.resident_account_id')
    .select([
      's.id',
      's.kind',
      's.mfa_pending',
      's.created_at',
      's.last_seen_at',
      'u.id as staff_user_id',
      'u.login',
      'u.full_name',
      'u.role',
      'r.id as resident_account_id',
      'r.person_id',
      sql<
        number[]
      >`coalesce((select array_agg(d.district_id order by d.district_id) from staff_user_districts d
        where d.staff_user_id = u.id), '{}')`.as('district_ids'),
    ])
    // One id (most lookups: requests rarely overlap) by `=`, so after a few runs PostgreSQL keeps one
    // generic plan for the prepared text. For `any($1)` it judges the generic plan (~10 elements)
    // dearer than a custom one for a single element and plans every call: at the intake's peak
    // 0.17 of the lookup's 0.25 ms inside PostgreSQL (docs/performance.md, Intake, sixth session).
    .where('s.id', '=', ids.length === 1 ? ids[0]! : sql<string>`any(${ids}::text[])`)
    .where('s.expires_at', '>', sql<Date>`now()`)
    // Every request that carries a session asks this: prepared, parsed once per connection.
    .modifyEnd(PREPARED)
    .execute();
}

/** Sliding expiry for several sessions in one statement: each gets its own new expiry. */
export async function extendSessions(
  db: DbOrTrx,
  due: Array<{ id: string; expiresAt: Date }>,
): Promise<void> {
  await sql`
    update sessions s set last_seen_at = now(), expires_at = v.expires_at
    from unnest(${due.map((d) => d.id)}::text[], ${due.map((d) => d.expiresAt)}::timestamptz[]) as v(id, expires_at)
    where s.id = v.id`.execute(db);
}

export async function completeMfa(db: DbOrTrx, id: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_pending: false }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteStaffSessions(db: DbOrTrx, staffUserId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('staff_user_id', '=', staffUserId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteResidentSessions(db: DbOrTrx, residentAccountId: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('resident_account_id', '=', residentAccountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpired(db: DbOrTrx): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
