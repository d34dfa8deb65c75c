// Personal reception through its service: slots follow the schedule, breaks, holidays, shortened days
// and the priority share; the database refuses a double booking under concurrency; reserved and past
// slots are refused; moving frees the old slot; the reminder goes out once; the reception day runs
// check-in → call next (priority first) → served; the no-show job; a field visit produces an application.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { registerAtCounter } from '../applications/applications.service.ts';
import { measureForApplication, measureIdsOfOffice } from '../catalog/catalog.service.ts';
import { districtIdsByCodes, listOffices, settlementsOfDistrict } from '../geography/geography.service.ts';
import { escapeText, foldLine, icsCalendar, parseIcs } from './reception.ics.ts';
import type { ScheduleDays } from './reception.schema.ts';
import * as svc from './reception.service.ts';
import { regionClock, regionInstant } from './reception.slots.ts';
import { receptionTasks } from './reception.tasks.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 400);
const ctx = { ip: '127.0.0.1' };
const [VOLGOGRAD] = await districtIdsByCodes(db, ['volgograd']);

const headId = await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']);
const specId = await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
const actor = (userId: number, role: StaffActor['role'], districtIds: number[]): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName: 'Test',
  role,
  districtIds,
  sessionId: 't',
});
const head = actor(headId, 'district_head', [VOLGOGRAD!]);
const specialist = actor(specId, 'specialist', [VOLGOGRAD!]);

// Two Volgograd centres: one for the slot arithmetic, one for booking.
const centres = (await listOffices(db, { districtIds: [VOLGOGRAD!] })).filter(
  (o) => o.kind === 'social_protection_centre',
);
const [SLOTS_OFFICE, BOOK_OFFICE] = [centres[0]!, centres[1]!];

/** Weekdays 09:00–13:00 with a break 11:00–11:30; closed at weekends. */
const WEEKDAYS_9_TO_1: ScheduleDays = {
  '1': { open: '09:00', close: '13:00', breaks: [['11:00', '11:30']] },
  '2': { open: '09:00', close: '13:00', breaks: [['11:00', '11:30']] },
  '3': { open: '09:00', close: '13:00', breaks: [['11:00', '11:30']] },
  '4': { open: '09:00', close: '13:00', breaks: [['11:00', '11:30']] },
  '5': { open: '09:00', close: '13:00', breaks: [['11:00', '11:30']] },
  '6': null,
  '7': null,
};

async function setSchedule(officeId: number, share = 20) {
  const version = await db.transaction().execute(async (trx) => {
    await svc.ensureSchedule(trx, officeId);
    return (await svc.scheduleOf(trx, head, officeId)).schedule.version;
  });
  await db
    .transaction()
    .execute((trx) =>
      svc.saveSchedule(
        trx,
        head,
        officeId,
        { days: WEEKDAYS_9_TO_1, slotMinutes: 15, priorityShare: share, daysAhead: 20, version },
        ctx,
      ),
    );
}

/** Slots of an office on a region day, in order. */
async function slotsOn(officeId: number, day: string) {
  return await db
    .selectFrom('slots')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('is_open', '=', true)
    .where('starts_at', '>=', regionInstant(day, '00:00'))
    .where('starts_at', '<', regionInstant(day, '23:59'))
    .orderBy('starts_at')
    .orderBy('desk_id')
    .execute();
}

const local = (d: Date) => regionClock(d).time;

// A Monday morning, 08:00 in Volgograd.
const NOW = new Date('2027-01-11T05:00:00Z');
const TODAY = '2027-01-11';

// The booking office: weekday schedule, 20 % reserved, slots from NOW on.
await setSchedule(BOOK_OFFICE.id);
await svc.openSlots(db, { officeId: BOOK_OFFICE.id, now: NOW });
const served = await measureIdsOfOffice(db, BOOK_OFFICE.id);
const MEASURE = await measureForApplication(db, { code: 'VETERAN-EDV' });
assert.ok(served.includes(MEASURE.id), 'the centre serves the veterans’ payment');
const OTHER_MEASURE_ID = served.find((id) => id !== MEASURE.id)!;

