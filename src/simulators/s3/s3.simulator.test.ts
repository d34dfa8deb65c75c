import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import aws4 from 'aws4';
import { startS3Simulator } from './s3.simulator.ts';

const keys = { accessKeyId: 'sim-key', secretAccessKey: 'sim-secret', region: 'us-east-1' };
const simulator = await startS3Simulator(keys);
after(() => simulator.close());
const { host, origin } = new URL(simulator.endpoint);
const hash = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A request signed the way storage.s3.ts signs, with a hook to spoil it after signing. */
function signed(method: string, path: string, body?: Buffer, secret = keys.secretAccessKey) {
  const headers: Record<string, string> = body ? { 'X-Amz-Content-Sha256': hash(body) } : {};
  const request = aws4.sign(
    { host, path, method, service: 's3', region: keys.region, headers },
    { accessKeyId: keys.accessKeyId, secretAccessKey: secret },
  );
  const { Host: _host, ...sent } = request.headers as Record<string, string>;
  return { url: `${origin}${path}`, init: { method, headers: sent, body } as RequestInit };
}

const errorCode = async (response: Response) => /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];

describe('S3 simulator', () => {
  test('stores and serves an object; a missing key is 404 NoSuchKey', async () => {
    const body = Buffer.from('hello');
    const put = signed('PUT', '/bucket/a/b.txt', body);
    assert.equal((await fetch(put.url, put.init)).status, 200);
    const get = signed('GET', '/bucket/a/b.txt');
    const got = await fetch(get.url, get.init);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'hello');
    const head = signed('HEAD', '/bucket/a/b.txt');
    assert.equal((await fetch(head.url, head.init)).headers.get('content-length'), '5');
    const missing = signed('GET', '/bucket/nothing');
    const response = await fetch(missing.url, missing.init);
    assert.equal(response.status, 404);
    assert.equal(await errorCode(response), 'NoSuchKey');
    assert.equal(simulator.objectCount(), 1);
  });

  test('refuses unsigned requests, unknown keys, wrong secrets and altered requests', async () => {
    const unsigned = await fetch(`${origin}/bucket/a/b.txt`);
    assert.equal(unsigned.status, 403);
    assert.equal(await errorCode(unsigned), 'AccessDenied');

    const wrongSecret = signed('GET', '/bucket/a/b.txt', undefined, 'guess');
    const refused = await fetch(wrongSecret.url, wrongSecret.init);
    assert.equal(refused.status, 403);
    assert.equal(await errorCode(refused), 'SignatureDoesNotMatch');

    const other = signed('GET', '/bucket/a/b.txt');
    const otherKey = { ...(other.init.headers as Record<string, string>) };
    otherKey.Authorization = otherKey.Authorization!.replace('sim-key/', 'someone/');
    assert.equal(
      await errorCode(await fetch(other.url, { ...other.init, headers: otherKey })),
      'InvalidAccessKeyId',
    );

    // Signed for one key, sent to another.
    const moved = signed('GET', '/bucket/a/b.txt');
    assert.equal(
      await errorCode(await fetch(`${origin}/bucket/a/c.txt`, moved.init)),
      'SignatureDoesNotMatch',
    );
  });

  test('refuses a body that does not match the signed x-amz-content-sha256', async () => {
    const put = signed('PUT', '/bucket/x', Buffer.from('declared'));
    const response = await fetch(put.url, { ...put.init, body: Buffer.from('swapped!') });
    assert.equal(response.status, 400);
    assert.equal(await errorCode(response), 'XAmzContentSHA256Mismatch');
    assert.equal(simulator.objectCount(), 1);
  });
});
