// The notification service end to end against real servers: a real SMTP server (smtp-server) and the
// SMS gateway simulator receive what residents are sent; the dispatcher is driven step by step with
// an injected clock, so backoff, quiet hours and throttling are checked without waiting.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testConfig } from '../../../test/support/app.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import { pdfPageCount, pdfText } from '../../../test/support/pdf.ts';
import { type Config, loadConfig } from '../../platform/config.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { startSmsSimulator } from '../../simulators/sms/sms.simulator.ts';
import { atLocal, quietUntil } from './notifications.clock.ts';
import {
  chooseChannel,
  type Dispatcher,
  dispatcher,
  dispatchStep,
  runDispatcher,
} from './notifications.dispatcher.ts';
import { printLetters } from './notifications.letters.ts';
import { type MailSink, startMailSink } from './notifications.mailsink.ts';
import type { Channel, NotificationEvent } from './notifications.schema.ts';
import { deliveryStats, notify, notifyMany } from './notifications.service.ts';
import { verifyUnsubscribeToken } from './notifications.tokens.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 300);

let mail: MailSink = await startMailSink();
const SMTP_PORT = mail.port;
after(() => mail.close());
const SMS_KEY = 'test-sms-key';
const sms = await startSmsSimulator({ apiKey: SMS_KEY });
after(() => sms.close());

const config: Config = testConfig({
  baseUrl: 'https://opora.example',
  smtp: {
    host: '127.0.0.1',
    port: SMTP_PORT,
    secure: false,
    user: undefined,
    pass: undefined,
    from: 'Opora <no-reply@opora.example>',
  },
  sms: { url: sms.url, apiKey: SMS_KEY },
  notify: { smsQuietHours: { start: '21:00', end: '09:00' }, rates: { portal: 500, email: 100, sms: 100 } },
});
const d: Dispatcher = dispatcher(config);
after(() => d.adapters.email?.close?.());

// Each test works on its own future day (the rows' own clock is the database's), at noon unless it
// needs another hour, so backoffs and quiet hours of one test never reach another.
let day = 0;
function newDay(): (hhmm?: string, plusMs?: number) => Date {
  day += 1;
  const date = regionToday(new Date(Date.now() + day * 86_400_000));
  return (hhmm = '12:00', plusMs = 0) => new Date(atLocal(date, hhmm).getTime() + plusMs);
}

const used = new Set<number>();
/** A resident of the seed not used by another test, with exactly these contacts and preference. */
async function resident(p: {
  channel: Channel;
  email?: string | null;
  phone?: string | null;
}): Promise<number> {
  const row = await db
    .selectFrom('persons')
    .select('id')
    .where('id', 'not in', [0, ...used])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  used.add(row.id);
  await db
    .updateTable('persons')
    .set({ preferred_channel: p.channel, email: p.email ?? null, phone: p.phone ?? null })
    .where('id', '=', row.id)
    .execute();
  return row.id;
}

const RECEIVED = {
  number: '2026-000777',
  measure_ru: 'Ежемесячная денежная выплата ветеранам труда',
  measure_en: 'Monthly cash payment to labour veterans',
  days: 10,
};

async function tell(
  personId: number,
  event: NotificationEvent = 'application_received',
  params: Record<string, string | number> = RECEIVED,
) {
  await db.transaction().execute((trx) => notify(trx, { personId, event, params }));
}

