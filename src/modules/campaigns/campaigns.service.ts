// Informing campaigns: an analyst (or a district head, in their own districts) builds a target group
// from the registry, writes a message in Russian and English, and schedules it. Scheduling saves the
// campaign, freezes the group (one INSERT … SELECT, so half a million residents never pass through
// Node) and enqueues the launch, in one transaction. The launch hands the group to the notifications
// service, which delivers by each resident's channels, throttles, keeps quiet hours and skips those
// who unsubscribed. Building and viewing groups is aggregate: counts only, no resident is shown.
import { record } from '../../platform/audit/audit.service.ts';
import { type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, notFound, ValidationError } from '../../platform/errors.ts';
import type { Locale, MessageKey } from '../../platform/i18n/i18n.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';
import { countApplicantsSince } from '../applications/applications.service.ts';
import { categoryTitles, measureRefs, measuresWithChannels } from '../catalog/catalog.service.ts';
import { districtsByIds, listDistricts } from '../geography/geography.service.ts';
import { deliveryStats, notifyMany } from '../notifications/notifications.service.ts';
import { eligibleNotReceiving } from '../proactive/proactive.service.ts';
import { countMatchingPersons, matchingPersonIds, type PersonFilter } from '../registry/registry.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { staffMember } from '../staff/staff.service.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignFilter, MeasureRelation } from './campaigns.schema.ts';

/** Who runs campaigns: ministry analysts and administrators region-wide, district heads in theirs. */
export const CAMPAIGNERS: readonly StaffRole[] = ['ministry_analyst', 'administrator', 'district_head'];
export const RELATIONS: readonly MeasureRelation[] = ['any', 'receives', 'not_receives', 'eligible'];
export const LAUNCH_TASK = 'campaigns:launch';
export const FINISH_TASK = 'campaigns:finish';
export const MAX_TITLE = 200;
export const MAX_SUBJECT = 200;
export const MAX_BODY = 1000;
/** Recipients handed to the notifications service per call. */
const NOTIFY_BATCH = 250_000;
/** Delivery statuses that mean "not finished yet". */
const IN_FLIGHT = new Set(['queued', 'sending']);

type Errors = Record<string, MessageKey>;

// ---------------------------------------------------------------- the target group

export interface FilterInput {
  districts: string[];
  ageMin: string;
  ageMax: string;
  categories: string[];
  measure: string;
  relation: string;
}

/** What the group builder offers: the author's districts, the categories, the active measures. */
export async function filterChoices(db: DbOrTrx, staff: StaffActor) {
  const scope = scopeOf(staff);
  const [districts, titles, measures] = await Promise.all([
    scope.all ? listDistricts(db) : districtsByIds(db, scope.districtIds),
    categoryTitles(db),
    measuresWithChannels(db),
  ]);
  return {
    districts: districts
      .map((d) => ({ id: d.id, code: d.code, name_ru: d.name_ru, name_en: d.name_en }))
      .sort((a, b) => a.name_ru.localeCompare(b.name_ru, 'ru')),
    categories: [...titles].map(([code, t]) => ({ code, ru: t.ru, en: t.en })),
    measures: measures.map((m) => ({ id: m.id, code: m.code, title_ru: m.title_ru, title_en: m.title_en })),
  };
}

export type FilterChoices = Awaited<ReturnType<typeof filterChoices>>;

const AGE = /^\d{1,3}$/;

