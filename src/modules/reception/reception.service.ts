// Personal reception: office schedules and desks, slots opened ahead by a job, booking (the database
// refuses a double booking), moving and cancelling, reminders, the reception day (check-in, calling
// the next person, served, no-shows), the hall's queue screen, and field visits of mobile teams.
// Every function takes the caller's transaction or database, opened at the edge.
import { record } from '../../platform/audit/audit.service.ts';
import { inScope, type ResidentActor, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import { addWorkingDays } from '../../platform/calendar/calendar.service.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, AuditedRefusal, notFound, ValidationError } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { regionToday } from '../../platform/time.ts';
import { applicationForStaff } from '../applications/applications.service.ts';
import { priorityReasons } from '../applications/applications.states.ts';
import {
  measureForApplication,
  measureIdsOfOffice,
  measureRefs,
  officesServing,
} from '../catalog/catalog.service.ts';
import {
  listOffices,
  type Office,
  officeById,
  settlementsOfDistrict,
} from '../geography/geography.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { personEssentials, personNames } from '../registry/registry.service.ts';
import * as repo from './reception.repository.ts';
import type {
  AppointmentChannel,
  AppointmentStatus,
  ScheduleDays,
  SignupStatus,
} from './reception.schema.ts';
import {
  addDays,
  DEFAULT_DAYS_AHEAD,
  DEFAULT_PRIORITY_SHARE,
  DEFAULT_SLOT_MINUTES,
  dayProblem,
  daysFromOfficeHours,
  deskMinutes,
  horizonOf,
  planSlots,
  regionClock,
  regionInstant,
  WEEKDAYS,
} from './reception.slots.ts';

export type Appointment = repo.AppointmentRow;
export const OPEN_SLOTS_TASK = 'reception:open-slots';
export const REMIND_TASK = 'reception:remind';
export const NO_SHOW_TASK = 'reception:no-shows';

/** Where a request came from (the audit log's address); `now` only in tests and benchmarks. */
export interface Ctx {
  ip: string;
  now?: Date;
}
const nowOf = (ctx: Ctx) => ctx.now ?? new Date();

/** Statuses of an appointment that still holds its slot and its person's place for the measure. */
export const LIVE: readonly AppointmentStatus[] = ['booked', 'checked_in', 'called'];
const KEY = /^[A-Za-z0-9_-]{8,100}$/;
/** The reminder goes out at 10:00 the day before. */
export const REMINDER_TIME = '10:00';

const stale = () =>
  new AppError(
    'stale_appointment',
    409,
    'This appointment was changed in the meantime. Reload the page to see the change, then try again.',
  );
const slotTaken = () =>
  new AppError('slot_taken', 409, 'Someone has just booked this time. Choose another time.');
const slotGone = () =>
  new AppError('slot_closed', 409, 'This time is no longer offered. Choose another time.');

function staffRefusal(staff: StaffActor, what: string, districtId: number, ip: string, id: number) {
  return new AuditedRefusal(notFound(what), {
    actor: { kind: 'staff', id: staff.userId },
    action: `${what.toLowerCase().replace(/ /g, '_')}.read.denied`,
    subject: { kind: what.toLowerCase().replace(/ /g, '_'), id },
    districtId,
    ip,
  });
}

// ------------------------------------------------------------ offices and schedules

export async function officeOrFail(db: DbOrTrx, id: number): Promise<Office> {
  const office = await officeById(db, id);
  if (!office) throw notFound('Office');
  return office;
}

/** An office a staff member works with: outside their districts it does not exist for them. */
export async function officeForStaff(db: DbOrTrx, staff: StaffActor, id: number): Promise<Office> {
  const office = await officeOrFail(db, id);
  if (!inScope(scopeOf(staff), office.district_id)) throw notFound('Office');
  return office;
}

/** Offices of the staff member's districts (every office for region-wide roles). */
export async function officesForStaff(db: DbOrTrx, staff: StaffActor): Promise<Office[]> {
  const scope = scopeOf(staff);
  return await listOffices(db, scope.all ? {} : { districtIds: scope.districtIds });
}

/** The office's schedule, created from its opening hours (with one desk serving everything) the first time. */
export async function ensureSchedule(trx: Trx, officeId: number) {
  const existing = await repo.findSchedule(trx, officeId);
  if (existing) return existing;
  const office = await officeOrFail(trx, officeId);
  const created = await repo.insertScheduleIfMissing(trx, officeId, daysFromOfficeHours(office.hours), {
    slot_minutes: DEFAULT_SLOT_MINUTES,
    priority_share: DEFAULT_PRIORITY_SHARE,
    days_ahead: DEFAULT_DAYS_AHEAD,
  });
  if (created && (await repo.desksOf(trx, officeId)).length === 0)
    await repo.insertDesk(trx, officeId, 'Окно 1', []);
  return (await repo.findSchedule(trx, officeId))!;
}

export async function scheduleOf(trx: Trx, staff: StaffActor, officeId: number) {
  const office = await officeForStaff(trx, staff, officeId);
  const schedule = await ensureSchedule(trx, officeId);
  const [desks, lengths, measureIds] = await Promise.all([
    repo.desksOf(trx, officeId),
    repo.slotLengths(trx, officeId),
    measureIdsOfOffice(trx, officeId),
  ]);
  const measures = await measureRefs(trx, { ids: measureIds });
  const open = await repo.slotCounts(trx, officeId);
  return { office, schedule, desks, lengths, measures, openSlots: Number(open.n) };
}

export interface ScheduleInput {
  days: ScheduleDays;
  slotMinutes: number;
  priorityShare: number;
  daysAhead: number;
  version: number;
}

/** Reopens the office's slots after a change (debounced per office by the job key). */
async function reopen(trx: Trx, officeId: number) {
  await enqueue(trx, OPEN_SLOTS_TASK, { officeId }, { jobKey: `${OPEN_SLOTS_TASK}:${officeId}` });
}

export async function saveSchedule(
  trx: Trx,
  staff: StaffActor,
  officeId: number,
  s: ScheduleInput,
  ctx: Ctx,
) {
  const office = await officeForStaff(trx, staff, officeId);
  await ensureSchedule(trx, officeId);
  const fields: Record<string, string> = {};
  for (const wd of WEEKDAYS) {
    const day = s.days[wd];
    const problem = day ? dayProblem(day) : undefined;
    if (problem) fields[`day${wd}`] = `reception.schedule.error.${problem}`;
  }
  if (!Number.isInteger(s.slotMinutes) || s.slotMinutes < 5 || s.slotMinutes > 240)
    fields.slot_minutes = 'reception.schedule.error.minutes';
  if (!Number.isInteger(s.priorityShare) || s.priorityShare < 0 || s.priorityShare > 100)
    fields.priority_share = 'reception.schedule.error.share';
  if (!Number.isInteger(s.daysAhead) || s.daysAhead < 1 || s.daysAhead > 60)
    fields.days_ahead = 'reception.schedule.error.daysAhead';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const updated = await repo.updateSchedule(
    trx,
    officeId,
    s.version,
    { days: s.days, slot_minutes: s.slotMinutes, priority_share: s.priorityShare, days_ahead: s.daysAhead },
    staff.userId,
  );
  if (!updated)
    throw new AppError(
      'stale_schedule',
      409,
      'Someone else changed this schedule while you were editing it. Reload it, then make your change again.',
    );
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'reception.schedule.changed',
    subject: { kind: 'office', id: officeId },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { slotMinutes: s.slotMinutes, priorityShare: s.priorityShare, daysAhead: s.daysAhead },
  });
  await reopen(trx, officeId);
}

