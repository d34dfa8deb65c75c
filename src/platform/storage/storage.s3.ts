// Blobs in an S3-compatible bucket (AWS, MinIO, Yandex Object Storage, Ceph…) over plain fetch,
// signed with AWS Signature V4 by aws4. Path-style URLs (<endpoint>/<bucket>/blobs/<sha256>) work
// with every implementation and need no wildcard DNS.
import aws4 from 'aws4';
import type { StorageConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { BlobBackend } from './storage.service.ts';

type S3Config = Extract<StorageConfig, { kind: 's3' }>;

// Generous enough for the largest upload on a slow link; a hung store must not hold a request forever.
const TIMEOUT_MS = 60_000;

const unavailable = (what: string, details?: Record<string, unknown>) =>
  new AppError('storage_unavailable', 503, `Document storage is unavailable: ${what}`, details);

export function s3Backend(config: S3Config): BlobBackend {
  const endpoint = new URL(config.endpoint);
  const prefix = `${endpoint.pathname.replace(/\/+$/, '')}/${config.bucket}/blobs/`;
  const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };

  async function send(method: 'GET' | 'HEAD' | 'PUT', sha256: string, body?: Buffer): Promise<Response> {
    // For a PUT the payload hash is the blob's own name, so aws4 need not hash the body again.
    const headers: Record<string, string> = body
      ? { 'Content-Type': 'application/octet-stream', 'X-Amz-Content-Sha256': sha256 }
      : {};
    const signed = aws4.sign(
      { host: endpoint.host, path: prefix + sha256, method, service: 's3', region: config.region, headers },
      credentials,
    );
    // fetch sets Host itself (to endpoint.host, which is what was signed).
    const sent = Object.entries(signed.headers ?? {})
      .filter(([name]) => name.toLowerCase() !== 'host')
      .map(([name, value]) => [name, String(value)]);
    try {
      return await fetch(`${endpoint.origin}${signed.path}`, {
        method,
        headers: Object.fromEntries(sent),
        body: body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(`${method} failed: ${(error as Error).message}`, { method });
    }
  }

  // Any answer but success (or "no such key" where that is an answer) is the store's failure.
  async function failure(method: string, response: Response): Promise<AppError> {
    const text = method === 'HEAD' ? '' : await response.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const what = `${method} answered ${response.status}${code ? ` ${code}` : ''}`;
    return unavailable(what, { method, status: response.status, code });
  }

  const exists = async (sha256: string): Promise<boolean> => {
    const response = await send('HEAD', sha256);
    if (response.ok) return true;
    if (response.status === 404) return false;
    throw await failure('HEAD', response);
  };

  return {
    exists,

    async read(sha256) {
      const response = await send('GET', sha256);
      if (response.ok) return Buffer.from(await response.arrayBuffer());
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      throw await failure('GET', response);
    },

    async write(sha256, bytes) {
      // A HEAD first: a duplicate upload costs no transfer and no new version in a versioned bucket.
      if (await exists(sha256)) return;
      const response = await send('PUT', sha256, bytes);
      if (!response.ok) throw await failure('PUT', response);
      await response.body?.cancel();
    },
  };
}