const used = new Set<number>();
/** Fresh persons of Volgograd: with a priority category for the measure, or with none. */
async function persons(
  kind: 'priority' | 'plain' | 'any',
  n = 1,
  districtId = VOLGOGRAD!,
): Promise<number[]> {
  let q = db.selectFrom('persons').select('id').where('district_id', '=', districtId);
  if (kind === 'priority') q = q.where(sql<boolean>`'labour_veteran' = any(categories)`);
  if (kind === 'plain')
    q = q.where(sql<boolean>`cardinality(categories) = 0`).where('disability_group', 'is', null);
  const rows = (await q.orderBy('id').execute()).filter((r) => !used.has(r.id)).slice(0, n);
  assert.equal(rows.length, n, `${n} ${kind} persons`);
  for (const r of rows) used.add(r.id);
  return rows.map((r) => r.id);
}

let keys = 0;
const key = () => `test-key-${++keys}-abcdef`;
const bookAs = (personId: number, slotId: number, o: { now?: Date; measureId?: number; k?: string } = {}) =>
  db.transaction().execute((trx) =>
    svc.book(
      trx,
      {
        personId,
        slotId,
        measureId: o.measureId ?? MEASURE.id,
        channel: 'portal',
        key: o.k ?? key(),
      },
      { ...ctx, now: o.now ?? NOW },
    ),
  );

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected a refusal');
}

/** Free slots of the booking office on a day (unreserved, or reserved ones), after NOW. */
async function freeSlots(day: string, reserved = false) {
  const live = new Set(
    (await db.selectFrom('appointments').select('slot_id').where('status', '<>', 'cancelled').execute()).map(
      (r) => r.slot_id,
    ),
  );
  return (await slotsOn(BOOK_OFFICE.id, day)).filter(
    (s) => s.reserved_for_priority === reserved && s.starts_at > NOW && !live.has(s.id),
  );
}
/** The earliest free unreserved slot of the booking office on a day. */
async function aSlot(day: string): Promise<number> {
  const free = await freeSlots(day);
  assert.ok(free.length > 0, `a free slot on ${day}`);
  return free[0]!.id;
}

const notifications = (personId: number, event: string) =>
  db
    .selectFrom('notifications as n')
    .innerJoin('notification_messages as m', 'm.id', 'n.message_id')
    .select(['m.params'])
    .where('n.person_id', '=', personId)
    .where('m.event', '=', event as never)
    .execute();

