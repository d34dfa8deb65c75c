// Interagency requests: created when a case is registered, sent by the worker with retries, their
// answers taken from the gateway, checked, attached to the case, and the case moved on. Unasked
// agency events go to applyAgencyEvent. Every inbound message is logged; rejected ones are kept
// with the reason for the staff page. Delivery is at least once, so everything here is idempotent.
import { randomUUID } from 'node:crypto';
import { record } from '../../platform/audit/audit.service.ts';
import { type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { AgencyConfig } from '../../platform/config.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { renderPdf } from '../../platform/pdf/pdf.ts';
import type { BlobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import {
  agenciesAnswered,
  attachAgencyDocument,
  awaitAgencies,
  lockCaseForAgencies,
  noteAgencyError,
} from '../applications/applications.interagency.ts';
import { INTERAGENCY_RESPONSE_DAYS } from '../applications/applications.states.ts';
import type { Agency } from '../catalog/catalog.schema.ts';
import { personForResident } from '../registry/registry.service.ts';
import {
  ADAPTERS,
  type AgencyAnswer,
  readResponse,
  requestTypeForDocument,
  responseDueOn,
} from './interagency.adapters.ts';
import { ack, GatewayUnavailable, getResponse, sendRequest } from './interagency.client.ts';
import { applyAgencyEvent } from './interagency.events.ts';
import { parseEventXml } from './interagency.eventxml.ts';
import {
  buildSendRequest,
  envelopeSchema,
  type GatewayMessage,
  isRequestType,
  mnemonicOf,
  ProtocolError,
  parseMessage,
  payloadSchema,
  type RequestType,
} from './interagency.protocol.ts';
import * as repo from './interagency.repository.ts';

export type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  details?: Record<string, unknown>,
) => void;
const stderrLog: Log = (level, message, details) =>
  process.stderr.write(`[interagency] ${level}: ${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`);

export const SEND_TASK = 'interagency:send';
export const POLL_TASK = 'interagency:poll';
export const POLL_JOB_KEY = 'interagency:poll';

// ------------------------------------------------------------ is the exchange on?

let gateway: AgencyConfig | undefined;

/**
 * Automatic requests are made only when a gateway is configured (OPORA_AGENCY_URL, or the demo's
 * simulator): without one, specialists request by hand as before. Set by the app and the worker.
 */
export function configureExchange(config: AgencyConfig | undefined): void {
  if (config) gateway = config;
}
export const exchangeEnabled = () => gateway !== undefined;

/** Retry delay after `attempts` failures: doubling from the base, at most 10 minutes, ±20 % jitter. */
export function retryDelayMs(base: number, attempts: number): number {
  const raw = Math.min(base * 2 ** Math.max(0, attempts - 1), 600_000);
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

// ------------------------------------------------------------ creating requests for a case

export interface CaseForRequests {
  id: number;
  person_id: number;
  district_id: number;
}

/**
 * Called in the transaction that registers a case: one request per request type the measure's
 * agency-held documents need, the send jobs, and the case waiting with the statutory deadline.
 * Returns how many requests were made (0: nothing to ask, or the exchange is off).
 */
export async function requestDocumentsForCase(
  trx: Trx,
  app: CaseForRequests,
  documents: Array<{ id: number; interagency_agency: Agency | null; title_en: string }>,
  today: string,
): Promise<number> {
  if (!exchangeEnabled()) return 0;
  const wanted = new Map<RequestType, number>();
  for (const d of documents) {
    const type = requestTypeForDocument(d);
    if (type && !wanted.has(type)) wanted.set(type, d.id);
  }
  if (!wanted.size) return 0;
  const dueOn = responseDueOn(today, INTERAGENCY_RESPONSE_DAYS);
  const ids = await createRequests(
    trx,
    [...wanted].map(([type, measureDocumentId]) => ({
      type,
      measureDocumentId,
      applicationId: app.id,
      personId: app.person_id,
      districtId: app.district_id,
      dueOn,
    })),
  );
  await awaitAgencies(trx, app.id, dueOn, [...wanted.keys()]);
  return ids.length;
}

/** Inserts requests and queues their sending (in the caller's transaction). */
export async function createRequests(
  trx: Trx,
  requests: Array<{
    type: RequestType;
    measureDocumentId: number | null;
    applicationId: number | null;
    personId: number;
    districtId: number;
    dueOn: string;
  }>,
): Promise<number[]> {
  const ids = await repo.insertRequests(
    trx,
    requests.map((r) => ({
      message_id: randomUUID(),
      application_id: r.applicationId,
      measure_document_id: r.measureDocumentId,
      person_id: r.personId,
      district_id: r.districtId,
      agency: ADAPTERS[r.type].agency,
      request_type: r.type,
      due_on: r.dueOn,
    })),
  );
  for (const id of ids)
    await enqueue(trx, SEND_TASK, { requestId: id }, { jobKey: `${SEND_TASK}:${id}`, maxAttempts: 25 });
  return ids;
}

// ------------------------------------------------------------ sending

export type SendResult = 'sent' | 'retry' | 'failed' | 'skipped';

/**
 * Sends one pending request. A gateway that is down or busy only delays it: the attempt is counted
 * and the caller schedules the next one (`retry`). A definite refusal fails the request.
 */
export async function sendOne(
  db: Db,
  gw: AgencyConfig,
  id: number,
  log: Log = stderrLog,
): Promise<SendResult> {
  const r = await repo.findRequest(db, id);
  if (r?.status !== 'pending' || !isRequestType(r.request_type)) return 'skipped';
  const type = r.request_type;
  const { person } = await personForResident(db, r.person_id);
  const payload = ADAPTERS[type].request(person, regionToday(r.created_at));
  const xml = buildSendRequest({
    messageId: r.message_id,
    timestamp: new Date().toISOString(),
    recipient: mnemonicOf(r.agency),
    requestType: type,
    payload,
  });
  // Our side checks what it sends: a request the schema refuses (say, a name too long) cannot be
  // sent at all, and the specialist asks the resident instead.
  const problems = [...payloadSchema(type).validate(payload), ...envelopeSchema().validate(xml)];
  if (problems.length) {
    const text = problems.map((p) => p.message).join('; ');
    await failAndSettle(db, r, 'INVALID_REQUEST', text);
    log('warn', 'request refused by our own schema check', { request: id, problems: text });
    return 'failed';
  }
  try {
    const outcome = await sendRequest(gw, xml);
    if (outcome.kind === 'accepted') {
      await repo.markSent(db, id);
      await repo.addKeyedJob(db, POLL_TASK, POLL_JOB_KEY, new Date(Date.now() + gw.pollIntervalMs));
      return 'sent';
    }
    await failAndSettle(db, r, outcome.code, outcome.description);
    log('warn', 'request refused by the gateway', {
      request: id,
      code: outcome.code,
      description: outcome.description,
    });
    return 'failed';
  } catch (error) {
    if (!(error instanceof GatewayUnavailable)) throw error;
    await repo.markAttemptFailed(db, id, error.message);
    return 'retry';
  }
}

/**
 * A gateway that lost what it accepted (an incident, a restarted simulator) never answers it, so a
 * request silent for `resendAfterMs` goes out again with the same MessageID. A gateway that still has
 * it recognises the MessageID and answers once; an answer to the first send is accepted as well.
 */
export async function resendUnanswered(db: Db, gw: AgencyConfig, now = new Date()): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const ids = await repo.reopenUnanswered(trx, new Date(now.getTime() - gw.resendAfterMs));
    for (const id of ids)
      await enqueue(trx, SEND_TASK, { requestId: id }, { jobKey: `${SEND_TASK}:${id}`, maxAttempts: 25 });
    return ids.length;
  });
}

