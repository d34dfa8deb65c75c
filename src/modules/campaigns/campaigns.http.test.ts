// Campaigns over HTTP with the cookie-jar client, as an analyst without JavaScript: the group builder
// counts, refuses an empty group and a missing sweep; the message is checked and previewed; a past
// time is refused; check answers schedules; the launch and the notifications dispatcher (SMS to the
// simulator, the portal inbox, letters) deliver; the figures page shows delivery by channel, the
// unsubscribed resident as skipped, and the response once a recipient applies. Cancelling, district
// heads' scope and access by role.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { translate } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { startSmsSimulator } from '../../simulators/sms/sms.simulator.ts';
import { registerAtCounter } from '../applications/applications.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { deliveryStats, optOutOfCampaigns } from '../notifications/notifications.service.ts';
import { notificationsTasks } from '../notifications/notifications.tasks.ts';
import { campaignsTasks } from './campaigns.tasks.ts';

const SMS_KEY = 'campaign-sms-key';
const sms = await startSmsSimulator({ apiKey: SMS_KEY });
after(() => sms.close());
const { baseUrl, db, database, config } = await startTestApp({
  config: {
    sms: { url: sms.url, apiKey: SMS_KEY },
    smtp: undefined,
    // No quiet hours, so the test delivers SMS whatever the hour it runs at; no throttling to wait for.
    notify: { smsQuietHours: undefined, rates: { portal: 1000, email: 1000, sms: 1000 } },
  },
});
await seedSmallRegion(database, 400);
const TODAY = regionToday();

const ids = {
  analyst: await staffUser(db, 'analyst', 'ministry_analyst'),
  head: await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']),
  spec: await staffUser(db, 'spec.volzhsky', 'specialist', ['volzhsky']),
};
const [VOLZHSKY] = await districtIdsByCodes(db, ['volzhsky']);

const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as never;
const campaignTasks = campaignsTasks(db);
const deliveryTasks = notificationsTasks(db, config);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

const hidden = (html: string, name: string) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(m, `hidden field ${name}`);
  return m[1]!.replace(/&amp;/g, '&');
};

const residents = (count: number) => translate('ru', 'campaigns.residents', { count });
const ageOn = (birth: string, day: string) =>
  Math.floor((Number(day.replaceAll('-', '')) - Number(birth.replaceAll('-', ''))) / 10000);

/** Delivery table of the figures page: channel label → status label → count. */
function deliveryTable(html: string): Map<string, Map<string, number>> {
  const table = /<table class="table" id="delivery">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const heads = [...(/<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '').matchAll(/<th[^>]*>([^<]*)<\/th>/g)]
    .slice(1)
    .map((m) => m[1]!);
  const rows = new Map<string, Map<string, number>>();
  for (const row of table.matchAll(/<tr><th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)) {
    const cells = [...row[2]!.matchAll(/<td>(?:<strong>)?([^<]*)/g)].map((m) =>
      Number(m[1]!.replace(/\D/g, '')),
    );
    rows.set(row[1]!, new Map(heads.map((h, i) => [h, cells[i]!])));
  }
  return rows;
}

const GROUP = '/staff/campaigns/new?districts=volzhsky&age_min=18&measure=VETERAN-EDV&relation=any';