describe('slots', () => {
  test('follow the hours, breaks, holidays, shortened days and the priority share, and reopen idempotently', async () => {
    await setSchedule(SLOTS_OFFICE.id, 20);
    const before = new Date('2026-12-28T05:00:00Z'); // Monday 28 December 2026, 08:00
    const first = await svc.openSlots(db, { officeId: SLOTS_OFFICE.id, now: before });
    assert.ok(first.upserted > 0);

    // 31 December 2026 and 1–8 January 2027 are holidays: no reception, 4 January included.
    for (const day of ['2026-12-31', '2027-01-01', '2027-01-04', '2027-01-08'])
      assert.equal((await slotsOn(SLOTS_OFFICE.id, day)).length, 0, `no slots on ${day}`);
    // Weekends are closed by this schedule.
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-01-09')).length, 0);

    // An ordinary Monday: 09:00–11:00 and 11:30–13:00 in 15-minute slots, one desk: 8 + 6 = 14.
    const monday = await slotsOn(SLOTS_OFFICE.id, '2027-01-11');
    assert.equal(monday.length, 14);
    assert.equal(local(monday[0]!.starts_at), '09:00');
    assert.equal(local(monday.at(-1)!.ends_at), '13:00');
    assert.ok(
      monday.every((s) => local(s.ends_at) <= '11:00' || local(s.starts_at) >= '11:30'),
      'nothing during the break',
    );
    // 20 % of 14, rounded down, kept for priority categories, spread through the day.
    const reserved = monday.filter((s) => s.reserved_for_priority);
    assert.equal(reserved.length, 2);
    assert.ok(local(reserved[0]!.starts_at) < '11:00' && local(reserved[1]!.starts_at) >= '11:30');

    // Running the job again changes nothing.
    const again = await svc.openSlots(db, { officeId: SLOTS_OFFICE.id, now: before });
    assert.equal(again.upserted, 0);
    assert.equal(again.closed, 0);
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-01-11')).length, 14);

    // 30 April 2027 is a shortened pre-holiday Friday: reception ends an hour early, at 12:00.
    await svc.openSlots(db, { officeId: SLOTS_OFFICE.id, now: new Date('2027-04-26T05:00:00Z') });
    const shortened = await slotsOn(SLOTS_OFFICE.id, '2027-04-30');
    assert.equal(shortened.length, 10);
    assert.equal(local(shortened.at(-1)!.ends_at), '12:00');
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-04-29')).length, 14, 'the day before is a full day');
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-05-03')).length, 0, '3 May is a holiday');
  });

  test('a second desk for one measure doubles that measure’s times; a closed desk closes its slots', async () => {
    const deskId = await db
      .transaction()
      .execute((trx) =>
        svc.addDesk(trx, head, SLOTS_OFFICE.id, { name: 'Окно 2', measureIds: [MEASURE.id] }, ctx),
      );
    const before = new Date('2026-12-28T05:00:00Z');
    await svc.openSlots(db, { officeId: SLOTS_OFFICE.id, now: before });
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-01-11')).length, 28);
    const personId = (await persons('plain'))[0]!;
    const forMeasure = await svc.freeTimes(
      db,
      { officeId: SLOTS_OFFICE.id, measureId: MEASURE.id, personId, day: '2027-01-12' },
      before,
    );
    const forOther = await svc.freeTimes(
      db,
      { officeId: SLOTS_OFFICE.id, measureId: OTHER_MEASURE_ID, personId, day: '2027-01-12' },
      before,
    );
    // One time per start (both desks offer 09:00, shown once); the two reserved times are not offered
    // to this resident. The other measure is offered by the first desk only.
    assert.equal(forMeasure.length, 12);
    const deskOf = new Map((await slotsOn(SLOTS_OFFICE.id, '2027-01-12')).map((x) => [x.id, x.desk_id]));
    assert.equal(forOther.length, 12);
    assert.ok(forOther.every((t) => deskOf.get(t.slotId) !== deskId));
    await db.transaction().execute((trx) => svc.removeDesk(trx, head, SLOTS_OFFICE.id, deskId, ctx));
    const after = await svc.openSlots(db, { officeId: SLOTS_OFFICE.id, now: before });
    assert.ok(after.closed > 0);
    assert.equal((await slotsOn(SLOTS_OFFICE.id, '2027-01-11')).length, 14);
  });

  test('a schedule with a break outside its hours is refused with a field error', async () => {
    const version = (await db.transaction().execute((trx) => svc.scheduleOf(trx, head, SLOTS_OFFICE.id)))
      .schedule.version;
    const days = { ...WEEKDAYS_9_TO_1, '1': { open: '09:00', close: '13:00', breaks: [['14:00', '15:00']] } };
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          svc.saveSchedule(
            trx,
            head,
            SLOTS_OFFICE.id,
            { days: days as ScheduleDays, slotMinutes: 15, priorityShare: 20, daysAhead: 20, version },
            ctx,
          ),
        ),
      (e: unknown) => e instanceof ValidationError && e.fields.day1 === 'reception.schedule.error.break',
    );
  });
});

