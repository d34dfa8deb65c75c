import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { type S3Simulator, startS3Simulator } from '../../simulators/s3/s3.simulator.ts';
import type { StorageConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { type BlobStore, blobStore, sha256Hex } from './storage.service.ts';
import { ACCEPTED_DOCUMENT_TYPES, extensionFor, sniffDocumentType } from './storage.sniff.ts';

const isAppError = (code: string, status: number) => (e: unknown) =>
  e instanceof AppError && e.code === code && e.status === status;

const S3_KEYS = { accessKeyId: 'opora-test', secretAccessKey: 'opora-test-secret', region: 'ru-central1' };

interface Backend {
  name: string;
  store: () => BlobStore;
  /** How many blobs the backend really holds, by its own count. */
  count: () => number;
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));

const localDir = mkdtempSync(join(tmpdir(), 'opora-blobs-'));
const simulator: S3Simulator = await startS3Simulator(S3_KEYS);
const s3Config = (secretAccessKey = S3_KEYS.secretAccessKey): Extract<StorageConfig, { kind: 's3' }> => ({
  kind: 's3',
  endpoint: simulator.endpoint,
  bucket: 'opora-documents',
  ...S3_KEYS,
  secretAccessKey,
});
after(async () => {
  await simulator.close();
  rmSync(localDir, { recursive: true, force: true });
});

const localConfig: StorageConfig = { kind: 'local', dir: localDir };
const s3Storage = s3Config();
const backends: Backend[] = [
  {
    name: 'local files',
    store: () => blobStore({ storage: localConfig }),
    count: () => files(localDir).length,
  },
  {
    name: 'S3 (simulator)',
    store: () => blobStore({ storage: s3Storage }),
    count: () => simulator.objectCount(),
  },
];

