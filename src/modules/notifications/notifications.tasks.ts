// Background delivery: the dispatcher (woken by every notify, re-enqueued for its next due row, and
// run every minute as a safety net) and the morning's printed letters. Both are safe to run twice.
import { type Config, loadConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import {
  DISPATCH_KEY,
  DISPATCH_TASK,
  type Dispatcher,
  dispatcher,
  runDispatcher,
} from './notifications.dispatcher.ts';
import { LETTERS_TASK, printLetters } from './notifications.letters.ts';

/** `config` defaults to the environment's (read on first use); the CLI passes the one it runs with. */
export function notificationsTasks(db: Db, config?: Config): TaskList {
  let resolved: Config | undefined = config;
  let d: Dispatcher | undefined;
  const configOf = () => {
    resolved ??= loadConfig();
    return resolved;
  };
  return {
    [DISPATCH_TASK]: async (_payload, helpers) => {
      d ??= dispatcher(configOf());
      const run = await runDispatcher(db, d);
      if (run.sent || run.failed || run.retried)
        helpers.logger.info(`notifications: ${run.sent} sent, ${run.retried} to retry, ${run.failed} failed`);
    },
    [LETTERS_TASK]: async (_payload, helpers) => {
      const report = await printLetters(db, configOf());
      const letters = report.batches.reduce((n, b) => n + b.letters, 0);
      helpers.logger.info(`letters: ${report.batches.length} batches, ${letters} letters`);
    },
  };
}

/** Every minute the dispatcher (a safety net for lost wake-ups); letters at 06:00 Volgograd (03:00 UTC). */
export const NOTIFICATIONS_CRONTAB =
  `* * * * * ${DISPATCH_TASK} ?jobKey=${DISPATCH_KEY}\n` + `0 3 * * * ${LETTERS_TASK}\n`;