export async function addDesk(
  trx: Trx,
  staff: StaffActor,
  officeId: number,
  d: { name: string; measureIds: number[] },
  ctx: Ctx,
): Promise<number> {
  const office = await officeForStaff(trx, staff, officeId);
  await ensureSchedule(trx, officeId);
  const name = d.name.trim();
  if (!name || name.length > 60) throw new ValidationError({ desk_name: 'reception.desk.error.name' });
  const served = await measureIdsOfOffice(trx, officeId);
  if (d.measureIds.some((id) => !served.includes(id)))
    throw new ValidationError({ desk_measures: 'reception.desk.error.measures' });
  if ((await repo.desksOf(trx, officeId)).some((x) => x.name.toLowerCase() === name.toLowerCase()))
    throw new ValidationError({ desk_name: 'reception.desk.error.taken' });
  const id = await repo.insertDesk(trx, officeId, name, d.measureIds);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'reception.desk.added',
    subject: { kind: 'office', id: officeId },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { desk: id, name, measures: d.measureIds },
  });
  await reopen(trx, officeId);
  return id;
}

export async function removeDesk(trx: Trx, staff: StaffActor, officeId: number, deskId: number, ctx: Ctx) {
  const office = await officeForStaff(trx, staff, officeId);
  if (!(await repo.deactivateDesk(trx, officeId, deskId))) throw notFound('Desk');
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'reception.desk.removed',
    subject: { kind: 'office', id: officeId },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { desk: deskId },
  });
  await reopen(trx, officeId);
}

