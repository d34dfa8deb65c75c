// The wire format of the interagency exchange, modelled on SMEV 3, shared by Opora and the agency
// simulator so both sides build and check messages the same way (see docs/interagency.md):
//   SendRequest (envelope + payload)   → Accepted | Fault           synchronous
//   GetResponse                        → Message (Response | AsyncError | Event) or nothing
//   Ack (MessageID)                    → Accepted                   the gateway drops the message
// The envelope's Content is checked by the envelope schema only as "one element of another
// namespace"; the payload is then checked against its own request type's schema.
import { XmlElement } from 'libxml2-wasm';
import { loadSchema, withXml, type XmlProblem, type XmlSchema, xmlEscape } from '../../platform/xml/xml.ts';
import type { Agency } from '../catalog/catalog.schema.ts';

export const ENVELOPE_NS = 'urn:opora:smev:envelope:1';
export const EVENTS_NS = 'urn:opora:smev:events:1';
export const OPORA = 'OPORA';

export const REQUEST_TYPES = [
  'SFR_INSURED',
  'SFR_PENSION',
  'SFR_DISABILITY',
  'FNS_INCOME',
  'ZAGS_BIRTH',
  'ZAGS_MARRIAGE',
  'ZAGS_DEATH',
  'MVD_PASSPORT',
  'MVD_ADDRESS',
  'ROSREESTR_PROPERTY',
  'EMPLOYMENT_STATUS',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const isRequestType = (t: string): t is RequestType =>
  (REQUEST_TYPES as readonly string[]).includes(t);

/** SFR_INSURED → the schema file sfr-insured.xsd and the namespace urn:opora:smev:sfr:insured:1. */
export function requestTypeInfo(type: RequestType): { agency: Agency; ns: string; file: string } {
  const [head = '', ...rest] = type.toLowerCase().split('_');
  const tail = rest.join('_');
  return { agency: head as Agency, ns: `urn:opora:smev:${head}:${tail}:1`, file: `${head}-${tail}.xsd` };
}

/** The gateway's name of an agency (SMEV "mnemonic"). */
export const mnemonicOf = (agency: Agency) => agency.toUpperCase();
const AGENCY_OF: Record<string, Agency> = {
  SFR: 'sfr',
  FNS: 'fns',
  ZAGS: 'zags',
  MVD: 'mvd',
  ROSREESTR: 'rosreestr',
  EMPLOYMENT: 'employment',
};
export const agencyOfMnemonic = (m: string): Agency | undefined => AGENCY_OF[m];

const schemaUrl = (file: string) => new URL(`./schemas/${file}`, import.meta.url);
export const envelopeSchema = (): XmlSchema => loadSchema(schemaUrl('envelope.xsd'));
export const eventsSchema = (): XmlSchema => loadSchema(schemaUrl('events.xsd'));
export const payloadSchema = (type: RequestType): XmlSchema =>
  loadSchema(schemaUrl(requestTypeInfo(type).file));

// ------------------------------------------------------------ reading

/** A small reader over an element: child texts by local name (the element's own namespace). */
export class Node {
  readonly el: XmlElement;
  constructor(el: XmlElement) {
    this.el = el;
  }
  child(name: string): Node | undefined {
    for (let n = this.el.firstChild; n; n = n.next) {
      if (n instanceof XmlElement && n.name === name) return new Node(n);
    }
    return undefined;
  }
  children(name?: string): Node[] {
    const out: Node[] = [];
    for (let n = this.el.firstChild; n; n = n.next) {
      if (n instanceof XmlElement && (name === undefined || n.name === name)) out.push(new Node(n));
    }
    return out;
  }
  text(name: string): string {
    const c = this.child(name);
    if (!c) throw new Error(`missing ${name}`);
    return c.el.content.trim();
  }
  opt(name: string): string | undefined {
    return this.child(name)?.el.content.trim();
  }
  get name(): string {
    return this.el.name;
  }
  get ns(): string {
    return this.el.namespaceUri;
  }
}

/** Problems from schema validation or from reading, with a stable code for the error log. */
export class ProtocolError extends Error {
  readonly code: 'MALFORMED_XML' | 'SCHEMA_INVALID';
  constructor(code: 'MALFORMED_XML' | 'SCHEMA_INVALID', message: string) {
    super(message);
    this.code = code;
  }
}

const describe = (problems: XmlProblem[]) =>
  problems
    .slice(0, 5)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join('; ');

/** Validates against the schema and reads the root; malformed and invalid XML throw ProtocolError. */
export function readValid<T>(schema: XmlSchema, xml: string, read: (root: Node) => T): T {
  const wellFormed = withXml(xml, () => true);
  if ('problems' in wellFormed) throw new ProtocolError('MALFORMED_XML', describe(wellFormed.problems));
  const problems = schema.validate(xml);
  if (problems.length) throw new ProtocolError('SCHEMA_INVALID', describe(problems));
  const parsed = withXml(xml, (doc) => read(new Node(doc.root)));
  if ('problems' in parsed) throw new ProtocolError('MALFORMED_XML', describe(parsed.problems));
  return parsed.value;
}

/** The single element inside a Content wrapper, serialised with its own namespace declaration. */
export function contentOf(node: Node): string {
  const inner = node.child('Content')?.children()[0];
  if (!inner) throw new ProtocolError('SCHEMA_INVALID', 'Content is empty');
  return inner.el.toString();
}

// ------------------------------------------------------------ building

const env = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const e = (name: string, value: string | number) => `<${name}>${xmlEscape(value)}</${name}>`;

/** Strips an XML declaration so a payload can be embedded in the envelope. */
const bare = (xml: string) => xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');

export interface SendRequestFields {
  messageId: string;
  timestamp: string;
  recipient: string;
  requestType: string;
  payload: string;
}

export function buildSendRequest(f: SendRequestFields): string {
  return env(
    `<SendRequest xmlns="${ENVELOPE_NS}">${e('MessageID', f.messageId)}${e('Timestamp', f.timestamp)}` +
      `${e('Sender', OPORA)}${e('Recipient', f.recipient)}${e('RequestType', f.requestType)}` +
      `<Content>${bare(f.payload)}</Content></SendRequest>`,
  );
}

export function parseSendRequest(xml: string): SendRequestFields {
  return readValid(envelopeSchema(), xml, (root) => {
    if (root.name !== 'SendRequest')
      throw new ProtocolError('SCHEMA_INVALID', `expected SendRequest, got ${root.name}`);
    return {
      messageId: root.text('MessageID'),
      timestamp: root.text('Timestamp'),
      recipient: root.text('Recipient'),
      requestType: root.text('RequestType'),
      payload: contentOf(root),
    };
  });
}

export const buildGetResponse = () =>
  env(`<GetResponse xmlns="${ENVELOPE_NS}">${e('Receiver', OPORA)}</GetResponse>`);
export const buildAck = (messageId: string) =>
  env(`<Ack xmlns="${ENVELOPE_NS}">${e('MessageID', messageId)}</Ack>`);
export const buildAccepted = (messageId: string) =>
  env(`<Accepted xmlns="${ENVELOPE_NS}">${e('MessageID', messageId)}</Accepted>`);
export const buildFault = (code: FaultCode, description: string) =>
  env(
    `<Fault xmlns="${ENVELOPE_NS}">${e('Code', code)}${e('Description', description.slice(0, 2000) || code)}</Fault>`,
  );

export type FaultCode =
  | 'INVALID_MESSAGE'
  | 'UNKNOWN_RECIPIENT'
  | 'UNKNOWN_MESSAGE'
  | 'UNAUTHORIZED'
  | 'BUSY'
  | 'INTERNAL';
export type AsyncErrorCode = 'NOT_FOUND' | 'REJECTED' | 'INTERNAL';

export type SyncAnswer =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'fault'; code: FaultCode; description: string };

