// Informing-campaign benchmark on a region-sized registry: a throwaway embedded PostgreSQL (bench
// settings, as bench/seed.ts), the synthetic region, then a campaign to about 500,000 residents:
//   1. the target group built: counted (the builder's "Count"), then frozen — the campaign saved, the
//      group copied by INSERT … SELECT and the launch enqueued, in one transaction (target < 10 s);
//   2. the launch: the frozen group handed to the notifications service, one outbox row per resident
//      (target < 30 s);
//   3. delivery through the SMS gateway simulator: the notifications dispatcher with SMS as its only
//      channel (quiet hours off, throttle raised out of the way), stepped until every row has its
//      channel, then for --seconds of sending: SMS per second;
//   4. the figures page's queries (delivery by channel and status, response) on that campaign.
//   node --import ./src/platform/loader/register.ts bench/campaign.ts [--persons 2500000] [--age-min 60]
//        [--categories pensioner] [--districts code,code] [--seconds 30] [--sms-rate 100000]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import * as campaigns from '../src/modules/campaigns/campaigns.service.ts';
import { smsAdapter } from '../src/modules/notifications/notifications.channels.ts';
import { dispatcher, dispatchStep } from '../src/modules/notifications/notifications.dispatcher.ts';
import { createStaffUser } from '../src/modules/staff/staff.service.ts';
import type { StaffActor } from '../src/platform/auth/actor.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { regionToday } from '../src/platform/time.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startSmsSimulator } from '../src/simulators/sms/sms.simulator.ts';
import { startBenchDatabase } from './support.ts';

const TARGET = { buildSeconds: 10, enqueueSeconds: 30 };
/** The notifications service's default SMS throttle (OPORA_NOTIFY_RATE_SMS), for comparison. */
const DEFAULT_SMS_RATE = 20;

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '2500000' },
    seed: { type: 'string', default: '1' },
    'age-min': { type: 'string', default: '60' },
    'age-max': { type: 'string', default: '' },
    categories: { type: 'string', default: 'pensioner' },
    districts: { type: 'string', default: '' },
    measure: { type: 'string', default: 'VETERAN-EDV' },
    seconds: { type: 'string', default: '30' },
    'sms-rate': { type: 'string', default: '100000' },
  },
});
const persons = Number(values.persons);
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const n = (v: number) => Math.round(v).toLocaleString('en');
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const out = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
};

