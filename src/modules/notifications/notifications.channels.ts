// The delivery channels behind one interface: the portal inbox, email over SMTP (nodemailer) and SMS
// through a gateway's HTTP API. Printed letters ('post') are not sent one by one: the daily letters
// job collects them (notifications.letters.ts). An adapter never throws for one message's failure; it
// says what kind of failure it was, and the dispatcher decides what happens next:
//   unavailable — the channel is down (no connection, outage): the message waits and is retried;
//   temporary   — this message failed but may go later: retried with backoff up to a limit;
//   permanent   — it never will (an invalid phone number, a rejected address): failed at once.
import nodemailer from 'nodemailer';
import type { SmsConfig, SmtpConfig } from '../../platform/config.ts';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { sendToInbox } from '../inbox/inbox.service.ts';
import type { Channel, Lang } from './notifications.schema.ts';

export interface Delivery {
  personId: number;
  /** The email address or phone number; null for the inbox. */
  to: string | null;
  lang: Lang;
  subject: string;
  body: string;
  /** Both languages, for the inbox (the portal shows the message in the language it is read in). */
  both?: { subject: { ru: string; en: string }; body: { ru: string; en: string } };
  /** Campaign messages carry a link to stop them. */
  unsubscribe?: { url: string; line: string };
}

export type Failure = 'unavailable' | 'temporary' | 'permanent';
export type SendResult = { ok: true; providerId: string } | { ok: false; kind: Failure; error: string };

export interface ChannelAdapter {
  /**
   * Sends each message; results come back in the same order. `db` is the transaction the outcome will
   * be recorded in when the adapter is `transactional` (its delivery is a database write).
   */
  send(messages: Delivery[], db: DbOrTrx): Promise<SendResult[]>;
  transactional: boolean;
  close?(): void;
}

export type Adapters = Partial<Record<Exclude<Channel, 'post'>, ChannelAdapter>>;

/** Runs `fn` over items with at most `limit` at a time, keeping the order of results. */
async function pooled<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ------------------------------------------------------------ portal inbox

/** Always available: a row in the resident's inbox, written in the transaction that records it sent. */
export function inboxAdapter(): ChannelAdapter {
  return {
    transactional: true,
    async send(messages, db) {
      await sendToInbox(
        db,
        messages.map((m) => ({
          personId: m.personId,
          subject: m.both?.subject ?? { ru: m.subject, en: m.subject },
          body: m.both?.body ?? { ru: m.body, en: m.body },
        })),
      );
      return messages.map(() => ({ ok: true as const, providerId: 'inbox' }));
    },
  };
}

// ------------------------------------------------------------ email

const CONNECTION_ERRORS = new Set([
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EAUTH',
  'EPROTOCOL',
]);

function emailFailure(error: unknown): { kind: Failure; error: string } {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const message = (e.message ?? String(error)).slice(0, 300);
  if (e.responseCode === 421) return { kind: 'unavailable', error: `SMTP server unavailable: ${message}` };
  if (e.responseCode !== undefined && e.responseCode >= 500)
    return { kind: 'permanent', error: `SMTP server rejected the message: ${message}` };
  if (e.responseCode !== undefined && e.responseCode >= 400)
    return { kind: 'temporary', error: `SMTP server deferred the message: ${message}` };
  if (e.code && CONNECTION_ERRORS.has(e.code))
    return { kind: 'unavailable', error: `SMTP server unreachable (${e.code}): ${message}` };
  return { kind: 'temporary', error: `Email not sent: ${message}` };
}

export function emailText(m: Delivery): string {
  return m.unsubscribe ? `${m.body}\n\n--\n${m.unsubscribe.line}\n` : `${m.body}\n`;
}

/** Email through one pooled SMTP transport (a few connections, reused across messages). */
export function emailAdapter(smtp: SmtpConfig): ChannelAdapter {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    transactional: false,
    close: () => transport.close(),
    async send(messages) {
      return await pooled(messages, 8, async (m): Promise<SendResult> => {
        if (!m.to) return { ok: false, kind: 'permanent', error: 'The resident has no email address' };
        try {
          const info = await transport.sendMail({
            from: smtp.from,
            to: m.to,
            subject: m.subject,
            text: emailText(m),
            headers: { 'Content-Language': m.lang },
            ...(m.unsubscribe ? { list: { unsubscribe: m.unsubscribe.url } } : {}),
          });
          return { ok: true, providerId: String(info.messageId ?? '') };
        } catch (error) {
          return { ok: false, ...emailFailure(error) };
        }
      });
    },
  };
}

// ------------------------------------------------------------ SMS

export function smsText(m: Delivery): string {
  const text = `${m.subject}. ${m.body}`;
  return m.unsubscribe ? `${text} ${m.unsubscribe.line}` : text;
}

/** SMS through the gateway's HTTP API: POST {url}/send {to, text} with the key in X-Api-Key → {id}. */
export function smsAdapter(sms: SmsConfig, timeoutMs = 10_000): ChannelAdapter {
  return {
    transactional: false,
    async send(messages) {
      return await pooled(messages, 16, async (m): Promise<SendResult> => {
        if (!m.to) return { ok: false, kind: 'permanent', error: 'The resident has no phone number' };
        let response: Response;
        try {
          response = await fetch(`${sms.url}/send`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': sms.apiKey },
            body: JSON.stringify({ to: m.to, text: smsText(m) }),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
          return { ok: false, kind: 'unavailable', error: `SMS gateway unreachable (${cause})` };
        }
        const body = (await response.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
        if (response.ok && typeof body.id === 'string') return { ok: true, providerId: body.id };
        const reason = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
        if (response.status === 400)
          return { ok: false, kind: 'permanent', error: `SMS gateway refused the message: ${reason}` };
        if ([401, 403, 429, 502, 503, 504].includes(response.status))
          return { ok: false, kind: 'unavailable', error: `SMS gateway unavailable: ${reason}` };
        return { ok: false, kind: 'temporary', error: `SMS not sent: ${reason}` };
      });
    },
  };
}
