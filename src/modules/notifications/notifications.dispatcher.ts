// The dispatcher: takes queued notifications out of the outbox and delivers them.
//   1. Channel choice for new rows: the resident's preferred channel if they have it, else email
//      (needs an address), SMS (needs a phone), the portal inbox (always there); 'post' for those who
//      chose letters (printed by the daily letters job, never sent here).
//   2. Per channel, a claim of due rows within the channel's per-second budget (shared by every
//      dispatcher through a row lock), FOR UPDATE SKIP LOCKED: two dispatchers never take the same row.
//      A claimed row is 'sending' with a lease; if its dispatcher dies, the row is due again later.
//   3. Delivery and its outcome: sent; or queued again with exponential backoff (a channel that is
//      down delays its messages and loses none); or failed (permanently refused, or out of attempts).
//   Quiet hours: no SMS at night (local time); due SMS wait for the morning.
// Every step takes `now` from its caller, so tests can put the dispatcher at any time of day.
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { contactsOf, type PersonContact } from '../registry/registry.service.ts';
import {
  type Adapters,
  type ChannelAdapter,
  type Delivery,
  emailAdapter,
  inboxAdapter,
  type SendResult,
  smsAdapter,
} from './notifications.channels.ts';
import { quietUntil } from './notifications.clock.ts';
import * as repo from './notifications.repository.ts';
import type { Channel, Lang, NotificationEvent, Params } from './notifications.schema.ts';
import { fill, render, UNSUBSCRIBE_LINE } from './notifications.templates.ts';
import { unsubscribeUrl } from './notifications.tokens.ts';

export const DISPATCH_TASK = 'notifications:dispatch';
/** One pending wake-up at a time: a new notification moves its run time to now. */
export const DISPATCH_KEY = 'notifications:dispatch';
/**
 * The dispatcher's own appointment with its next due row (a retry, the end of quiet hours). A key of
 * its own, so that setting it later never postpones a pending wake-up.
 */
export const NEXT_DUE_KEY = 'notifications:dispatch:next';

export type DispatchConfig = Pick<Config, 'baseUrl' | 'secret' | 'notify'>;

export interface RetryPolicy {
  /** First retry after this; each further attempt waits twice as long. */
  baseDelayMs: number;
  /** The longest wait for a message that failed on its own (temporary failure). */
  maxDelayMs: number;
  /** The longest wait while a channel is down: it is probed again at least this often. */
  downMaxDelayMs: number;
  /** Temporary failures after this many attempts: failed. Unavailability never fails a message. */
  maxAttempts: number;
  /** How long a claimed row stays 'sending' before another dispatcher may take it again. */
  leaseMs: number;
  /** Largest claim per channel in one step, whatever the rate. */
  maxBatch: number;
  /** Rows given a channel per transaction. */
  assignBatch: number;
}

export const DEFAULT_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  downMaxDelayMs: 600_000,
  maxAttempts: 8,
  leaseMs: 300_000,
  maxBatch: 500,
  assignBatch: 5_000,
};

export interface Dispatcher {
  config: DispatchConfig;
  adapters: Adapters;
  policy: RetryPolicy;
}

/** Adapters for the channels this configuration has: the inbox always, email and SMS when set up. */
export function adaptersFor(config: Pick<Config, 'smtp' | 'sms'>): Adapters {
  return {
    portal: inboxAdapter(),
    ...(config.smtp ? { email: emailAdapter(config.smtp) } : {}),
    ...(config.sms ? { sms: smsAdapter(config.sms) } : {}),
  };
}

export function dispatcher(
  config: DispatchConfig & Pick<Config, 'smtp' | 'sms'>,
  options: { adapters?: Adapters; policy?: Partial<RetryPolicy> } = {},
): Dispatcher {
  return {
    config,
    adapters: options.adapters ?? adaptersFor(config),
    policy: { ...DEFAULT_POLICY, ...options.policy },
  };
}

// ------------------------------------------------------------ channel choice

const FALLBACK: readonly Exclude<Channel, 'post'>[] = ['email', 'sms', 'portal'];

/** The resident's preference if they have that channel, else the first they have in a fixed order. */
export function chooseChannel(
  contact: Pick<PersonContact, 'preferred_channel' | 'email' | 'phone'>,
  available: ReadonlySet<Channel>,
): { channel: Channel; destination: string | null } {
  if (contact.preferred_channel === 'post') return { channel: 'post', destination: null };
  const reach = (c: Channel): { channel: Channel; destination: string | null } | undefined => {
    if (!available.has(c)) return undefined;
    if (c === 'email') return contact.email ? { channel: c, destination: contact.email } : undefined;
    if (c === 'sms') return contact.phone ? { channel: c, destination: contact.phone } : undefined;
    return c === 'portal' ? { channel: c, destination: null } : undefined;
  };
  return (
    reach(contact.preferred_channel) ??
    FALLBACK.map(reach).find((x) => x !== undefined) ?? { channel: 'portal', destination: null }
  );
}

