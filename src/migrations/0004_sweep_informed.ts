// Informing residents of a sweep's proposals is its own job; informed_at marks a sweep as told, so
// the job is safe to run twice. auto_assign keeps the sweep's mode on the row, so its job carries ids only.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sweeps add column informed_at timestamptz,
    add column auto_assign boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sweeps drop column informed_at, drop column auto_assign`.execute(db);
}
