// Background tasks of the egisso module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function egissoTasks(_db: Db): TaskList {
  return {};
}

export const EGISSO_CRONTAB = '';