async function assignChannels(db: Db, d: Dispatcher, now: Date): Promise<number> {
  const available = new Set<Channel>(['portal', ...(Object.keys(d.adapters) as Channel[])]);
  return await db.transaction().execute(async (trx) => {
    const rows = await repo.lockUnassigned(trx, now, d.policy.assignBatch);
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.person_id);
    const contacts = await contactsOf(trx, ids);
    const langs = new Map((await repo.settingsOf(trx, ids)).map((s) => [s.person_id, s.lang]));
    const missing: number[] = [];
    const assigned: Parameters<typeof repo.assignChannels>[1] = [];
    for (const row of rows) {
      const contact = contacts.get(row.person_id);
      if (!contact) {
        missing.push(row.id);
        continue;
      }
      const { channel, destination } = chooseChannel(contact, available);
      assigned.push({
        id: row.id,
        channel,
        destination,
        lang: langs.get(row.person_id) ?? 'ru',
        nextAttemptAt: null,
      });
    }
    await repo.assignChannels(trx, assigned);
    await repo.failRows(trx, missing, 'No such resident in the registry');
    return rows.length;
  });
}

// ------------------------------------------------------------ one step

export interface StepReport {
  assigned: number;
  claimed: Partial<Record<Channel, number>>;
  sent: number;
  retried: number;
  failed: number;
  /** Channels whose per-second budget ran out with messages still due. */
  throttled: Channel[];
  /** Channels found down in this step. */
  down: Channel[];
  /** SMS held back by quiet hours until this time. */
  quietUntil?: Date;
}

/** Backoff before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
export function backoffMs(policy: RetryPolicy, attempts: number, cap: number): number {
  return Math.min(cap, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

interface MessageRow {
  event: NotificationEvent;
  params: Params;
  campaign_id: number | null;
}

function deliveryOf(d: Dispatcher, row: repo.Claimed, message: MessageRow): Delivery {
  const lang: Lang = row.lang ?? 'ru';
  const text = render(message.event, message.params, lang);
  const delivery: Delivery = { personId: row.person_id, to: row.destination, lang, ...text };
  if (row.channel === 'portal') {
    const ru = lang === 'ru' ? text : render(message.event, message.params, 'ru');
    const en = lang === 'en' ? text : render(message.event, message.params, 'en');
    delivery.both = { subject: { ru: ru.subject, en: en.subject }, body: { ru: ru.body, en: en.body } };
  }
  const isCampaign = message.event === 'campaign' || message.campaign_id !== null;
  if (isCampaign && (row.channel === 'email' || row.channel === 'sms')) {
    const url = unsubscribeUrl(d.config.baseUrl, d.config.secret, row.person_id);
    delivery.unsubscribe = { url, line: fill(UNSUBSCRIBE_LINE[lang], lang, { link: url }) };
  }
  return delivery;
}

function outcomeOf(
  d: Dispatcher,
  row: repo.Claimed,
  result: SendResult,
  now: Date,
  downUntil: Date | undefined,
): repo.Outcome {
  const attempts = row.attempts + 1;
  if (result.ok)
    return {
      id: row.id,
      status: 'sent',
      attempts,
      nextAttemptAt: now,
      lastError: null,
      sentAt: now,
      providerId: result.providerId,
    };
  const failed = (error: string): repo.Outcome => ({
    id: row.id,
    status: 'failed',
    attempts,
    nextAttemptAt: now,
    lastError: error,
    sentAt: null,
    providerId: null,
  });
  const retry = (at: Date): repo.Outcome => ({
    id: row.id,
    status: 'queued',
    attempts,
    nextAttemptAt: at,
    lastError: result.error,
    sentAt: null,
    providerId: null,
  });
  if (result.kind === 'permanent') return failed(result.error);
  if (result.kind === 'unavailable')
    return retry(
      downUntil ?? new Date(now.getTime() + backoffMs(d.policy, attempts, d.policy.downMaxDelayMs)),
    );
  if (attempts >= d.policy.maxAttempts) return failed(`${result.error} (gave up after ${attempts} attempts)`);
  return retry(new Date(now.getTime() + backoffMs(d.policy, attempts, d.policy.maxDelayMs)));
}

async function deliver(
  db: Db,
  d: Dispatcher,
  channel: Exclude<Channel, 'post'>,
  adapter: ChannelAdapter,
  now: Date,
  report: StepReport,
): Promise<void> {
  const rate = d.config.notify.rates[channel];
  const wanted = Math.min(rate, d.policy.maxBatch);
  const leaseUntil = new Date(now.getTime() + d.policy.leaseMs);
  const claimed = await db.transaction().execute(async (trx) => {
    const { granted, left } = await repo.takeBudget(trx, channel, now, rate, wanted);
    const rows = await repo.claimDue(trx, channel, now, leaseUntil, granted);
    await repo.returnBudget(trx, channel, now, granted - rows.length);
    // This second's budget is used up with messages still due: the rest wait for the next second.
    if (rows.length === granted && left === 0 && (await repo.anyDue(trx, channel, now)))
      report.throttled.push(channel);
    return rows;
  });
  if (claimed.length === 0) return;
  report.claimed[channel] = claimed.length;
  const messages = new Map(
    (
      await repo.messagesByIds(
        db,
        claimed.map((r) => r.message_id),
      )
    ).map((m) => [m.id, m]),
  );
  const deliveries = claimed.map((row) => deliveryOf(d, row, messages.get(row.message_id)!));
  const record = async (results: SendResult[], trx: Parameters<ChannelAdapter['send']>[1]) => {
    const down = results.find((r) => !r.ok && r.kind === 'unavailable');
    let downUntil: Date | undefined;
    if (down) {
      // The channel is down: every due message of it waits as long as the most-tried one here.
      const attempts = Math.max(...claimed.map((r) => r.attempts + 1));
      downUntil = new Date(now.getTime() + backoffMs(d.policy, attempts, d.policy.downMaxDelayMs));
      report.down.push(channel);
    }
    const outcomes = claimed.map((row, i) => outcomeOf(d, row, results[i]!, now, downUntil));
    await repo.recordOutcomes(trx, outcomes);
    if (downUntil) await repo.deferChannel(trx, channel, downUntil);
    for (const o of outcomes) {
      if (o.status === 'sent') report.sent++;
      else if (o.status === 'failed') report.failed++;
      else report.retried++;
    }
  };
  if (adapter.transactional) {
    await db.transaction().execute(async (trx) => record(await adapter.send(deliveries, trx), trx));
  } else {
    const results = await adapter.send(deliveries, db);
    await db.transaction().execute((trx) => record(results, trx));
  }
}

/**
 * One step of the dispatcher at `now`: give new rows a channel, then one claim-and-send per channel
 * within its budget. Safe to run concurrently with itself.
 */
