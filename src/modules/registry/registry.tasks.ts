// The monthly accrual run. Safe to run twice: accrueMonth skips assignments already accrued.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { accrueMonth } from './ledger.service.ts';

export const ACCRUE_TASK = 'registry:accrue';

/** The first day of the month `at` falls in (Europe/Volgograd is UTC+3; the job runs at 03:00 UTC). */
export function periodOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
}

export function registryTasks(db: Db): TaskList {
  return {
    [ACCRUE_TASK]: async (payload, helpers) => {
      const given = (payload as { period?: string } | null)?.period;
      const period = given ?? periodOf(new Date());
      const { created } = await accrueMonth(db, period);
      helpers.logger.info(`accruals for ${period}: ${created} created`);
    },
  };
}

/** On the first of each month, the month's accruals. */
export const REGISTRY_CRONTAB = `0 3 1 * * ${ACCRUE_TASK}\n`;