async function failAndSettle(db: Db, r: repo.RequestRow, code: string, text: string) {
  await db.transaction().execute(async (trx) => {
    if (r.application_id !== null) await lockCaseForAgencies(trx, r.application_id);
    await repo.markFailed(trx, r.id, code, text);
    if (r.application_id !== null) {
      await noteAgencyError(trx, r.application_id, r.agency, code, text);
      await settleCase(trx, r.application_id);
    }
  });
}

/** When no request of the case is still open, the case moves on to review. */
async function settleCase(trx: Trx, applicationId: number): Promise<void> {
  // Locked before reading the requests (callers lock it first already: taking it again is free):
  // without it two answers committing at once each saw the other request still open.
  await lockCaseForAgencies(trx, applicationId);
  const all = await repo.requestsOfApplication(trx, applicationId);
  if (all.every((r) => r.status === 'answered' || r.status === 'failed'))
    await agenciesAnswered(trx, applicationId);
}

// ------------------------------------------------------------ receiving

export type InboundOutcome =
  | { outcome: 'processed'; kind: GatewayMessage['kind']; summary: string }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; code: string; reason: string }
  /** Not processed now (e.g. the event could not be applied): not acknowledged, delivered again. */
  | { outcome: 'retry'; reason: string };

const AGENCY_RU: Record<Agency, string> = {
  sfr: 'Социальный фонд России',
  fns: 'Федеральная налоговая служба',
  zags: 'Органы записи актов гражданского состояния',
  mvd: 'Министерство внутренних дел Российской Федерации',
  rosreestr: 'Федеральная служба государственной регистрации, кадастра и картографии',
  employment: 'Центр занятости населения Волгоградской области',
};