/** A measure's own slot length at an office; null returns it to the office default. */
export async function setSlotLength(
  trx: Trx,
  staff: StaffActor,
  officeId: number,
  measureId: number,
  minutes: number | null,
  ctx: Ctx,
) {
  const office = await officeForStaff(trx, staff, officeId);
  if (!(await measureIdsOfOffice(trx, officeId)).includes(measureId)) throw notFound('Measure');
  if (minutes !== null && (!Number.isInteger(minutes) || minutes < 5 || minutes > 240))
    throw new ValidationError({ [`length_${measureId}`]: 'reception.schedule.error.minutes' });
  await repo.setSlotLength(trx, officeId, measureId, minutes);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'reception.slot_length.changed',
    subject: { kind: 'office', id: officeId },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { measure: measureId, minutes },
  });
  await reopen(trx, officeId);
}

// ------------------------------------------------------------ slots

/**
 * Materialises slots for one office or every office that serves something: today to `days_ahead`
 * working days on, by desk; each office in its own transaction under an advisory lock. Idempotent.
 */
export async function openSlots(
  db: Db,
  o: { officeId?: number; now?: Date } = {},
): Promise<{ offices: number; upserted: number; closed: number }> {
  const now = o.now ?? new Date();
  const today = regionToday(now);
  const ids = o.officeId ? [o.officeId] : (await listOffices(db)).map((x) => x.id);
  let upserted = 0;
  let closed = 0;
  let offices = 0;
  for (const officeId of ids) {
    await db.transaction().execute(async (trx) => {
      const officeMeasures = await measureIdsOfOffice(trx, officeId);
      if (officeMeasures.length === 0) return;
      await repo.lockOfficeSlots(trx, officeId);
      const s = await ensureSchedule(trx, officeId);
      const [desks, lengths] = await Promise.all([
        repo.desksOf(trx, officeId),
        repo.slotLengths(trx, officeId),
      ]);
      const plan = planSlots(
        { days: s.days, priorityShare: s.priority_share },
        desks.map((d) => ({
          id: d.id,
          minutes: deskMinutes(d.measure_ids, officeMeasures, s.slot_minutes, lengths),
        })),
        today,
        horizonOf(today, s.days_ahead),
      ).filter((r) => r.startsAt > now);
      upserted += await repo.upsertSlots(trx, officeId, plan);
      closed += await repo.closeSlotsNotIn(trx, officeId, now, plan);
      offices++;
    });
  }
  return { offices, upserted, closed };
}

/**
 * An office that has never had a schedule (a fresh installation before the first nightly run) gets
 * its default schedule and slots when someone first wants to book there.
 */
export async function openSlotsIfNeverOpened(db: Db, officeId: number): Promise<void> {
  if (await repo.findSchedule(db, officeId)) return;
  await openSlots(db, { officeId });
}

/** Whether the person is served first for this measure (and may take reserved slots). */
export async function hasPriority(db: DbOrTrx, personId: number, measureId: number): Promise<boolean> {
  const [person, measure] = await Promise.all([
    personEssentials(db, personId),
    measureForApplication(db, { id: measureId }),
  ]);
  return priorityReasons(person, measure.priorityCategories).length > 0;
}

export interface FreeTime {
  slotId: number;
  startsAt: Date;
  endsAt: Date;
  day: string;
  time: string;
  reserved: boolean;
}

/**
 * Free times at an office for a measure and person, from now to `DEFAULT_DAYS_AHEAD` working days
 * ahead: one per start time. Reserved slots are offered to priority residents, and to everyone
 * for today and tomorrow.
 */
export async function freeTimes(
  db: DbOrTrx,
  q: { officeId: number; measureId: number; personId: number; day?: string },
  now = new Date(),
): Promise<FreeTime[]> {
  const today = regionToday(now);
  const priority = await hasPriority(db, q.personId, q.measureId);
  const from = q.day ? regionInstant(q.day, '00:00') : now;
  const to = q.day
    ? regionInstant(addDays(q.day, 1), '00:00')
    : regionInstant(addDays(addWorkingDays(today, DEFAULT_DAYS_AHEAD), 1), '00:00');
  const rows = await repo.freeSlots(db, {
    officeId: q.officeId,
    measureId: q.measureId,
    from: from > now ? from : now,
    to,
    priority,
    reservedOpenBefore: regionInstant(addDays(today, 2), '00:00'),
  });
  const seen = new Set<number>();
  const times: FreeTime[] = [];
  for (const r of rows) {
    if (seen.has(r.starts_at.getTime())) continue;
    seen.add(r.starts_at.getTime());
    const clock = regionClock(r.starts_at);
    times.push({
      slotId: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      day: clock.date,
      time: clock.time,
      reserved: r.reserved_for_priority,
    });
  }
  return times;
}

