// Many single-person notifications in one statement: the intake's group commit writes a batch of
// submissions in one statement and tells each resident with one insert and one dispatcher wake-up
// (notify() per submission would cost two statements each and take the wake-up's row lock N times):
// messages, outbox rows and the dispatcher's wake-up in one statement, or as parts of the caller's.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import { runParts, type StatementPart } from '../../platform/db/statement.ts';
import { DISPATCH_KEY, DISPATCH_TASK } from './notifications.dispatcher.ts';
import type { NotificationEvent } from './notifications.schema.ts';

type Item = { personId: number; event: NotificationEvent; params: Record<string, string | number> };

/** As notify() for each item, in the caller's transaction. */
export async function notifyEach(trx: Trx, items: Item[]): Promise<void> {
  await runParts(trx, notifyEachParts(items));
}

/** notifyEach as parts of the caller's statement (platform/db/statement.ts); none when there are no items. */
export function notifyEachParts(items: Item[]): StatementPart[] {
  if (items.length === 0) return [];
  // Message ids are drawn first (in a CTE read twice, hence materialised once), so each outbox row
  // names its own message without relying on the order rows come back from an insert.
  return [
    {
      name: 'notifications_input',
      query: sql`
        select t.person_id, t.event, t.params,
               nextval(pg_get_serial_sequence('notification_messages', 'id')) as message_id
        from unnest(${items.map((i) => i.personId)}::bigint[], ${items.map((i) => i.event)}::text[],
                    ${items.map((i) => JSON.stringify(i.params))}::jsonb[]) as t(person_id, event, params)`,
    },
    {
      name: 'notifications_messages',
      query: sql`
        insert into notification_messages (id, event, params) overriding system value
        select message_id, event, params from notifications_input`,
    },
    {
      name: 'notifications_outbox',
      query: sql`insert into notifications (message_id, person_id) select message_id, person_id from notifications_input`,
    },
    {
      // The dispatcher's wake-up (as enqueue() does) in the same statement, unless one is already
      // waiting that no worker has taken yet: it will read these rows too. (add_job costs ~1.5 ms, and
      // at the intake's peak a batch commits every ~10 ms.) Should a worker take that wake-up between
      // this check and the commit, the next batch's wake-up or the minute's cron run delivers them.
      name: 'notifications_wake',
      query: sql`select graphile_worker.add_job(identifier => ${DISPATCH_TASK}, payload => '{}'::json,
                                                max_attempts => 10, job_key => ${DISPATCH_KEY}::text)
                 where not exists (select 1 from graphile_worker.jobs
                                    where key = ${DISPATCH_KEY}::text and locked_at is null and run_at <= now())`,
      readForEffect: true,
    },
  ];
}
