// Background tasks of the dedup module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function dedupTasks(_db: Db): TaskList {
  return {};
}

export const DEDUP_CRONTAB = '';