/** Days with free times and how many, for the "choose a day" page. */
export function daysOf(times: FreeTime[]): { day: string; free: number }[] {
  const counts = new Map<string, number>();
  for (const t of times) counts.set(t.day, (counts.get(t.day) ?? 0) + 1);
  return [...counts].map(([day, free]) => ({ day, free }));
}

/**
 * Offices serving a measure, nearest first: the person's own district (its social protection
 * centre, then MFC offices, by name), then every other district's offices by district name.
 */
export async function officesForBooking(
  db: DbOrTrx,
  measureId: number,
  districtId: number,
  locale: 'ru' | 'en' = 'ru',
) {
  const serving = new Set((await officesServing(db, measureId)).map((o) => o.id));
  const all = await listOffices(db);
  const name = (o: Office, ru: string, en: string) => (locale === 'ru' ? ru : en) || o.name_ru;
  return all
    .filter((o) => serving.has(o.id))
    .sort((a, b) => {
      const own = Number(b.district_id === districtId) - Number(a.district_id === districtId);
      if (own) return own;
      const district = name(a, a.district_ru, a.district_en).localeCompare(
        name(b, b.district_ru, b.district_en),
      );
      if (district) return district;
      if (a.kind !== b.kind) return a.kind === 'social_protection_centre' ? -1 : 1;
      return name(a, a.name_ru, a.name_en).localeCompare(name(b, b.name_ru, b.name_en));
    });
}

// ------------------------------------------------------------ booking, moving, cancelling

export interface BookingRequest {
  personId: number;
  slotId: number;
  measureId: number;
  channel: AppointmentChannel;
  /** From the check-answers form, so a double submit books once. */
  key: string;
  /** Set when staff book on the resident's behalf (phone or desk). */
  staff?: StaffActor;
}

/** A unique violation of one of our indexes as the refusal a person understands. */
function conflict(error: unknown): unknown {
  const e = error as { code?: string; constraint?: string } | null;
  if (e?.code !== '23505') return error;
  if (e.constraint === 'appointments_slot_live') return slotTaken();
  if (e.constraint === 'appointments_person_measure_live')
    return new AppError(
      'already_booked',
      409,
      'You already have an appointment for this measure. Move or cancel it instead of booking another.',
    );
  return error;
}

interface CheckedSlot {
  slot: NonNullable<Awaited<ReturnType<typeof repo.findSlot>>>;
  day: string;
  priority: boolean;
  measure: { title_ru: string; title_en: string };
}

/** Everything a slot must satisfy before it is booked for this person and measure. */
async function checkSlot(
  trx: Trx,
  slotId: number,
  personId: number,
  measureId: number,
  now: Date,
): Promise<CheckedSlot> {
  const slot = await repo.findSlot(trx, slotId);
  if (!slot?.is_open || !slot.desk_active) throw slotGone();
  if (slot.starts_at <= now)
    throw new AppError('slot_in_past', 422, 'This time has already passed. Choose a time in the future.');
  const measure = await measureForApplication(trx, { id: measureId });
  if (!measure.is_active || !measure.channels.includes('in_person'))
    throw new AppError('not_in_person', 422, 'This measure is not dealt with at a personal reception.');
  const served = await measureIdsOfOffice(trx, slot.office_id);
  if (!served.includes(measureId) || (slot.measure_ids.length > 0 && !slot.measure_ids.includes(measureId)))
    throw new AppError('slot_wrong_measure', 422, 'This time is for other measures. Choose another time.');
  const person = await personEssentials(trx, personId);
  const priority = priorityReasons(person, measure.priorityCategories).length > 0;
  const day = regionClock(slot.starts_at).date;
  if (slot.reserved_for_priority && !priority && day > addDays(regionToday(now), 1))
    throw new AppError(
      'slot_reserved',
      403,
      'This time is kept for people served first (disability, veterans, large families) until the day before. Choose another time.',
    );
  return { slot, day, priority, measure };
}

/** What the notification templates need: {date}, {time}, {office}, {address}, {measure}. */
async function noticeParams(
  db: DbOrTrx,
  a: { id: number; office_id: number; measure_id: number; starts_at: Date },
  known?: { title_ru: string; title_en: string },
) {
  const office = await officeOrFail(db, a.office_id);
  const measure = known ?? (await measureRefs(db, { ids: [a.measure_id] }))[0];
  const { date, time } = regionClock(a.starts_at);
  return {
    appointment_id: a.id,
    date,
    time,
    office_ru: office.name_ru,
    office_en: office.name_en,
    address_ru: office.address_ru,
    address_en: office.address_en,
    phone: office.phone,
    measure_ru: measure?.title_ru ?? '',
    measure_en: measure?.title_en ?? '',
  };
}

