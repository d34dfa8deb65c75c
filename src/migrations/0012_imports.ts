// Imports of residents and assignments from district offices' CSV/XLSX files.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
