// Background tasks of the imports module: the write of a confirmed import. Safe to run twice: a
// finished or failed import is left alone, and two runs at once are serialised by a lock.
import { type Config, loadConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { RUN_TASK, runImport } from './imports.service.ts';

export function importsTasks(db: Db, config?: Config): TaskList {
  let resolved = config;
  return {
    [RUN_TASK]: async (payload, helpers) => {
      const importId = Number((payload as { importId?: unknown } | null)?.importId);
      if (!Number.isInteger(importId) || importId <= 0) return;
      resolved ??= loadConfig();
      const result = await runImport(db, blobStore(resolved), importId);
      helpers.logger.info(
        result
          ? `import ${importId}: ${result.inserted} new, ${result.updated} updated, ${result.assignments} assignments`
          : `import ${importId}: nothing written (done before, or failed)`,
      );
    },
  };
}

export const IMPORTS_CRONTAB = '';
