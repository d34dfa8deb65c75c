// What the quality indicators need to know about cases, read here so the quality module never touches
// the applications tables. caseFacts is what the aggregate refresh reads for the cases that changed;
// openCasesNow is the "overdue now" figure, read live through the open-cases index.
import { type RawBuilder, sql } from 'kysely';
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

/** The columns of CaseFact, for the cases `where` selects (alias a = applications). */
const factsSelect = (where: RawBuilder<unknown>) => sql<CaseFact>`
    select a.id::int as "id", a.district_id as "districtId", a.measure_id as "measureId",
           a.channel, a.priority, a.state,
           (a.submitted_at at time zone ${REGION_TIME_ZONE})::date::text as "submittedOn",
           case when a.state in ('approved', 'refused') then
             coalesce((a.decision->>'on')::date, (a.decided_at at time zone ${REGION_TIME_ZONE})::date)::text end
             as "decidedOn",
           a.registered_on::text as "registeredOn", a.deadline_on::text as "deadlineOn", a.paused_days as "pausedDays",
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
     where ${where}`;

/** The current facts of the given cases; a case that no longer exists is simply absent. */
export async function caseFacts(db: DbOrTrx, ids: readonly number[]): Promise<CaseFact[]> {
  if (ids.length === 0) return [];
  return (await factsSelect(sql`a.id = any(${ids as number[]}::bigint[])`).execute(db)).rows;
}

/**
 * The facts of every case as a query (columns as CaseFact), for a set-based rebuild that reads them
 * inside one INSERT … SELECT rather than through the application.
 */
export function allCaseFactsQuery(): RawBuilder<CaseFact> {
  return factsSelect(sql`true`);
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

export interface NaiveFigures {
  districtId: number;
  submitted: number;
  electronic: number;
  decided: number;
  onTime: number;
  /** Calendar days from registration to decision: the naive query has no production calendar. */
  median: number | null;
  p90: number | null;
}

/**
 * The naive computation the aggregates replace, kept for the benchmark's comparison: the main figures
 * of a dashboard for months [from, toExclusive) by scanning the cases, per district.
 */
export async function naiveDashboardScan(
  db: DbOrTrx,
  from: string,
  toExclusive: string,
  districtId?: number,
): Promise<NaiveFigures[]> {
  const { rows } = await sql<NaiveFigures>`
    select district_id as "districtId",
           count(*) filter (where submitted_at >= ${from}::date and submitted_at < ${toExclusive}::date)::int as submitted,
           count(*) filter (where submitted_at >= ${from}::date and submitted_at < ${toExclusive}::date
                              and channel in ('portal', 'proactive'))::int as electronic,
           count(*) filter (where d)::int as decided,
           count(*) filter (where d and (decided_at at time zone ${REGION_TIME_ZONE})::date <= deadline_on)::int as "onTime",
           percentile_disc(0.5) within group (order by case when d then decided_at::date - registered_on end) as median,
           percentile_disc(0.9) within group (order by case when d then decided_at::date - registered_on end) as p90
      from applications
      cross join lateral (select state in ('approved', 'refused') and decided_at >= ${from}::date
                                 and decided_at < ${toExclusive}::date as d) x
     where (submitted_at >= ${from}::date or decided_at >= ${from}::date)
       ${districtId === undefined ? sql`` : sql`and district_id = ${districtId}`}
     group by district_id`.execute(db);
  return rows;
}
