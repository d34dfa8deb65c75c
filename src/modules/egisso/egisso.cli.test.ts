// `opora egisso export --out FILE` against a test database, as an operator would run it: the files
// written validate against the schema, the counts are printed, and a second run says nothing changed.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import { main } from '../../cli.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment } from '../registry/assignments.service.ts';
import { outPath } from './egisso.cli.ts';
import { egissoSchema } from './egisso.format.ts';

const database = await testDatabase();
await seedSmallRegion(database, 60);
process.env.DATABASE_URL = database.url;
process.env.OPORA_SECRET ??= 'cli-test-secret-cli-test-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'opora-egisso-cli-'));
process.env.OPORA_BLOB_DIR = join(dir, 'blobs');
const { db } = database;

const [edv] = await measureRefs(db, { codes: ['VETERAN-EDV'] });
for (const p of await db.selectFrom('persons').select('id').orderBy('id').limit(5).execute())
  await db.transaction().execute((trx) =>
    createAssignment(trx, {
      personId: p.id,
      measureId: edv!.id,
      basis: 'application',
      amount: 1500,
      startDate: '2025-01-01',
      endDate: null,
      ruleVersionId: null,
      parameters: {},
      actorId: null,
    }),
  );

/** Runs the command and returns what it printed. */
async function run(args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Text is the command's; bytes are the test runner's own reports, which must pass through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string') return write(chunk, ...rest);
    chunks.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(args);
    return { code, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

describe('opora egisso export', () => {
  test('writes the packages, valid against the schema, and prints the counts', async () => {
    const { code, out } = await run(['egisso', 'export', '--out', join(dir, 'facts.xml')]);
    assert.equal(code, 0);
    assert.match(out, /5 new, 0 changed, 0 cancelled, 0 rejected/);
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    assert.ok(files.length >= 1);
    let records = 0;
    for (const f of files) {
      const xml = readFileSync(join(dir, f), 'utf8');
      assert.deepEqual(egissoSchema().validate(xml), [], f);
      records += (xml.match(/<Fact /g) ?? []).length;
    }
    assert.equal(records, 5);
  });

  test('a second run with nothing changed writes nothing', async () => {
    const { code, out } = await run(['egisso', 'export', '--out', join(dir, 'again.xml')]);
    assert.equal(code, 0);
    assert.match(out, /Nothing changed/);
    assert.ok(!readdirSync(dir).some((f) => f.startsWith('again')));
  });

  test('several packages get the district code before the extension', () => {
    assert.equal(outPath('/x/facts.xml', 'volzhsky', false), '/x/facts.xml');
    assert.equal(outPath('/x/facts.xml', 'volzhsky', true), '/x/facts.volzhsky.xml');
    assert.equal(outPath('/x.d/facts', 'volzhsky', true), '/x.d/facts.volzhsky.xml');
  });
});
