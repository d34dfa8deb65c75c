// Housekeeping for resident sign-in; safe to run twice (the delete is idempotent).
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { deleteStaleLogins } from './residents.service.ts';

/** Sign-ins abandoned at the portal leave a row behind; an hour is far past their 15-minute life. */
const KEEP_LOGINS_MS = 3600_000;

export function residentTasks(db: Db): TaskList {
  return {
    'residents:cleanup_logins': async (_payload, helpers) => {
      const deleted = await deleteStaleLogins(db, new Date(Date.now() - KEEP_LOGINS_MS));
      helpers.logger.info(`cleanup: ${deleted} abandoned sign-ins`);
    },
  };
}

export const RESIDENT_CRONTAB = '*/30 * * * * residents:cleanup_logins\n';
