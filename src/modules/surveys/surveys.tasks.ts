// Background tasks of the surveys module.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';

export function surveysTasks(_db: Db): TaskList {
  return {};
}

export const SURVEYS_CRONTAB = '';
