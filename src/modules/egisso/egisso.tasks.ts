// Background tasks of the egisso module: the export an analyst asked for. Safe to run twice: only a
// queued export runs (runExport claims it), so a second run finds nothing to do.
import { type Config, loadConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { EXPORT_TASK, runExport } from './egisso.service.ts';

/** `config` (for the blob store) defaults to the environment's, read on first use. */
export function egissoTasks(db: Db, config?: Config): TaskList {
  let resolved = config;
  return {
    [EXPORT_TASK]: async (payload, helpers) => {
      const exportId = Number((payload as { exportId?: unknown } | null)?.exportId);
      if (!Number.isInteger(exportId) || exportId <= 0) return;
      resolved ??= loadConfig();
      const summary = await runExport(db, blobStore(resolved), exportId);
      helpers.logger.info(
        summary
          ? `egisso export ${exportId}: ${summary.new} new, ${summary.change} changed, ${summary.cancel} cancelled, ${summary.rejected} rejected`
          : `egisso export ${exportId}: not queued, nothing to do`,
      );
    },
  };
}

export const EGISSO_CRONTAB = '';
