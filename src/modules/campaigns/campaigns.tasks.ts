// Campaign jobs: the launch at the scheduled time, and marking campaigns done once delivered. Both
// are safe to run twice: only a scheduled campaign launches, only a running one is marked done.
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { FINISH_TASK, finishDelivered, LAUNCH_TASK, launchCampaign } from './campaigns.service.ts';

export function campaignsTasks(db: Db): TaskList {
  return {
    [LAUNCH_TASK]: async (payload, helpers) => {
      const campaignId = Number((payload as { campaignId?: unknown } | null)?.campaignId);
      if (!Number.isInteger(campaignId) || campaignId <= 0) return;
      const { launched, queued } = await launchCampaign(db, campaignId);
      helpers.logger.info(
        launched
          ? `campaign ${campaignId}: ${queued} queued`
          : `campaign ${campaignId}: not scheduled, nothing to do`,
      );
    },
    [FINISH_TASK]: async (_payload, helpers) => {
      const done = await finishDelivered(db);
      if (done > 0) helpers.logger.info(`campaigns: ${done} delivered`);
    },
  };
}

/** Every five minutes, campaigns with nothing left in the outbox are marked done. */
export const CAMPAIGNS_CRONTAB = `*/5 * * * * ${FINISH_TASK}\n`;
