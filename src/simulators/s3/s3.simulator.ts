// A small S3-compatible object store for tests and demos: PUT, GET and HEAD of objects under
// path-style URLs (/<bucket>/<key>), kept in memory. Buckets spring into being on first PUT.
// Unlike a mock it checks what a real store checks — the SigV4 signature (recomputed with aws4 from
// the request as received) and x-amz-content-sha256 against the body — so a test against it proves
// the client's signing is accepted.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';

export interface S3SimulatorOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** 0 (any free port) by default. */
  port?: number;
  host?: string;
}

export interface S3Simulator {
  /** e.g. http://127.0.0.1:41234 — use as S3_ENDPOINT. */
  endpoint: string;
  close(): Promise<void>;
  /** Objects stored across all buckets. */
  objectCount(): number;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
}

const MAX_SKEW_MS = 15 * 60_000; // what AWS allows between the request's x-amz-date and its clock
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
): void {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<Resource>${escapeXml(resource)}</Resource></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(res.req.method === 'HEAD' ? undefined : xml);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** undefined when the request is properly signed, else the S3 error code and message to answer with. */
function checkSignature(req: IncomingMessage, opts: S3SimulatorOptions): [string, string] | undefined {
  const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!match) return ['AccessDenied', 'Missing or malformed AWS4-HMAC-SHA256 Authorization header'];
  if (match[1] !== opts.accessKeyId) return ['InvalidAccessKeyId', 'The access key id does not exist'];
  const names = match[4]!.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!names.includes(required)) return ['AccessDenied', `The ${required} header must be signed`];
  }
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) return ['SignatureDoesNotMatch', `Signed header ${name} is missing`];
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers['x-amz-date']!);
  const when = at ? Date.parse(`${at[1]}-${at[2]}-${at[3]}T${at[4]}:${at[5]}:${at[6]}Z`) : Number.NaN;
  if (!(Math.abs(Date.now() - when) <= MAX_SKEW_MS))
    return ['RequestTimeTooSkewed', 'x-amz-date is too far off'];
  // Recompute from exactly what arrived: method, raw path, the signed headers, our secret and region.
  const expected = new aws4.RequestSigner(
    { method: req.method, path: req.url, host: headers.host, service: 's3', region: opts.region, headers },
    { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
  ).sign().headers?.Authorization;
  const given = Buffer.from(req.headers.authorization!);
  const wanted = Buffer.from(String(expected));
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return [
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    ];
  }
  return undefined;
}

export async function startS3Simulator(opts: S3SimulatorOptions): Promise<S3Simulator> {
  const buckets = new Map<string, Map<string, StoredObject>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const resource = new URL(req.url ?? '/', 'http://s3').pathname;
    const denied = checkSignature(req, opts);
    if (denied) return sendError(res, 403, ...denied, resource);
    const payloadHash = createHash('sha256').update(body).digest('hex');
    if (req.headers['x-amz-content-sha256'] !== payloadHash) {
      return sendError(
        res,
        400,
        'XAmzContentSHA256Mismatch',
        'x-amz-content-sha256 does not match the body',
        resource,
      );
    }
    const [, bucketName = '', ...keyParts] = resource.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    if (!bucketName || !key) return sendError(res, 501, 'NotImplemented', 'Only object operations', resource);
    const bucket = buckets.get(bucketName);
    const object = bucket?.get(key);

    if (req.method === 'PUT') {
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      const contentType = req.headers['content-type'] ?? 'binary/octet-stream';
      if (bucket) bucket.set(key, { body, contentType, etag });
      else buckets.set(bucketName, new Map([[key, { body, contentType, etag }]]));
      res.writeHead(200, { etag, 'content-length': 0 });
      return void res.end();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!object) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', resource);
      res.writeHead(200, {
        'content-type': object.contentType,
        'content-length': object.body.length,
        etag: object.etag,
      });
      return void res.end(req.method === 'GET' ? object.body : undefined);
    }
    sendError(res, 405, 'MethodNotAllowed', `${req.method} is not supported here`, resource);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', (error as Error).message, req.url ?? '/');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    objectCount: () => [...buckets.values()].reduce((sum, bucket) => sum + bucket.size, 0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