for (const backend of backends) {
  describe(`blob store contract: ${backend.name}`, () => {
    test('put then get returns the same bytes under their SHA-256', async () => {
      const bytes = randomBytes(100_000);
      const stored = await backend.store().put(bytes);
      assert.deepEqual(stored, { sha256: sha256Hex(bytes), size: 100_000 });
      assert.match(stored.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual(await backend.store().get(stored.sha256), bytes);
    });

    test('the same bytes twice give the same id and are stored once', async () => {
      const before = backend.count();
      const bytes = Buffer.from(`same document ${backend.name}`);
      const [a, b] = await Promise.all([backend.store().put(bytes), backend.store().put(bytes)]);
      const c = await backend.store().put(Buffer.from(bytes));
      assert.equal(a.sha256, b.sha256);
      assert.equal(a.sha256, c.sha256);
      assert.equal(backend.count(), before + 1);
    });

    test('has tells stored from absent; an empty document is a blob like any other', async () => {
      const { sha256 } = await backend.store().put(Buffer.alloc(0));
      assert.equal(sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      assert.equal(await backend.store().has(sha256), true);
      assert.deepEqual(await backend.store().get(sha256), Buffer.alloc(0));
      assert.equal(await backend.store().has(sha256Hex(Buffer.from('never stored'))), false);
    });

    test('a missing blob is a 404 AppError', async () => {
      await assert.rejects(
        backend.store().get(sha256Hex(Buffer.from('absent'))),
        isAppError('blob_not_found', 404),
      );
    });

    test('ids that are not 64 lowercase hex digits are refused before any I/O', async () => {
      const good = sha256Hex(Buffer.from('x'));
      for (const bad of [
        '../../etc/passwd',
        good.toUpperCase(),
        good.slice(1),
        `${good}0`,
        `${good.slice(2)}/.`,
        '',
      ]) {
        await assert.rejects(backend.store().get(bad), isAppError('invalid_blob_id', 400), bad);
        await assert.rejects(backend.store().has(bad), isAppError('invalid_blob_id', 400), bad);
      }
    });
  });
}

describe('local store on disk', () => {
  test('blobs sit at <aa>/<bb>/<sha256> and no temporary files remain, even after concurrent puts', async () => {
    const store = blobStore({ storage: localConfig });
    const documents = Array.from({ length: 20 }, (_, i) => Buffer.from(`document ${i % 5}`));
    await Promise.all(documents.map((bytes) => store.put(bytes)));
    for (const file of files(localDir)) {
      assert.match(file, /^([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{60}$/, `unexpected file ${file}`);
    }
  });

  test('a temporary file left by a crash is not a blob, and the put still succeeds', async () => {
    const bytes = Buffer.from('interrupted upload');
    const sha = sha256Hex(bytes);
    const folder = join(localDir, sha.slice(0, 2), sha.slice(2, 4));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `.${sha}.deadbeefdeadbeef.tmp`), bytes.subarray(0, 5));
    const store = blobStore({ storage: localConfig });
    assert.equal(await store.has(sha), false);
    await store.put(bytes);
    assert.deepEqual(await store.get(sha), bytes);
    rmSync(join(folder, `.${sha}.deadbeefdeadbeef.tmp`));
  });

  test('a blob altered on disk is refused, not served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opora-blobs-'));
    const store = blobStore({ storage: { kind: 'local', dir } });
    const { sha256 } = await store.put(Buffer.from('original'));
    writeFileSync(join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256), 'tampered');
    await assert.rejects(store.get(sha256), isAppError('blob_corrupt', 500));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('S3 store', () => {
  test('a wrong secret is refused by the store (signature) and reported as storage_unavailable', async () => {
    const store = blobStore({ storage: s3Config('not-the-secret') });
    const before = simulator.objectCount();
    // A HEAD answer has no body, so put (which asks HEAD first) knows only the status …
    await assert.rejects(
      store.put(Buffer.from('x')),
      (e: unknown) => isAppError('storage_unavailable', 503)(e) && (e as AppError).details?.status === 403,
    );
    // … while a GET carries the store's error code.
    await assert.rejects(
      store.get(sha256Hex(Buffer.from('x'))),
      (e: unknown) =>
        isAppError('storage_unavailable', 503)(e) &&
        /GET answered 403 SignatureDoesNotMatch/.test((e as Error).message),
    );
    assert.equal(simulator.objectCount(), before);
  });

  test('an unreachable endpoint is storage_unavailable', async () => {
    const store = blobStore({ storage: { ...s3Storage, endpoint: 'http://127.0.0.1:1' } });
    await assert.rejects(store.has(sha256Hex(Buffer.from('x'))), isAppError('storage_unavailable', 503));
  });

  test('blobStore is memoised per storage configuration object', () => {
    assert.equal(blobStore({ storage: s3Storage }), blobStore({ storage: s3Storage }));
    assert.notEqual(blobStore({ storage: s3Storage }), blobStore({ storage: s3Config() }));
  });
});

describe('document type sniffing', () => {
  const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');

  test('real PDF, PNG and JPEG headers are recognised', () => {
    assert.equal(sniffDocumentType(pdf), 'application/pdf');
    assert.equal(sniffDocumentType(png), 'image/png');
    assert.equal(sniffDocumentType(jpeg), 'image/jpeg');
    assert.equal(sniffDocumentType(Buffer.from('ffd8ffdb', 'hex')), 'image/jpeg'); // raw JPEG, no JFIF
  });

  test('executables, truncated headers, text and empty input are not documents', () => {
    const elf = Buffer.from('7f454c46020101000000000000000000', 'hex');
    const windowsPe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from('%PDF-1.4')]);
    for (const bytes of [
      elf,
      windowsPe,
      Buffer.from('%PDF'),
      Buffer.from('89504e470d0a1a', 'hex'),
      Buffer.from(' %PDF-1.4'),
      Buffer.from('<html>%PDF-1.4'),
      Buffer.alloc(0),
    ]) {
      assert.equal(sniffDocumentType(bytes), undefined, bytes.toString('hex'));
    }
  });

  test('every accepted type has an extension', () => {
    assert.deepEqual(
      ACCEPTED_DOCUMENT_TYPES.map((type) => extensionFor(type)),
      ['pdf', 'jpg', 'png'],
    );
  });
});