/** The reminder at 10:00 the day before; none when that moment has passed (booked for today or tomorrow). */
async function scheduleReminder(trx: Trx, appointmentId: number, day: string, now: Date) {
  const runAt = regionInstant(addDays(day, -1), REMINDER_TIME);
  if (runAt <= now) return;
  await enqueue(trx, REMIND_TASK, { appointmentId }, { runAt, jobKey: `${REMIND_TASK}:${appointmentId}` });
}

export async function book(trx: Trx, r: BookingRequest, ctx: Ctx): Promise<number> {
  if (!KEY.test(r.key)) throw new AppError('booking_key', 422, 'The form is out of date; open it again');
  const key = r.staff ? `staff:${r.staff.userId}:${r.key}` : `person:${r.personId}:${r.key}`;
  const earlier = await repo.appointmentIdByKey(trx, key);
  if (earlier) return earlier;
  const now = nowOf(ctx);
  const { slot, day, priority, measure } = await checkSlot(trx, r.slotId, r.personId, r.measureId, now);
  let id: number | undefined;
  // A savepoint, so that when the same confirmation raced itself and lost the slot, we can still
  // look for the booking it lost to.
  await repo.savepoint(trx);
  try {
    id = await repo.insertAppointment(trx, {
      slot_id: slot.id,
      office_id: slot.office_id,
      day,
      person_id: r.personId,
      measure_id: r.measureId,
      channel: r.channel,
      priority,
      created_by_staff: r.staff?.userId ?? null,
      booking_key: key,
    });
  } catch (error) {
    await repo.rollbackToSavepoint(trx);
    const mine = await repo.appointmentIdByKey(trx, key);
    if (mine) return mine;
    throw conflict(error);
  }
  if (id === undefined) return (await repo.appointmentIdByKey(trx, key))!;
  await scheduleReminder(trx, id, day, now);
  const params = await noticeParams(
    trx,
    { id, office_id: slot.office_id, measure_id: r.measureId, starts_at: slot.starts_at },
    measure,
  );
  await notify(trx, { personId: r.personId, event: 'appointment_booked', params });
  if (r.staff)
    await record(trx, {
      actor: { kind: 'staff', id: r.staff.userId },
      action: 'appointment.booked',
      subject: { kind: 'appointment', id },
      districtId: (await officeOrFail(trx, slot.office_id)).district_id,
      ip: ctx.ip,
      details: { person: r.personId, slot: slot.id, channel: r.channel },
    });
  return id;
}

export type Who = ResidentActor | StaffActor;

/** The appointment as its resident (their own only) or staff of the office's district see it. */
async function appointmentFor(db: DbOrTrx, who: Who, id: number, ctx: Ctx): Promise<Appointment> {
  const a = await repo.findAppointment(db, id);
  if (!a) throw notFound('Appointment');
  if (who.kind === 'resident') {
    if (a.person_id !== who.personId) throw notFound('Appointment');
    return a;
  }
  const office = await officeOrFail(db, a.office_id);
  if (!inScope(scopeOf(who), office.district_id))
    throw staffRefusal(who, 'Appointment', office.district_id, ctx.ip, id);
  return a;
}

export async function appointmentOfResident(db: DbOrTrx, resident: ResidentActor, id: number) {
  return await appointmentFor(db, resident, id, { ip: '' });
}

export async function appointmentForStaff(trx: Trx, staff: StaffActor, id: number, ctx: Ctx) {
  return await appointmentFor(trx, staff, id, ctx);
}

export const appointmentsOfPerson = repo.appointmentsOfPerson;
export const appointmentIdByKey = repo.appointmentIdByKey;

/** Moves a booked appointment to another free slot; the old slot is free at once. */
export async function move(trx: Trx, who: Who, id: number, version: number, slotId: number, ctx: Ctx) {
  const a = await appointmentFor(trx, who, id, ctx);
  if (a.status !== 'booked')
    throw new AppError('not_movable', 409, 'Only a booked appointment can be moved.');
  if (a.slot_id === slotId) return;
  const now = nowOf(ctx);
  const { slot, day, measure } = await checkSlot(trx, slotId, a.person_id, a.measure_id, now);
  let updated: Awaited<ReturnType<typeof repo.updateAppointment>>;
  try {
    updated = await repo.updateAppointment(
      trx,
      id,
      version,
      { slot_id: slot.id, office_id: slot.office_id, day, reminded_at: null },
      ['booked'],
    );
  } catch (error) {
    throw conflict(error);
  }
  if (!updated) throw stale();
  await scheduleReminder(trx, id, day, now);
  const params = await noticeParams(
    trx,
    { ...a, office_id: slot.office_id, starts_at: slot.starts_at },
    measure,
  );
  await notify(trx, { personId: a.person_id, event: 'appointment_moved', params });
  if (who.kind === 'staff') await staffStep(trx, who, a, 'appointment.moved', ctx, { slot: slot.id });
}