/** Checks the group builder's answers against what the author may choose. */
export function parseFilter(
  choices: FilterChoices,
  input: FilterInput,
  asOf: string,
): { filter: CampaignFilter } | { errors: Errors } {
  const errors: Errors = {};
  const codes = new Set(choices.districts.map((d) => d.code));
  const districts = [...new Set(input.districts)];
  if (districts.some((c) => !codes.has(c))) errors.districts = 'campaigns.error.district';
  const age = (raw: string, field: string, key: MessageKey) => {
    if (raw === '') return null;
    const n = Number(raw);
    if (!AGE.test(raw) || n > 120) errors[field] = key;
    return n;
  };
  const ageMin = age(input.ageMin, 'age_min', 'campaigns.error.ageMin');
  const ageMax = age(input.ageMax, 'age_max', 'campaigns.error.ageMax');
  if (ageMin !== null && ageMax !== null && !errors.age_min && !errors.age_max && ageMax < ageMin)
    errors.age_max = 'campaigns.error.ageOrder';
  const known = new Set(choices.categories.map((c) => c.code));
  const categories = [...new Set(input.categories)];
  if (categories.some((c) => !known.has(c))) errors.categories = 'campaigns.error.category';
  const measure = input.measure === '' ? null : input.measure;
  if (measure !== null && !choices.measures.some((m) => m.code === measure))
    errors.measure = 'campaigns.error.measure';
  const relation = (input.relation || 'any') as MeasureRelation;
  if (!RELATIONS.includes(relation)) errors.relation = 'campaigns.error.relation';
  else if (relation !== 'any' && measure === null && !errors.measure)
    errors.measure = 'campaigns.error.measureNeeded';
  if (Object.keys(errors).length > 0) return { errors };
  return { filter: { districts, ageMin, ageMax, categories, measure, relation, asOf } };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The same calendar day `years` earlier (29 February becomes the 28th in a common year). */
function yearsBefore(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) - years;
  const md = day.slice(5) === '02-29' && !isLeap(y) ? '02-28' : day.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Birth dates for an age range on a day: aged at least `min` means born on or before the day `min`
 * years earlier; at most `max` means born after the day `max + 1` years earlier.
 */
export function birthRange(asOf: string, min: number | null, max: number | null) {
  return {
    bornTo: min === null ? undefined : yearsBefore(asOf, min),
    bornFrom: max === null ? undefined : nextDay(yearsBefore(asOf, max + 1)),
  };
}

export interface Sweep {
  id: number;
  asOf: string;
  finishedAt: Date | null;
}

export interface Group {
  person: PersonFilter;
  /** Districts drawn from; null when region-wide. */
  districtIds: number[] | null;
  measureId: number | null;
  /** The sweep the "eligible" relation rests on. */
  sweep: Sweep | null;
}

/**
 * The filter as a registry query. District heads are held to their districts whatever they chose;
 * "eligible" needs a finished sweep of the measure (ValidationError on `relation` otherwise).
 */
export async function resolveGroup(db: DbOrTrx, staff: StaffActor, filter: CampaignFilter): Promise<Group> {
  const scope = scopeOf(staff);
  const choices = await filterChoices(db, staff);
  const byCode = new Map(choices.districts.map((d) => [d.code, d.id]));
  const chosen = filter.districts.map((c) => byCode.get(c));
  if (chosen.some((id) => id === undefined))
    throw new ValidationError({ districts: 'campaigns.error.district' });
  const districtIds = chosen.length > 0 ? (chosen as number[]) : scope.all ? null : scope.districtIds;
  const measure =
    filter.measure === null ? undefined : choices.measures.find((m) => m.code === filter.measure);
  if (filter.measure !== null && !measure) throw new ValidationError({ measure: 'campaigns.error.measure' });
  const person: PersonFilter = {
    districtIds: districtIds ?? undefined,
    ...birthRange(filter.asOf, filter.ageMin, filter.ageMax),
    categories: filter.categories,
  };
  let sweep: Sweep | null = null;
  if (measure && filter.relation !== 'any') {
    person.assignment = { measureId: measure.id, active: filter.relation === 'receives', asOf: filter.asOf };
    if (filter.relation === 'eligible') {
      const found = await eligibleNotReceiving(db, measure.id);
      if (!found) throw new ValidationError({ relation: 'campaigns.error.noSweep' });
      person.within = found.personIds;
      sweep = found.sweep;
    }
  }
  return { person, districtIds, measureId: measure?.id ?? null, sweep };
}

/** The size of the group now (the builder's "Count"), and the sweep it rests on if any. */
export async function countGroup(db: DbOrTrx, staff: StaffActor, filter: CampaignFilter) {
  const group = await resolveGroup(db, staff, filter);
  return { count: await countMatchingPersons(db, group.person), sweep: group.sweep };
}

// ---------------------------------------------------------------- the message and the schedule

export interface MessageInput {
  title: string;
  subjectRu: string;
  bodyRu: string;
  subjectEn: string;
  bodyEn: string;
}

/**
 * Russian is required; English is optional as a pair: left empty, residents who read English get the
 * Russian text (the page says so).
 */
export function parseMessage(m: MessageInput): Errors {
  const errors: Errors = {};
  if (!m.title || m.title.length > MAX_TITLE) errors.title = 'campaigns.error.title';
  if (!m.subjectRu || m.subjectRu.length > MAX_SUBJECT) errors.subject_ru = 'campaigns.error.subjectRu';
  if (!m.bodyRu || m.bodyRu.length > MAX_BODY) errors.body_ru = 'campaigns.error.bodyRu';
  if (m.subjectEn.length > MAX_SUBJECT) errors.subject_en = 'campaigns.error.subjectEn';
  if (m.bodyEn.length > MAX_BODY) errors.body_en = 'campaigns.error.bodyEn';
  if (!errors.subject_en && !errors.body_en) {
    if (m.subjectEn && !m.bodyEn) errors.body_en = 'campaigns.error.englishPair';
    if (!m.subjectEn && m.bodyEn) errors.subject_en = 'campaigns.error.englishPair';
  }
  return errors;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: REGION_TIME_ZONE, timeZoneName: 'longOffset' });

