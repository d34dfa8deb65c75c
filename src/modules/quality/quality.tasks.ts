// Background tasks of the quality module: the aggregate refresh, every minute (safe to run twice).
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { refreshAggregates } from './quality.refresh.ts';

export function qualityTasks(db: Db): TaskList {
  return {
    'quality:refresh': async () => {
      await refreshAggregates(db);
    },
  };
}

export const QUALITY_CRONTAB = '* * * * * quality:refresh\n';
