// The intake's group commit: submissions queued together are written in one transaction, yet each
// gets its own outcome — a key repeated inside one batch is one application, a submission that cannot
// be written fails alone, and every written one has its document bytes, event, audit entry and notice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { SMALL_PDF } from '../../../test/support/documents.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import { readBlob } from '../../platform/storage/storage.inline.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { DISPATCH_KEY } from '../notifications/notifications.dispatcher.ts';
import { intakeWriter } from './applications.intake.ts';
import { documentsToUpload, prepareSubmission, stageUpload } from './applications.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 50);
const { db } = database;
const ctx = { ip: '127.0.0.1' };
const store = blobStore({ storage: { kind: 'local', dir: '/nonexistent-intake-test' } });

test('a batch: repeated keys are one application, a bad submission fails alone, the rest are whole', async () => {
  const persons = await db.selectFrom('persons').select('id').orderBy('id').limit(3).execute();
  const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
  // Each document differs, so each is its own blob (kept in PostgreSQL: they are small).
  const pdf = (n: number) => Buffer.concat([SMALL_PDF, Buffer.from(`\n% ${n}\n`)]);
  const submission = async (personId: number, key: string, n: number) => {
    const resident: ResidentActor = {
      kind: 'resident',
      accountId: 1000 + personId,
      personId,
      sessionId: 's',
    };
    const upload = await stageUpload(store, pdf(n), 'card.pdf', 10 * 1024 * 1024);
    assert.ok(upload.inline, 'a small document is stored with its rows, not as a file');
    return prepareSubmission(
      resident,
      {
        measureCode: 'VETERAN-EDV',
        answers: { phone: '+7 902 111-22-33', payment: { method: 'post' } },
        documents: documentsToUpload(measure).map((d) => ({ measureDocumentId: d.id, upload })),
        idempotencyKey: key,
      },
      measure,
      ctx,
    );
  };
  const [a, b, c] = persons.map((p) => p.id);
  const batch = [
    await submission(a!, 'intake-key-a', 1),
    await submission(a!, 'intake-key-a', 1), // a double click: the same key in the same batch
    await submission(b!, 'intake-key-b', 2),
    // A person who does not exist: this one fails, the others must not.
    await submission(999_999_999, 'intake-key-x', 3),
    await submission(c!, 'intake-key-c', 4),
  ];
  // One the database refuses (a blob key that is no SHA-256): the batch's transaction fails, and
  // its members are written again one by one, so only this one fails.
  const broken = await submission(b!, 'intake-key-y', 5);
  broken.documents = broken.documents.map((d) => ({ ...d, upload: { ...d.upload, sha256: 'not-a-sha256' } }));
  batch.push(broken);
  const writer = intakeWriter(db);
  const results = await Promise.all(batch.map((s) => writer.submit(s)));

  const ok = results.map((r) => ('error' in r ? undefined : r));
  assert.equal(ok[0]?.created, true);
  assert.equal(ok[1]?.created, false);
  assert.equal(ok[1]?.application.id, ok[0]?.application.id, 'the repeated key finds the same application');
  assert.equal(ok[2]?.created, true);
  assert.ok('error' in results[3]!, 'the submission for a missing person fails');
  assert.equal(ok[4]?.created, true);
  assert.ok('error' in results[5]!, 'the submission the database refuses fails');

  const ids = [ok[0]!, ok[2]!, ok[4]!].map((r) => r.application.id);
  const apps = await db
    .selectFrom('applications')
    .select(['id', 'state', 'number'])
    .where(
      'submission_key',
      'in',
      ['intake-key-a', 'intake-key-b', 'intake-key-c', 'intake-key-x', 'intake-key-y'].flatMap((k) =>
        persons.map((p) => `resident:${1000 + p.id}:${k}`).concat(`resident:${1000 + 999_999_999}:${k}`),
      ),
    )
    .execute();
  assert.deepEqual(apps.map((x) => x.id).sort(), [...ids].sort(), 'three applications, no more');
  assert.ok(apps.every((x) => x.state === 'submitted' && /^\d{4}-\d{6}$/.test(x.number ?? '')));
  for (const [i, id] of ids.entries()) {
    const docs = await db
      .selectFrom('application_documents')
      .select('sha256')
      .where('application_id', '=', id)
      .execute();
    assert.equal(docs.length, documentsToUpload(measure).length);
    const bytes = await readBlob(db, store, docs[0]!.sha256);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), docs[0]!.sha256);
    assert.deepEqual(bytes, pdf([1, 2, 4][i]!), 'the stored document is the uploaded one');
  }
  const events = await db
    .selectFrom('application_events')
    .select('application_id')
    .where('kind', '=', 'submitted')
    .where('application_id', 'in', ids)
    .execute();
  assert.equal(events.length, 3, 'one "submitted" event each');
  const audited = await db
    .selectFrom('audit_log')
    .select('subject_id')
    .where('action', '=', 'application.submitted')
    .where('subject_id', 'in', ids.map(String))
    .execute();
  assert.equal(audited.length, 3, 'one audit entry each');
  const { rows: notices } = await sql<{ person_id: string; number: string }>`
    select n.person_id, m.params->>'number' as number from notifications n
    join notification_messages m on m.id = n.message_id
    where m.event = 'application_received' and n.person_id = any(${[a, b, c]}::bigint[])`.execute(db);
  assert.deepEqual(
    notices.map((n) => n.number).sort(),
    apps.map((x) => x.number).sort(),
    'each resident is told the number of their own application',
  );
  const { rows: wakeUp } = await sql`
    select 1 from graphile_worker.jobs where key = ${DISPATCH_KEY}`.execute(db);
  assert.equal(wakeUp.length, 1, 'the dispatcher is woken to deliver them');
});
