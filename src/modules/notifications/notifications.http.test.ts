// The notification pages over HTTP: a resident chooses channels on "Notifications", an unsubscribe
// link works and a tampered one is refused, staff see delivery figures and template previews, and
// printed letter batches are downloaded only within the reader's districts, every download audited.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { startAppWithEsia } from '../../../test/support/resident.ts';
import { regionToday } from '../../platform/time.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { atLocal } from './notifications.clock.ts';
import { dispatcher, dispatchStep } from './notifications.dispatcher.ts';
import { printLetters } from './notifications.letters.ts';
import { notify, notifyMany, unsubscribeToken } from './notifications.service.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 200);
const { baseUrl, signIn } = await startAppWithEsia(database);
// Staff pages on a second instance over the same database, whose configuration (blob store) we know.
const staffApp = await startTestApp({ database });
const { config } = staffApp;
const [VOLGOGRAD] = await districtIdsByCodes(db, ['volgograd']);
await staffUser(db, 'analyst', 'ministry_analyst');
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);

async function staff(login: string): Promise<Client> {
  const client = new Client(staffApp.baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

const used = new Set<number>();
async function resident(districtId: number) {
  const p = await db
    .selectFrom('persons')
    .select(['id', 'snils', 'last_name', 'first_name'])
    .where('district_id', '=', districtId)
    .where('id', 'not in', [0, ...used])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  used.add(p.id);
  return p;
}

describe('My notifications', () => {
  test('the resident chooses a channel they have, the language and no campaigns; a channel they lack is refused', async () => {
    const me = await resident(VOLGOGRAD!);
    await db
      .updateTable('persons')
      .set({ email: null, phone: '+79001112233', preferred_channel: 'portal' })
      .where('id', '=', me.id)
      .execute();
    const browser = await signIn(me.snils);
    const page = await browser.get('/me/notifications');
    assert.equal(page.status, 200);
    assert.match(text(page.body), /На номер \+79001112233/);
    assert.match(text(page.body), /В ваших данных нет адреса электронной почты/);
    assert.match(page.body, /value="portal" checked/);

    const refused = await browser.submit('/me/notifications', '/me/notifications', {
      channel: 'email',
      lang: 'ru',
      campaigns: 'yes',
    });
    assert.equal(refused.status, 400);
    assert.match(text(refused.body), /Исправьте ошибки/);
    assert.match(text(refused.body), /нет адреса электронной почты. Выберите другой способ/);
    assert.match(refused.body, /href="#channel"/);

    const saved = await browser.submit('/me/notifications', '/me/notifications', {
      channel: 'sms',
      lang: 'en',
      campaigns: 'no',
    });
    assert.equal(saved.status, 303);
    const after = await browser.follow(saved);
    assert.match(text(after.body), /Настройки уведомлений сохранены/);
    assert.match(after.body, /value="sms" checked/);
    assert.match(after.body, /value="en" checked/);
    assert.match(after.body, /value="no" checked/);
    const person = await db
      .selectFrom('persons')
      .select('preferred_channel')
      .where('id', '=', me.id)
      .executeTakeFirstOrThrow();
    assert.equal(person.preferred_channel, 'sms');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'notifications.settings.changed')
      .where('subject_id', '=', String(me.id))
      .execute();
    assert.equal(audit.length, 1);

    const queued = await db
      .transaction()
      .execute((trx) => notifyMany(trx, [me.id], { event: 'campaign', params: { subject: 'X', body: 'Y' } }));
    assert.equal(queued, 0, 'no campaigns for a resident who said no');
    // …but what concerns their own applications still reaches them.
    await db
      .transaction()
      .execute((trx) =>
        notify(trx, { personId: me.id, event: 'message', params: { number: '2026-1', text: 'Hello' } }),
      );
    const rows = await db
      .selectFrom('notifications')
      .select('status')
      .where('person_id', '=', me.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['skipped', 'queued'],
    );
  });

  test('signed-out visitors are sent to sign in', async () => {
    const r = await new Client(baseUrl).get('/me/notifications');
    assert.equal(r.status, 303);
    assert.match(r.location ?? '', /^\/sign-in\?return=/);
  });
});

describe('unsubscribe links', () => {
  test('the link asks, then stops campaigns; a tampered link is refused and changes nothing', async () => {
    const me = await resident(VOLGOGRAD!);
    const token = unsubscribeToken(config.secret, me.id);
    const visitor = new Client(baseUrl);
    const ask = await visitor.get(`/unsubscribe/${token}`);
    assert.equal(ask.status, 200);
    assert.match(text(ask.body), /Отказ от информационных рассылок/);

    const [id, mac] = token.split('.') as [string, string];
    const other = (me.id + 1).toString(36);
    for (const forged of [
      `${other}.${mac}`,
      `${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      'nonsense',
    ]) {
      const r = await visitor.get(`/unsubscribe/${forged}`);
      assert.equal(r.status, 404, forged);
      assert.match(text(r.body), /Ссылка недействительна/);
      const post = await visitor.submit(`/unsubscribe/${token}`, `/unsubscribe/${forged}`, {});
      assert.equal(post.status, 404);
    }
    const none = await db
      .selectFrom('notification_settings')
      .selectAll()
      .where('person_id', 'in', [me.id, me.id + 1])
      .execute();
    assert.deepEqual(none, [], 'forged links changed nothing');

    const done = await visitor.submit(`/unsubscribe/${token}`, `/unsubscribe/${token}`, {});
    assert.equal(done.status, 200);
    assert.match(text(done.body), /Вы отказались от информационных рассылок/);
    const settings = await db
      .selectFrom('notification_settings')
      .select('campaigns_opt_out')
      .where('person_id', '=', me.id)
      .executeTakeFirstOrThrow();
    assert.equal(settings.campaigns_opt_out, true);
    const queued = await db
      .transaction()
      .execute((trx) =>
        notifyMany(trx, [me.id], { event: 'campaign', params: { subject: 'X', body: 'Y' }, campaignId: 7 }),
      );
    assert.equal(queued, 0);
  });
});

describe('staff pages', () => {
  test('delivery figures by channel and status, with recent failures, for the ministry; not for specialists', async () => {
    const analyst = await staff('analyst');
    const page = await analyst.get('/staff/notifications');
    assert.equal(page.status, 200);
    const body = text(page.body);
    assert.match(body, /Доставка уведомлений/);
    assert.match(body, /канал ещё не выбран/, 'rows the dispatcher has not seen yet');
    assert.match(body, /пропущено/);
    assert.match(body, /Шаблоны уведомлений/);
    const specialist = await staff('spec.volgograd');
    assert.equal((await specialist.get('/staff/notifications')).status, 403);
    assert.equal((await specialist.get('/staff/notifications/templates')).status, 403);
  });

  test('the template preview shows every event in Russian and English with sample values', async () => {
    const analyst = await staff('analyst');
    const page = await analyst.get('/staff/notifications/templates');
    assert.equal(page.status, 200);
    const body = text(page.body);
    for (const expected of [
      'Заявление № 2026-000123 принято',
      'Application 2026-000123 received',
      'Решение по заявлению № 2026-000123: отказ',
      'The application was refused: the applicant is not in the category of recipients',
      'Вы записаны на приём 25 ноября 2026 г. в 10:30',
      'Your appointment on 25 November 2026 at 10:30',
      'Напоминание о приёме',
      'RUB 1,234.50',
      'Новая мера поддержки семей с детьми',
    ])
      assert.ok(body.includes(expected), `preview shows "${expected}"`);
    assert.doesNotMatch(body, /\{\w+\}/, 'no placeholder left unfilled');
  });

  test('letter batches: listed and downloaded within the reader’s districts only, every download audited', async () => {
    const addressee = await resident(VOLGOGRAD!);
    await db
      .updateTable('persons')
      .set({ preferred_channel: 'post' })
      .where('id', '=', addressee.id)
      .execute();
    await db.transaction().execute((trx) =>
      notify(trx, {
        personId: addressee.id,
        event: 'message',
        params: { number: '2026-2', text: 'Письмо' },
      }),
    );
    const tomorrow = new Date(Date.now() + 86_400_000);
    await dispatchStep(db, dispatcher({ ...config, smtp: undefined, sms: undefined }), tomorrow);
    const report = await printLetters(db, config, atLocal(regionToday(tomorrow), '06:00'));
    const batch = report.batches.find((b) => b.districtId === VOLGOGRAD);
    assert.ok(batch, 'a batch for Volgograd');

    const mine = await staff('spec.volgograd');
    const list = await mine.get('/staff/notifications/letters');
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`/staff/notifications/letters/${batch.id}/letters\\.pdf`));
    const pdf = await mine.get(`/staff/notifications/letters/${batch.id}/letters.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');

    const stranger = await staff('spec.olkhovsky');
    const theirs = await stranger.get('/staff/notifications/letters');
    assert.doesNotMatch(theirs.body, new RegExp(`/letters/${batch.id}/`));
    assert.equal((await stranger.get(`/staff/notifications/letters/${batch.id}/letters.pdf`)).status, 404);

    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'district_id'])
      .where('subject_kind', '=', 'letter_batch')
      .where('subject_id', '=', String(batch.id))
      .orderBy('id')
      .execute();
    assert.deepEqual(audit, [
      { action: 'letters.downloaded', district_id: VOLGOGRAD },
      { action: 'letters.download.denied', district_id: VOLGOGRAD },
    ]);
  });
});
