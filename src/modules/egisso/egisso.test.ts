// The EGISSO export over a small seeded registry: the package validates against the XSD as a whole
// file and carries hand-checked values; exports are incremental (nothing changed → no package; a
// suspension or an end → that record only, as a change; a deleted assignment or a moved recipient →
// a cancellation); invalid records are rejected with reasons, left out, and exported once fixed; a
// change committed while an export runs is not missed; the status counts by district.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { withXml } from '../../platform/xml/xml.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { listOffices } from '../geography/geography.service.ts';
import {
  createAssignment,
  endAssignment,
  type NewAssignment,
  suspendAssignment,
} from '../registry/assignments.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { businessProblems, egissoSchema, type FactRecord, factIdFor, providerCode } from './egisso.format.ts';
import {
  type ExportSummary,
  exportNow,
  exportStatusCounts,
  rejectionsCsv,
  rejectionsForStaff,
  requestExport,
  setMeasureClassifier,
} from './egisso.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 80);
const { db } = database;
const store = blobStore({ storage: { kind: 'local', dir: mkdtempSync(join(tmpdir(), 'opora-egisso-')) } });
const clerk = await staffUser(db, 'egisso.clerk', 'specialist', ['volgograd']);
const analystId = await staffUser(db, 'egisso.analyst', 'ministry_analyst');
const analyst: StaffActor = {
  kind: 'staff',
  userId: analystId,
  login: 'egisso.analyst',
  fullName: 'Test egisso.analyst',
  role: 'ministry_analyst',
  districtIds: [],
  sessionId: 'test',
};

const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
const EDV = await measureId('VETERAN-EDV');
const TAXI = await measureId('SOCIAL-TAXI');
const SANATORIUM = await measureId('SANATORIUM');

// Two persons in one district and one in another, plus three for rejections.
const persons = await db
  .selectFrom('persons')
  .select([
    'id',
    'snils',
    'last_name',
    'first_name',
    'patronymic',
    'birth_date',
    'sex',
    'district_id',
    'categories',
  ])
  .orderBy('id')
  .execute();
const first = persons[0]!;
const sameDistrict = persons.find((p) => p.id !== first.id && p.district_id === first.district_id)!;
const otherDistrict = persons.find((p) => p.district_id !== first.district_id)!;
const others = persons.filter((p) => ![first.id, sameDistrict.id, otherDistrict.id].includes(p.id));
const [noCode, badSnils, noAmount, spare] = others;

const create = (a: Partial<NewAssignment> & { personId: number }) =>
  db.transaction().execute((trx) =>
    createAssignment(trx, {
      measureId: EDV,
      basis: 'application',
      amount: 1500,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      ruleVersionId: null,
      parameters: {},
      actorId: clerk,
      ...a,
    }),
  );

/** A SNILS with the wrong check digits, as an old district file might have had it. */
function corrupt(snils: string): string {
  const wrong = ((Number(snilsChecksum(snils.slice(0, 9))) + 1) % 100).toString().padStart(2, '0');
  return snils.slice(0, 9) + wrong;
}

const packagesOf = async (s: ExportSummary) =>
  Promise.all(s.packages.map(async (p) => ({ ...p, xml: (await store.get(p.sha256)).toString('utf8') })));

interface ParsedFact {
  factId: string;
  version: string;
  fields: Record<string, string>;
}

/** Every fact of a package: its attributes and leaf elements by local name (e.g. "Snils", "Start"). */
function parseFacts(xml: string): { header: Record<string, string>; facts: ParsedFact[] } {
  const ns = { f: 'urn:opora:egisso:facts:1' };
  const parsed = withXml(xml, (doc) => {
    const header: Record<string, string> = {};
    for (const n of doc.find('/f:Package/f:Header/*', ns)) header[(n as XmlElement).name] = n.content;
    const facts = doc.find('//f:Fact', ns).map((node) => {
      const el = node as XmlElement;
      const fields: Record<string, string> = {};
      for (const leaf of el.find('.//*[not(*)]', ns)) fields[(leaf as XmlElement).name] = leaf.content;
      const amount = el.find('f:Amount', ns)[0] as XmlElement | undefined;
      if (amount) fields.unit = amount.attr('unit')?.content ?? '';
      return { factId: el.attr('factId')?.content ?? '', version: el.attr('version')?.content ?? '', fields };
    });
    return { header, facts };
  });
  assert.ok('value' in parsed, 'the package parses');
  return parsed.value;
}

