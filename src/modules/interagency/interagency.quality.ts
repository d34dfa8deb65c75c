// What the quality indicators read from interagency requests: answers on time, by district and the
// month the answer was due. Read live (one row per request; the table is indexed by nothing else we need).
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';

export interface InteragencyTimeliness {
  districtId: number;
  month: string; // 'YYYY-MM' of due_on
  /** Requests whose due date has passed by `today`, or answered already. */
  due: number;
  /** Answered on or before the due date. */
  onTime: number;
}

export async function interagencyTimeliness(
  db: DbOrTrx,
  from: string,
  toExclusive: string,
  today: string,
  filter: { districtId?: number } = {},
): Promise<InteragencyTimeliness[]> {
  const { rows } = await sql<InteragencyTimeliness>`
    select district_id as "districtId", to_char(due_on, 'YYYY-MM') as month,
           count(*) filter (where due_on < ${today}::date or answered_at is not null)::int as due,
           count(*) filter (where (answered_at at time zone ${REGION_TIME_ZONE})::date <= due_on)::int as "onTime"
      from interagency_requests
     where due_on >= ${from}::date and due_on < ${toExclusive}::date
       ${filter.districtId === undefined ? sql`` : sql`and district_id = ${filter.districtId}`}
     group by 1, 2`.execute(db);
  return rows;
}
