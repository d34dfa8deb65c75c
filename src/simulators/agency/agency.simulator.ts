// The agency simulator: an SMEV-like gateway with the agencies behind it, over HTTP, for the demo,
// tests and the benchmark. It speaks the protocol of interagency.protocol.ts and checks every
// message Opora sends against the same schemas Opora uses (both sides validate).
//   POST /SendRequest   SendRequest XML → 200 Accepted | 400/401/404 Fault (final) | 500/503 Fault (retry)
//   POST /GetResponse   GetResponse XML → 200 Message (header X-Message-Id) | 204 nothing queued
//   POST /Ack           Ack XML → 200 Accepted | 404 Fault UNKNOWN_MESSAGE
// Control (header X-Control-Key), for tests and the demo:
//   POST /control/settings {errorRate, delayMs, timeoutRate, responseDelayMs, outage}
//   POST /control/events   an event as XML per schemas/events.xsd → queued as an unasked Event
//   POST /control/inject   any text, queued verbatim as a message (to test Opora's rejections)
//   GET  /control/stats
// Delivery is at least once: a message taken by GetResponse and not acknowledged within the
// visibility timeout is delivered again.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgencyEvent } from '../../modules/interagency/interagency.events.types.ts';
import {
  buildEventXml,
  parseEventXml,
  senderOfEvent,
} from '../../modules/interagency/interagency.eventxml.ts';
import {
  agencyOfMnemonic,
  buildAccepted,
  buildFault,
  buildMessage,
  ENVELOPE_NS,
  envelopeSchema,
  type FaultCode,
  isRequestType,
  ProtocolError,
  parseSendRequest,
  readPayload,
  readValid,
  requestTypeInfo,
} from '../../modules/interagency/interagency.protocol.ts';
import { regionToday } from '../../platform/time.ts';
import { answer } from './agency.answers.ts';
import type { AgencyRegistry } from './agency.registry.ts';

export interface AgencySettings {
  /** Share (0…1) of SendRequest and GetResponse calls that fail with a transient 500 INTERNAL. */
  errorRate: number;
  /** Added to every answer of the gateway, in ms. */
  delayMs: number;
  /** Share (0…1) of calls that are never answered (the client's timeout fires). */
  timeoutRate: number;
  /** How long an agency takes to answer after accepting a request, in ms. */
  responseDelayMs: number;
  /** While on, every call answers 503 BUSY (the gateway is down). */
  outage: boolean;
}

export interface AgencyStats {
  accepted: number;
  rejected: number;
  transientErrors: number;
  queued: number;
  delivered: number;
  acknowledged: number;
}

export interface AgencySimulator {
  url: string;
  close(): Promise<void>;
  settings(patch?: Partial<AgencySettings>): AgencySettings;
  queueEvent(event: AgencyEvent): void;
  /** Queues any text as the next message (malformed or unexpected ones, for tests). */
  inject(text: string): string;
  /** Resolves when every accepted request has its answer queued. */
  settled(): Promise<void>;
  stats(): AgencyStats;
}

interface Queued {
  id: string;
  xml: string;
  readyAt: number;
  /** Delivered and not yet acknowledged: invisible until this time. */
  invisibleUntil: number;
}

const MAX_BODY = 1024 * 1024;

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

const STATUS: Record<FaultCode, number> = {
  INVALID_MESSAGE: 400,
  UNAUTHORIZED: 401,
  UNKNOWN_RECIPIENT: 404,
  UNKNOWN_MESSAGE: 404,
  INTERNAL: 500,
  BUSY: 503,
};

