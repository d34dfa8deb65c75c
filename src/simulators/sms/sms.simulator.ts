// An SMS gateway for demo and tests: the HTTP API the SMS adapter speaks, kept in memory.
//   POST /send  {"to": "+7XXXXXXXXXX", "text": "…"}  with X-Api-Key → 200 {"id": "…"}
//     400 {"error": "invalid_phone" | "invalid_text" | "invalid_json"}, 401 {"error": "unauthorized"},
//     503 {"error": "outage"} while an outage is on, 500 {"error": "internal"} at the failure rate.
//   GET /messages (with the key) → what was accepted, for a look during the demo.
// Like a real gateway it validates the number: Russian mobile numbers in E.164 (+7 and ten digits).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsMessage {
  id: string;
  to: string;
  text: string;
  at: Date;
}

export interface SmsSimulator {
  /** e.g. http://127.0.0.1:41234 — the gateway URL (OPORA_SMS_URL). */
  url: string;
  close(): Promise<void>;
  /** Messages accepted so far, oldest first. */
  messages(): SmsMessage[];
  /** While on, every send answers 503 (the gateway is down). */
  setOutage(on: boolean): void;
  /** Share of sends (0…1) that fail with 500 at random. */
  setFailureRate(rate: number): void;
}

export const PHONE = /^\+7\d{10}$/;
const MAX_BODY = 64 * 1024;
const MAX_TEXT = 2000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function keyMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startSmsSimulator(options: {
  port?: number;
  host?: string;
  apiKey: string;
  /** Called for every accepted message (the demo logs them). */
  onMessage?: (message: SmsMessage) => void;
}): Promise<SmsSimulator> {
  const accepted: SmsMessage[] = [];
  let outage = false;
  let failureRate = 0;

  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://sms').pathname;
      if (!keyMatches(req.headers['x-api-key'], options.apiKey))
        return send(res, 401, { error: 'unauthorized' });
      if (req.method === 'GET' && path === '/messages') return send(res, 200, accepted);
      if (req.method !== 'POST' || path !== '/send') return send(res, 404, { error: 'not_found' });
      const raw = await readBody(req);
      if (outage) return send(res, 503, { error: 'outage' });
      let body: { to?: unknown; text?: unknown };
      try {
        body = JSON.parse(raw ?? '') as typeof body;
      } catch {
        return send(res, 400, { error: 'invalid_json' });
      }
      if (typeof body.to !== 'string' || !PHONE.test(body.to))
        return send(res, 400, { error: 'invalid_phone' });
      if (typeof body.text !== 'string' || body.text.trim() === '' || body.text.length > MAX_TEXT)
        return send(res, 400, { error: 'invalid_text' });
      if (failureRate > 0 && Math.random() < failureRate) return send(res, 500, { error: 'internal' });
      const message = { id: randomUUID(), to: body.to, text: body.text, at: new Date() };
      accepted.push(message);
      options.onMessage?.(message);
      return send(res, 200, { id: message.id });
    } catch {
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    messages: () => [...accepted],
    setOutage: (on) => {
      outage = on;
    },
    setFailureRate: (rate) => {
      if (!(rate >= 0 && rate <= 1)) throw new Error('failure rate is between 0 and 1');
      failureRate = rate;
    },
  };
}