export async function cancel(trx: Trx, who: Who, id: number, version: number, ctx: Ctx) {
  const a = await appointmentFor(trx, who, id, ctx);
  if (a.status !== 'booked')
    throw new AppError('not_cancellable', 409, 'Only a booked appointment can be cancelled.');
  const updated = await repo.updateAppointment(
    trx,
    id,
    version,
    { status: 'cancelled', cancelled_at: nowOf(ctx) },
    ['booked'],
  );
  if (!updated) throw stale();
  await notify(trx, {
    personId: a.person_id,
    event: 'appointment_cancelled',
    params: await noticeParams(trx, a),
  });
  if (who.kind === 'staff') await staffStep(trx, who, a, 'appointment.cancelled', ctx);
}

/** The reminder task: once, and only for an appointment still booked and still ahead. */
export async function remind(db: Db, appointmentId: number, now = new Date()): Promise<boolean> {
  return await db.transaction().execute(async (trx) => {
    const a = await repo.findAppointment(trx, appointmentId);
    if (!a || a.starts_at <= now) return false;
    if (!(await repo.claimReminder(trx, appointmentId))) return false;
    await notify(trx, {
      personId: a.person_id,
      event: 'appointment_reminder',
      params: await noticeParams(trx, a),
    });
    return true;
  });
}

/** The end-of-day task: appointments still "booked" after their time become no-shows. */
export async function markNoShows(db: Db, now = new Date()): Promise<number> {
  return await repo.markNoShows(db, now);
}

// ------------------------------------------------------------ the reception day

async function staffStep(
  trx: Trx,
  staff: StaffActor,
  a: Pick<Appointment, 'id' | 'office_id' | 'person_id'>,
  action: string,
  ctx: Ctx,
  details: Record<string, unknown> = {},
) {
  const office = await officeOrFail(trx, a.office_id);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action,
    subject: { kind: 'appointment', id: a.id },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { person: a.person_id, ...details },
  });
}

/** A day's list at an office with the residents' names: a staff read of personal data, audited. */
export async function dayList(trx: Trx, staff: StaffActor, officeId: number, day: string, ctx: Ctx) {
  const office = await officeOrFail(trx, officeId);
  if (!inScope(scopeOf(staff), office.district_id))
    throw staffRefusal(staff, 'Office', office.district_id, ctx.ip, officeId);
  const appointments = await repo.dayAppointments(trx, officeId, day);
  const [names, measures, desks] = await Promise.all([
    personNames(
      trx,
      appointments.map((a) => a.person_id),
    ),
    measureRefs(trx, { ids: [...new Set(appointments.map((a) => a.measure_id))] }),
    repo.desksOf(trx, officeId),
  ]);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'reception.day.read',
    subject: { kind: 'office', id: officeId },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { day, appointments: appointments.length },
  });
  return { office, appointments, names, measures: new Map(measures.map((m) => [m.id, m])), desks };
}

const today = (ctx: Ctx) => regionToday(nowOf(ctx));

/** Check-in on the day: the resident gets a ticket number (A-001, A-002… per office and day). */
export async function checkIn(trx: Trx, staff: StaffActor, id: number, version: number, ctx: Ctx) {
  const a = await appointmentFor(trx, staff, id, ctx);
  if (a.status !== 'booked')
    throw new AppError('not_booked', 409, 'Only a booked appointment can be checked in.');
  if (a.day !== today(ctx)) throw new AppError('not_today', 409, 'Check-in is only possible on the day.');
  await repo.lockOfficeTickets(trx, a.office_id);
  const n = (await repo.ticketsIssued(trx, a.office_id, a.day)) + 1;
  const ticket = `A-${String(n).padStart(3, '0')}`;
  const updated = await repo.updateAppointment(
    trx,
    id,
    version,
    { status: 'checked_in', ticket, checked_in_at: nowOf(ctx) },
    ['booked'],
  );
  if (!updated) throw stale();
  await staffStep(trx, staff, a, 'appointment.checked_in', ctx, { ticket });
  return ticket;
}

/** "Call next" at a desk: the next checked-in person it serves, priority first, then booked time. */
export async function callNext(
  trx: Trx,
  staff: StaffActor,
  officeId: number,
  deskId: number,
  ctx: Ctx,
): Promise<number | undefined> {
  const office = await officeForStaff(trx, staff, officeId);
  const desk = await repo.findDesk(trx, deskId);
  if (!desk || desk.office_id !== office.id || !desk.is_active) throw notFound('Desk');
  const next = await repo.nextCheckedIn(
    trx,
    officeId,
    today(ctx),
    desk.measure_ids.length > 0 ? desk.measure_ids : 'all',
  );
  if (!next) return undefined;
  const updated = await repo.updateAppointment(
    trx,
    next.id,
    next.version,
    { status: 'called', desk_id: deskId, called_at: nowOf(ctx) },
    ['checked_in'],
  );
  if (!updated) throw stale();
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'appointment.called',
    subject: { kind: 'appointment', id: next.id },
    districtId: office.district_id,
    ip: ctx.ip,
    details: { desk: deskId },
  });
  return next.id;
}

