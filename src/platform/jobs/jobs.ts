// Background jobs on the same PostgreSQL (graphile-worker). A job is enqueued in the transaction of
// the write that causes it, carries ids only, and its task must be safe to run twice.
import { type Runner, run, runMigrations, type Task, type TaskList } from 'graphile-worker';
import { sql } from 'kysely';
import { createPool, type DbOrTrx } from '../db/database.ts';

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding another (debounce). */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export async function enqueue(
  trx: DbOrTrx,
  task: string,
  payload: Record<string, string | number | boolean | null>,
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 10}::int,
    job_key => ${options.jobKey ?? null}::text
  )`.execute(trx);
}

/** Installs or upgrades the queue's own schema (graphile_worker); part of `opora migrate`. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger });
}

export interface WorkerOptions {
  connectionString: string;
  tasks: TaskList;
  /** graphile-worker crontab lines for recurring tasks. */
  crontab?: string;
  concurrency?: number;
}

export async function startWorker(options: WorkerOptions): Promise<Runner> {
  // Our own pool, so a connection dropped at shutdown is logged rather than crashing the process.
  const pgPool = createPool(options.connectionString, (options.concurrency ?? 2) + 2);
  const runner = await run({
    pgPool,
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: options.tasks,
    crontab: options.crontab ?? '',
    logger: quietLogger,
  });
  let ended: Promise<void> | undefined;
  const endPool = () => (ended ??= pgPool.end());
  runner.promise.finally(endPool).catch(() => {});
  // stop() resolves once the pool has closed as well, so a stop in order is over when it returns
  // and the database can go next.
  const stopRunner = runner.stop.bind(runner);
  return Object.assign(runner, {
    stop: async () => {
      await stopRunner();
      await endPool();
    },
  });
}

export type { Task, TaskList };

/** Task names: graphile-worker's crontab accepts letters, digits, '_', ':' and '-' (no dots). */
export const TASK_NAME = /^[_a-zA-Z][_a-zA-Z0-9:-]*$/;

import { Logger } from 'graphile-worker';

// The worker's own chatter goes to stderr only for warnings and errors.
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') process.stderr.write(`[worker] ${level}: ${message}\n`);
});