describe('booking', () => {
  test('twenty residents booking the same slot at once: exactly one gets it, the rest are told it is taken', async () => {
    const slotId = await aSlot('2027-01-13');
    const people = await persons('plain', 20);
    const outcomes = await Promise.allSettled(people.map((personId) => bookAs(personId, slotId)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 19);
    for (const l of lost) assert.equal((l.reason as AppError).code, 'slot_taken');
    const live = await db
      .selectFrom('appointments')
      .select(['person_id'])
      .where('slot_id', '=', slotId)
      .where('status', '<>', 'cancelled')
      .execute();
    assert.equal(live.length, 1);
    assert.equal(await svc.doubleBookedSlots(db), 0);
    // The winner was told; nobody else was.
    const winner = live[0]!.person_id;
    assert.equal((await notifications(winner, 'appointment_booked')).length, 1);
    for (const p of people.filter((x) => x !== winner))
      assert.equal((await notifications(p, 'appointment_booked')).length, 0);
  });

  test('a reserved slot is for priority residents until the day before, then for everyone', async () => {
    const reserved = (await freeSlots('2027-01-14', true))[0]!;
    const [plain] = await persons('plain');
    const [veteran] = await persons('priority');
    assert.equal(await refusal(bookAs(plain!, reserved.id)), 'slot_reserved');
    // Not even offered to them.
    const offered = await svc.freeTimes(
      db,
      { officeId: BOOK_OFFICE.id, measureId: MEASURE.id, personId: plain!, day: '2027-01-14' },
      NOW,
    );
    assert.ok(offered.every((t) => !t.reserved && t.slotId !== reserved.id));
    const id = await bookAs(veteran!, reserved.id);
    assert.ok(id > 0);
    // The day before, an unbooked reserved slot is open to anyone.
    const tomorrow = (await freeSlots('2027-01-12', true))[0]!;
    assert.ok((await bookAs(plain!, tomorrow.id)) > 0);
  });

  test('a slot in the past is refused; so is a second live appointment for the same measure', async () => {
    const [personId] = await persons('plain');
    const slotId = await aSlot('2027-01-15');
    const slot = await db.selectFrom('slots').selectAll().where('id', '=', slotId).executeTakeFirstOrThrow();
    assert.equal(
      await refusal(bookAs(personId!, slotId, { now: new Date(slot.starts_at.getTime() + 60_000) })),
      'slot_in_past',
    );
    await bookAs(personId!, slotId);
    assert.equal(await refusal(bookAs(personId!, await aSlot('2027-01-15'))), 'already_booked');
    // Another measure is fine.
    assert.ok((await bookAs(personId!, await aSlot('2027-01-15'), { measureId: OTHER_MEASURE_ID })) > 0);
  });

  test('the same confirmation sent twice books once', async () => {
    const [personId] = await persons('plain');
    const slotId = await aSlot('2027-01-18');
    const k = key();
    const [a, b] = await Promise.all([bookAs(personId!, slotId, { k }), bookAs(personId!, slotId, { k })]);
    assert.equal(a, b);
    assert.equal(await bookAs(personId!, slotId, { k }), a);
    const rows = await db
      .selectFrom('appointments')
      .select('id')
      .where('person_id', '=', personId!)
      .execute();
    assert.equal(rows.length, 1);
  });

  test('moving frees the old slot for someone else; cancelling frees it too', async () => {
    const [personId, other] = await persons('plain', 2);
    const oldSlot = await aSlot('2027-01-19');
    const id = await bookAs(personId!, oldSlot);
    const newSlot = await aSlot('2027-01-19');
    const resident = { kind: 'resident' as const, accountId: 0, personId: personId!, sessionId: 's' };
    const before = await svc.appointmentOfResident(db, resident, id);
    await db
      .transaction()
      .execute((trx) => svc.move(trx, resident, id, before.version, newSlot, { ...ctx, now: NOW }));
    const moved = await svc.appointmentOfResident(db, resident, id);
    assert.equal(moved.slot_id, newSlot);
    assert.equal((await notifications(personId!, 'appointment_moved')).length, 1);
    // The old time is offered again and someone else books it.
    const offered = await svc.freeTimes(
      db,
      { officeId: BOOK_OFFICE.id, measureId: MEASURE.id, personId: other!, day: '2027-01-19' },
      NOW,
    );
    assert.ok(offered.some((t) => t.slotId === oldSlot));
    assert.ok((await bookAs(other!, oldSlot)) > 0);
    // A stale version is refused; the current one cancels.
    assert.equal(
      await refusal(db.transaction().execute((trx) => svc.cancel(trx, resident, id, before.version, ctx))),
      'stale_appointment',
    );
    await db.transaction().execute((trx) => svc.cancel(trx, resident, id, moved.version, ctx));
    assert.equal((await svc.appointmentOfResident(db, resident, id)).status, 'cancelled');
    assert.equal((await notifications(personId!, 'appointment_cancelled')).length, 1);
    assert.ok((await bookAs(other!, newSlot, { measureId: OTHER_MEASURE_ID })) > 0, 'the slot is free again');
  });

  test('the reminder is queued for 10:00 the day before and sent once, however often the task runs', async () => {
    const [personId] = await persons('plain');
    const slotId = await aSlot('2027-01-20');
    const id = await bookAs(personId!, slotId);
    const job = await sql<{ run_at: Date }>`
      select run_at from graphile_worker.jobs where task_identifier = 'reception:remind' and key = ${`reception:remind:${id}`}`.execute(
      db,
    );
    assert.equal(job.rows.length, 1);
    assert.deepEqual(regionClock(job.rows[0]!.run_at), { date: '2027-01-19', time: '10:00' });
    const task = receptionTasks(db)['reception:remind']!;
    const helpers = { logger: { info() {} } } as never;
    await task({ appointmentId: id }, helpers);
    await task({ appointmentId: id }, helpers);
    const sent = await notifications(personId!, 'appointment_reminder');
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.params as Record<string, string>).date, '2027-01-20');
    // A cancelled appointment is not reminded.
    const [other] = await persons('plain');
    const second = await bookAs(other!, await aSlot('2027-01-20'));
    const resident = { kind: 'resident' as const, accountId: 0, personId: other!, sessionId: 's' };
    const a = await svc.appointmentOfResident(db, resident, second);
    await db.transaction().execute((trx) => svc.cancel(trx, resident, second, a.version, ctx));
    await task({ appointmentId: second }, helpers);
    assert.equal((await notifications(other!, 'appointment_reminder')).length, 0);
  });
});