async function rowOf(personId: number) {
  return await db
    .selectFrom('notifications')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

/** Steps at `now` until nothing more is claimed. */
async function drain(now: Date, using: Dispatcher = d) {
  for (let i = 0; i < 50; i++) {
    const step = await dispatchStep(db, using, now);
    if (Object.keys(step.claimed).length === 0 && step.assigned === 0) return;
  }
  throw new Error('the dispatcher did not settle');
}

const mailsTo = (address: string) => mail.messages().filter((m) => m.to.includes(address));
const smsTo = (phone: string) => sms.messages().filter((m) => m.to === phone);

describe('email over real SMTP', () => {
  test('arrives with the subject and body in the resident’s language: Russian by default, English when chosen', async () => {
    const at = newDay();
    const ru = await resident({ channel: 'email', email: 'ru.resident@example.org' });
    const en = await resident({ channel: 'email', email: 'en.resident@example.org' });
    await db.insertInto('notification_settings').values({ person_id: en, lang: 'en' }).execute();
    await tell(ru);
    await tell(en);
    await drain(at());

    const [toRu] = mailsTo('ru.resident@example.org');
    assert.ok(toRu, 'the Russian email arrived');
    assert.equal(toRu.subject, 'Заявление № 2026-000777 принято');
    assert.match(toRu.text, /Ваше заявление «Ежемесячная денежная выплата ветеранам труда» принято/);
    assert.match(toRu.text, /срок рассмотрения — 10 рабочих дней/);
    assert.equal(toRu.from, 'no-reply@opora.example');
    const [toEn] = mailsTo('en.resident@example.org');
    assert.ok(toEn, 'the English email arrived');
    assert.equal(toEn.subject, 'Application 2026-000777 received');
    assert.match(toEn.text, /Your application "Monthly cash payment to labour veterans" has been received/);

    const row = await rowOf(ru);
    assert.equal(row.status, 'sent');
    assert.equal(row.channel, 'email');
    assert.equal(row.destination, 'ru.resident@example.org');
    assert.equal(row.attempts, 1);
    assert.ok(row.provider_id, 'the SMTP message id is kept');
  });
});

describe('SMS through the gateway', () => {
  test('the simulator receives the SMS; an invalid number is a clear failure and the rest still go', async () => {
    const at = newDay();
    const good = await resident({ channel: 'sms', phone: '+79001234567' });
    const bad = await resident({ channel: 'sms', phone: '+7123' });
    await tell(good, 'decision', {
      outcome: 'approved',
      number: '2026-000778',
      measure_ru: 'Компенсация за газ',
      measure_en: 'Gas compensation',
      start: '2026-12-01',
    });
    await tell(bad);
    await drain(at());

    const [message] = smsTo('+79001234567');
    assert.ok(message, 'the SMS reached the gateway');
    assert.match(
      message.text,
      /^Решение по заявлению № 2026-000778: назначено\. «Компенсация за газ» назначена с 1 декабря 2026/,
    );
    assert.equal((await rowOf(good)).status, 'sent');
    assert.equal((await rowOf(good)).provider_id, message.id);

    const failed = await rowOf(bad);
    assert.equal(failed.status, 'failed');
    assert.match(failed.last_error ?? '', /refused.*invalid_phone/);
    assert.equal(smsTo('+7123').length, 0);
  });
});

describe('channel choice', () => {
  test('the preferred channel when the resident has it, else email, SMS, then the portal inbox', () => {
    const all = new Set<Channel>(['portal', 'email', 'sms']);
    const choose = (preferred: Channel, email: string | null, phone: string | null, available = all) =>
      chooseChannel({ preferred_channel: preferred, email, phone }, available).channel;
    assert.equal(choose('sms', 'a@b.ru', '+79000000000'), 'sms');
    assert.equal(choose('email', null, '+79000000000'), 'sms', 'no address: the next channel');
    assert.equal(choose('sms', 'a@b.ru', null), 'email', 'no phone: email');
    assert.equal(choose('email', null, null), 'portal', 'nothing else: the inbox');
    assert.equal(choose('portal', 'a@b.ru', '+79000000000'), 'portal');
    assert.equal(choose('post', 'a@b.ru', '+79000000000'), 'post');
    assert.equal(
      choose('email', 'a@b.ru', '+79000000000', new Set<Channel>(['portal', 'sms'])),
      'sms',
      'a channel the platform has not set up is skipped',
    );
  });

  test('a resident without an email address who prefers email gets an SMS; without both, the inbox in both languages', async () => {
    const at = newDay();
    const phoneOnly = await resident({ channel: 'email', phone: '+79005550001' });
    const nothing = await resident({ channel: 'email' });
    await tell(phoneOnly);
    await tell(nothing);
    await drain(at());
    assert.equal((await rowOf(phoneOnly)).channel, 'sms');
    assert.equal(smsTo('+79005550001').length, 1);
    const row = await rowOf(nothing);
    assert.equal(row.channel, 'portal');
    assert.equal(row.status, 'sent');
    const inbox = await db
      .selectFrom('inbox_messages')
      .selectAll()
      .where('person_id', '=', nothing)
      .execute();
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0]!.subject_ru, 'Заявление № 2026-000777 принято');
    assert.equal(inbox[0]!.subject_en, 'Application 2026-000777 received');
  });
});

