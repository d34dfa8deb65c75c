// The intake's group commit: submissions queued together are written in one statement, yet each
// gets its own outcome — a key repeated inside one batch is one application, a submission that cannot
// be written fails alone, and every written one has its document bytes, event, audit entry and notice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { SMALL_PDF } from '../../../test/support/documents.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import { recordManyPart } from '../../platform/audit/audit.service.ts';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import { readParts } from '../../platform/db/statement.ts';
import { putInlinePart, readBlob } from '../../platform/storage/storage.inline.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { DISPATCH_KEY } from '../notifications/notifications.dispatcher.ts';
import { intakeWriter } from './applications.intake.ts';
import * as repo from './applications.repository.ts';
import { documentsToUpload, prepareSubmission, stageUpload } from './applications.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 50);
const { db } = database;
const ctx = { ip: '127.0.0.1' };
const blobDir = mkdtempSync(join(tmpdir(), 'opora-intake-blobs-'));
after(() => rmSync(blobDir, { recursive: true, force: true }));
const store = blobStore({ storage: { kind: 'local', dir: blobDir } });
/** Where a blob is kept with its rows: [in PostgreSQL, in a pack]. */
const blobRows = async (sha256: string) => {
  const { rows } = await sql<{ inline: number; packed: number }>`
    select (select count(*)::int from blobs_inline where sha256 = ${sha256}) as inline,
           (select count(*)::int from blobs_packed where sha256 = ${sha256}) as packed`.execute(db);
  return [rows[0]!.inline, rows[0]!.packed];
};

/** A resident signed in as `personId`; each test numbers its accounts from its own base. */
const residentOf = (personId: number, base: number): ResidentActor => ({
  kind: 'resident',
  accountId: base + personId,
  personId,
  sessionId: 's',
});

/** A complete VETERAN-EDV submission of `resident` with `upload` for each document asked. */
function prepared(
  resident: ResidentActor,
  measure: Awaited<ReturnType<typeof measureForApplication>>,
  key: string,
  upload: Awaited<ReturnType<typeof stageUpload>>,
) {
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
}