const bench = await startBenchDatabase('campaign');
try {
  const db = createDb(bench.url, 8);
  try {
    note('migrating…');
    await migrateToLatest(db);
    await migrateJobQueue(bench.url);
    note(`seeding ${n(persons)} residents…`);
    const [, seedMs] = await time(() => seedRegion(db, bench.url, { persons, seed: Number(values.seed) }));
    note(`seeded in ${s1(seedMs)}`);
    const userId = await createStaffUser(db, {
      login: 'analyst',
      fullName: 'Bench Analyst',
      role: 'ministry_analyst',
      password: 'bench-password-bench',
      districtCodes: [],
    });
    const analyst: StaffActor = {
      kind: 'staff',
      userId,
      login: 'analyst',
      fullName: 'Bench Analyst',
      role: 'ministry_analyst',
      districtIds: [],
      sessionId: 'bench',
    };
    const choices = await campaigns.filterChoices(db, analyst);
    const parsed = campaigns.parseFilter(
      choices,
      {
        districts: list(values.districts),
        ageMin: values['age-min'],
        ageMax: values['age-max'],
        categories: list(values.categories),
        measure: values.measure,
        relation: 'any',
      },
      regionToday(),
    );
    if ('errors' in parsed) throw new Error(`bad filter: ${JSON.stringify(parsed.errors)}`);
    const filter = parsed.filter;
    const described = `age ${filter.ageMin ?? 0}–${filter.ageMax ?? '∞'}, categories [${filter.categories.join(', ') || 'any'}], districts [${filter.districts.join(', ') || 'all'}]`;

    out(`Campaign benchmark on ${n(persons)} residents (seeded in ${s1(seedMs)}); group: ${described}`);
    out();

    // ------------------------------------------------------------ 1. the target group
    note('1/4 building the group…');
    const [{ count }, countMs] = await time(() => campaigns.countGroup(db, analyst, filter));
    const [campaignId, freezeMs] = await time(() =>
      db.transaction().execute((trx) =>
        campaigns.scheduleCampaign(
          trx,
          analyst,
          {
            filter,
            message: {
              title: 'Benchmark',
              subjectRu: 'Компенсация за газ',
              bodyRu:
                'Пенсионеры старше 60 лет могут получить компенсацию за газ. Подайте заявление на портале.',
              subjectEn: 'Gas bill compensation',
              bodyEn: 'Pensioners over 60 can get a gas bill compensation. Apply on the portal.',
            },
            at: null,
            key: 'bench-campaign-1',
          },
          '127.0.0.1',
        ),
      ),
    );
    const frozen = await campaigns.campaignForStaff(db, analyst, campaignId);
    const buildMs = countMs + freezeMs;
    out(
      '1. Target group: count (the builder) + freeze (save, INSERT … SELECT, enqueue, audit; one transaction)',
    );
    out(
      `   ${n(count)} residents counted in ${s1(countMs)}; ${n(frozen.recipients)} frozen in ${s1(freezeMs)}`,
    );
    out(
      `   build ${s1(buildMs)} — target < ${TARGET.buildSeconds} s: ${verdict(buildMs < TARGET.buildSeconds * 1000)} ` +
        `(${((buildMs / (TARGET.buildSeconds * 1000)) * 100).toFixed(0)} % of the target)`,
    );
    if (frozen.recipients !== count) out('   MISMATCH between the count and the frozen group');
    out();

    // ------------------------------------------------------------ 2. the launch
    note('2/4 launching (notifyMany)…');
    const [launched, launchMs] = await time(() => campaigns.launchCampaign(db, campaignId));
    const stats = await campaigns.delivery(db, campaignId);
    out('2. Launch: the frozen group to the notifications outbox (notifyMany, one transaction)');
    out(
      `   ${n(launched.queued)} queued (+${n(stats.byStatus.get('skipped') ?? 0)} skipped) in ${s1(launchMs)} = ` +
        `${n(launched.queued / (launchMs / 1000))} per second`,
    );
    out(
      `   enqueue ${s1(launchMs)} — target < ${TARGET.enqueueSeconds} s: ${verdict(launchMs < TARGET.enqueueSeconds * 1000)} ` +
        `(${((launchMs / (TARGET.enqueueSeconds * 1000)) * 100).toFixed(0)} % of the target)`,
    );
    out();

    // ------------------------------------------------------------ 3. delivery through the SMS simulator
    const seconds = Number(values.seconds);
    const smsRate = Number(values['sms-rate']);
    note(`3/4 delivering for ${seconds} s…`);
    const gateway = await startSmsSimulator({ apiKey: 'bench-key' });
    try {
      const sms = { url: gateway.url, apiKey: 'bench-key' };
      const config = {
        baseUrl: 'https://opora.example',
        secret: 'bench-secret-bench-secret-bench-secret-00',
        notify: { smsQuietHours: undefined, rates: { portal: smsRate, email: smsRate, sms: smsRate } },
        smtp: undefined,
        sms,
      };
      // SMS is the only channel with an adapter, so every step's sending is SMS (the inbox and post
      // rows get their channel and wait); residents who chose email fall back to SMS when they have a phone.
      const d = dispatcher(config, { adapters: { sms: smsAdapter(sms) } });
      // The dispatcher's own loop, step by step, to tell its two phases apart: first every row of the
      // campaign is given a channel (a step assigns up to 100,000 before it sends), then SMS are sent.
      const assignStarted = performance.now();
      let assigned = 0;
      let sentWhileAssigning = 0;
      for (;;) {
        const step = await dispatchStep(db, d, new Date());
        assigned += step.assigned;
        sentWhileAssigning += step.sent;
        if (step.assigned === 0 || performance.now() - assignStarted > 600_000) break;
      }
      const assignMs = performance.now() - assignStarted;
      const before = gateway.messages().length;
      const sendStarted = performance.now();
      let sent = 0;
      let failed = 0;
      while (performance.now() - sendStarted < seconds * 1000) {
        const step = await dispatchStep(db, d, new Date());
        sent += step.sent;
        failed += step.failed;
        if ((step.claimed.sms ?? 0) === 0) break; // every SMS of the campaign is out
      }
      const sendMs = performance.now() - sendStarted;
      const accepted = gateway.messages().length - before;
      const after = await campaigns.delivery(db, campaignId);
      const perSecond = accepted / (sendMs / 1000);
      const smsTotal = after.count('sms', 'sent') + after.count('sms', 'queued');
      out('3. Delivery through the SMS simulator (the notifications dispatcher, SMS its only channel)');
      out(
        `   channels given to ${n(assigned)} rows in ${s1(assignMs)} (${n(assigned / (assignMs / 1000))} rows/s; ` +
          `${n(sentWhileAssigning)} SMS sent meanwhile) — ${n(smsTotal)} of them by SMS`,
      );
      out(
        `   then ${n(accepted)} SMS accepted by the gateway in ${s1(sendMs)} (${n(sent)} recorded sent, ${n(failed)} failed) ` +
          `= ${n(perSecond)} SMS/s`,
      );
      out(
        `   ${(perSecond / DEFAULT_SMS_RATE).toFixed(0)}x the default SMS throttle (${DEFAULT_SMS_RATE}/s, OPORA_NOTIFY_RATE_SMS); ` +
          `this campaign's ${n(smsTotal)} SMS take ${(smsTotal / perSecond / 60).toFixed(1)} min at the measured rate, ` +
          `${(smsTotal / DEFAULT_SMS_RATE / 3600).toFixed(1)} h at the default throttle`,
      );
    } finally {
      await gateway.close();
    }
    out();

    // ------------------------------------------------------------ 4. the figures page
    note('4/4 figures…');
    const [figures, figuresMs] = await time(() => campaigns.campaignFigures(db, analyst, campaignId));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notifications`.execute(db);
    out(
      `4. Figures page queries (delivery by channel and status over ${n(rows[0]?.n ?? 0)} outbox rows): ${figuresMs.toFixed(0)} ms` +
        ` (${figures.delivery.channels.length} channels)`,
    );
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