export function parseSyncAnswer(xml: string): SyncAnswer {
  return readValid(envelopeSchema(), xml, (root) => {
    if (root.name === 'Accepted') return { kind: 'accepted', messageId: root.text('MessageID') };
    if (root.name === 'Fault')
      return { kind: 'fault', code: root.text('Code') as FaultCode, description: root.text('Description') };
    throw new ProtocolError('SCHEMA_INVALID', `expected Accepted or Fault, got ${root.name}`);
  });
}

export type GatewayMessage =
  | {
      kind: 'response';
      messageId: string;
      originalMessageId: string;
      sender: string;
      requestType: string;
      payload: string;
    }
  | {
      kind: 'error';
      messageId: string;
      originalMessageId: string;
      sender: string;
      code: AsyncErrorCode;
      description: string;
    }
  | { kind: 'event'; messageId: string; sender: string; payload: string };

export function buildMessage(m: GatewayMessage, timestamp = new Date().toISOString()): string {
  const head = `${e('MessageID', m.messageId)}${e('Timestamp', timestamp)}`;
  const body =
    m.kind === 'response'
      ? `<Response>${e('OriginalMessageID', m.originalMessageId)}${e('Sender', m.sender)}${e('RequestType', m.requestType)}<Content>${bare(m.payload)}</Content></Response>`
      : m.kind === 'error'
        ? `<AsyncError>${e('OriginalMessageID', m.originalMessageId)}${e('Sender', m.sender)}${e('Code', m.code)}${e('Description', m.description)}</AsyncError>`
        : `<Event>${e('Sender', m.sender)}<Content>${bare(m.payload)}</Content></Event>`;
  return env(`<Message xmlns="${ENVELOPE_NS}">${head}${body}</Message>`);
}

