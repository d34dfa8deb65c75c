// Opora's side of the gateway's HTTP API. Everything that is not a definite answer (network errors,
// timeouts, 5xx, BUSY) is a GatewayUnavailable: the caller retries later. A definite refusal of a
// request (INVALID_MESSAGE, UNKNOWN_RECIPIENT…) is final.
import type { AgencyConfig } from '../../platform/config.ts';
import { buildAck, buildGetResponse, type FaultCode, parseSyncAnswer } from './interagency.protocol.ts';

export class GatewayUnavailable extends Error {}

export type SendOutcome = { kind: 'accepted' } | { kind: 'refused'; code: FaultCode; description: string };

const TRANSIENT: ReadonlySet<FaultCode> = new Set(['BUSY', 'INTERNAL']);

async function call(
  gw: AgencyConfig,
  op: string,
  xml: string,
): Promise<{ status: number; body: string; messageId: string | null }> {
  let res: Response;
  try {
    res = await fetch(`${gw.url}/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: xml,
      signal: AbortSignal.timeout(gw.timeoutMs),
    });
  } catch (error) {
    const why =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new GatewayUnavailable(`${op}: ${why}`);
  }
  let body: string;
  try {
    body = await res.text();
  } catch (error) {
    throw new GatewayUnavailable(`${op}: ${error instanceof Error ? error.message : error}`);
  }
  return { status: res.status, body, messageId: res.headers.get('x-message-id') };
}

function answerOf(op: string, status: number, body: string) {
  let parsed: ReturnType<typeof parseSyncAnswer>;
  try {
    parsed = parseSyncAnswer(body);
  } catch (error) {
    // An unreadable answer (a proxy's error page, a cut connection) says nothing definite.
    throw new GatewayUnavailable(
      `${op}: HTTP ${status}, unreadable answer: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (parsed.kind === 'fault' && TRANSIENT.has(parsed.code))
    throw new GatewayUnavailable(`${op}: ${parsed.code} ${parsed.description}`);
  return parsed;
}

export async function sendRequest(gw: AgencyConfig, xml: string): Promise<SendOutcome> {
  const { status, body } = await call(gw, 'SendRequest', xml);
  const answer = answerOf('SendRequest', status, body);
  return answer.kind === 'accepted'
    ? { kind: 'accepted' }
    : { kind: 'refused', code: answer.code, description: answer.description };
}

/** The next queued message, raw (it is checked by the caller, who logs what it rejects), or null. */
export async function getResponse(
  gw: AgencyConfig,
): Promise<{ gatewayId: string | null; xml: string } | null> {
  const { status, body, messageId } = await call(gw, 'GetResponse', buildGetResponse());
  if (status === 204) return null;
  if (status !== 200) answerOf('GetResponse', status, body); // throws for transient faults
  if (status !== 200) throw new GatewayUnavailable(`GetResponse: HTTP ${status}`);
  return { gatewayId: messageId, xml: body };
}

/** Confirms a message so the gateway drops it; a message it no longer has is confirmed already. */
export async function ack(gw: AgencyConfig, gatewayId: string): Promise<void> {
  const { status, body } = await call(gw, 'Ack', buildAck(gatewayId));
  const answer = answerOf('Ack', status, body);
  if (answer.kind === 'fault' && answer.code !== 'UNKNOWN_MESSAGE')
    throw new GatewayUnavailable(`Ack: ${answer.code} ${answer.description}`);
}
