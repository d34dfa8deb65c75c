// Surveys and expert interviews: questionnaires (XLSForm model), versions, waves, responses, codes.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