/** The region's offset from UTC at an instant, in minutes (Volgograd: +180 since 2020). */
function regionOffsetMinutes(at: Date): number {
  const name = OFFSET.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** A wall-clock date and time in the region as an instant. */
export function regionInstant(date: string, time: string): Date {
  const [h = '0', min = '0'] = time.split(':');
  const wall = Date.parse(`${date}T${h.padStart(2, '0')}:${min}:00Z`);
  const first = wall - regionOffsetMinutes(new Date(wall)) * 60_000;
  return new Date(wall - regionOffsetMinutes(new Date(first)) * 60_000);
}

const DATE_TIME: Record<Locale, Intl.DateTimeFormat> = {
  ru: new Intl.DateTimeFormat('ru-RU', { timeZone: REGION_TIME_ZONE, dateStyle: 'long', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: REGION_TIME_ZONE, dateStyle: 'long', timeStyle: 'short' }),
};

/** An instant as the region's date and time, e.g. "24 ноября 2026 г., 09:30". */
export function formatRegionTime(locale: Locale, at: Date): string {
  return DATE_TIME[locale].format(at);
}

export interface ScheduleInput {
  when: string;
  date: string;
  time: string;
}

/** "Now" (null) or a region date and time, not in the past and at most a year ahead. */
export function parseSchedule(s: ScheduleInput, now = new Date()): { at: Date | null } | { errors: Errors } {
  if (s.when === 'now') return { at: null };
  if (s.when !== 'later') return { errors: { when: 'campaigns.error.when' } };
  const errors: Errors = {};
  if (!validDate(s.date)) errors.date = 'campaigns.error.date';
  if (!TIME.test(s.time)) errors.time = 'campaigns.error.time';
  if (Object.keys(errors).length > 0) return { errors };
  const at = regionInstant(s.date, s.time);
  // The current minute still counts as now.
  if (at.getTime() < Math.floor(now.getTime() / 60_000) * 60_000)
    return { errors: { date: 'campaigns.error.schedulePast' } };
  if (at.getTime() > now.getTime() + 366 * 24 * 3600_000)
    return { errors: { date: 'campaigns.error.scheduleFar' } };
  return { at };
}

// ---------------------------------------------------------------- SMS length

/** GSM 7-bit alphabet: SMS in it carry 160 characters (153 per part when split). */
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension characters take two places each. */
const GSM7_EXT = '^{}\\[~]|€\f';

export interface SmsLength {
  /** 'gsm7' for Latin text; 'ucs2' as soon as one character is outside it (Cyrillic). */
  encoding: 'gsm7' | 'ucs2';
  /** Characters as the network counts them. */
  length: number;
  segments: number;
  /** Characters per segment for this text: 160/153 (GSM 7-bit) or 70/67 (UCS-2). */
  perSegment: number;
}

export function smsLength(text: string): SmsLength {
  let gsm = 0;
  let isGsm = true;
  for (const ch of text) {
    if (GSM7.includes(ch)) gsm += 1;
    else if (GSM7_EXT.includes(ch)) gsm += 2;
    else {
      isGsm = false;
      break;
    }
  }
  if (isGsm) {
    const single = gsm <= 160;
    return {
      encoding: 'gsm7',
      length: gsm,
      segments: single ? 1 : Math.ceil(gsm / 153),
      perSegment: single ? 160 : 153,
    };
  }
  const length = text.length; // UTF-16 code units: what UCS-2 carries
  const single = length <= 70;
  return {
    encoding: 'ucs2',
    length,
    segments: single ? 1 : Math.ceil(length / 67),
    perSegment: single ? 70 : 67,
  };
}

// ---------------------------------------------------------------- scheduling

export interface NewCampaign {
  filter: CampaignFilter;
  message: MessageInput;
  /** null: now. */
  at: Date | null;
  /** Made when the check-answers form was shown: the same form sent twice schedules once. */
  key: string;
}

const KEY = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * Saves the campaign, freezes its target group and enqueues its launch at the scheduled time, all in
 * the caller's transaction. An empty group or a time in the past is a ValidationError (nothing saved).
 */
export async function scheduleCampaign(
  trx: Trx,
  staff: StaffActor,
  c: NewCampaign,
  ip: string,
  now = new Date(),
): Promise<number> {
  if (!KEY.test(c.key)) throw new AppError('form_expired', 422, 'The form is out of date; open it again');
  const key = `staff:${staff.userId}:${c.key}`;
  const earlier = await repo.idBySubmissionKey(trx, key);
  if (earlier) return earlier;
  const messageErrors = parseMessage(c.message);
  if (Object.keys(messageErrors).length > 0) throw new ValidationError(messageErrors);
  if (c.at && c.at.getTime() < Math.floor(now.getTime() / 60_000) * 60_000)
    throw new ValidationError({ date: 'campaigns.error.schedulePast' });
  const group = await resolveGroup(trx, staff, c.filter);
  const m = c.message;
  const scheduledAt = c.at ?? now;
  const id = await repo.insertCampaign(trx, {
    title: m.title,
    status: 'scheduled',
    filter: JSON.stringify(c.filter),
    district_ids: group.districtIds,
    measure_id: group.measureId,
    subject_ru: m.subjectRu,
    body_ru: m.bodyRu,
    // English left empty: English readers get the Russian text.
    subject_en: m.subjectEn || m.subjectRu,
    body_en: m.bodyEn || m.bodyRu,
    scheduled_at: scheduledAt,
    created_by: staff.userId,
    submission_key: key,
  });
  if (id === undefined) return (await repo.idBySubmissionKey(trx, key)) ?? 0;
  const recipients = await repo.freezeRecipients(trx, id, matchingPersonIds(trx, group.person));
  if (recipients === 0) throw new ValidationError({ group: 'campaigns.error.emptyGroup' });
  await enqueue(
    trx,
    LAUNCH_TASK,
    { campaignId: id },
    { runAt: scheduledAt, jobKey: `${LAUNCH_TASK}:${id}`, maxAttempts: 5 },
  );
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'campaign.created',
    subject: { kind: 'campaign', id },
    ip,
    details: {
      title: m.title,
      recipients,
      scheduledAt: scheduledAt.toISOString(),
      filter: c.filter,
      sweep: group.sweep?.id ?? null,
    },
  });
  return id;
}