describe('a channel that is down delays messages and loses none', () => {
  test('SMTP server stopped: queued with backoff, then delivered when it is back', async () => {
    const at = newDay();
    const people = [
      await resident({ channel: 'email', email: 'down1@example.org' }),
      await resident({ channel: 'email', email: 'down2@example.org' }),
      await resident({ channel: 'email', email: 'down3@example.org' }),
    ];
    await mail.close();
    for (const p of people) await tell(p);

    const first = await dispatchStep(db, d, at());
    assert.deepEqual(first.down, ['email']);
    for (const p of people) {
      const row = await rowOf(p);
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /SMTP server unreachable/);
      assert.equal(row.next_attempt_at.getTime(), at('12:00', 30_000).getTime(), 'first retry after 30 s');
    }
    // Not retried before its time…
    const early = await dispatchStep(db, d, at('12:00', 20_000));
    assert.equal(early.claimed.email, undefined);
    // …still down at the retry: the wait doubles.
    await dispatchStep(db, d, at('12:00', 30_000));
    assert.equal((await rowOf(people[0]!)).attempts, 2);
    assert.equal((await rowOf(people[0]!)).next_attempt_at.getTime(), at('12:00', 90_000).getTime());

    mail = await startMailSink({ port: SMTP_PORT });
    await drain(at('12:00', 90_000));
    for (const [i, p] of people.entries()) {
      assert.equal((await rowOf(p)).status, 'sent');
      assert.equal(mailsTo(`down${i + 1}@example.org`).length, 1, 'delivered exactly once');
    }
  });

  test('SMS gateway outage: the same, and the messages go when the outage ends', async () => {
    const at = newDay();
    const p = await resident({ channel: 'sms', phone: '+79005550002' });
    sms.setOutage(true);
    await tell(p);
    await dispatchStep(db, d, at());
    let row = await rowOf(p);
    assert.equal(row.status, 'queued');
    assert.match(row.last_error ?? '', /SMS gateway unavailable: outage/);
    sms.setOutage(false);
    await drain(at('12:00', 30_000));
    row = await rowOf(p);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(smsTo('+79005550002').length, 1);
  });

  test('a message that keeps failing on its own is retried up to the limit, then failed', async () => {
    const at = newDay();
    const p = await resident({ channel: 'sms', phone: '+79005550003' });
    const strict = dispatcher(config, { policy: { maxAttempts: 3 } });
    sms.setFailureRate(1);
    await tell(p);
    let t = at();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await dispatchStep(db, strict, t);
      const row = await rowOf(p);
      assert.equal(row.attempts, attempt);
      t = row.next_attempt_at;
    }
    sms.setFailureRate(0);
    const row = await rowOf(p);
    assert.equal(row.status, 'failed');
    assert.match(row.last_error ?? '', /gave up after 3 attempts/);
  });
});