export async function startAgencySimulator(options: {
  registry: AgencyRegistry;
  controlKey: string;
  port?: number;
  host?: string;
  settings?: Partial<AgencySettings>;
  /** How long a delivered, unacknowledged message stays invisible (default 30 s). */
  visibilityMs?: number;
  /** The agencies' "today" (default: the region's calendar day). */
  today?: () => string;
  onLog?: (line: string) => void;
}): Promise<AgencySimulator> {
  const settings: AgencySettings = {
    errorRate: 0,
    delayMs: 0,
    timeoutRate: 0,
    responseDelayMs: 0,
    outage: false,
    ...options.settings,
  };
  const visibilityMs = options.visibilityMs ?? 30_000;
  const today = options.today ?? regionToday;
  const queue: Queued[] = [];
  const seen = new Set<string>(); // MessageIDs accepted: a repeated send is accepted, not answered twice
  const acked = new Set<string>();
  const inProgress = new Set<Promise<void>>();
  const stats: AgencyStats = {
    accepted: 0,
    rejected: 0,
    transientErrors: 0,
    queued: 0,
    delivered: 0,
    acknowledged: 0,
  };
  const log = options.onLog ?? (() => {});

  const enqueue = (xml: string, id: string = randomUUID()) => {
    queue.push({ id, xml, readyAt: Date.now() + settings.responseDelayMs, invisibleUntil: 0 });
    stats.queued++;
    return id;
  };

  /** The agency's work after accepting: look the person up and queue the answer (or NOT_FOUND). */
  async function respond(originalId: string, recipient: string, type: string, payload: string) {
    if (!isRequestType(type)) return;
    try {
      const snils = readPayload(type, payload, 'Request', (n) => n.text('Snils'));
      const person = await options.registry.person(snils);
      const messageId = randomUUID();
      if (!person) {
        enqueue(
          buildMessage({
            kind: 'error',
            messageId,
            originalMessageId: originalId,
            sender: recipient,
            code: 'NOT_FOUND',
            description: `No record of the person with SNILS ${snils}`,
          }),
          messageId,
        );
        return;
      }
      const body = readPayload(type, payload, 'Request', (n) => answer(type, person, n, today()));
      // The agency checks its own answer too: a broken answer is its bug, not Opora's.
      readPayload(type, body, 'Response', () => true);
      enqueue(
        buildMessage({
          kind: 'response',
          messageId,
          originalMessageId: originalId,
          sender: recipient,
          requestType: type,
          payload: body,
        }),
        messageId,
      );
    } catch (error) {
      log(`agency failed to answer ${originalId}: ${error instanceof Error ? error.message : error}`);
      const messageId = randomUUID();
      enqueue(
        buildMessage({
          kind: 'error',
          messageId,
          originalMessageId: originalId,
          sender: recipient,
          code: 'INTERNAL',
          description: 'The agency could not process the request',
        }),
        messageId,
      );
    }
  }

  function reply(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}) {
    res.writeHead(status, {
      'content-type': 'application/xml; charset=utf-8',
      'content-length': Buffer.byteLength(xml),
      ...headers,
    });
    res.end(xml);
  }
  const fault = (res: ServerResponse, code: FaultCode, description: string) => {
    if (STATUS[code] >= 500) stats.transientErrors++;
    else stats.rejected++;
    reply(res, STATUS[code], buildFault(code, description));
  };

  async function sendRequest(res: ServerResponse, body: string) {
    let req: ReturnType<typeof parseSendRequest>;
    try {
      req = parseSendRequest(body);
    } catch (error) {
      return fault(res, 'INVALID_MESSAGE', error instanceof Error ? error.message : String(error));
    }
    const agency = agencyOfMnemonic(req.recipient);
    if (!agency || !isRequestType(req.requestType) || requestTypeInfo(req.requestType).agency !== agency)
      return fault(res, 'UNKNOWN_RECIPIENT', `${req.recipient} does not answer ${req.requestType}`);
    const type = req.requestType;
    try {
      readPayload(type, req.payload, 'Request', () => true);
    } catch (error) {
      return fault(res, 'INVALID_MESSAGE', error instanceof ProtocolError ? error.message : String(error));
    }
    if (seen.has(req.messageId)) return reply(res, 200, buildAccepted(req.messageId));
    seen.add(req.messageId);
    stats.accepted++;
    const work = respond(req.messageId, req.recipient, type, req.payload).finally(() =>
      inProgress.delete(work),
    );
    inProgress.add(work);
    reply(res, 200, buildAccepted(req.messageId));
  }

  function getResponse(res: ServerResponse, body: string) {
    try {
      readValid(envelopeSchema(), body, (root) => {
        if (root.name !== 'GetResponse' || root.ns !== ENVELOPE_NS)
          throw new ProtocolError('SCHEMA_INVALID', 'expected GetResponse');
      });
    } catch (error) {
      return fault(res, 'INVALID_MESSAGE', error instanceof Error ? error.message : String(error));
    }
    const now = Date.now();
    const next = queue.find((m) => m.readyAt <= now && m.invisibleUntil <= now);
    if (!next) {
      res.writeHead(204);
      return res.end();
    }
    next.invisibleUntil = now + visibilityMs;
    stats.delivered++;
    reply(res, 200, next.xml, { 'x-message-id': next.id });
  }

  function ack(res: ServerResponse, body: string) {
    let id: string;
    try {
      id = readValid(envelopeSchema(), body, (root) => {
        if (root.name !== 'Ack') throw new ProtocolError('SCHEMA_INVALID', 'expected Ack');
        return root.text('MessageID');
      });
    } catch (error) {
      return fault(res, 'INVALID_MESSAGE', error instanceof Error ? error.message : String(error));
    }
    const at = queue.findIndex((m) => m.id === id);
    if (at >= 0) {
      queue.splice(at, 1);
      acked.add(id);
      stats.acknowledged++;
    } else if (!acked.has(id)) return fault(res, 'UNKNOWN_MESSAGE', `No message ${id} is waiting`);
    reply(res, 200, buildAccepted(id));
  }

  function updateSettings(patch: Partial<AgencySettings>) {
    const rate = (v: unknown, name: string) => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${name} is between 0 and 1`);
      return v;
    };
    const ms = (v: unknown, name: string) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 600_000)
        throw new Error(`${name} is 0…600000 ms`);
      return v;
    };
    if (patch.errorRate !== undefined) settings.errorRate = rate(patch.errorRate, 'errorRate');
    if (patch.timeoutRate !== undefined) settings.timeoutRate = rate(patch.timeoutRate, 'timeoutRate');
    if (patch.delayMs !== undefined) settings.delayMs = ms(patch.delayMs, 'delayMs');
    if (patch.responseDelayMs !== undefined)
      settings.responseDelayMs = ms(patch.responseDelayMs, 'responseDelayMs');
    if (patch.outage !== undefined) {
      if (typeof patch.outage !== 'boolean') throw new Error('outage is true or false');
      settings.outage = patch.outage;
    }
    return { ...settings };
  }

  const queueEvent = (event: AgencyEvent) => {
    const xml = buildEventXml(event);
    parseEventXml(xml); // the agency sends only valid events
    const messageId = randomUUID();
    enqueue(
      buildMessage({ kind: 'event', messageId, sender: senderOfEvent(event), payload: xml }),
      messageId,
    );
  };

  async function control(req: IncomingMessage, res: ServerResponse, path: string, body: string) {
    const json = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (!keyMatches(req.headers['x-control-key'], options.controlKey))
      return json(401, { error: 'unauthorized' });
    try {
      if (req.method === 'GET' && path === '/control/stats')
        return json(200, { ...stats, waiting: queue.length });
      if (req.method !== 'POST') return json(404, { error: 'not_found' });
      if (path === '/control/settings') return json(200, updateSettings(JSON.parse(body || '{}')));
      if (path === '/control/events') {
        const event = parseEventXml(body);
        queueEvent(event);
        return json(202, { queued: event.eventId });
      }
      if (path === '/control/inject') return json(202, { queued: enqueue(body) });
      return json(404, { error: 'not_found' });
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://agency').pathname;
      const body = await readBody(req);
      if (body === undefined) return fault(res, 'INVALID_MESSAGE', 'The message is larger than 1 MB');
      if (path.startsWith('/control/')) return await control(req, res, path, body);
      if (req.method !== 'POST')
        return fault(res, 'UNKNOWN_MESSAGE', `No such operation: ${req.method} ${path}`);
      if (settings.delayMs) await new Promise((r) => setTimeout(r, settings.delayMs));
      if (settings.outage) return fault(res, 'BUSY', 'The gateway is not available');
      if (settings.timeoutRate > 0 && Math.random() < settings.timeoutRate) return; // never answered
      if (path !== '/Ack' && settings.errorRate > 0 && Math.random() < settings.errorRate)
        return fault(res, 'INTERNAL', 'Internal error of the gateway, try again later');
      if (path === '/SendRequest') return await sendRequest(res, body);
      if (path === '/GetResponse') return getResponse(res, body);
      if (path === '/Ack') return ack(res, body);
      return fault(res, 'UNKNOWN_MESSAGE', `No such operation: ${path}`);
    } catch (error) {
      log(`agency simulator: ${error instanceof Error ? error.message : error}`);
      if (!res.headersSent) fault(res, 'INTERNAL', 'Internal error of the gateway');
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
    settings: (patch) => updateSettings(patch ?? {}),
    queueEvent,
    inject: (text) => enqueue(text),
    settled: async () => {
      while (inProgress.size) await Promise.all([...inProgress]);
    },
    stats: () => ({ ...stats }),
  };
}