test('a batch: repeated keys are one application, a bad submission fails alone, the rest are whole', async () => {
  const persons = await db.selectFrom('persons').select('id').orderBy('id').limit(3).execute();
  const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
  // Each document differs, so each is its own blob (appended to a pack: they are small).
  const pdf = (n: number) => Buffer.concat([SMALL_PDF, Buffer.from(`\n% ${n}\n`)]);
  const submission = async (personId: number, key: string, n: number) => {
    const resident = residentOf(personId, 1000);
    const upload = await stageUpload(store, pdf(n), 'card.pdf', 10 * 1024 * 1024);
    assert.ok(upload.inline, 'a small document is stored with its rows, not as a file');
    return prepared(resident, measure, key, upload);
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
  const writer = intakeWriter(db, store);
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
    assert.deepEqual(await blobRows(docs[0]!.sha256), [0, 1], 'in a pack, its place recorded once');
  }
  // The batch was written twice (whole, then one by one): its documents were appended once each, the
  // double click's once for both, and none for the person who does not exist.
  const packs = readdirSync(join(blobDir, 'packs'));
  assert.equal(packs.length, 1);
  const packedBytes = statSync(join(blobDir, 'packs', packs[0]!)).size;
  assert.equal(
    packedBytes,
    [1, 2, 4, 5].reduce((sum, n) => sum + pdf(n).length, 0),
  );
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

test('the batch is one statement: a key taken meanwhile writes nothing of any part, and each is then written alone', async () => {
  const [p] = await db
    .selectFrom('persons')
    .select(['id', 'district_id'])
    .orderBy('id')
    .offset(10)
    .limit(1)
    .execute();
  const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
  const resident = residentOf(p!.id, 2000);
  const pdf = Buffer.concat([SMALL_PDF, Buffer.from('\n% race\n')]);
  const upload = await stageUpload(store, pdf, 'card.pdf', 10 * 1024 * 1024);
  const first = prepared(resident, measure, 'race-key-first', upload);
  const second = prepared(resident, measure, 'race-key-second', upload);
  // Another server process commits `first`'s key after this one's reads (drawn here by hand) and
  // before its write: the one statement fails on the key, and nothing of the other parts stays.
  const [a, b] = (await readParts(db, { ids: repo.allocatedPart(2) })).ids;
  await db
    .insertInto('applications')
    .values({
      person_id: p!.id,
      district_id: p!.district_id,
      measure_id: measure.id,
      channel: 'portal',
      state: 'submitted',
      decision_days: measure.decision_days,
      submission_key: first.key,
      submitted_at: new Date(),
    })
    .execute();
  const row = (id: number, key: string) => ({
    id,
    number: `2026-${String(id).padStart(6, '0')}`,
    person_id: p!.id,
    district_id: p!.district_id,
    measure_id: measure.id,
    channel: 'portal' as const,
    state: 'submitted' as const,
    answers: {},
    priority: false,
    priority_reasons: [],
    decision_days: measure.decision_days,
    submission_key: key,
  });
  await assert.rejects(
    repo.writeSubmittedBatch(
      db,
      {
        submittedAt: new Date(),
        applications: [row(a!.id, second.key), row(b!.id, first.key)],
        documents: [],
        events: [],
      },
      [
        putInlinePart([{ sha256: upload.sha256, bytes: pdf }])!,
        recordManyPart([
          {
            actor: { kind: 'resident', id: p!.id },
            action: 'race.test',
            subject: { kind: 'application', id: a!.id },
          },
        ])!,
      ],
    ),
    /submission_key/,
  );
  const left = await db.selectFrom('applications').select('id').where('id', 'in', [a!.id, b!.id]).execute();
  assert.deepEqual(left, [], 'no application of the failed statement');
  assert.deepEqual(await blobRows(upload.sha256), [0, 0], 'no document bytes of the failed statement');
  const audit = await db.selectFrom('audit_log').select('id').where('action', '=', 'race.test').execute();
  assert.deepEqual(audit, [], 'no audit entry of the failed statement');

  // Through the writer: the taken key is found (created: false), the other is written whole. The
  // dispatcher's wake-up from the first test still waits, so this batch reuses it (no add_job).
  const wakeUp = () =>
    sql<{ revision: number; n: string }>`
      select max(revision) as revision, count(*) as n from graphile_worker.jobs where key = ${DISPATCH_KEY}`.execute(
      db,
    );
  const waiting = (await wakeUp()).rows[0]!;
  assert.equal(Number(waiting.n), 1, 'a wake-up waits from the first test');
  const writer = intakeWriter(db, store);
  const [r1, r2] = await Promise.all([writer.submit(first), writer.submit(second)]);
  assert.ok(
    !('error' in r1!) && r1!.created === false,
    'the key taken elsewhere answers with that application',
  );
  assert.ok(!('error' in r2!) && r2!.created === true);
  assert.deepEqual(await blobRows(upload.sha256), [0, 1], 'the written submission has its document bytes');
  assert.deepEqual((await wakeUp()).rows[0], waiting, 'the waiting wake-up will deliver this notice too');
});

test('finding submissions by their keys reads the index, however much the table grew since it was first run', async () => {
  const rolledBack = new Error('rolled back');
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      // Statistics of a small table (a new region's first minutes), batches looked up often enough
      // that a prepared statement would settle on one plan…
      await sql`analyze applications`.execute(trx);
      for (let i = 0; i < 8; i++)
        await readParts(trx, {
          taken: repo.takenKeysPart(Array.from({ length: 30 }, (_, k) => `no-such-key-${i}-${k}`)),
        });
      // …then the table grows, with no ANALYZE in between (autovacuum looks once a minute).
      await sql`
        insert into applications (number, person_id, district_id, measure_id, channel, state, answers,
                                  priority, priority_reasons, decision_days, submission_key)
        select a.number || '-' || g, a.person_id, a.district_id, a.measure_id, a.channel, a.state, a.answers,
               a.priority, a.priority_reasons, a.decision_days, 'grown-' || g
        from (select * from applications order by id limit 1) a, generate_series(1, 5000) g`.execute(trx);
      const scans = async () => {
        const { rows } = await sql<{ table: string; index: string }>`
          select pg_stat_get_xact_numscans('applications'::regclass) as table,
                 pg_stat_get_xact_numscans('applications_submission_key_key'::regclass) as index`.execute(
          trx,
        );
        return { table: Number(rows[0]!.table), index: Number(rows[0]!.index) };
      };
      const before = await scans();
      // The batch's own read (readParts), as writeSubmissions makes it.
      const { taken } = await readParts(trx, { taken: repo.takenKeysPart(['grown-4321', 'no-such-key']) });
      const after = await scans();
      assert.deepEqual(taken, [{ submission_key: 'grown-4321' }]);
      assert.equal(after.table - before.table, 0, 'no sequential scan of the applications');
      assert.ok(after.index > before.index, 'the submission-key index is searched');
      throw rolledBack;
    }),
    rolledBack,
  );
});

test('where the store has no packs (a bucket), small documents travel in the statement itself', async () => {
  const [p] = await db.selectFrom('persons').select('id').orderBy('id').offset(20).limit(1).execute();
  const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
  const resident = residentOf(p!.id, 3000);
  const bucket = { ...store, packs: undefined };
  const pdf = Buffer.concat([SMALL_PDF, Buffer.from('\n% bucket\n')]);
  const upload = await stageUpload(bucket, pdf, 'card.pdf', 10 * 1024 * 1024);
  const [result] = await Promise.all([
    intakeWriter(db, bucket).submit(prepared(resident, measure, 'bucket-key-1', upload)),
  ]);
  assert.ok(result && !('error' in result) && result.created);
  assert.deepEqual(await blobRows(upload.sha256), [1, 0], 'kept in PostgreSQL, no pack');
  assert.deepEqual(await readBlob(db, bucket, upload.sha256), pdf);
});
