// Personal reception over HTTP with the cookie-jar client: a resident books step by step (with the
// errors a person can make), downloads the calendar file, moves and cancels; a time taken meanwhile is
// explained and other times offered; staff book by phone, run the reception day and attach the
// application; the public queue screen shows tickets, never names, and needs no script; field visits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { startAppWithEsia } from '../../../test/support/resident.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { minutesToRegionMidnight, regionToday } from '../../platform/time.ts';
import { registerAtCounter } from '../applications/applications.service.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { districtIdsByCodes, listOffices, settlementsOfDistrict } from '../geography/geography.service.ts';
import { parseIcs, utcStamp } from './reception.ics.ts';
import * as svc from './reception.service.ts';
import { regionClock } from './reception.slots.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 300);
const { baseUrl, signIn } = await startAppWithEsia(database);
const ctx = { ip: '127.0.0.1' };
const [VOLGOGRAD] = await districtIdsByCodes(db, ['volgograd']);
const specId = await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);
const specialist: StaffActor = {
  kind: 'staff',
  userId: specId,
  login: 'spec.volgograd',
  fullName: 'Test',
  role: 'specialist',
  districtIds: [VOLGOGRAD!],
  sessionId: 't',
};

const VALENTINA = '11223344595'; // Смирнова Валентина Петровна, a labour veteran of Volgograd
const OFFICE = (await listOffices(db, { districtIds: [VOLGOGRAD!] })).find(
  (o) => o.kind === 'social_protection_centre',
)!;
const MEASURE = await measureForApplication(db, { code: 'VETERAN-EDV' });
await svc.openSlots(db, { officeId: OFFICE.id });

const used = new Set<string>([VALENTINA]);
/** A Volgograd resident not used by another test, without priority categories. */
async function plainPerson(): Promise<{ id: number; snils: string; last_name: string }> {
  const rows = await db
    .selectFrom('persons')
    .select(['id', 'snils', 'last_name'])
    .where('district_id', '=', VOLGOGRAD!)
    .where(sql<boolean>`cardinality(categories) = 0`)
    .where('disability_group', 'is', null)
    .orderBy('id')
    .execute();
  const row = rows.find((r) => !used.has(r.snils))!;
  used.add(row.snils);
  return row;
}

async function staffClient(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

/** Values of a page's radios with this name, in order. */
const radios = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`type="radio" id="[^"]*" name="${name}" value="([^"]+)"`, 'g'))].map(
    (m) => m[1]!,
  );
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
const errorSummary = (html: string) =>
  text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');

/** Walks the booking flow at `base` up to the check page; returns its URL and the chosen slot. */
async function toCheck(client: Client, base: string, officeId = OFFICE.id, pickSlot = 0) {
  let r = await client.submit(base, base, { measure: MEASURE.code });
  assert.equal(r.status, 303);
  r = await client.submit(r.location!, `${base}/office`, { measure: MEASURE.code, office: String(officeId) });
  assert.equal(r.status, 303);
  const dayPage = await client.get(r.location!);
  const day = radios(dayPage.body, 'day')[0]!;
  r = await client.submit(r.location!, `${base}/day`, {
    measure: MEASURE.code,
    office: String(officeId),
    day,
  });
  assert.equal(r.status, 303);
  const timePage = await client.get(r.location!);
  const slot = radios(timePage.body, 'slot')[pickSlot]!;
  r = await client.submit(r.location!, `${base}/time`, {
    measure: MEASURE.code,
    office: String(officeId),
    day,
    slot,
  });
  assert.equal(r.status, 303);
  assert.match(r.location!, /\/check\?/);
  return {
    checkUrl: r.location!,
    day,
    slot: Number(slot),
    fields: { measure: MEASURE.code, office: String(officeId), day, slot },
  };
}

