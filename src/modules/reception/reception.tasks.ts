// Background work of personal reception; every task is safe to run twice.
//   reception:open-slots  daily (and after a schedule change, for one office): materialise slots
//   reception:remind      the day before at 10:00: remind a still-booked appointment, once
//   reception:no-shows    every evening: appointments still "booked" after their time are no-shows
import type { Db } from '../../platform/db/database.ts';
import type { TaskList } from '../../platform/jobs/jobs.ts';
import {
  markNoShows,
  NO_SHOW_TASK,
  OPEN_SLOTS_TASK,
  openSlots,
  REMIND_TASK,
  remind,
} from './reception.service.ts';

export function receptionTasks(db: Db): TaskList {
  return {
    [OPEN_SLOTS_TASK]: async (payload, helpers) => {
      const officeId = (payload as { officeId?: number } | null)?.officeId;
      const r = await openSlots(db, officeId ? { officeId } : {});
      helpers.logger.info(`slots: ${r.offices} offices, ${r.upserted} opened or changed, ${r.closed} closed`);
    },
    [REMIND_TASK]: async (payload) => {
      const { appointmentId } = payload as { appointmentId: number };
      await remind(db, appointmentId);
    },
    [NO_SHOW_TASK]: async (_payload, helpers) => {
      const n = await markNoShows(db);
      helpers.logger.info(`no-shows: ${n}`);
    },
  };
}

/** Times are UTC (Volgograd is UTC+3): slots at 03:30 local, no-shows at 20:00 local. */
export const RECEPTION_CRONTAB = `30 0 * * * ${OPEN_SLOTS_TASK}\n0 17 * * * ${NO_SHOW_TASK}\n`;
