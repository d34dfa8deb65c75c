// Duplicate detection and reversible merges in the unified registry.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
