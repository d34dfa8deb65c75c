// What the quality indicators need to know about cases, read here so the quality module never touches
// the applications tables. caseFacts is what the aggregate refresh reads for the cases that changed;
// openCasesNow is the "overdue now" figure, read live through the open-cases index.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';
import type { ApplicationChannel, ApplicationState } from './applications.schema.ts';
import { OPEN_STATES } from './applications.states.ts';

export interface CaseFact {
  id: number;
  districtId: number;
  measureId: number;
  channel: ApplicationChannel;
  priority: boolean;
  state: ApplicationState;
  /** Region dates ('YYYY-MM-DD'); null for a draft never submitted / a case not decided. */
  submittedOn: string | null;
  decidedOn: string | null;
  registeredOn: string | null;
  deadlineOn: string | null;
  /** Working days the statutory clock stood while waiting for the resident. */
  pausedDays: number;
  outcome: 'approved' | 'refused' | null;
  /** The decision names the law it rests on. */
  legalBasis: boolean;
  /** Times the resident was asked for documents (request_documents steps). */
  docsAsked: number;
  /** Documents obtained from other agencies by interagency request, up to the decision. */
  docsObtained: number;
  /** Every evidence document the measure lists was on file at the decision (false when undecided). */
  fileComplete: boolean;
}

/** The current facts of the given cases; a case that no longer exists is simply absent. */
export async function caseFacts(db: DbOrTrx, ids: readonly number[]): Promise<CaseFact[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<CaseFact>`
    select a.id::int as "id", a.district_id as "districtId", a.measure_id as "measureId",
           a.channel, a.priority, a.state,
           (a.submitted_at at time zone ${REGION_TIME_ZONE})::date as "submittedOn",
           case when a.state in ('approved', 'refused') then
             coalesce((a.decision->>'on')::date, (a.decided_at at time zone ${REGION_TIME_ZONE})::date) end
             as "decidedOn",
           a.registered_on as "registeredOn", a.deadline_on as "deadlineOn", a.paused_days as "pausedDays",
           case when a.state in ('approved', 'refused') then a.state end as "outcome",
           coalesce(length(trim(a.decision->'legalBasis'->>'ru')) > 0, false) as "legalBasis",
           (select count(*)::int from application_events e
             where e.application_id = a.id and e.kind = 'request_documents') as "docsAsked",
           (select count(*)::int from application_documents d
             where d.application_id = a.id and d.source = 'agency'
               and (a.decided_at is null or d.added_at <= a.decided_at)) as "docsObtained",
           (a.state in ('approved', 'refused') and not exists (
              select 1 from measure_documents md
               where md.measure_id = a.measure_id and md.purpose = 'evidence'
                 and not exists (select 1 from application_documents d
                                  where d.application_id = a.id and d.measure_document_id = md.id
                                    and d.added_at <= a.decided_at))) as "fileComplete"
      from applications a
     where a.id = any(${ids as number[]}::bigint[])`.execute(db);
  return rows;
}

/** Every case id, in pages: the refresh's rebuild walks the whole table once (bench, first start). */
export async function caseIdsAfter(db: DbOrTrx, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('applications')
    .select('id')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

export interface OpenCasesCount {
  districtId: number;
  channel: ApplicationChannel;
  measureId: number;
  open: number;
  /** The statutory deadline has passed and the clock is running (not waiting for the resident). */
  overdue: number;
}

/** Open cases now and how many are overdue on `today`, by district, channel and measure. */
export async function openCasesNow(
  db: DbOrTrx,
  today: string,
  filter: { districtId?: number; channel?: ApplicationChannel; measureId?: number } = {},
): Promise<OpenCasesCount[]> {
  let q = db
    .selectFrom('applications')
    .select((eb) => [
      'district_id as districtId',
      'channel',
      'measure_id as measureId',
      eb.fn.countAll<number>().as('open'),
      sql<number>`count(*) filter (where deadline_on < ${today}::date and paused_since is null)::int`.as(
        'overdue',
      ),
    ])
    .where('state', 'in', OPEN_STATES)
    .groupBy(['district_id', 'channel', 'measure_id']);
  if (filter.districtId !== undefined) q = q.where('district_id', '=', filter.districtId);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.measureId !== undefined) q = q.where('measure_id', '=', filter.measureId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, open: Number(r.open), overdue: Number(r.overdue) }));
}

/**
 * The naive computation the aggregates replace, kept for the benchmark's comparison: decisions in
 * [from, to) by scanning the cases.
 */
export async function naiveDecisionCounts(
  db: DbOrTrx,
  from: string,
  to: string,
  districtId?: number,
): Promise<{ decided: number; onTime: number; median: number | null; p90: number | null }> {
  const { rows } = await sql<{ decided: number; onTime: number; median: number | null; p90: number | null }>`
    select count(*)::int as decided,
           count(*) filter (where (decided_at at time zone ${REGION_TIME_ZONE})::date <= deadline_on)::int as "onTime",
           percentile_disc(0.5) within group (order by (decided_at::date - registered_on)) as median,
           percentile_disc(0.9) within group (order by (decided_at::date - registered_on)) as p90
      from applications
     where state in ('approved', 'refused') and decided_at >= ${from}::date and decided_at < ${to}::date
       ${districtId === undefined ? sql`` : sql`and district_id = ${districtId}`}`.execute(db);
  return rows[0]!;
}