/** A few slots later today at the office's first desk (ordinary slots may be over for the day). */
async function slotsToday(officeId: number, n: number): Promise<number[]> {
  const desk = await db
    .selectFrom('reception_desks')
    .select('id')
    .where('office_id', '=', officeId)
    .where('is_active', '=', true)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const base = Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 60_000 + 7_000;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = await db
      .insertInto('slots')
      .values({
        office_id: officeId,
        desk_id: desk.id,
        starts_at: new Date(base + i * 60_000),
        ends_at: new Date(base + i * 60_000 + 15 * 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

describe('a resident on the portal', () => {
  test('books step by step, with errors explained; a double submit books once; the .ics is valid', async () => {
    const r = await signIn(VALENTINA);
    const list = await r.get('/me/appointments');
    assert.equal(list.status, 200);
    assert.match(text(list.body), /Записаться на приём/);

    // No measure chosen: the error summary says so.
    let page = await r.submit('/me/appointments/new', '/me/appointments/new', {});
    assert.equal(page.status, 422);
    assert.match(errorSummary(page.body), /Выберите меру поддержки/);

    // The office page: the resident's own district first.
    page = await r.submit('/me/appointments/new', '/me/appointments/new', { measure: MEASURE.code });
    const officePage = await r.get(page.location!);
    const own = radios(officePage.body, 'office').filter((v) => v !== 'other');
    const volgograd = (await listOffices(db, { districtIds: [VOLGOGRAD!] })).map((o) => String(o.id));
    assert.ok(own.length > 0 && own.every((id) => volgograd.includes(id)));
    assert.match(text(officePage.body), /Сначала — офисы вашего района \(Волгоград\)/);
    const noOffice = await r.submit(page.location!, '/me/appointments/new/office', { measure: MEASURE.code });
    assert.equal(noOffice.status, 422);
    assert.match(errorSummary(noOffice.body), /Выберите офис/);

    const { checkUrl, fields, slot } = await toCheck(r, '/me/appointments/new');
    const check = await r.get(checkUrl);
    assert.match(text(check.body), /Проверьте запись/);
    const key = hidden(check.body, 'key');
    assert.ok(key.length > 8);
    // The same confirmation twice (a double click on the one page): one appointment.
    const body = { ...fields, key, _csrf: csrfToken(check.body) };
    const [first, second] = await Promise.all([
      r.post('/me/appointments/new/check', body),
      r.post('/me/appointments/new/check', body),
    ]);
    assert.equal(first.status, 303);
    assert.equal(second.location, first.location);
    const id = Number(/\/me\/appointments\/(\d+)\?done=booked$/.exec(first.location!)?.[1]);
    const person = await db
      .selectFrom('persons')
      .select('id')
      .where('snils', '=', VALENTINA)
      .executeTakeFirstOrThrow();
    const mine = await db.selectFrom('appointments').selectAll().where('person_id', '=', person.id).execute();
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.slot_id, slot);

    const done = await r.get(first.location!);
    assert.match(text(done.body), /Вы записаны на приём/);
    assert.match(done.body, /calendar\.ics/);

    // The calendar file.
    const ics = await r.get(`/me/appointments/${id}/calendar.ics`);
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type')!, /^text\/calendar/);
    const lines = parseIcs(ics.body);
    const get = (n: string) => lines.find(([k]) => k === n)?.[1];
    assert.equal(lines[0]?.join(':'), 'BEGIN:VCALENDAR');
    assert.equal(lines.at(-1)?.join(':'), 'END:VCALENDAR');
    const booked = await db.selectFrom('slots').selectAll().where('id', '=', slot).executeTakeFirstOrThrow();
    assert.equal(get('DTSTART'), utcStamp(booked.starts_at));
    assert.equal(get('DTEND'), utcStamp(booked.ends_at));
    assert.match(get('UID')!, new RegExp(`^appointment-${id}@`));
    assert.equal(get('LOCATION'), `${OFFICE.name_ru}, ${OFFICE.address_ru}`.replace(/,/g, '\\,'));
    // Someone else's appointment is not found.
    const other = await signIn((await plainPerson()).snils);
    assert.equal((await other.get(`/me/appointments/${id}/calendar.ics`)).status, 404);

    // The booking was notified.
    const told = await db
      .selectFrom('notifications as n')
      .innerJoin('notification_messages as m', 'm.id', 'n.message_id')
      .select('m.params')
      .where('n.person_id', '=', person.id)
      .where('m.event', '=', 'appointment_booked')
      .execute();
    assert.equal(told.length, 1);
    assert.equal((told[0]!.params as Record<string, string>).time, regionClock(booked.starts_at).time);

    // Trying to book the same measure again is explained on the first question.
    const again = await r.submit('/me/appointments/new', '/me/appointments/new', { measure: MEASURE.code });
    assert.equal(again.status, 409);
    assert.match(errorSummary(again.body), /Вы уже записаны на приём по этому вопросу/);
  });

  test('an office whose slots were never opened opens them when someone first wants to book there', async () => {
    const fresh = (await listOffices(db, { districtIds: [VOLGOGRAD!] })).find(
      (o) => o.id !== OFFICE.id && o.kind === 'social_protection_centre',
    )!;
    const before = await db.selectFrom('slots').select('id').where('office_id', '=', fresh.id).execute();
    assert.equal(before.length, 0);
    const r = await signIn((await plainPerson()).snils);
    const day = await r.get(`/me/appointments/new/day?measure=${MEASURE.code}&office=${fresh.id}`);
    assert.equal(day.status, 200);
    assert.ok(radios(day.body, 'day').length >= 15, 'about 20 working days offered');
  });

  test('a time taken while the resident was choosing: the page says so and offers other times', async () => {
    const p = await plainPerson();
    const r = await signIn(p.snils);
    const { checkUrl, fields, slot } = await toCheck(r, '/me/appointments/new', OFFICE.id, 1);
    const check = await r.get(checkUrl);
    // Someone else takes it first.
    const rival = await plainPerson();
    await db.transaction().execute((trx) =>
      svc.book(
        trx,
        {
          personId: rival.id,
          slotId: slot,
          measureId: MEASURE.id,
          channel: 'phone',
          key: 'rival-booking-1',
        },
        ctx,
      ),
    );
    // The check page was opened before; its form is sent now.
    const late = await r.post('/me/appointments/new/check', {
      ...fields,
      key: hidden(check.body, 'key'),
      _csrf: csrfToken(check.body),
    });
    assert.equal(late.status, 409);
    assert.match(errorSummary(late.body), /Это время только что заняли/);
    const offered = radios(late.body, 'slot');
    assert.ok(offered.length > 0, 'other times are offered');
    assert.ok(!offered.includes(String(slot)));
  });

  test('a slot in the past is refused with a clear error', async () => {
    const p = await plainPerson();
    const r = await signIn(p.snils);
    const desk = await db
      .selectFrom('reception_desks')
      .select('id')
      .where('office_id', '=', OFFICE.id)
      .executeTakeFirstOrThrow();
    const past = await db
      .insertInto('slots')
      .values({
        office_id: OFFICE.id,
        desk_id: desk.id,
        starts_at: new Date(Date.now() - 3_600_000 + 11_000),
        ends_at: new Date(Date.now() - 2_700_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { checkUrl, fields } = await toCheck(r, '/me/appointments/new');
    const check = await r.get(checkUrl);
    const res = await r.submit(checkUrl, '/me/appointments/new/check', {
      ...fields,
      slot: String(past.id),
      key: hidden(check.body, 'key'),
    });
    assert.equal(res.status, 422);
    assert.match(errorSummary(res.body), /Это время уже прошло/);
  });

  test('moves to another time (the old one is freed) and cancels', async () => {
    const p = await plainPerson();
    const r = await signIn(p.snils);
    const { checkUrl, fields, slot: oldSlot } = await toCheck(r, '/me/appointments/new');
    const check = await r.get(checkUrl);
    const booked = await r.submit(checkUrl, '/me/appointments/new/check', {
      ...fields,
      key: hidden(check.body, 'key'),
    });
    const id = Number(/\/me\/appointments\/(\d+)/.exec(booked.location!)?.[1]);

    const movePage = await r.get(`/me/appointments/${id}/move`);
    assert.equal(movePage.status, 200);
    const days = radios(movePage.body, 'day');
    const day = days.at(-1)!;
    const toTime = await r.submit(`/me/appointments/${id}/move`, `/me/appointments/${id}/move`, { day });
    assert.equal(toTime.status, 303);
    const timePage = await r.get(toTime.location!);
    const newSlot = radios(timePage.body, 'slot')[0]!;
    const noChoice = await r.submit(toTime.location!, `/me/appointments/${id}/move/time`, {
      day,
      version: hidden(timePage.body, 'version'),
    });
    assert.equal(noChoice.status, 422);
    const moved = await r.submit(toTime.location!, `/me/appointments/${id}/move/time`, {
      day,
      slot: newSlot,
      version: hidden(timePage.body, 'version'),
    });
    assert.equal(moved.status, 303);
    assert.match(text((await r.follow(moved)).body), /Запись перенесена/);
    const live = await db
      .selectFrom('appointments')
      .select('id')
      .where('slot_id', '=', oldSlot)
      .where('status', '<>', 'cancelled')
      .execute();
    assert.equal(live.length, 0, 'the old slot is free');

    const cancelPage = await r.get(`/me/appointments/${id}/cancel`);
    assert.match(text(cancelPage.body), /Отменить запись\?/);
    const cancelled = await r.submit(`/me/appointments/${id}/cancel`, `/me/appointments/${id}/cancel`, {
      version: hidden(cancelPage.body, 'version'),
    });
    assert.equal(cancelled.status, 303);
    assert.match(text((await r.follow(cancelled)).body), /Запись отменена/);
    const row = await db
      .selectFrom('appointments')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'cancelled');
  });
});

describe('staff', () => {
  test('book by phone on a resident’s behalf, with the channel asked', async () => {
    const staff = await staffClient('spec.volgograd');
    const home = await staff.get('/staff/reception');
    assert.equal(home.status, 200);
    assert.match(home.body, new RegExp(`/staff/reception/offices/${OFFICE.id}/day`));
    const p = await plainPerson();
    const bad = await staff.get('/staff/reception/book?by=snils&snils=11223344590');
    assert.equal(bad.status, 422);
    assert.match(errorSummary(bad.body), /контрольное число/);
    const found = await staff.get(`/staff/reception/book?by=snils&snils=${p.snils}`);
    assert.equal(found.location, `/staff/reception/book/${p.id}`);
    const base = `/staff/reception/book/${p.id}`;
    const { checkUrl, fields } = await toCheck(staff, base);
    const check = await staff.get(checkUrl);
    assert.match(text(check.body), new RegExp(p.last_name));
    const key = hidden(check.body, 'key');
    const noChannel = await staff.submit(checkUrl, `${base}/check`, { ...fields, key });
    assert.equal(noChannel.status, 422);
    assert.match(errorSummary(noChannel.body), /по телефону или в офисе/);
    const done = await staff.submit(checkUrl, `${base}/check`, { ...fields, key, channel: 'phone' });
    assert.equal(done.status, 303);
    const page = await staff.follow(done);
    assert.match(text(page.body), /Заявитель записан на приём/);
    const row = await db
      .selectFrom('appointments')
      .selectAll()
      .where('person_id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.channel, 'phone');
    assert.equal(row.created_by_staff, specId);
    // A specialist of another district cannot open this office's day.
    const stranger = await staffClient('spec.olkhovsky');
    assert.equal((await stranger.get(`/staff/reception/offices/${OFFICE.id}/day`)).status, 404);
  });

  test('the reception day: check-in, call next (priority first), the queue screen, served, the application attached', async (t) => {
    if (minutesToRegionMidnight() < 15)
      return t.skip('too close to midnight in Volgograd for a slot later today');
    const [s1, s2] = await slotsToday(OFFICE.id, 2);
    const plain = await plainPerson();
    const veteran = await db
      .selectFrom('persons')
      .select(['id', 'last_name'])
      .where('snils', '=', VALENTINA)
      .executeTakeFirstOrThrow();
    const measureOther = (await measureForApplication(db, { code: 'VETERAN-EDV' })).id;
    // The veteran already has a portal appointment for VETERAN-EDV (first test), so another measure.
    const otherMeasure = (
      await db
        .selectFrom('office_measures')
        .select('measure_id')
        .where('office_id', '=', OFFICE.id)
        .where('measure_id', '<>', measureOther)
        .executeTakeFirstOrThrow()
    ).measure_id;
    const a1 = await db.transaction().execute((trx) =>
      svc.book(
        trx,
        {
          personId: plain.id,
          slotId: s1!,
          measureId: MEASURE.id,
          channel: 'desk',
          key: 'day-test-plain-1',
          staff: specialist,
        },
        ctx,
      ),
    );
    const a2 = await db.transaction().execute((trx) =>
      svc.book(
        trx,
        {
          personId: veteran.id,
          slotId: s2!,
          measureId: otherMeasure,
          channel: 'desk',
          key: 'day-test-veteran-1',
          staff: specialist,
        },
        ctx,
      ),
    );
    const staff = await staffClient('spec.volgograd');
    const today = regionToday();
    const dayUrl = `/staff/reception/offices/${OFFICE.id}/day?date=${today}`;
    let day = await staff.get(dayUrl);
    assert.equal(day.status, 200);
    assert.match(text(day.body), new RegExp(plain.last_name));
    const versionOf = async (id: number) =>
      String(
        (await db.selectFrom('appointments').select('version').where('id', '=', id).executeTakeFirstOrThrow())
          .version,
      );

    for (const id of [a1, a2]) {
      const r = await staff.submit(dayUrl, `/staff/reception/appointments/${id}/check-in`, {
        version: await versionOf(id),
      });
      assert.equal(r.status, 303);
    }
    day = await staff.get(dayUrl);
    assert.match(text(day.body), /A-001/);
    assert.match(text(day.body), /A-002/);
    // A stale form is explained.
    const stale = await staff.submit(dayUrl, `/staff/reception/appointments/${a1}/no-show`, { version: '1' });
    assert.equal(stale.status, 409);
    assert.match(errorSummary(stale.body), /Запись изменилась/);

    const desk = /\/staff\/reception\/offices\/\d+\/desks\/(\d+)\/call-next/.exec(day.body)![1]!;
    const called = await staff.submit(
      dayUrl,
      `/staff/reception/offices/${OFFICE.id}/desks/${desk}/call-next`,
      {},
    );
    assert.equal(called.status, 303);
    assert.match(text((await staff.follow(called)).body), /Вызван талон A-002/);

    // The queue screen: public, no script, refreshes itself, tickets and desks but no names.
    const hall = new Client(baseUrl);
    const screen = await hall.get(`/offices/${OFFICE.id}/queue`);
    assert.equal(screen.status, 200);
    assert.match(screen.body, /<meta http-equiv="refresh" content="10"/);
    assert.doesNotMatch(screen.body, /<script/);
    const shown = text(screen.body);
    assert.match(shown, /Приглашаются Талон Окно A-002 Окно 1/);
    assert.match(shown, /Ожидают A-001/);
    for (const name of [plain.last_name, veteran.last_name])
      assert.ok(!shown.includes(name), `no ${name} on the screen`);

    const served = await staff.submit(dayUrl, `/staff/reception/appointments/${a2}/served`, {
      version: await versionOf(a2),
    });
    assert.equal(served.status, 303);
    day = await staff.get(served.location!);
    assert.match(day.body, new RegExp(`/staff/applications/new/${veteran.id}\\?measure=`));
    // The application registered at the desk is attached to the appointment.
    const code = (await measureForApplication(db, { id: otherMeasure })).code;
    const applicationId = await db.transaction().execute((trx) =>
      registerAtCounter(
        trx,
        specialist,
        {
          personId: veteran.id,
          measureCode: code,
          channel: 'in_person',
          answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
          emergency: false,
          idempotencyKey: 'reception-day-app-1',
        },
        ctx,
      ),
    );
    const attached = await staff.submit(dayUrl, `/staff/reception/appointments/${a2}/application`, {
      version: await versionOf(a2),
      application: String(applicationId),
    });
    assert.equal(attached.status, 303);
    const row = await db
      .selectFrom('appointments')
      .selectAll()
      .where('id', '=', a2)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'served');
    assert.equal(row.application_id, applicationId);
    // Reading the day's list is audited.
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'reception.day.read')
      .execute();
    assert.ok(audit.length > 0);
  });

  test('schedules: a head changes the hours; a mistyped time is explained', async () => {
    const headClient = await staffClient('head.volgograd');
    const url = `/staff/reception/offices/${OFFICE.id}/schedule`;
    const page = await headClient.get(url);
    assert.equal(page.status, 200);
    const bad = await headClient.submit(url, url, {
      version: hidden(page.body, 'version'),
      hours_1: '9 to 5',
      slot_minutes: '15',
      priority_share: '20',
      days_ahead: '20',
    });
    assert.equal(bad.status, 422);
    assert.match(errorSummary(bad.body), /08:00–17:00/);
    const ok = await headClient.submit(url, url, {
      version: hidden(page.body, 'version'),
      hours_1: '08:00–17:00',
      breaks_1: '12:00-13:00',
      hours_2: '08:00–17:00',
      hours_3: '08:00–17:00',
      hours_4: '08:00–17:00',
      hours_5: '08:00–16:00',
      slot_minutes: '20',
      priority_share: '10',
      days_ahead: '20',
    });
    assert.equal(ok.status, 303);
    const job =
      await sql`select 1 from graphile_worker.jobs where key = ${`reception:open-slots:${OFFICE.id}`}`.execute(
        db,
      );
    assert.equal(job.rows.length, 1, 'slots are reopened by a job');
    // A specialist may not change schedules.
    const spec = await staffClient('spec.volgograd');
    assert.equal((await spec.get(url)).status, 403);
  });

  test('field visits: a head plans one, a specialist signs a resident up by SNILS', async () => {
    const headClient = await staffClient('head.volgograd');
    const form = await headClient.get('/staff/reception/visits/new');
    assert.equal(form.status, 200);
    const settlements = await settlementsOfDistrict(db, VOLGOGRAD!);
    const empty = await headClient.submit('/staff/reception/visits/new', '/staff/reception/visits', {
      district: String(VOLGOGRAD),
      visit_on: '2020-01-01',
    });
    assert.equal(empty.status, 422);
    assert.match(errorSummary(empty.body), /Введите дату выезда/);
    const planned = await headClient.submit('/staff/reception/visits/new', '/staff/reception/visits', {
      district: String(VOLGOGRAD),
      visit_on: '2099-06-01',
      route: 'Выезд по маршруту',
      team_note: '',
      settlements: String(settlements[0]!.id),
    });
    assert.equal(planned.status, 303);
    const visitUrl = planned.location!;
    const spec = await staffClient('spec.volgograd');
    const p = await plainPerson();
    const wrong = await spec.submit(visitUrl, `${visitUrl}/signups`, {
      snils: '11223344590',
      settlement: String(settlements[0]!.id),
      measure: String(MEASURE.id),
    });
    assert.equal(wrong.status, 422);
    const added = await spec.submit(visitUrl, `${visitUrl}/signups`, {
      snils: p.snils,
      settlement: String(settlements[0]!.id),
      measure: String(MEASURE.id),
      at_time: '10:30',
    });
    assert.equal(added.status, 303);
    const visit = await spec.follow(added);
    assert.match(text(visit.body), new RegExp(`${p.last_name}.*10:30|10:30.*${p.last_name}`));
    assert.match(
      visit.body,
      new RegExp(`/staff/applications/new/${p.id}\\?measure=${MEASURE.code}&amp;channel=in_person`),
    );
  });
});
