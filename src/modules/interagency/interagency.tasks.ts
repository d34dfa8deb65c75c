// Background tasks of the interagency module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function interagencyTasks(_db: Db): TaskList {
  return {};
}

export const INTERAGENCY_CRONTAB = '';