describe('quiet hours and throttling', () => {
  test('quiet hours are local Volgograd time and may wrap midnight; the setting is validated', () => {
    const quiet = { start: '21:00', end: '09:00' };
    const day = '2026-11-23';
    const until = (hhmm: string) => quietUntil(atLocal(day, hhmm), quiet)?.toISOString();
    assert.equal(until('20:59'), undefined);
    assert.equal(until('21:00'), '2026-11-24T06:00:00.000Z', '09:00 next morning is 06:00 UTC');
    assert.equal(until('23:59'), '2026-11-24T06:00:00.000Z');
    assert.equal(until('00:30'), '2026-11-23T06:00:00.000Z');
    assert.equal(until('08:59'), '2026-11-23T06:00:00.000Z');
    assert.equal(until('09:00'), undefined);
    assert.equal(
      quietUntil(atLocal(day, '13:00'), { start: '12:00', end: '14:00' })?.toISOString(),
      '2026-11-23T11:00:00.000Z',
    );
    assert.equal(
      loadConfig({ ...process.env, OPORA_SMS_QUIET_HOURS: 'off' }).notify.smsQuietHours,
      undefined,
    );
    assert.deepEqual(
      loadConfig({ ...process.env, OPORA_SMS_QUIET_HOURS: '22:00-08:30' }).notify.smsQuietHours,
      {
        start: '22:00',
        end: '08:30',
      },
    );
    assert.throws(
      () => loadConfig({ ...process.env, OPORA_SMS_QUIET_HOURS: '25:00-08:00' }),
      /OPORA_SMS_QUIET_HOURS/,
    );
    assert.throws(() => loadConfig({ ...process.env, OPORA_NOTIFY_RATE_SMS: '0' }), /OPORA_NOTIFY_RATE_SMS/);
  });

  test('no SMS at night in Volgograd: deferred to 09:00, the dispatcher wakes then; email goes at once', async () => {
    const at = newDay();
    const night = await resident({ channel: 'sms', phone: '+79005550004' });
    const mailbox = await resident({ channel: 'email', email: 'night@example.org' });
    await tell(night);
    await tell(mailbox);
    await runDispatcher(db, d, { clock: () => at('22:30') });

    assert.equal(mailsTo('night@example.org').length, 1, 'email has no quiet hours');
    const deferred = await rowOf(night);
    assert.equal(deferred.status, 'queued');
    assert.equal(deferred.attempts, 0, 'not tried: held back');
    const nineNextMorning = at('09:00', 86_400_000);
    assert.equal(deferred.next_attempt_at.getTime(), nineNextMorning.getTime());
    const job = await sql<{ run_at: Date }>`
      select run_at from graphile_worker.jobs where key = 'notifications:dispatch:next'`.execute(db);
    assert.equal(job.rows[0]?.run_at.getTime(), nineNextMorning.getTime(), 'the dispatcher wakes at 09:00');

    await dispatchStep(db, d, at('08:59', 86_400_000));
    assert.equal(smsTo('+79005550004').length, 0, 'still quiet at 08:59');
    await drain(nineNextMorning);
    assert.equal(smsTo('+79005550004').length, 1);
  });

  test('at most N messages per second per channel, whatever the number of dispatchers', async () => {
    const at = newDay();
    const threePerSecond = {
      ...config,
      notify: { ...config.notify, rates: { portal: 500, email: 100, sms: 3 } },
    };
    const slow = dispatcher(threePerSecond, { adapters: d.adapters });
    const phones = Array.from({ length: 7 }, (_, i) => `+7900777000${i}`);
    const people: number[] = [];
    for (const phone of phones) people.push(await resident({ channel: 'sms', phone }));
    await db
      .transaction()
      .execute((trx) => notifyMany(trx, people, { event: 'payment', params: { amount: 100 } }));

    const t = at();
    const first = await dispatchStep(db, slow, t);
    assert.equal(first.claimed.sms, 3);
    assert.deepEqual(first.throttled, ['sms']);
    // Another dispatcher (another worker) in the same second finds the budget spent.
    const another = dispatcher(threePerSecond, { adapters: d.adapters });
    const sameSecond = await dispatchStep(db, another, new Date(t.getTime() + 900));
    assert.equal(sameSecond.claimed.sms, undefined, 'the second’s budget is spent');
    assert.deepEqual(sameSecond.throttled, ['sms']);
    const next = await dispatchStep(db, slow, new Date(t.getTime() + 1000));
    assert.equal(next.claimed.sms, 3);
    const last = await dispatchStep(db, slow, new Date(t.getTime() + 2000));
    assert.equal(last.claimed.sms, 1);
    assert.deepEqual(last.throttled, []);
    assert.equal(phones.filter((p) => smsTo(p).length === 1).length, 7);
  });

  test('two dispatchers at once never send a message twice', async () => {
    const at = newDay();
    const people: number[] = [];
    for (let i = 0; i < 40; i++)
      people.push(await resident({ channel: 'email', email: `twice${i}@example.org` }));
    await db
      .transaction()
      .execute((trx) =>
        notifyMany(trx, people, { event: 'message', params: { number: '2026-000779', text: 'Проверка' } }),
      );
    const other = dispatcher(config); // its own SMTP connections, as another worker would have
    after(() => other.adapters.email?.close?.());
    const t = at();
    await Promise.all([drain(t, d), drain(t, other)]);
    for (let i = 0; i < 40; i++) assert.equal(mailsTo(`twice${i}@example.org`).length, 1, `twice${i}`);
    const statuses = await db
      .selectFrom('notifications')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('person_id', 'in', people)
      .groupBy('status')
      .execute();
    assert.deepEqual(
      statuses.map((s) => [s.status, Number(s.n)]),
      [['sent', 40]],
    );
  });
});