/**
 * The launch job: a scheduled campaign moves to 'running' and its frozen group is handed to the
 * notifications service, in one transaction. Anything but a scheduled campaign (launched already,
 * cancelled) is left alone, so the job is safe to run twice.
 */
export async function launchCampaign(
  db: Db,
  campaignId: number,
): Promise<{ launched: boolean; queued: number }> {
  return await db.transaction().execute(async (trx) => {
    const c = await repo.claimLaunch(trx, campaignId);
    if (!c) return { launched: false, queued: 0 };
    const params = {
      subject_ru: c.subject_ru,
      subject_en: c.subject_en,
      body_ru: c.body_ru,
      body_en: c.body_en,
    };
    let queued = 0;
    let after = 0;
    for (;;) {
      const ids = await repo.recipientIdsAfter(trx, c.id, after, NOTIFY_BATCH);
      if (ids.length === 0) break;
      queued += await notifyMany(trx, ids, { event: 'campaign', params, campaignId: c.id });
      after = ids[ids.length - 1]!;
      if (ids.length < NOTIFY_BATCH) break;
    }
    await repo.setQueued(trx, c.id, queued);
    await record(trx, {
      actor: { kind: 'system' },
      action: 'campaign.launched',
      subject: { kind: 'campaign', id: c.id },
      details: { recipients: c.recipients, queued },
    });
    return { launched: true, queued };
  });
}

// ---------------------------------------------------------------- reading, cancelling, finishing

