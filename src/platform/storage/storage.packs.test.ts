// Pack files: many small blobs with one sync, each found again at the place it was given, and a
// blob kept with its rows read back from wherever it is (a pack, PostgreSQL, the store).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { runParts } from '../db/statement.ts';
import { AppError } from '../errors.ts';
import { readBlob, type SmallBlob, smallBlobsPart } from './storage.inline.ts';
import { localPacks } from './storage.packs.ts';
import { blobStore, sha256Hex } from './storage.service.ts';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'opora-packs-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const blob = (n: number) => randomBytes(n);

test('blobs appended together are each found at their place, in one pack readable by its owner only', async () => {
  const dir = scratch();
  const packs = localPacks(dir);
  const blobs = [blob(10), blob(3000), blob(1)];
  const places = await packs.append(blobs);
  assert.deepEqual(
    places.map((p) => [p.offset, p.length]),
    [
      [0, 10],
      [10, 3000],
      [3010, 1],
    ],
  );
  for (const [i, p] of places.entries()) assert.deepEqual(await packs.read(p), blobs[i]);
  const [name] = readdirSync(join(dir, 'packs'));
  assert.equal(name, places[0]!.pack);
  assert.equal(statSync(join(dir, 'packs', name!)).mode & 0o777, 0o600, 'documents are personal data');
  assert.equal(statSync(join(dir, 'packs')).mode & 0o777, 0o700);
});

test('appends asked for at once never overlap', async () => {
  const packs = localPacks(scratch());
  const batches = Array.from({ length: 6 }, (_, i) => [blob(100 + i), blob(7)]);
  const placed = await Promise.all(batches.map((b) => packs.append(b)));
  const ranges = placed.flat().sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < ranges.length; i++)
    assert.equal(
      ranges[i]!.offset,
      ranges[i - 1]!.offset + ranges[i - 1]!.length,
      'back to back, no overlap',
    );
  for (const [i, b] of batches.entries())
    for (const [j, bytes] of b.entries()) assert.deepEqual(await packs.read(placed[i]![j]!), bytes);
});

test('a full pack is closed and the next batch starts another', async () => {
  const dir = scratch();
  const packs = localPacks(dir, 1000);
  const [first] = await packs.append([blob(1200)]);
  const [second] = await packs.append([blob(5)]);
  assert.notEqual(second!.pack, first!.pack);
  assert.equal(second!.offset, 0);
  assert.equal(readdirSync(join(dir, 'packs')).length, 2);
  assert.equal((await packs.read(first!))?.length, 1200, 'the closed pack is still read');
});

test('a place that is not there reads as nothing: another pack, past the end, a name that is a path', async () => {
  const packs = localPacks(scratch());
  const [p] = await packs.append([blob(50)]);
  assert.equal(await packs.read({ ...p!, pack: 'no-such-pack' }), undefined);
  assert.equal(await packs.read({ ...p!, offset: 40, length: 20 }), undefined);
  assert.equal(await packs.read({ ...p!, pack: '../../etc/passwd' }), undefined);
});

test('readBlob finds a packed document by its rows, and refuses bytes altered on disk', async () => {
  const { db } = await testDatabase();
  const dir = scratch();
  const store = blobStore({ storage: { kind: 'local', dir } });
  const bytes = Buffer.from(`%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n`);
  const upload: SmallBlob = { sha256: sha256Hex(bytes), inline: bytes };
  const part = await smallBlobsPart(store, [upload, { ...upload }]);
  assert.ok(upload.packed, 'appended before the statement');
  const pack = upload.packed.pack;
  await runParts(db, [part!]);
  assert.deepEqual(await readBlob(db, store, upload.sha256), bytes);

  const file = join(dir, 'packs', pack);
  writeFileSync(file, Buffer.from('X'), { flag: 'r+' });
  await assert.rejects(
    readBlob(db, store, upload.sha256),
    (e) => e instanceof AppError && e.code === 'blob_corrupt' && e.status === 500,
  );
  // A store that has no packs (moved to a bucket) cannot serve it: not found rather than wrong bytes.
  await assert.rejects(
    readBlob(db, { ...store, packs: undefined }, upload.sha256),
    (e) => e instanceof AppError && e.code === 'blob_not_found',
  );
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from blobs_packed where sha256 = ${upload.sha256}`.execute(db);
  assert.equal(rows[0]!.n, 1);
});
