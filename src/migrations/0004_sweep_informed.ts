// Informing residents of a sweep's proposals is its own job; this marks a sweep as told, so the
// job is safe to run twice.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sweeps add column informed_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sweeps drop column informed_at`.execute(db);
}
