import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { enqueue, startWorker } from './jobs.ts';

const { db, url } = await testDatabase();
const seen: number[] = [];
let attempts = 0;
const worker = await startWorker({
  connectionString: url,
  tasks: {
    'test.remember': async (payload) => {
      seen.push((payload as { id: number }).id);
    },
    'test.flaky': async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
    },
  },
});
after(() => worker.stop());

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the worker');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('job queue', () => {
  test('a job enqueued in a committed transaction runs; one in a rolled-back transaction never exists', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, 'test.remember', { id: 1 });
        throw new Error('the write failed');
      }),
    );
    await db.transaction().execute((trx) => enqueue(trx, 'test.remember', { id: 2 }));
    await until(() => seen.includes(2));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(seen, [2]);
  });

  test('a failing job is retried', async () => {
    await enqueue(db, 'test.flaky', {}, { maxAttempts: 3 });
    // graphile-worker backs off exponentially; the first retry is due after ~2 s.
    await until(() => attempts >= 2, 15_000);
    assert.equal(attempts, 2);
  });
});

describe("the application's own tasks", () => {
  test('every task has a valid name and the crontab schedules only known tasks', async () => {
    const { allTasks, CRONTAB } = await import('../../app.ts');
    const { TASK_NAME } = await import('./jobs.ts');
    const names = Object.keys(allTasks(db));
    for (const name of names) assert.match(name, TASK_NAME);
    for (const line of CRONTAB.trim().split('\n'))
      assert.ok(names.includes(line.trim().split(/\s+/)[5]!), line);
    // The worker parses the crontab at start; a bad line fails here rather than at `npm start`.
    const real = await startWorker({ connectionString: url, tasks: allTasks(db), crontab: CRONTAB });
    await real.stop();
  });
});