describe('campaigns over HTTP', () => {
  let campaignPath = '';

  test('the group builder counts, and refuses an empty group or a missing sweep', async () => {
    const analyst = await signIn('analyst');
    const list = await analyst.get('/staff/campaigns');
    assert.equal(list.status, 200);
    assert.match(text(list.body), /Рассылок пока нет/);

    const persons = await db.selectFrom('persons').select(['birth_date', 'district_id']).execute();
    const adults = persons.filter(
      (p) => p.district_id === VOLZHSKY && ageOn(p.birth_date, TODAY) >= 18,
    ).length;
    const counted = await analyst.get(`${GROUP}&action=count`);
    assert.equal(counted.status, 200);
    assert.ok(text(counted.body).includes(`Размер группы ${residents(adults)}`), 'the size is shown');

    const empty = await analyst.get('/staff/campaigns/new?districts=volzhsky&age_min=120&action=continue');
    assert.equal(empty.status, 422);
    assert.match(text(empty.body), /В эту группу не попал ни один житель; расширьте условия/);
    assert.match(empty.body, /href="#group"/);

    const noSweep = await analyst.get(
      '/staff/campaigns/new?measure=VETERAN-EDV&relation=eligible&action=count',
    );
    assert.equal(noSweep.status, 422);
    assert.match(text(noSweep.body), /Проактивная проверка этой меры ещё не проводилась/);
    assert.match(noSweep.body, /href="\/staff\/sweeps"/);

    const wrong = await analyst.get(
      '/staff/campaigns/new?age_min=70&age_max=60&relation=receives&action=count',
    );
    assert.equal(wrong.status, 422);
    assert.match(text(wrong.body), /Возраст «до» должен быть не меньше возраста «от»/);
    assert.match(text(wrong.body), /Выберите меру поддержки или отношение «Любое»/);
  });

  test('message, preview, schedule and check answers; scheduling freezes the group', async () => {
    const analyst = await signIn('analyst');
    const go = await analyst.get(`${GROUP}&action=continue`);
    assert.equal(go.status, 303);
    assert.match(go.location ?? '', /^\/staff\/campaigns\/new\/message\?state=/);
    const messagePath = go.location!;
    const page = await analyst.get(messagePath);
    assert.equal(page.status, 200);
    const state = hidden(page.body, 'state');

    const missing = await analyst.submit(messagePath, '/staff/campaigns/new/message', {
      state,
      title: 'ЕДВ ветеранам труда',
      subject_ru: '',
      body_ru: '',
      subject_en: 'Only a subject',
      body_en: '',
      action: 'continue',
    });
    assert.equal(missing.status, 422);
    const shown = text(missing.body);
    assert.match(shown, /Введите тему на русском языке/);
    assert.match(shown, /Введите текст на русском языке/);
    assert.match(shown, /Заполните и тему, и текст на английском или оставьте оба поля пустыми/);

    const fields = {
      state,
      title: 'ЕДВ ветеранам труда',
      subject_ru: 'Ежемесячная выплата',
      body_ru: 'Ветераны труда старше 60 лет могут получать ежемесячную денежную выплату. Подайте заявление.',
      subject_en: '',
      body_en: '',
    };
    const preview = await analyst.submit(messagePath, '/staff/campaigns/new/message', {
      ...fields,
      action: 'preview',
    });
    assert.equal(preview.status, 200);
    const previewText = text(preview.body);
    assert.match(previewText, /СМС \(по-русски\)/);
    assert.match(previewText, /знаков \(кириллица\) — \d+ СМС по 67 знаков/);
    assert.match(previewText, /Тема: Ежемесячная выплата/);
    assert.match(previewText, /Отказаться от информационных рассылок:/);

    const next = await analyst.submit(messagePath, '/staff/campaigns/new/message', {
      ...fields,
      action: 'continue',
    });
    assert.equal(next.status, 303);
    assert.match(next.location ?? '', /^\/staff\/campaigns\/new\/schedule\?state=/);
    const schedulePath = next.location!;
    const scheduleState = hidden((await analyst.get(schedulePath)).body, 'state');

    const yesterday = regionToday(new Date(Date.now() - 86_400_000));
    const past = await analyst.submit(schedulePath, '/staff/campaigns/new/schedule', {
      state: scheduleState,
      when: 'later',
      date: yesterday,
      time: '10:00',
    });
    assert.equal(past.status, 422);
    assert.match(text(past.body), /Время отправки уже прошло; выберите время в будущем/);

    const now = await analyst.submit(schedulePath, '/staff/campaigns/new/schedule', {
      state: scheduleState,
      when: 'now',
      date: '',
      time: '',
    });
    assert.equal(now.status, 303);
    const checkPath = now.location!;
    assert.match(checkPath, /^\/staff\/campaigns\/new\/check\?state=/);
    const check = await analyst.get(checkPath);
    assert.equal(check.status, 200);
    const checkText = text(check.body);
    assert.match(checkText, /Волжский/);
    assert.match(checkText, /от 18/);
    assert.match(checkText, /не переведено — будет отправлен русский текст/);
    assert.match(checkText, /Жителей в группе сейчас \d+ жител/);

    const scheduled = await analyst.request(
      'POST',
      '/staff/campaigns/new/check',
      new URLSearchParams({
        _csrf: hidden(check.body, '_csrf'),
        state: hidden(check.body, 'state'),
        key: hidden(check.body, 'key'),
      }),
    );
    assert.equal(scheduled.status, 303);
    assert.match(scheduled.location ?? '', /^\/staff\/campaigns\/\d+\?scheduled=1$/);
    campaignPath = scheduled.location!.replace(/\?.*$/, '');
    const view = await analyst.get(scheduled.location!);
    assert.equal(view.status, 200);
    const viewText = text(view.body);
    assert.match(viewText, /Рассылка назначена/);
    assert.match(viewText, /Состояние запланирована/);
    assert.match(viewText, /Отклик появится после начала рассылки/);
  });

  test('after the launch and delivery the figures show each channel, the unsubscribed, and the response', async () => {
    const analyst = await signIn('analyst');
    const id = Number(campaignPath.split('/').pop());
    const recipients = (
      await db.selectFrom('campaign_recipients').select('person_id').where('campaign_id', '=', id).execute()
    ).map((r) => r.person_id);
    await optOutOfCampaigns(db, recipients[0]!);

    await campaignTasks['campaigns:launch']!({ campaignId: id }, helpers);
    await deliveryTasks['notifications:dispatch']!({}, helpers);
    const sent = await analyst.get(campaignPath);
    const table = deliveryTable(sent.body);
    const smsRow = table.get('СМС');
    assert.ok(smsRow, 'residents who chose SMS got one');
    const toSimulator = sms
      .messages()
      .filter((m) => m.text.startsWith('Ежемесячная выплата. Ветераны труда'));
    assert.ok(toSimulator.length > 0);
    assert.equal(smsRow.get('доставлено'), toSimulator.length, 'SMS sent = SMS the gateway accepted');
    assert.ok(toSimulator.every((m) => m.text.includes('/unsubscribe/')));
    assert.ok((table.get('портал')?.get('доставлено') ?? 0) > 0, 'portal inbox messages');
    const total = table.get('Всего')!;
    assert.equal(total.get('отказались от рассылок'), 1);
    const stats = await deliveryStats(db, { campaignId: id });
    const sum = (status: string) =>
      stats.filter((s) => s.status === status).reduce((n, s) => n + Number(s.count), 0);
    assert.equal(total.get('доставлено'), sum('sent'));
    assert.equal(sum('sent') + sum('queued') + sum('failed') + sum('skipped'), recipients.length);

    // Letters by post go out with the morning batch; then nothing is queued and the campaign is done.
    await deliveryTasks['notifications:letters']!({}, helpers);
    await deliveryTasks['notifications:dispatch']!({}, helpers);
    const done = text((await analyst.get(campaignPath)).body);
    assert.match(done, /Состояние завершена/);
    assert.match(done, new RegExp(`0 из ${recipients.length} получателей подали заявление`));

    // One recipient applies at the counter: the response counts them.
    const specialist: StaffActor = {
      kind: 'staff',
      userId: ids.spec,
      login: 'spec.volzhsky',
      fullName: 'Test',
      role: 'specialist',
      districtIds: [VOLZHSKY!],
      sessionId: 't',
    };
    await db.transaction().execute((trx) =>
      registerAtCounter(
        trx,
        specialist,
        {
          personId: recipients[1]!,
          measureCode: 'VETERAN-EDV',
          channel: 'in_person',
          answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
          emergency: false,
          idempotencyKey: 'campaign-response-1',
        },
        { ip: '127.0.0.1' },
      ),
    );
    const responded = text((await analyst.get(campaignPath)).body);
    assert.match(responded, new RegExp(`1 из ${recipients.length} получателей подали заявление на меру`));
  });

  test('a scheduled campaign is cancelled from its page, once', async () => {
    const analyst = await signIn('analyst');
    const check = await analyst.get(
      `/staff/campaigns/new/check?state=${Buffer.from(
        JSON.stringify({
          districts: ['volgograd'],
          relation: 'any',
          title: 'Later',
          subject_ru: 'Тема',
          body_ru: 'Текст',
          when: 'later',
          date: regionToday(new Date(Date.now() + 2 * 86_400_000)),
          time: '10:00',
        }),
      ).toString('base64url')}`,
    );
    assert.equal(check.status, 200);
    const scheduled = await analyst.request(
      'POST',
      '/staff/campaigns/new/check',
      new URLSearchParams({
        _csrf: hidden(check.body, '_csrf'),
        state: hidden(check.body, 'state'),
        key: hidden(check.body, 'key'),
      }),
    );
    const path = scheduled.location!.replace(/\?.*$/, '');
    const page = await analyst.get(path);
    assert.match(text(page.body), /10:00/);
    const cancelled = await analyst.submit(path, `${path}/cancel`, {});
    assert.equal(cancelled.status, 303);
    const after = text((await analyst.get(cancelled.location!)).body);
    assert.match(after, /Рассылка отменена/);
    assert.match(after, /Состояние отменена/);
    assert.doesNotMatch(after, /Отменить рассылку/);
    const again = await analyst.submit(path, `${path}/cancel`, {});
    assert.equal(again.status, 409);
    assert.match(text(again.body), /Рассылку уже нельзя отменить/);
    const list = text((await analyst.get('/staff/campaigns')).body);
    assert.match(list, /Later отменена/);
    assert.match(list, /ЕДВ ветеранам труда завершена/);
  });

  test('a district head works in their districts only; other staff may not open campaigns', async () => {
    const head = await signIn('head.volgograd');
    const form = await head.get('/staff/campaigns/new');
    assert.equal(form.status, 200);
    assert.match(form.body, /value="volgograd"/);
    assert.doesNotMatch(form.body, /value="volzhsky"/);
    const forged = await head.get('/staff/campaigns/new?districts=volzhsky&action=count');
    assert.equal(forged.status, 422);
    assert.match(text(forged.body), /Выберите районы из списка/);
    assert.equal((await head.get(campaignPath)).status, 404, "the analyst's campaign in another district");
    assert.doesNotMatch(text((await head.get('/staff/campaigns')).body), /ЕДВ ветеранам труда/);

    const specialist = await signIn('spec.volzhsky');
    assert.equal((await specialist.get('/staff/campaigns')).status, 403);
    assert.equal((await specialist.get('/staff/campaigns/new')).status, 403);
  });
});