export async function markServed(trx: Trx, staff: StaffActor, id: number, version: number, ctx: Ctx) {
  const a = await appointmentFor(trx, staff, id, ctx);
  const updated = await repo.updateAppointment(
    trx,
    id,
    version,
    { status: 'served', served_at: nowOf(ctx) },
    ['checked_in', 'called'],
  );
  if (!updated) throw stale();
  await staffStep(trx, staff, a, 'appointment.served', ctx);
}

export async function markNoShow(trx: Trx, staff: StaffActor, id: number, version: number, ctx: Ctx) {
  const a = await appointmentFor(trx, staff, id, ctx);
  const updated = await repo.updateAppointment(trx, id, version, { status: 'no_show' }, LIVE);
  if (!updated) throw stale();
  await staffStep(trx, staff, a, 'appointment.no_show', ctx);
}

/** Links the application registered at the desk to the appointment; it must be the same person's. */
export async function attachApplication(
  trx: Trx,
  staff: StaffActor,
  id: number,
  version: number,
  applicationId: number,
  ctx: Ctx,
) {
  const a = await appointmentFor(trx, staff, id, ctx);
  const application = await applicationForStaff(trx, staff, applicationId, ctx);
  if (application.person_id !== a.person_id)
    throw new ValidationError({ application: 'reception.attach.error.otherPerson' });
  const updated = await repo.updateAppointment(trx, id, version, { application_id: applicationId });
  if (!updated) throw stale();
  await staffStep(trx, staff, a, 'appointment.application_attached', ctx, { application: applicationId });
}

/** The hall screen: ticket numbers being called (with their desk) and waiting, never names. */
export async function queueBoard(db: DbOrTrx, officeId: number, now = new Date()) {
  const office = await officeOrFail(db, officeId);
  const tickets = await repo.queueTickets(db, officeId, regionToday(now));
  return {
    office,
    called: tickets.filter((t) => t.status === 'called').slice(0, 8),
    waiting: tickets.filter((t) => t.status === 'checked_in'),
  };
}

export const deskNames = repo.deskNames;

// ------------------------------------------------------------ field visits

export interface VisitPlan {
  districtId: number;
  visitOn: string;
  route: string;
  teamNote: string;
  settlementIds: number[];
}

export async function planVisit(trx: Trx, staff: StaffActor, v: VisitPlan, ctx: Ctx): Promise<number> {
  const fields: Record<string, string> = {};
  if (!inScope(scopeOf(staff), v.districtId)) fields.district = 'reception.visit.error.district';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.visitOn) || v.visitOn < today(ctx))
    fields.visit_on = 'reception.visit.error.date';
  if (!v.route.trim() || v.route.length > 2000) fields.route = 'reception.visit.error.route';
  if (v.teamNote.length > 2000) fields.team_note = 'reception.visit.error.note';
  const settlements = fields.district ? [] : await settlementsOfDistrict(trx, v.districtId);
  const ids = [...new Set(v.settlementIds)];
  if (ids.length === 0 || ids.some((id) => !settlements.some((s) => s.id === id)))
    fields.settlements = 'reception.visit.error.settlements';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const id = await repo.insertVisit(trx, {
    district_id: v.districtId,
    visit_on: v.visitOn,
    route: v.route.trim(),
    team_note: v.teamNote.trim(),
    settlement_ids: ids,
    created_by: staff.userId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'field_visit.planned',
    subject: { kind: 'field_visit', id },
    districtId: v.districtId,
    ip: ctx.ip,
    details: { on: v.visitOn, settlements: ids },
  });
  return id;
}

export async function visitsFor(db: DbOrTrx, staff: StaffActor, from: string) {
  const scope = scopeOf(staff);
  return await repo.visitsOfDistricts(db, scope.all ? 'all' : scope.districtIds, from);
}

async function visitInScope(trx: Trx, staff: StaffActor, id: number, ctx: Ctx, lock = false) {
  const visit = lock ? await repo.lockVisit(trx, id) : await repo.findVisit(trx, id);
  if (!visit) throw notFound('Field visit');
  if (!inScope(scopeOf(staff), visit.district_id))
    throw staffRefusal(staff, 'Field visit', visit.district_id, ctx.ip, id);
  return visit;
}