const ids = {
  edv: await create({ personId: first.id }),
  taxi: await create({ personId: sameDistrict.id, measureId: TAXI, amount: 0, endDate: null }),
  other: await create({ personId: otherDistrict.id, amount: 2100.5 }),
  noCode: await create({ personId: noCode!.id, measureId: SANATORIUM, amount: 0, endDate: null }),
  badSnils: await create({ personId: badSnils!.id }),
  noAmount: await create({ personId: noAmount!.id, amount: 0 }),
};
await db
  .updateTable('persons')
  .set({ categories: ['pensioner', 'disabled'] })
  .where('id', '=', sameDistrict.id)
  .execute();
await db.deleteFrom('egisso_measure_codes').where('measure_code', '=', 'SANATORIUM').execute();
await db
  .updateTable('persons')
  .set({ snils: corrupt(badSnils!.snils) })
  .where('id', '=', badSnils!.id)
  .execute();

describe('the EGISSO export', () => {
  let firstExport: ExportSummary;

  test('the first export: one package per provider, valid as a whole file, with hand-checked values', async () => {
    firstExport = await exportNow(db, store);
    assert.deepEqual(
      {
        new: firstExport.new,
        change: firstExport.change,
        cancel: firstExport.cancel,
        rejected: firstExport.rejected,
      },
      { new: 3, change: 0, cancel: 0, rejected: 3 },
    );
    const packages = await packagesOf(firstExport);
    assert.equal(packages.length, 2, 'two districts, two providers');
    for (const p of packages)
      assert.deepEqual(egissoSchema().validate(p.xml), [], 'the whole package validates');

    const centre = (await listOffices(db, { districtIds: [first.district_id] })).filter(
      (o) => o.kind === 'social_protection_centre',
    )[0]!;
    const mine = packages.find((p) => p.districtId === first.district_id)!;
    const { header, facts } = parseFacts(mine.xml);
    assert.equal(header.ProviderCode, providerCode(centre.id));
    assert.equal(header.ProviderName, centre.name_ru);
    assert.equal(header.RecordCount, '2');
    assert.equal(facts.length, 2);

    const edv = facts.find((f) => f.fields.LocalMeasureId === 'VETERAN-EDV')!;
    assert.equal(edv.factId, factIdFor(ids.edv, first.snils));
    assert.equal(edv.version, '1');
    assert.deepEqual(edv.fields, {
      Operation: 'new',
      Snils: first.snils,
      LastName: first.last_name,
      FirstName: first.first_name,
      ...(first.patronymic ? { Patronymic: first.patronymic } : {}),
      BirthDate: first.birth_date,
      Sex: first.sex,
      LocalMeasureId: 'VETERAN-EDV',
      ClassifierCode: '0301.0001',
      Title: 'Ежемесячная денежная выплата ветеранам труда',
      RecipientCategory: '03.01',
      DecisionDate: regionToday(),
      Start: '2025-01-01',
      End: '2025-12-31',
      AssignmentStatus: 'active',
      Form: 'cash',
      Amount: '1500.00',
      unit: 'RUB',
    });
    // A service with no money attached: no amount, no end.
    const taxi = facts.find((f) => f.fields.LocalMeasureId === 'SOCIAL-TAXI')!;
    assert.equal(taxi.fields.Form, 'service');
    assert.equal(taxi.fields.RecipientCategory, '02.02', 'disabled: a priority category of the measure');
    assert.equal(taxi.fields.Amount, undefined);
    assert.equal(taxi.fields.End, undefined);
    const other = parseFacts(packages.find((p) => p.districtId !== first.district_id)!.xml).facts;
    assert.deepEqual(
      other.map((f) => [f.fields.Snils, f.fields.Amount]),
      [[otherDistrict.snils, '2100.50']],
    );
  });

  test('invalid records are rejected with their reasons and are not in any package', async () => {
    const all = (await packagesOf(firstExport)).map((p) => p.xml).join('');
    for (const p of [noCode!, noAmount!]) assert.ok(!all.includes(p.snils), `${p.snils} is not exported`);
    assert.ok(!all.includes(corrupt(badSnils!.snils)));
    const { total, rows } = await db
      .transaction()
      .execute((trx) => rejectionsForStaff(trx, analyst, '127.0.0.1', { purpose: 'page' }));
    assert.equal(total, 3);
    const reasons = new Map(rows.map((r) => [r.assignmentId, r.reasons.map((x) => x.code)]));
    assert.deepEqual(reasons.get(ids.noCode), ['no_classifier_code']);
    assert.deepEqual(reasons.get(ids.badSnils), ['invalid_snils']);
    assert.deepEqual(reasons.get(ids.noAmount), ['amount_missing']);
    const csv = rejectionsCsv(rows);
    assert.match(csv, /invalid_snils/);
    assert.ok(csv.includes(corrupt(badSnils!.snils)), 'the CSV names the SNILS to fix');
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'egisso.rejections.read')
      .execute();
    assert.equal(audited.length, 1, 'reading rejections with personal data is audited');
  });

  test('a second export with no changes produces no package', async () => {
    const again = await exportNow(db, store);
    assert.equal(again.packages.length, 0);
    assert.deepEqual([again.new, again.change, again.cancel], [0, 0, 0]);
    assert.equal(again.rejected, 3, 'rejections are retried and still fail');
  });

  test('a suspension, then an end: only that record, as a change with a new version', async () => {
    await db
      .transaction()
      .execute((trx) =>
        suspendAssignment(trx, ids.edv, { date: '2025-06-01', reason: 'documents expired', actorId: clerk }),
      );
    const suspended = await exportNow(db, store);
    assert.deepEqual([suspended.new, suspended.change, suspended.cancel], [0, 1, 0]);
    let facts = parseFacts((await packagesOf(suspended))[0]!.xml).facts;
    assert.equal(facts.length, 1);
    assert.equal(facts[0]!.factId, factIdFor(ids.edv, first.snils), 'the fact id is stable');
    assert.equal(facts[0]!.version, '2');
    assert.equal(facts[0]!.fields.Operation, 'change');
    assert.equal(facts[0]!.fields.AssignmentStatus, 'suspended');

    await db
      .transaction()
      .execute((trx) =>
        endAssignment(trx, ids.edv, { date: '2025-09-30', reason: 'moved away', actorId: clerk }),
      );
    const ended = await exportNow(db, store);
    facts = parseFacts((await packagesOf(ended))[0]!.xml).facts;
    assert.deepEqual(
      facts.map((f) => [f.version, f.fields.Operation, f.fields.AssignmentStatus, f.fields.End]),
      [['3', 'change', 'ended', '2025-09-30']],
    );
  });

  test('a deleted assignment and a moved recipient are cancelled', async () => {
    // A recipient merged into another person (duplicates): cancel the old fact, a new one for the new person.
    await db.updateTable('assignments').set({ person_id: spare!.id }).where('id', '=', ids.other).execute();
    const moved = await exportNow(db, store);
    assert.deepEqual([moved.new, moved.change, moved.cancel], [1, 0, 1]);
    const facts = (await packagesOf(moved)).flatMap((p) => parseFacts(p.xml).facts);
    const cancel = facts.find((f) => f.fields.Operation === 'cancel')!;
    assert.equal(cancel.factId, factIdFor(ids.other, otherDistrict.snils));
    assert.equal(cancel.fields.Snils, otherDistrict.snils);
    assert.equal(cancel.version, '2');
    const created = facts.find((f) => f.fields.Operation === 'new')!;
    assert.equal(created.factId, factIdFor(ids.other, spare!.snils));
    assert.equal(created.fields.Snils, spare!.snils);

    // An assignment removed from the registry (entered in error).
    await db.deleteFrom('assignment_events').where('assignment_id', '=', ids.taxi).execute();
    await db.deleteFrom('assignments').where('id', '=', ids.taxi).execute();
    const deleted = await exportNow(db, store);
    assert.deepEqual([deleted.new, deleted.change, deleted.cancel], [0, 0, 1]);
    const [gone] = parseFacts((await packagesOf(deleted))[0]!.xml).facts;
    assert.equal(gone!.factId, factIdFor(ids.taxi, sameDistrict.snils));
    assert.equal(gone!.fields.Operation, 'cancel');
    assert.equal((await exportNow(db, store)).packages.length, 0, 'cancelled once');
  });

  test('fixed records are exported on the next export', async () => {
    await setMeasureClassifier(db, {
      measureCode: 'SANATORIUM',
      kmszCode: '0204.0001',
      defaultCategory: '02.02',
    });
    await db.updateTable('persons').set({ snils: badSnils!.snils }).where('id', '=', badSnils!.id).execute();
    const fixed = await exportNow(db, store);
    assert.deepEqual([fixed.new, fixed.change, fixed.rejected], [2, 0, 1]);
    const facts = (await packagesOf(fixed)).flatMap((p) => parseFacts(p.xml).facts);
    assert.deepEqual(facts.map((f) => f.fields.Snils).sort(), [noCode!.snils, badSnils!.snils].sort());
    const { total } = await db
      .transaction()
      .execute((trx) => rejectionsForStaff(trx, analyst, '127.0.0.1', { purpose: 'page' }));
    assert.equal(total, 1, 'only the cash measure without an amount is left');
  });

  test('a change committed while an export runs is exported by the next one', async () => {
    let during: ExportSummary | undefined;
    await db.transaction().execute(async (trx) => {
      await suspendAssignment(trx, ids.noCode, { date: '2025-03-01', reason: 'hospital', actorId: clerk });
      // The export runs on another connection and cannot see the uncommitted suspension.
      during = await exportNow(db, store);
    });
    assert.equal(during!.packages.length, 0);
    const next = await exportNow(db, store);
    const facts = (await packagesOf(next)).flatMap((p) => parseFacts(p.xml).facts);
    assert.deepEqual(
      facts.map((f) => [f.fields.Snils, f.fields.Operation, f.fields.AssignmentStatus]),
      [[noCode!.snils, 'change', 'suspended']],
    );
  });

  test('status counts by district: exported, rejected, pending', async () => {
    await create({ personId: spare!.id, measureId: TAXI, amount: 0, endDate: null });
    const counts = await exportStatusCounts(db);
    const sum = (k: 'exported' | 'rejected' | 'pending') => counts.reduce((n, c) => n + c[k], 0);
    // Live: edv, other (moved), noCode, badSnils exported; noAmount rejected; the new one pending.
    assert.deepEqual([sum('exported'), sum('rejected'), sum('pending')], [4, 1, 1]);
    assert.equal(counts.find((c) => c.district_id === noAmount!.district_id)!.rejected, 1);
  });
});