describe('the ics file', () => {
  test('is a valid calendar: folded lines, escaped text, UTC times', () => {
    const text = icsCalendar({
      uid: 'appointment-7@opora.test',
      sequence: 2,
      start: new Date('2027-01-20T06:15:00Z'),
      end: new Date('2027-01-20T06:30:00Z'),
      summary: 'Личный приём: ежемесячная денежная выплата ветеранам труда; справка, копия',
      location: 'Волгоград, ул. Мира, д. 12',
      description: 'Строка 1\nСтрока 2',
      stamp: new Date('2027-01-11T05:00:00Z'),
    });
    assert.ok(text.endsWith('\r\n'));
    for (const line of text.split('\r\n'))
      assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `folded: ${line}`);
    const lines = parseIcs(text);
    const names = lines.map(([n]) => n);
    assert.deepEqual(
      names.filter((n) => n === 'BEGIN' || n === 'END'),
      ['BEGIN', 'BEGIN', 'END', 'END'],
    );
    const get = (n: string) => lines.find(([k]) => k === n)?.[1];
    assert.equal(get('BEGIN'), 'VCALENDAR');
    assert.equal(get('VERSION'), '2.0');
    assert.equal(get('UID'), 'appointment-7@opora.test');
    assert.equal(get('DTSTART'), '20270120T061500Z');
    assert.equal(get('DTEND'), '20270120T063000Z');
    assert.match(get('DTSTAMP')!, /^\d{8}T\d{6}Z$/);
    assert.equal(get('LOCATION'), 'Волгоград\\, ул. Мира\\, д. 12');
    assert.equal(
      get('SUMMARY'),
      'Личный приём: ежемесячная денежная выплата ветеранам труда\\; справка\\, копия',
    );
    assert.equal(get('DESCRIPTION'), 'Строка 1\\nСтрока 2');
  });

  test('folding never splits a character and escaping covers backslashes', () => {
    const long = `X:${'ж'.repeat(100)}`;
    const folded = foldLine(long);
    assert.equal(folded.replace(/\r\n /g, ''), long);
    assert.ok(folded.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75));
    assert.equal(escapeText('a\\b;c,d'), 'a\\\\b\\;c\\,d');
  });
});

