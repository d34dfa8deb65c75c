// Notification service benchmark on a throwaway embedded PostgreSQL (bench settings) with the
// synthetic region:
//   1. notifyMany to --recipients residents: one message row, one outbox row each, one statement;
//   2. the dispatcher's channel choice for all of them (registry contacts, 5 000 rows a transaction);
//   3. delivery through the SMS gateway simulator for --seconds (SMS the only adapter, throttle off);
//   4. notify() on the hot path: one resident per transaction, sequential and from --clients at once
//      (every call also wakes the dispatcher through one debounced job key).
//   node --import ./src/platform/loader/register.ts bench/notifications.ts [--persons 600000]
//        [--recipients 500000] [--seconds 10] [--clients 8]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { smsAdapter } from '../src/modules/notifications/notifications.channels.ts';
import { dispatcher, dispatchStep } from '../src/modules/notifications/notifications.dispatcher.ts';
import { insertSingle } from '../src/modules/notifications/notifications.repository.ts';
import { notify, notifyMany } from '../src/modules/notifications/notifications.service.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startSmsSimulator } from '../src/simulators/sms/sms.simulator.ts';
import { startBenchDatabase } from './support.ts';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '600000' },
    recipients: { type: 'string', default: '500000' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
  },
});
const persons = Number(values.persons);
const recipients = Math.min(Number(values.recipients), persons);
const n = (v: number) => Math.round(v).toLocaleString('en');
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const out = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
};

const bench = await startBenchDatabase('notifications');
try {
  const db = createDb(bench.url, Number(values.clients) + 4);
  try {
    note('migrating…');
    await migrateToLatest(db);
    await migrateJobQueue(bench.url);
    note(`seeding ${n(persons)} residents…`);
    const [, seedMs] = await time(() => seedRegion(db, bench.url, { persons, seed: 1 }));
    out(`Notifications benchmark on ${n(persons)} residents (seeded in ${s1(seedMs)})`);
    out();

    // ------------------------------------------------------------ 1. notifyMany
    const ids = (
      await sql<{ id: number }>`select id from persons order by id limit ${recipients}`.execute(db)
    ).rows.map((r) => r.id);
    const [queued, queueMs] = await time(() =>
      db.transaction().execute((trx) =>
        notifyMany(trx, ids, {
          event: 'campaign',
          campaignId: 1,
          params: { subject_ru: 'Тест', subject_en: 'Test', body_ru: 'Текст.', body_en: 'Text.' },
        }),
      ),
    );
    out(
      `1. notifyMany: ${n(queued)} outbox rows in ${s1(queueMs)} = ${n(queued / (queueMs / 1000))} per second`,
    );

    // ------------------------------------------------------------ 2. channel choice
    const gateway = await startSmsSimulator({ apiKey: 'bench-key' });
    try {
      const sms = { url: gateway.url, apiKey: 'bench-key' };
      const config = {
        baseUrl: 'https://opora.example',
        secret: 'bench-secret-bench-secret-bench-secret-00',
        notify: { smsQuietHours: undefined, rates: { portal: 1_000_000, email: 1_000_000, sms: 1_000_000 } },
        smtp: undefined,
        sms,
      };
      // SMS is the only adapter: inbox and post rows get their channel and wait.
      const d = dispatcher(config, { adapters: { sms: smsAdapter(sms) }, policy: { maxBatch: 2000 } });
      // Channel choice alone: SMS available (so residents with phones get it) but throttled to 1/s.
      const assignOnly = dispatcher(
        { ...config, notify: { ...config.notify, rates: { portal: 1, email: 1, sms: 1 } } },
        { adapters: { sms: smsAdapter(sms) } },
      );
      const [assigned, assignMs] = await time(async () => {
        let total = 0;
        for (;;) {
          const step = await dispatchStep(db, assignOnly, new Date());
          total += step.assigned;
          if (step.assigned === 0) return total;
        }
      });
      const channels = await sql<{ channel: string; n: number }>`
        select channel, count(*)::int as n from notifications group by 1 order by 2 desc`.execute(db);
      out(
        `2. Channel choice: ${n(assigned)} rows in ${s1(assignMs)} = ${n(assigned / (assignMs / 1000))} per second ` +
          `(${channels.rows.map((c) => `${c.channel} ${n(c.n)}`).join(', ')})`,
      );

      // ------------------------------------------------------------ 3. SMS delivery
      const seconds = Number(values.seconds);
      const started = performance.now();
      let sent = 0;
      while (performance.now() - started < seconds * 1000) {
        const step = await dispatchStep(db, d, new Date());
        sent += step.sent;
        if (!step.claimed.sms) break;
      }
      const elapsed = performance.now() - started;
      out(
        `3. SMS through the simulator: ${n(gateway.messages().length)} accepted (${n(sent)} recorded sent) in ${s1(elapsed)} = ` +
          `${n(gateway.messages().length / (elapsed / 1000))} SMS/s (batches of up to 2 000, 16 requests in flight)`,
      );
    } finally {
      await gateway.close();
    }

    // ------------------------------------------------------------ 4. notify on the hot path
    const one = async (personId: number) =>
      db
        .transaction()
        .execute((trx) =>
          notify(trx, { personId, event: 'message', params: { number: '2026-000001', text: 'Bench' } }),
        );
    const sequential = 2000;
    const [, seqMs] = await time(async () => {
      for (let i = 0; i < sequential; i++) await one(ids[i % ids.length]!);
    });
    const clients = Number(values.clients);
    const each = 1000;
    const [, parMs] = await time(() =>
      Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; i < each; i++) await one(ids[(c * 1001 + i) % ids.length]!);
        }),
      ),
    );
    // The same rows without the dispatcher's wake-up, to see what the debounced job key costs.
    const [, rowsOnlyMs] = await time(() =>
      Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; i < each; i++)
            await db.transaction().execute((trx) =>
              insertSingle(trx, {
                personId: ids[(c * 1001 + i) % ids.length]!,
                event: 'message',
                params: { number: '2026-000001', text: 'Bench' },
              }),
            );
        }),
      ),
    );
    out(
      `4. notify() in its own transaction: ${(seqMs / sequential).toFixed(2)} ms each sequentially; ` +
        `${clients} clients at once: ${n((clients * each) / (parMs / 1000))} per second ` +
        `(the rows alone, without waking the dispatcher: ${n((clients * each) / (rowsOnlyMs / 1000))} per second)`,
    );
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
