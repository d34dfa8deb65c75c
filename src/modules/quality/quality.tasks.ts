// Background tasks of the quality module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function qualityTasks(_db: Db): TaskList {
  return {};
}

export const QUALITY_CRONTAB = '';
