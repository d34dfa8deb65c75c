// The sweep job. Safe to run twice: a sweep already done is a no-op, an interrupted one runs again and
// the unique open-proposal index keeps the second run from adding anything the first committed.
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import { INFORM_TASK, informSweepResidents, runSweep, SWEEP_TASK } from './sweep.service.ts';

export function proactiveTasks(db: Db): TaskList {
  return {
    [INFORM_TASK]: async (payload, helpers) => {
      const { sweepId } = payload as { sweepId: number };
      const told = await informSweepResidents(db, sweepId);
      helpers.logger.info(`sweep ${sweepId}: ${told} residents told of their proposals`);
    },
    [SWEEP_TASK]: async (payload, helpers) => {
      const { sweepId } = payload as { sweepId: number };
      try {
        const result = await runSweep(db, sweepId);
        helpers.logger.info(
          `sweep ${sweepId}: ${result.skipped ? 'already done' : `${result.proposalsCreated} proposals`}`,
        );
      } catch (error) {
        // A rule or measure problem will not fix itself on retry: the sweep row already says why.
        if (error instanceof AppError) return;
        throw error;
      }
    },
  };
}