export type Campaign = repo.CampaignRow;

function visibleTo(staff: StaffActor, c: Pick<Campaign, 'district_ids'>): boolean {
  const scope = scopeOf(staff);
  return scope.all || (c.district_ids?.every((d) => scope.districtIds.includes(d)) ?? false);
}

/** A campaign the staff member may see; one drawn from districts not all theirs is a 404. */
export async function campaignForStaff(db: DbOrTrx, staff: StaffActor, id: number): Promise<Campaign> {
  const c = await repo.findCampaign(db, id);
  if (!c || !visibleTo(staff, c)) throw notFound('Campaign');
  return c;
}

export async function campaignsForStaff(db: DbOrTrx, staff: StaffActor, limit = 100) {
  return await repo.listCampaigns(db, scopeOf(staff), limit);
}

export async function cancelCampaign(trx: Trx, staff: StaffActor, id: number, ip: string): Promise<void> {
  const c = await campaignForStaff(trx, staff, id);
  if (!(await repo.cancel(trx, id, staff.userId)))
    throw new AppError(
      'campaign_not_scheduled',
      409,
      'Only a campaign that has not started can be cancelled',
    );
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'campaign.cancelled',
    subject: { kind: 'campaign', id },
    ip,
    details: { title: c.title, recipients: c.recipients },
  });
}

export interface Delivery {
  channels: string[];
  statuses: string[];
  count(channel: string, status: string): number;
  byStatus: Map<string, number>;
  total: number;
  inFlight: number;
}

const STATUS_ORDER = ['queued', 'sending', 'sent', 'failed', 'skipped'];
const CHANNEL_ORDER = ['pending', 'portal', 'email', 'sms', 'post'];
const order = (list: string[]) => (a: string, b: string) =>
  (list.indexOf(a) + 1 || 99) - (list.indexOf(b) + 1 || 99) || a.localeCompare(b);

export async function delivery(db: DbOrTrx, campaignId: number): Promise<Delivery> {
  const rows = await deliveryStats(db, { campaignId });
  const cells = new Map(rows.map((r) => [`${r.channel}\u0000${r.status}`, Number(r.count)]));
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + Number(r.count));
  return {
    channels: [...new Set(rows.map((r) => r.channel))].sort(order(CHANNEL_ORDER)),
    // Queued, sent, failed and skipped always show (as 0 when none); others when present.
    statuses: [...new Set(['queued', 'sent', 'failed', 'skipped', ...rows.map((r) => r.status)])].sort(
      order(STATUS_ORDER),
    ),
    count: (channel, status) => cells.get(`${channel}\u0000${status}`) ?? 0,
    byStatus,
    total: rows.reduce((s, r) => s + Number(r.count), 0),
    inFlight: rows.filter((r) => IN_FLIGHT.has(r.status)).reduce((s, r) => s + Number(r.count), 0),
  };
}

/** Marks a running campaign done when nothing of it is queued or being sent any more. */
async function finishIfDelivered(db: DbOrTrx, id: number, d?: Delivery): Promise<boolean> {
  const figures = d ?? (await delivery(db, id));
  return figures.inFlight === 0 && (await repo.markDone(db, id));
}

/** The cron job: every running campaign whose messages have all gone is marked done. */
export async function finishDelivered(db: Db): Promise<number> {
  let done = 0;
  for (const id of await repo.runningIds(db)) if (await finishIfDelivered(db, id)) done++;
  return done;
}

/**
 * A campaign's figures: the group, delivery by channel and status, and the response — how many
 * recipients applied for the campaign's measure since the launch. Counts only.
 */
export async function campaignFigures(db: Db, staff: StaffActor, id: number) {
  let campaign = await campaignForStaff(db, staff, id);
  const figures = await delivery(db, id);
  if (campaign.status === 'running' && (await finishIfDelivered(db, id, figures)))
    campaign = await campaignForStaff(db, staff, id);
  const [measure] = campaign.measure_id === null ? [] : await measureRefs(db, { ids: [campaign.measure_id] });
  const response =
    measure && campaign.launched_at
      ? await countApplicantsSince(db, measure.id, campaign.launched_at, repo.recipientIds(db, id))
      : null;
  const author = await staffMember(db, campaign.created_by);
  return {
    campaign,
    delivery: figures,
    measure: measure ?? null,
    response,
    author: author?.fullName ?? null,
  };
}
