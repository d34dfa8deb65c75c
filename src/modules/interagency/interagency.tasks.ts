// Background tasks of the interagency module. Sending and polling reschedule themselves with
// backoff instead of failing, so an outage of any length only delays: the jobs live in PostgreSQL
// and survive restarts. A cron line polls every minute as a safety net (and for unasked events).
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { enqueue, type TaskList } from '../../platform/jobs/jobs.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { GatewayUnavailable } from './interagency.client.ts';
import * as repo from './interagency.repository.ts';
import {
  configureExchange,
  type Log,
  POLL_JOB_KEY,
  POLL_TASK,
  pollOnce,
  resendUnanswered,
  retryDelayMs,
  SEND_TASK,
  sendOne,
} from './interagency.service.ts';

/** Consecutive failed polls, for the backoff (per worker process; a restart starts again fast). */
let pollFailures = 0;

export function interagencyTasks(db: Db, config?: Config): TaskList {
  configureExchange(config?.agency);
  const store = config ? blobStore(config) : undefined;
  return {
    [SEND_TASK]: async (payload, helpers) => {
      const gw = config?.agency;
      const { requestId } = payload as { requestId: number };
      if (!gw) throw new Error('interagency gateway is not configured (OPORA_AGENCY_URL)');
      const log: Log = (level, message, details) =>
        helpers.logger[level](`${message} ${JSON.stringify(details ?? {})}`);
      const result = await sendOne(db, gw, requestId, log);
      if (result === 'retry') {
        const r = await repo.findRequest(db, requestId);
        const delay = retryDelayMs(gw.retryBaseMs, r?.attempts ?? 1);
        await enqueue(
          db,
          SEND_TASK,
          { requestId },
          { jobKey: `${SEND_TASK}:${requestId}`, runAt: new Date(Date.now() + delay), maxAttempts: 25 },
        );
      }
    },
    [POLL_TASK]: async (_payload, helpers) => {
      const gw = config?.agency;
      if (!gw || !store) return;
      const log: Log = (level, message, details) =>
        helpers.logger[level](`${message} ${JSON.stringify(details ?? {})}`);
      const resent = await resendUnanswered(db, gw);
      if (resent) log('warn', 'requests unanswered too long sent again', { resent });
      let next: number;
      try {
        const summary = await pollOnce(db, store, gw, { log, consumers: 4 });
        pollFailures = 0;
        next = summary.interrupted ? Math.min(gw.retryBaseMs, gw.pollIntervalMs) : gw.pollIntervalMs;
      } catch (error) {
        if (!(error instanceof GatewayUnavailable)) throw error;
        pollFailures++;
        next = retryDelayMs(gw.retryBaseMs, pollFailures);
      }
      // Keep polling while answers are awaited; otherwise the cron line looks in once a minute.
      if ((await repo.countOpen(db)) > 0)
        await repo.addKeyedJob(db, POLL_TASK, POLL_JOB_KEY, new Date(Date.now() + next));
    },
  };
}

export const INTERAGENCY_CRONTAB = `* * * * * ${POLL_TASK} ?jobKey=${POLL_JOB_KEY}&jobKeyMode=preserve_run_at\n`;