describe('the reception day', () => {
  test('check-in gives tickets; "call next" takes priority first; served and no-shows are recorded', async () => {
    // Today's first slots: a plain resident at the earliest time, a veteran later.
    const today = (await freeSlots(TODAY)).filter((s) => !s.reserved_for_priority);
    const [plain] = await persons('plain');
    const [veteran] = await persons('priority');
    const [absent] = await persons('plain');
    const a1 = await bookAs(plain!, today[0]!.id);
    const a2 = await bookAs(veteran!, today[2]!.id);
    const a3 = await bookAs(absent!, today[3]!.id);
    const at = (hhmm: string) => ({ ...ctx, now: regionInstant(TODAY, hhmm) });
    const version = async (id: number) =>
      (await db.transaction().execute((trx) => svc.appointmentForStaff(trx, specialist, id, ctx))).version;

    const t1 = await db
      .transaction()
      .execute(async (trx) => svc.checkIn(trx, specialist, a1, await version(a1), at('08:50')));
    const t2 = await db
      .transaction()
      .execute(async (trx) => svc.checkIn(trx, specialist, a2, await version(a2), at('08:55')));
    assert.deepEqual([t1, t2], ['A-001', 'A-002']);
    // Checking in twice is refused.
    assert.equal(
      await refusal(
        db
          .transaction()
          .execute(async (trx) => svc.checkIn(trx, specialist, a1, await version(a1), at('08:56'))),
      ),
      'not_booked',
    );

    const [desk] = (await db.transaction().execute((trx) => svc.scheduleOf(trx, head, BOOK_OFFICE.id))).desks;
    const first = await db
      .transaction()
      .execute((trx) => svc.callNext(trx, specialist, BOOK_OFFICE.id, desk!.id, at('09:00')));
    assert.equal(first, a2, 'the veteran is called first, though booked later');
    const board = await svc.queueBoard(db, BOOK_OFFICE.id, at('09:00').now);
    assert.deepEqual(
      board.called.map((c) => [c.ticket, c.desk]),
      [['A-002', desk!.name]],
    );
    assert.deepEqual(
      board.waiting.map((w) => w.ticket),
      ['A-001'],
    );

    await db
      .transaction()
      .execute(async (trx) => svc.markServed(trx, specialist, a2, await version(a2), at('09:10')));
    const second = await db
      .transaction()
      .execute((trx) => svc.callNext(trx, specialist, BOOK_OFFICE.id, desk!.id, at('09:11')));
    assert.equal(second, a1);
    assert.equal(
      await db
        .transaction()
        .execute((trx) => svc.callNext(trx, specialist, BOOK_OFFICE.id, desk!.id, at('09:12'))),
      undefined,
      'nobody left',
    );

    // The end-of-day job: the resident who never came is a no-show; the others keep their status.
    const marked = await svc.markNoShows(db, regionInstant(TODAY, '20:00'));
    assert.ok(marked >= 1);
    const statuses = await db
      .selectFrom('appointments')
      .select(['id', 'status'])
      .where('id', 'in', [a1, a2, a3])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      statuses.map((s) => s.status),
      ['called', 'served', 'no_show'],
    );
  });

  test('a district specialist cannot open another district’s day', async () => {
    const other = (await listOffices(db)).find((o) => o.district_id !== VOLGOGRAD)!;
    await assert.rejects(
      db.transaction().execute((trx) => svc.dayList(trx, specialist, other.id, TODAY, ctx)),
      (e: unknown) => e instanceof AppError && e.code === 'not_found',
    );
  });
});