export async function dispatchStep(db: Db, d: Dispatcher, now: Date): Promise<StepReport> {
  const report: StepReport = {
    assigned: 0,
    claimed: {},
    sent: 0,
    retried: 0,
    failed: 0,
    throttled: [],
    down: [],
  };
  // A few thousand new rows a step, so that a campaign's half a million do not hold up sending.
  for (let i = 0; i < 2; i++) {
    const n = await assignChannels(db, d, now);
    report.assigned += n;
    if (n < d.policy.assignBatch) break;
  }
  const quiet = quietUntil(now, d.config.notify.smsQuietHours);
  if (quiet && d.adapters.sms) {
    await repo.deferChannel(db, 'sms', quiet);
    report.quietUntil = quiet;
  }
  for (const channel of ['portal', 'email', 'sms'] as const) {
    const adapter = d.adapters[channel];
    if (!adapter || (channel === 'sms' && quiet)) continue;
    await deliver(db, d, channel, adapter, now, report);
  }
  return report;
}

export interface RunOptions {
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Stop after this long and leave the rest to the next job (graphile-worker jobs stay short). */
  budgetMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The task: steps until nothing is due now (waiting out each second's budget when throttled), then
 * enqueues itself for the next due row — a retry, the end of quiet hours, an expired lease.
 */
export async function runDispatcher(db: Db, d: Dispatcher, options: RunOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const budget = options.budgetMs ?? 25_000;
  const started = clock().getTime();
  const total = { steps: 0, sent: 0, retried: 0, failed: 0, assigned: 0 };
  for (;;) {
    const now = clock();
    const step = await dispatchStep(db, d, now);
    total.steps++;
    total.sent += step.sent;
    total.retried += step.retried;
    total.failed += step.failed;
    total.assigned += step.assigned;
    const claimed = Object.values(step.claimed).reduce((a, b) => a + b, 0);
    if (claimed === 0 && step.assigned === 0 && step.throttled.length === 0) break;
    if (clock().getTime() - started >= budget) break;
    // Throttled: wait for the next one-second window.
    if (step.throttled.length > 0) await sleep(1000 - (clock().getTime() % 1000));
  }
  const next = await repo.nextDue(db);
  if (next) {
    const soonest = clock().getTime() + 1000;
    await enqueue(
      db,
      DISPATCH_TASK,
      {},
      {
        jobKey: NEXT_DUE_KEY,
        runAt: new Date(Math.max(next.getTime(), soonest)),
      },
    );
  }
  return { ...total, next };
}