describe('campaigns', () => {
  test('notifyMany queues 10 000 residents in one statement, skips those who opted out, and every email carries a working unsubscribe link', async () => {
    const at = newDay();
    // Ten thousand extra residents, straight into the registry's table (test data only).
    const [district] = await db.selectFrom('districts').select('id').limit(1).execute();
    const inserted = await sql<{ id: number }>`
      insert into persons (snils, last_name, first_name, birth_date, sex, district_id, address, preferred_channel)
      select lpad((90000000000 + g)::text, 11, '0'), 'Тестов', 'Житель', '1960-01-01', 'M', ${district!.id},
             'Волгоград', 'portal'
      from generate_series(1, 10000) g
      returning id`.execute(db);
    const ids = inserted.rows.map((r) => r.id);
    const optedOut = ids.slice(0, 3);
    await db
      .insertInto('notification_settings')
      .values(optedOut.map((id) => ({ person_id: id, campaigns_opt_out: true })))
      .execute();

    const queued = await db.transaction().execute((trx) =>
      notifyMany(trx, [...ids, ids[5]!], {
        event: 'campaign',
        campaignId: 4242,
        params: {
          subject_ru: 'Новая выплата',
          subject_en: 'New payment',
          body_ru: 'Подайте заявление.',
          body_en: 'Apply.',
        },
      }),
    );
    assert.equal(queued, 9997, 'a repeated id is one resident; the opted-out are not queued');
    const stats = await deliveryStats(db, { campaignId: 4242 });
    assert.deepEqual(stats, [
      { channel: 'pending', status: 'queued', count: 9997 },
      { channel: 'pending', status: 'skipped', count: 3 },
    ]);
    const messages = await db
      .selectFrom('notification_messages')
      .select('id')
      .where('campaign_id', '=', 4242)
      .execute();
    assert.equal(messages.length, 1, 'one message row for the whole campaign');
    // These residents are for counting only: out of the dispatcher's way.
    await db.deleteFrom('notifications').where('message_id', '=', messages[0]!.id).execute();

    const reader = await resident({ channel: 'email', email: 'campaign@example.org' });
    const texter = await resident({ channel: 'sms', phone: '+79005550005' });
    await db.transaction().execute((trx) =>
      notifyMany(trx, [reader, texter], {
        event: 'campaign',
        campaignId: 4243,
        params: {
          subject_ru: 'Новая выплата',
          subject_en: 'New payment',
          body_ru: 'Подайте заявление.',
          body_en: 'Apply.',
        },
      }),
    );
    await drain(at());
    const [email] = mailsTo('campaign@example.org');
    assert.ok(email);
    assert.equal(email.subject, 'Новая выплата');
    const link = /https:\/\/opora\.example\/unsubscribe\/(\S+)/.exec(email.text);
    assert.ok(link, `the email carries an unsubscribe link: ${email.text}`);
    assert.equal(verifyUnsubscribeToken(config.secret, link[1]!), reader);
    assert.match(email.headers['list-unsubscribe'] ?? '', /unsubscribe/);
    const [text] = smsTo('+79005550005');
    assert.ok(text);
    const smsLink = /https:\/\/opora\.example\/unsubscribe\/(\S+)/.exec(text.text);
    assert.equal(verifyUnsubscribeToken(config.secret, smsLink?.[1] ?? ''), texter);
    assert.deepEqual(await deliveryStats(db, { campaignId: 4243 }), [
      { channel: 'email', status: 'sent', count: 1 },
      { channel: 'sms', status: 'sent', count: 1 },
    ]);
  });
});