describe('the XSD on every record', () => {
  test('a record the schema refuses is rejected with the message; the rest of its district goes', async () => {
    // A name with a digit (a typo in a district file): not a name the schema accepts.
    await db.updateTable('persons').set({ last_name: 'Петр0ва' }).where('id', '=', first.id).execute();
    await db
      .transaction()
      .execute((trx) =>
        endAssignment(trx, ids.badSnils, { date: '2025-10-31', reason: 'moved away', actorId: clerk }),
      );
    const result = await exportNow(db, store);
    const facts = (await packagesOf(result)).flatMap((p) => parseFacts(p.xml).facts);
    // The ended assignment and the one left pending above; not the person with the broken name.
    assert.deepEqual(facts.map((f) => f.fields.Snils).sort(), [badSnils!.snils, spare!.snils].sort());
    const { rows } = await db
      .transaction()
      .execute((trx) => rejectionsForStaff(trx, analyst, '127.0.0.1', { purpose: 'page' }));
    const refused = rows.find((r) => r.assignmentId === ids.edv)!;
    assert.equal(refused.reasons[0]!.code, 'schema');
    assert.match(refused.reasons[0]!.detail, /LastName/);
  });
});

describe('asking for an export', () => {
  test('a queued export is reused; a running one whose process died is failed and replaced', async () => {
    const first = await db.transaction().execute((trx) => requestExport(trx, analystId));
    assert.equal(await db.transaction().execute((trx) => requestExport(trx, analystId)), first);
    // As if a worker claimed it ten minutes ago and then died (it holds no lock).
    await db
      .updateTable('egisso_exports')
      .set({ status: 'running', started_at: new Date(Date.now() - 10 * 60_000) })
      .where('id', '=', first)
      .execute();
    const second = await db.transaction().execute((trx) => requestExport(trx, analystId));
    assert.notEqual(second, first);
    const dead = await db
      .selectFrom('egisso_exports')
      .select(['status', 'error'])
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    assert.equal(dead.status, 'failed');
    assert.match(dead.error ?? '', /interrupted/);
    await db.updateTable('egisso_exports').set({ status: 'failed' }).where('id', '=', second).execute();
  });
});

describe('business checks', () => {
  const record: FactRecord = {
    factId: factIdFor(1, '11223344595'),
    version: 1,
    operation: 'new',
    snils: '11223344595',
    lastName: 'Иванова',
    firstName: 'Анна',
    patronymic: null,
    birthDate: '1950-02-03',
    sex: 'F',
    measureCode: 'VETERAN-EDV',
    classifierCode: '0301.0001',
    measureTitle: 'ЕДВ',
    category: '03.01',
    decisionDate: '2025-01-01',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    status: 'active',
    form: 'cash',
    amount: 100,
  };
  test('a good record passes; each broken field is named', () => {
    assert.deepEqual(businessProblems(record, '3400.000001'), []);
    const codes = businessProblems(
      { ...record, classifierCode: null, snils: '11223344596', periodEnd: '2024-12-31', amount: null },
      null,
    ).map((p) => p.code);
    assert.deepEqual(codes, [
      'no_classifier_code',
      'invalid_snils',
      'invalid_period',
      'amount_missing',
      'no_provider',
    ]);
    assert.deepEqual(businessProblems({ ...record, form: 'service', amount: null }, '3400.000001'), []);
  });
});