export function parseMessage(xml: string): GatewayMessage {
  return readValid(envelopeSchema(), xml, (root) => {
    if (root.name !== 'Message')
      throw new ProtocolError('SCHEMA_INVALID', `expected Message, got ${root.name}`);
    const messageId = root.text('MessageID');
    const r = root.child('Response');
    if (r)
      return {
        kind: 'response',
        messageId,
        originalMessageId: r.text('OriginalMessageID'),
        sender: r.text('Sender'),
        requestType: r.text('RequestType'),
        payload: contentOf(r),
      };
    const a = root.child('AsyncError');
    if (a)
      return {
        kind: 'error',
        messageId,
        originalMessageId: a.text('OriginalMessageID'),
        sender: a.text('Sender'),
        code: a.text('Code') as AsyncErrorCode,
        description: a.text('Description'),
      };
    const ev = root.child('Event');
    if (ev) return { kind: 'event', messageId, sender: ev.text('Sender'), payload: contentOf(ev) };
    throw new ProtocolError('SCHEMA_INVALID', 'Message carries nothing');
  });
}

/** Reads a payload of a request type after checking it against that type's schema. */
export function readPayload<T>(
  type: RequestType,
  xml: string,
  element: 'Request' | 'Response',
  read: (n: Node) => T,
): T {
  return readValid(payloadSchema(type), xml, (root) => {
    if (root.name !== element || root.ns !== requestTypeInfo(type).ns)
      throw new ProtocolError(
        'SCHEMA_INVALID',
        `expected ${element} of ${type}, got ${root.name} in ${root.ns}`,
      );
    return read(root);
  });
}

/** Builds a payload element in a request type's namespace from [name, value] pairs (undefined: omitted). */
export function buildPayload(
  type: RequestType,
  element: 'Request' | 'Response',
  fields: Array<[string, string | number | boolean | undefined | null] | string>,
): string {
  const body = fields
    .map((f) =>
      typeof f === 'string' ? f : f[1] === undefined || f[1] === null ? '' : e(f[0], String(f[1])),
    )
    .join('');
  return `<${element} xmlns="${requestTypeInfo(type).ns}">${body}</${element}>`;
}

/** A nested element for buildPayload (repeated children: Child, Record, Object). */
export function group(
  name: string,
  fields: Array<[string, string | number | boolean | undefined | null]>,
): string {
  return `<${name}>${fields.map(([k, v]) => (v === undefined || v === null ? '' : e(k, String(v)))).join('')}</${name}>`;
}
