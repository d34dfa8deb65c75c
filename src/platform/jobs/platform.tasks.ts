// Housekeeping that every instance relies on; safe to run twice (deletes are idempotent).
import { chainPending } from '../audit/audit.service.ts';
import { deleteExpiredSessions } from '../auth/session.service.ts';
import type { Db } from '../db/database.ts';
import { deleteOldRateLimitWindows } from '../http/rate-limit.ts';
import type { TaskList } from './jobs.ts';

export function platformTasks(db: Db): TaskList {
  return {
    'platform:cleanup': async (_payload, helpers) => {
      const sessions = await deleteExpiredSessions(db);
      const windows = await deleteOldRateLimitWindows(db, new Date(Date.now() - 24 * 3600_000));
      helpers.logger.info(`cleanup: ${sessions} expired sessions, ${windows} rate-limit windows`);
    },
    // Serving processes link the audit chain every second; this is the safety net if none runs.
    'platform:audit-chain': async (_payload, helpers) => {
      const linked = await chainPending(db);
      if (linked) helpers.logger.info(`audit chain: ${linked} entries linked`);
    },
  };
}

export const PLATFORM_CRONTAB = '*/15 * * * * platform:cleanup\n* * * * * platform:audit-chain\n';
