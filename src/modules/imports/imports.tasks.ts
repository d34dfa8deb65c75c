// Background tasks of the imports module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function importsTasks(_db: Db): TaskList {
  return {};
}

export const IMPORTS_CRONTAB = '';
