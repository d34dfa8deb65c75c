// Crash safety of intake: the server runs as its own process (`opora serve`), a burst of API
// submissions is cut off by SIGKILL in the middle, the server is started again, and then every
// submission that was answered with success is there exactly once, nothing is half-written (no
// draft, no application without its document, no document without its blob, no torn blob, the audit
// chain intact), and retrying every request that failed with its own key yields one application each.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import {
  type ApiCredentials,
  apiCredentials,
  applicationShape,
  type HttpResult,
  residentSessions,
  type ServerProcess,
  startServer,
  submitApplication,
  uniquePdf,
} from '../../../bench/intake-support.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import { chainPending, verifyChain } from '../../platform/audit/audit.service.ts';
import { freePort } from '../../platform/db/embedded.ts';
import { readBlob } from '../../platform/storage/storage.inline.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';

const TOTAL = 400;
const CONCURRENCY = 32;
/** Kill once this many submissions have been answered with success: well inside the burst. */
const KILL_AFTER = 120;
const SECRET = 'crash-test-secret-crash-test-secret-0123';

const database = await testDatabase();
await seedSmallRegion(database, 200);
const { db } = database;
const residents = await residentSessions(db, 20);
const shape = await applicationShape(db);
const blobDir = mkdtempSync(join(tmpdir(), 'opora-crash-blobs-'));
const dataDir = mkdtempSync(join(tmpdir(), 'opora-crash-data-'));
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const servers: ServerProcess[] = [];
after(() => {
  agent.destroy();
  for (const s of servers)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  rmSync(blobDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<ServerProcess> {
  const server = await startServer({
    databaseUrl: database.url,
    port: await freePort(),
    blobDir,
    dataDir,
    secret: SECRET,
    logLevel: 'fatal',
  });
  servers.push(server);
  return server;
}

interface Attempt {
  resident: (typeof residents)[number];
  credentials: ApiCredentials;
  key: string;
  pdf: Buffer;
  result?: HttpResult;
  error?: string;
}

const send = (base: string, a: Attempt) =>
  submitApplication(agent, base, a.credentials, shape, a.key, () => a.pdf);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const isSuccess = (a: Attempt) => a.result !== undefined && a.result.status >= 200 && a.result.status < 300;

test('SIGKILL in the middle of a burst of submissions loses or half-writes nothing', async (t) => {
  let server = await serve();
  // CSRF secrets live in signed cookies, so the credentials outlive the server process.
  const credentials = await Promise.all(residents.map((r) => apiCredentials(agent, server.baseUrl, r)));
  const attempts: Attempt[] = Array.from({ length: TOTAL }, (_, i) => ({
    resident: residents[i % residents.length]!,
    credentials: credentials[i % residents.length]!,
    key: `crash-${String(i).padStart(4, '0')}-${Date.now().toString(36)}`,
    pdf: uniquePdf(8 * 1024),
  }));

  // The burst: CONCURRENCY requests in flight; SIGKILL once KILL_AFTER have succeeded.
  let next = 0;
  let succeeded = 0;
  let killedAt: number | undefined;
  const worker = async () => {
    while (next < attempts.length) {
      const a = attempts[next++]!;
      try {
        a.result = await send(server.baseUrl, a);
        if (isSuccess(a)) succeeded++;
      } catch (e) {
        a.error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      }
      if (succeeded >= KILL_AFTER && killedAt === undefined) {
        killedAt = next;
        // A moment later rather than right on a response, so some transactions may have committed
        // without their answer reaching us: their retries must find them, not create them again.
        const victim = server.child;
        setTimeout(() => victim.kill('SIGKILL'), Math.random() * 20);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.equal(await server.exited, 'SIGKILL');

  const answered = attempts.filter(isSuccess);
  const failed = attempts.filter((a) => a.error !== undefined);
  const refused = attempts.filter((a) => a.result && !isSuccess(a));
  assert.deepEqual(
    refused.map((a) => `${a.result?.status} ${a.result?.body}`),
    [],
    'before the kill every submission succeeded',
  );
  assert.ok(answered.length >= KILL_AFTER, `${answered.length} succeeded before the kill`);
  assert.ok(failed.length > 0 && failed.length < TOTAL - KILL_AFTER + CONCURRENCY, 'the kill cut the burst');
  // Some requests were in flight when the server died (reset), the rest found nobody listening.
  assert.ok(
    failed.every((a) => ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'socket hang up'].includes(a.error!)),
    `connection errors only: ${[...new Set(failed.map((a) => a.error))].join(', ')}`,
  );

  server = await serve();

  // 1. Every submission answered with success is there, once, under its key, with the id we were given.
  const keyOf = (a: Attempt) => `resident:${a.resident.accountId}:${a.key}`;
  const rows = await db
    .selectFrom('applications')
    .select(['id', 'state', 'number', 'submission_key', 'submitted_at'])
    .execute();
  const byKey = new Map(rows.map((r) => [r.submission_key, r]));
  assert.equal(byKey.size, rows.length, 'no submission key twice');
  for (const a of answered) {
    const row = byKey.get(keyOf(a));
    assert.ok(row, `${a.key} was acknowledged and must be stored`);
    assert.equal(row.id, (JSON.parse(a.result!.body) as { id: number }).id);
  }

  // 2. Nothing half-written: no draft, every application numbered, with its document and its events.
  assert.deepEqual(
    rows.filter((r) => r.state !== 'submitted' || !r.number || !r.submitted_at),
    [],
    'every stored application is a whole, submitted one',
  );
  const docs = await db
    .selectFrom('application_documents')
    .select(['application_id', 'sha256', 'size', 'measure_document_id'])
    .execute();
  for (const r of rows)
    assert.deepEqual(
      docs.filter((d) => d.application_id === r.id).map((d) => d.measure_document_id),
      shape.documentIds,
      `application ${r.id} has its document`,
    );
  const submittedEvents = await db
    .selectFrom('application_events')
    .select('application_id')
    .where('kind', '=', 'submitted')
    .execute();
  assert.equal(submittedEvents.length, rows.length, 'one "submitted" event per application');

  const audited = await db
    .selectFrom('audit_log')
    .select('subject_id')
    .where('action', '=', 'application.submitted')
    .execute();
  assert.deepEqual(
    audited.map((a) => Number(a.subject_id)).sort((x, y) => x - y),
    rows.map((r) => r.id).sort((x, y) => x - y),
    'one audit entry per application',
  );

  // 3. Every document's blob is stored and is exactly the bytes that were hashed: small documents in
  // a pack file (synced before their application was written), larger ones as files of their own.
  const store = blobStore({ storage: { kind: 'local', dir: blobDir } });
  const { rows: packed } = await sql<{ n: number }>`
    select count(*)::int as n from blobs_packed where sha256 = any(${docs.map((d) => d.sha256)}::text[])`.execute(
    db,
  );
  assert.equal(packed[0]!.n, new Set(docs.map((d) => d.sha256)).size, 'the small documents went to packs');
  for (const d of docs) {
    const bytes = await readBlob(db, store, d.sha256); // checks the bytes against their SHA-256
    assert.equal(bytes.length, d.size);
  }
  // …and no blob under its final name is torn (a crash may leave only a temporary .tmp file, or an
  // unnamed tail at the end of a pack).
  for (const e of readdirSync(blobDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.endsWith('.tmp') || e.parentPath.endsWith('/packs')) continue;
    assert.equal(sha256(readFileSync(join(e.parentPath, e.name))), e.name, `blob ${e.name} is whole`);
  }

  // 4. The audit log's hash chain survived the crash.
  await chainPending(db);
  const chain = await verifyChain(db);
  assert.ok(chain.ok, 'the audit chain is intact');

  // 5. Retrying every failed request with its own key yields exactly one application each; the ones
  // the server had committed before dying are found, not created again.
  const retried = await Promise.all(failed.map((a) => send(server.baseUrl, a)));
  for (const [i, r] of retried.entries()) {
    assert.ok(r.status === 200 || r.status === 201, `retry of ${failed[i]!.key}: ${r.status} ${r.body}`);
    const body = JSON.parse(r.body) as { created: boolean; id: number };
    assert.equal(body.created, !byKey.has(keyOf(failed[i]!)), 'created only if it was not stored before');
  }
  const final = await db
    .selectFrom('applications')
    .select(['submission_key', 'state'])
    .where('submission_key', 'like', 'resident:%:crash-%')
    .execute();
  assert.equal(final.length, answered.length + failed.length, 'one application per submission');
  assert.deepEqual(new Set(final.map((r) => r.submission_key)), new Set([...answered, ...failed].map(keyOf)));
  assert.ok(final.every((r) => r.state === 'submitted'));

  const foundOnRetry = retried.filter((r) => r.status === 200).length;
  t.diagnostic(
    `${answered.length} acknowledged before SIGKILL, ${failed.length} cut off ` +
      `(${foundOnRetry} of them had been committed: found on retry; ${failed.length - foundOnRetry} created on retry)`,
  );
  server.child.kill('SIGTERM');
  await server.exited;
});