describe('field visits', () => {
  test('a visit with signups produces an application registered for the signed-up resident', async () => {
    // A district with villages and residents, and a head working there.
    const district = await db
      .selectFrom('persons as p')
      .innerJoin('settlements as s', 's.id', 'p.settlement_id')
      .select(['p.district_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('s.kind', '=', 'village')
      .groupBy('p.district_id')
      .orderBy(sql`count(*)`, 'desc')
      .executeTakeFirstOrThrow();
    const code = (
      await db
        .selectFrom('districts')
        .select('code')
        .where('id', '=', district.district_id)
        .executeTakeFirstOrThrow()
    ).code;
    const dHead = actor(await staffUser(db, `head.${code}`, 'district_head', [code]), 'district_head', [
      district.district_id,
    ]);
    const villages = (await settlementsOfDistrict(db, district.district_id)).filter(
      (s) => s.kind === 'village',
    );

    // Planning checks its input.
    await assert.rejects(
      db.transaction().execute((trx) =>
        svc.planVisit(
          trx,
          dHead,
          {
            districtId: district.district_id,
            visitOn: '2020-01-01',
            route: '',
            teamNote: '',
            settlementIds: [],
          },
          ctx,
        ),
      ),
      (e: unknown) =>
        e instanceof ValidationError && Boolean(e.fields.visit_on && e.fields.route && e.fields.settlements),
    );
    const visitId = await db.transaction().execute((trx) =>
      svc.planVisit(
        trx,
        dHead,
        {
          districtId: district.district_id,
          visitOn: '2099-03-02',
          route: `${villages[0]!.name_ru} 10:00 — ${villages[1]!.name_ru} 13:00`,
          teamNote: 'Специалист и юрист',
          settlementIds: [villages[0]!.id, villages[1]!.id],
        },
        ctx,
      ),
    );

    const [resident] = await persons('any', 1, district.district_id);
    const signupId = await db
      .transaction()
      .execute((trx) =>
        svc.addSignup(
          trx,
          dHead,
          visitId,
          { personId: resident!, settlementId: villages[0]!.id, measureId: MEASURE.id, atTime: '10:15' },
          ctx,
        ),
      );
    // A resident of Volgograd cannot sign up for this district's visit; nor can someone twice.
    const [outsider] = await persons('plain');
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          svc.addSignup(
            trx,
            dHead,
            visitId,
            { personId: outsider!, settlementId: villages[0]!.id, measureId: MEASURE.id, atTime: null },
            ctx,
          ),
        ),
      (e: unknown) => e instanceof AppError,
    );
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          svc.addSignup(
            trx,
            dHead,
            visitId,
            { personId: resident!, settlementId: villages[0]!.id, measureId: MEASURE.id, atTime: null },
            ctx,
          ),
        ),
      (e: unknown) => e instanceof ValidationError && e.fields.snils === 'reception.signup.error.already',
    );

    // On the day: the counter registers the application (channel in_person) and it is attached to the signup.
    const applicationId = await db.transaction().execute((trx) =>
      registerAtCounter(
        trx,
        dHead,
        {
          personId: resident!,
          measureCode: MEASURE.code,
          channel: 'in_person',
          answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
          emergency: false,
          idempotencyKey: 'visit-signup-application-1',
        },
        ctx,
      ),
    );
    const view = await db.transaction().execute((trx) => svc.visitForStaff(trx, dHead, visitId, ctx));
    const signup = view.signups.find((s) => s.id === signupId)!;
    assert.equal(signup.position, 1);
    await db
      .transaction()
      .execute((trx) =>
        svc.attachSignupApplication(trx, dHead, visitId, signupId, signup.version, applicationId, ctx),
      );
    const after = await db.transaction().execute((trx) => svc.visitForStaff(trx, dHead, visitId, ctx));
    const done = after.signups.find((s) => s.id === signupId)!;
    assert.equal(done.status, 'registered');
    assert.equal(done.application_id, applicationId);
    const application = await db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    assert.equal(application.person_id, resident);
    assert.equal(application.channel, 'in_person');
    assert.equal(application.state, 'registered');
  });
});