/** The agency's answer as a document a specialist reads: PDF in the case file's language. */
async function answerPdf(r: repo.RequestRow, answer: AgencyAnswer, receivedAt: Date): Promise<Buffer> {
  const adapter = ADAPTERS[r.request_type as RequestType];
  return await renderPdf({
    lang: 'ru',
    title: adapter.title.ru,
    issuer: [AGENCY_RU[r.agency], 'Ответ на межведомственный запрос (СМЭВ)'],
    reference: `Запрос ${r.message_id}`,
    blocks: [
      { kind: 'fields', rows: answer.rows },
      { kind: 'spacer' },
      {
        kind: 'paragraph',
        text: `Сведения получены ${receivedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC по запросу от ${regionToday(r.created_at)} в электронной форме; подпись ведомства проверена шлюзом.`,
      },
    ],
    footer: `Межведомственный запрос ${r.request_type}`,
    now: receivedAt,
  });
}

/**
 * Processes one message taken from the gateway. Rejections (malformed, invalid, not ours) are
 * logged and change nothing else; the caller acknowledges every outcome except `retry`.
 */
export async function processInbound(
  db: Db,
  store: BlobStore,
  gatewayId: string | null,
  xml: string,
  log: Log = stderrLog,
): Promise<InboundOutcome> {
  const reject = async (
    code: string,
    reason: string,
    kind: GatewayMessage['kind'] | 'unknown',
    messageId: string | null,
    requestId: number | null = null,
  ): Promise<InboundOutcome> => {
    await repo.insertInbound(db, {
      gatewayMessageId: messageId ?? gatewayId,
      kind,
      requestId,
      status: 'rejected',
      errorCode: code,
      errorText: reason,
      xml,
    });
    log('warn', `inbound message rejected: ${code}`, { gatewayId, reason });
    return { outcome: 'rejected', code, reason };
  };

  let m: GatewayMessage;
  try {
    m = parseMessage(xml);
  } catch (error) {
    if (error instanceof ProtocolError) return await reject(error.code, error.message, 'unknown', null);
    throw error;
  }
  if (await repo.processedBefore(db, m.messageId)) return { outcome: 'duplicate' };

  if (m.kind === 'event') {
    let event: ReturnType<typeof parseEventXml>;
    try {
      event = parseEventXml(m.payload);
    } catch (error) {
      if (error instanceof ProtocolError)
        return await reject(error.code, error.message, 'event', m.messageId);
      throw error;
    }
    try {
      return await db.transaction().execute(async (trx) => {
        const fresh = await repo.insertInbound(trx, {
          gatewayMessageId: m.messageId,
          kind: 'event',
          requestId: null,
          status: 'processed',
          xml,
        });
        if (!fresh) return { outcome: 'duplicate' } as const;
        const applied = await applyAgencyEvent(trx, event);
        await trx
          .updateTable('interagency_inbound')
          .set({ summary: applied.summary.slice(0, 500) })
          .where('gateway_message_id', '=', m.messageId)
          .where('status', '=', 'processed')
          .execute();
        return { outcome: 'processed', kind: 'event', summary: applied.summary } as const;
      });
    } catch (error) {
      // Applying failed: nothing was recorded (the transaction rolled back) and the message is not
      // acknowledged, so the gateway delivers it again later.
      const reason = error instanceof Error ? error.message : String(error);
      log('error', 'agency event could not be applied; will retry', {
        event: event.eventId,
        kind: event.kind,
        reason,
      });
      return { outcome: 'retry', reason };
    }
  }

  const r = await repo.findRequestByMessageId(db, m.originalMessageId);
  if (!r)
    return await reject(
      'UNKNOWN_REQUEST',
      `No request with MessageID ${m.originalMessageId} was ever sent`,
      m.kind,
      m.messageId,
    );
  if (r.status === 'answered' || r.status === 'failed')
    return await reject(
      'ALREADY_ANSWERED',
      `Request ${m.originalMessageId} was answered before`,
      m.kind,
      m.messageId,
      r.id,
    );
  if (mnemonicOf(r.agency) !== m.sender)
    return await reject(
      'WRONG_SENDER',
      `${m.sender} answered a request sent to ${mnemonicOf(r.agency)}`,
      m.kind,
      m.messageId,
      r.id,
    );

  if (m.kind === 'error') {
    return await db.transaction().execute(async (trx) => {
      // The case first, then the request: answers to one case are applied one at a time.
      if (r.application_id !== null) await lockCaseForAgencies(trx, r.application_id);
      const locked = await repo.findRequestByMessageId(trx, m.originalMessageId, true);
      if (!locked || locked.status === 'answered' || locked.status === 'failed')
        return { outcome: 'duplicate' } as const;
      const fresh = await repo.insertInbound(trx, {
        gatewayMessageId: m.messageId,
        kind: 'error',
        requestId: r.id,
        status: 'processed',
        errorCode: m.code,
        errorText: m.description,
        summary: `${m.code}: ${m.description}`,
        xml,
      });
      if (!fresh) return { outcome: 'duplicate' } as const;
      await repo.markFailed(trx, r.id, m.code, m.description);
      if (r.application_id !== null) {
        await noteAgencyError(trx, r.application_id, r.agency, m.code, m.description);
        await settleCase(trx, r.application_id);
      }
      return { outcome: 'processed', kind: 'error', summary: `${m.code}: ${m.description}` } as const;
    });
  }

  if (m.requestType !== r.request_type)
    return await reject(
      'WRONG_TYPE',
      `A ${m.requestType} answer to a ${r.request_type} request`,
      m.kind,
      m.messageId,
      r.id,
    );
  let answer: AgencyAnswer;
  try {
    answer = readResponse(r.request_type as RequestType, m.payload);
  } catch (error) {
    if (error instanceof ProtocolError)
      return await reject(error.code, error.message, m.kind, m.messageId, r.id);
    throw error;
  }
  // The document is stored before the transaction (content-addressed: a rollback leaves at most an
  // unreferenced blob, never a row without its file).
  const receivedAt = new Date();
  const stored =
    r.application_id !== null ? await store.put(await answerPdf(r, answer, receivedAt)) : undefined;
  return await db.transaction().execute(async (trx) => {
    if (r.application_id !== null) await lockCaseForAgencies(trx, r.application_id);
    const locked = await repo.findRequestByMessageId(trx, m.originalMessageId, true);
    if (!locked || locked.status === 'answered' || locked.status === 'failed')
      return { outcome: 'duplicate' } as const;
    const fresh = await repo.insertInbound(trx, {
      gatewayMessageId: m.messageId,
      kind: 'response',
      requestId: r.id,
      status: 'processed',
      summary: `${r.request_type} answered`,
      xml,
    });
    if (!fresh) return { outcome: 'duplicate' } as const;
    let documentId: number | null = null;
    if (r.application_id !== null && stored) {
      const title = ADAPTERS[r.request_type as RequestType].title.ru;
      documentId = await attachAgencyDocument(trx, r.application_id, {
        measureDocumentId: r.measure_document_id,
        title,
        sha256: stored.sha256,
        size: stored.size,
        filename: `${r.request_type.toLowerCase()}-${r.message_id.slice(0, 8)}.pdf`,
        agency: r.agency,
      });
    }
    await repo.markAnswered(trx, r.id, answer.facts, documentId);
    if (r.application_id !== null) await settleCase(trx, r.application_id);
    return { outcome: 'processed', kind: 'response', summary: `${r.request_type} answered` } as const;
  });
}

