// The record of agency events applied (applied_agency_events, migration 0014). Plain SQL: the table
// is this file's alone, read by event id.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';

export interface AppliedEventRow {
  event_id: string;
  kind: string;
  registered_on: string;
  person_id: number | null;
  summary: string;
  applied_at: Date;
}

export async function findApplied(db: DbOrTrx, eventId: string): Promise<AppliedEventRow | undefined> {
  const { rows } = await sql<AppliedEventRow>`
    select event_id, kind, registered_on, person_id, summary, applied_at
      from applied_agency_events where event_id = ${eventId}`.execute(db);
  return rows[0];
}

/**
 * Claims the event id. A concurrent transaction applying the same id waits on the key and then
 * finds it taken: false, and it applies nothing.
 */
export async function claim(
  trx: Trx,
  e: { eventId: string; kind: string; registeredOn: string; payload: unknown },
): Promise<boolean> {
  const { rows } = await sql<{ event_id: string }>`
    insert into applied_agency_events (event_id, kind, registered_on, payload)
    values (${e.eventId}, ${e.kind}, ${e.registeredOn}::date, ${JSON.stringify(e.payload)}::jsonb)
    on conflict (event_id) do nothing
    returning event_id`.execute(trx);
  return rows.length === 1;
}

export async function finish(trx: Trx, eventId: string, personId: number | null, summary: string) {
  await sql`
    update applied_agency_events set person_id = ${personId}, summary = ${summary}
     where event_id = ${eventId}`.execute(trx);
}

/** The latest applied events, newest first (for the exchange's staff page). */
export async function recent(db: DbOrTrx, limit: number): Promise<AppliedEventRow[]> {
  const { rows } = await sql<AppliedEventRow>`
    select event_id, kind, registered_on, person_id, summary, applied_at
      from applied_agency_events order by applied_at desc, event_id limit ${limit}`.execute(db);
  return rows;
}