describe('printed letters', () => {
  test('one PDF per district with each resident’s letter on its own page; the letters are then sent, once', async () => {
    const at = newDay();
    const districts = await db
      .selectFrom('districts')
      .select(['id', 'name_ru'])
      .orderBy('id')
      .limit(2)
      .execute();
    const letters: Array<{ id: number; district: number }> = [];
    for (const [i, district] of [districts[0]!, districts[0]!, districts[1]!].entries()) {
      const id = await resident({ channel: 'post', email: 'has.email@example.org' });
      await db
        .updateTable('persons')
        .set({ district_id: district.id, address: `Тестовая улица, дом ${i + 1}` })
        .where('id', '=', id)
        .execute();
      letters.push({ id, district: district.id });
    }
    await tell(letters[0]!.id);
    await tell(letters[1]!.id, 'documents_needed', {
      number: '2026-000780',
      note: 'Справка о доходах за три месяца',
    });
    await tell(letters[2]!.id);
    await drain(at());
    for (const l of letters) {
      const row = await rowOf(l.id);
      assert.equal(row.channel, 'post', 'chose post, though an email address is known');
      assert.equal(row.status, 'queued', 'waits for the printed batch');
    }
    assert.equal(mailsTo('has.email@example.org').length, 0);

    const morning = at('06:00', 86_400_000);
    const report = await printLetters(db, config, morning);
    const mine = report.batches.filter((b) => districts.some((x) => x.id === b.districtId));
    assert.deepEqual(
      mine.map((b) => [b.districtId, b.letters]).sort(),
      [
        [districts[0]!.id, 2],
        [districts[1]!.id, 1],
      ].sort(),
    );
    const first = mine.find((b) => b.districtId === districts[0]!.id)!;
    const pdf = await blobStore(config).get(first.sha256);
    assert.equal(await pdfPageCount(pdf), 3, 'a cover sheet and one page per letter');
    const text = await pdfText(pdf);
    const names = await db
      .selectFrom('persons')
      .select(['id', 'last_name', 'first_name'])
      .where('id', 'in', [letters[0]!.id, letters[1]!.id])
      .execute();
    for (const n of names) assert.match(text, new RegExp(`${n.last_name} ${n.first_name}`));
    assert.match(text, /Тестовая улица, дом 1/);
    assert.match(text, /Заявление № 2026-000777 принято/);
    assert.match(text, /Нужны документы по заявлению № 2026-000780/);
    assert.match(text, /Справка о доходах за три месяца/);
    for (const l of letters) {
      const row = await rowOf(l.id);
      assert.equal(row.status, 'sent');
      assert.equal(row.provider_id?.startsWith('letters:'), true);
    }
    const again = await printLetters(db, config, morning);
    assert.equal(
      again.batches.filter((b) => districts.some((x) => x.id === b.districtId)).length,
      0,
      'safe to run twice',
    );
    const batches = await db
      .selectFrom('letter_batches')
      .selectAll()
      .where('sha256', '=', first.sha256)
      .execute();
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.batch_date, regionToday(morning));
  });
});
