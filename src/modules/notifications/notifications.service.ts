// The notification service: what other modules call to tell residents something. A notification is
// written to the outbox in the caller's transaction, with one wake-up of the dispatcher; the
// dispatcher (notifications.dispatcher.ts) chooses the channel and delivers it in the background.
//
// Parameters the templates use (notifications.templates.ts); `x_ru`/`x_en` give a language's own text:
//   application_received    number, measure, days
//   application_registered  number, measure, date, deadline
//   documents_needed        number, note
//   decision                outcome = approved (number, measure, start) | refused (number, ground,
//                           appeal_until) | appeal_dismissed (number, note)
//   message                 number, text
//   appointment_booked, appointment_moved, appointment_reminder   date, time, office, address
//   appointment_cancelled   date, time, office
//   payment                 measure, period, amount (roubles), date
//   campaign                subject, body (subject_ru, subject_en, body_ru, body_en); every email and
//                           SMS of a campaign carries an unsubscribe link
// Dates are ISO (YYYY-MM-DD) and are written out in the reader's language.
import type { ResidentActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { DISPATCH_KEY, DISPATCH_TASK } from './notifications.dispatcher.ts';
import * as repo from './notifications.repository.ts';
import type { Lang, NotificationEvent } from './notifications.schema.ts';

export type { Channel, Lang, NotificationEvent, NotificationStatus } from './notifications.schema.ts';

/**
 * One pending dispatcher job at a time (a debounced job key): a new notification moves its run time to
 * now. The key's job row stays locked until the writer commits, so concurrent writers that notify
 * commit one after another — call notify at the end of the transaction.
 */
async function wakeDispatcher(trx: DbOrTrx): Promise<void> {
  await enqueue(trx, DISPATCH_TASK, {}, { jobKey: DISPATCH_KEY });
}

/** One message to one resident: rendered from the event's ru/en template with params, delivered by the
 *  resident's preferred channel with fallback, by a background dispatcher. Call inside the writer's transaction. */
export async function notify(
  trx: Trx,
  n: { personId: number; event: NotificationEvent; params: Record<string, string | number> },
): Promise<void> {
  await repo.insertSingle(trx, n);
  await wakeDispatcher(trx);
}

/** The same message to many residents at once (campaigns): one message row, one outbox row per person
 *  (residents who unsubscribed from campaigns are skipped), one dispatcher wake-up. Returns how many were queued.
 *
 *  Residents who opted out of campaigns get a row with status 'skipped' (not delivered, but counted in
 *  the campaign's figures); the opt-out applies to the 'campaign' event and to anything with a campaignId. */
export async function notifyMany(
  trx: Trx,
  personIds: number[],
  m: { event: NotificationEvent; params: Record<string, string | number>; campaignId?: number },
): Promise<number> {
  if (personIds.length === 0) return 0;
  const messageId = await repo.insertMessage(trx, m);
  const isCampaign = m.event === 'campaign' || m.campaignId !== undefined;
  const queued = await repo.insertNotifications(trx, messageId, personIds, isCampaign);
  if (queued > 0) await wakeDispatcher(trx);
  return queued;
}

/** Delivery figures: counts by channel and status (queued, sent, failed, skipped…), optionally for one campaign.
 *  Rows the dispatcher has not yet given a channel are counted under channel 'pending'. */
export async function deliveryStats(
  db: DbOrTrx,
  filter: { campaignId?: number },
): Promise<Array<{ channel: string; status: string; count: number }>> {
  return await repo.deliveryStats(db, filter.campaignId);
}

export const recentFailures = (db: DbOrTrx, limit = 20) => repo.recentFailures(db, limit);

// ------------------------------------------------------------ the resident's choices

export interface Settings {
  campaignsOptOut: boolean;
  lang: Lang;
}

export async function settingsOf(db: DbOrTrx, personId: number): Promise<Settings> {
  const [row] = await repo.settingsOf(db, [personId]);
  return { campaignsOptOut: row?.campaigns_opt_out ?? false, lang: row?.lang ?? 'ru' };
}

export async function saveSettings(db: DbOrTrx, resident: ResidentActor, s: Settings): Promise<void> {
  await repo.saveSettings(db, resident.personId, s);
}

/** The unsubscribe link's action: no more campaign messages for this person. */
export async function optOutOfCampaigns(db: DbOrTrx, personId: number): Promise<void> {
  await repo.saveSettings(db, personId, { campaignsOptOut: true });
}

export { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './notifications.tokens.ts';