export interface PollSummary {
  processed: number;
  duplicates: number;
  rejected: number;
  retried: number;
  /** The gateway failed after some messages were taken: poll again soon. */
  interrupted?: boolean;
}

/**
 * Takes messages from the gateway until none is left (or `max`), each processed in its own
 * transaction and then acknowledged, by `consumers` loops at once (safe: the gateway hides a
 * delivered message until it is acknowledged or its visibility timeout passes). When the gateway
 * fails before anything was taken, GatewayUnavailable propagates and the caller retries later; a
 * failure after some progress ends the round early (`interrupted`).
 */
export async function pollOnce(
  db: Db,
  store: BlobStore,
  gw: AgencyConfig,
  options: { max?: number; consumers?: number; log?: Log } = {},
): Promise<PollSummary> {
  const summary: PollSummary = { processed: 0, duplicates: 0, rejected: 0, retried: 0 };
  const seenThisRound = new Set<string>();
  let budget = options.max ?? 200;
  let taken = 0;
  let stop = false;
  const consume = async () => {
    while (!stop && budget-- > 0) {
      let next: Awaited<ReturnType<typeof getResponse>>;
      try {
        next = await getResponse(gw);
      } catch (error) {
        if (taken === 0 || !(error instanceof GatewayUnavailable)) throw error;
        summary.interrupted = true;
        return;
      }
      if (!next) return;
      taken++;
      const outcome = await processInbound(db, store, next.gatewayId, next.xml, options.log);
      const ackId = next.gatewayId ?? messageIdIn(next.xml);
      if (outcome.outcome === 'retry') {
        summary.retried++;
        // The same unprocessable message again in this round: leave it for a later one.
        if (ackId && seenThisRound.has(ackId)) stop = true;
        if (ackId) seenThisRound.add(ackId);
        continue;
      }
      summary[
        outcome.outcome === 'processed'
          ? 'processed'
          : outcome.outcome === 'duplicate'
            ? 'duplicates'
            : 'rejected'
      ]++;
      if (!ackId) continue;
      try {
        await ack(gw, ackId);
      } catch (error) {
        // Processed but not acknowledged: it comes back and is recognised as a duplicate then.
        if (!(error instanceof GatewayUnavailable)) throw error;
        summary.interrupted = true;
        return;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: options.consumers ?? 1 }, consume));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed && (taken === 0 || !(failed.reason instanceof GatewayUnavailable))) throw failed.reason;
  if (failed) summary.interrupted = true;
  return summary;
}

/** The envelope's MessageID read loosely, for acknowledging when the gateway gave no header. */
function messageIdIn(xml: string): string | null {
  return /<(?:\w+:)?MessageID>([^<]{1,200})</.exec(xml)?.[1] ?? null;
}

// ------------------------------------------------------------ reading for staff

/** Requests of a case, for the case page (the case read itself is audited by the case page). */
export async function requestsForCase(db: DbOrTrx, applicationId: number) {
  return await repo.requestsOfApplication(db, applicationId);
}

/** The staff page: requests in the actor's districts (overdue first) and rejected inbound messages. */
export async function interagencyOverview(trx: Trx, staff: StaffActor, ip: string, today = regionToday()) {
  const requests = await repo.listRequests(trx, scopeOf(staff), today);
  const rejected = await repo.rejectedInbound(trx);
  // The list shows residents' names: the read is audited with its reason.
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'interagency.requests.viewed',
    subject: { kind: 'interagency_requests', id: 'list' },
    ip,
    details: {
      reason: 'interagency_monitoring',
      persons: [...new Set(requests.map((r) => r.person_id))].slice(0, 200),
    },
  });
  return { requests, rejected, today };
}