/** A visit with its signups and the residents' names: audited, since names are personal data. */
export async function visitForStaff(trx: Trx, staff: StaffActor, id: number, ctx: Ctx) {
  const visit = await visitInScope(trx, staff, id, ctx);
  const signups = await repo.signupsOf(trx, id);
  const [names, settlements, measures] = await Promise.all([
    personNames(
      trx,
      signups.map((s) => s.person_id),
    ),
    settlementsOfDistrict(trx, visit.district_id),
    measureRefs(trx, { ids: [...new Set(signups.map((s) => s.measure_id))] }),
  ]);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'field_visit.read',
    subject: { kind: 'field_visit', id },
    districtId: visit.district_id,
    ip: ctx.ip,
    details: { signups: signups.length },
  });
  return {
    visit,
    signups,
    names,
    settlements: settlements.filter((s) => visit.settlement_ids.includes(s.id)),
    measures: new Map(measures.map((m) => [m.id, m])),
  };
}

export interface SignupInput {
  personId: number;
  settlementId: number;
  measureId: number;
  atTime: string | null;
}

/** Signs a resident up for a visit (by phone, through staff); the order is the order of signing up. */
export async function addSignup(trx: Trx, staff: StaffActor, visitId: number, s: SignupInput, ctx: Ctx) {
  const visit = await visitInScope(trx, staff, visitId, ctx, true);
  const fields: Record<string, string> = {};
  if (!visit.settlement_ids.includes(s.settlementId)) fields.settlement = 'reception.signup.error.settlement';
  if (s.atTime !== null && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(s.atTime))
    fields.at_time = 'reception.signup.error.time';
  const measure = await measureForApplication(trx, { id: s.measureId }).catch(() => undefined);
  if (!measure?.is_active || !measure.channels.includes('in_person'))
    fields.measure = 'reception.signup.error.measure';
  const person = await personEssentials(trx, s.personId);
  if (person.district_id !== visit.district_id) fields.snils = 'reception.signup.error.otherDistrict';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  let id: number;
  try {
    id = await repo.insertSignup(trx, {
      visit_id: visitId,
      person_id: s.personId,
      settlement_id: s.settlementId,
      position: await repo.nextPosition(trx, visitId),
      at_time: s.atTime,
      measure_id: s.measureId,
      created_by_staff: staff.userId,
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new ValidationError({ snils: 'reception.signup.error.already' });
    throw error;
  }
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'field_visit.signup',
    subject: { kind: 'field_visit', id: visitId },
    districtId: visit.district_id,
    ip: ctx.ip,
    details: { person: s.personId, signup: id },
  });
  return id;
}

async function signupInScope(trx: Trx, staff: StaffActor, visitId: number, signupId: number, ctx: Ctx) {
  const visit = await visitInScope(trx, staff, visitId, ctx);
  const signup = await repo.findSignup(trx, signupId);
  if (!signup || signup.visit_id !== visit.id) throw notFound('Signup');
  return { visit, signup };
}

/** The application registered for a signup on the day of the visit: it must be the same person's. */
export async function attachSignupApplication(
  trx: Trx,
  staff: StaffActor,
  visitId: number,
  signupId: number,
  version: number,
  applicationId: number,
  ctx: Ctx,
) {
  const { visit, signup } = await signupInScope(trx, staff, visitId, signupId, ctx);
  const application = await applicationForStaff(trx, staff, applicationId, ctx);
  if (application.person_id !== signup.person_id)
    throw new ValidationError({ [`application-${signupId}`]: 'reception.attach.error.otherPerson' });
  if (
    !(await repo.updateSignup(trx, signupId, version, {
      status: 'registered',
      application_id: applicationId,
    }))
  )
    throw stale();
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'field_visit.application_attached',
    subject: { kind: 'field_visit', id: visit.id },
    districtId: visit.district_id,
    ip: ctx.ip,
    details: { signup: signupId, application: applicationId },
  });
}

export async function setSignupStatus(
  trx: Trx,
  staff: StaffActor,
  visitId: number,
  signupId: number,
  version: number,
  status: Extract<SignupStatus, 'no_show' | 'cancelled' | 'signed_up'>,
  ctx: Ctx,
) {
  const { visit } = await signupInScope(trx, staff, visitId, signupId, ctx);
  if (!(await repo.updateSignup(trx, signupId, version, { status }))) throw stale();
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: `field_visit.signup_${status}`,
    subject: { kind: 'field_visit', id: visit.id },
    districtId: visit.district_id,
    ip: ctx.ip,
    details: { signup: signupId },
  });
}

export const doubleBookedSlots = repo.doubleBookedSlots;
