// Interagency requests (SMEV-like exchange with other agencies) and unasked agency events.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
