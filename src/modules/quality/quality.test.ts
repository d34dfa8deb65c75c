// The indicator engine on a small fixture whose every figure is worked out by hand below: values per
// channel and district, median and 90th percentile of working days, the previous period, refresh after
// new events changing exactly the affected figures (and a change committed late not being missed),
// the filter's errors, and programme targets vs actual with off-track districts.
//
// April 2025 has no public holidays, so working days are plain Mon–Fri. "wd" below = working days
// after the registration day up to and including the decision day, less days paused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import { histQuantile, quantile } from './quality.aggregates.ts';
import { INDICATORS } from './quality.indicators.ts';
import {
  addTarget,
  compareCuts,
  deleteTarget,
  freeAppointmentByOffice,
  indicatorBreakdown,
  indicatorSeries,
  indicatorValues,
  listIndicators,
  listTargets,
  type NewTargetInput,
  offTrackDistricts,
  parseIndicatorFilter,
  rebuildAggregates,
  refreshAggregates,
  targetsVsActual,
} from './quality.service.ts';
import type { IndicatorFilter } from './quality.types.ts';

const database = await testDatabase();
await seedSmallRegion(database, 40);
const { db } = database;
const TODAY = '2025-06-15';
const opts = { today: TODAY, now: new Date('2025-06-15T09:00:00Z') };

const analystId = await staffUser(db, 'quality.analyst', 'ministry_analyst');
const analyst: StaffActor = {
  kind: 'staff',
  userId: analystId,
  login: 'quality.analyst',
  fullName: 'Test quality.analyst',
  role: 'ministry_analyst',
  districtIds: [],
  sessionId: 'test',
};

// Two districts, and two measures that list at least one evidence document.
const districts = await db.selectFrom('districts').select(['id', 'code']).orderBy('id').limit(2).execute();
const [A, B] = districts as [{ id: number; code: string }, { id: number; code: string }];
const measures = await sql<{ id: number; code: string; docs: number[] }>`
  select m.id, m.code, array_agg(md.id order by md.id) as docs
    from measures m join measure_documents md on md.measure_id = m.id and md.purpose = 'evidence'
   group by m.id, m.code order by m.id limit 2`
  .execute(db)
  .then((r) => r.rows);
const [M1, M2] = measures as [
  { id: number; code: string; docs: number[] },
  { id: number; code: string; docs: number[] },
];
const personOf = async (districtId: number) =>
  Number(
    (
      await db
        .selectFrom('persons')
        .select('id')
        .where('district_id', '=', districtId)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id,
  );
const PA = await personOf(A.id);
const PB = await personOf(B.id);

interface Case {
  district: number;
  person: number;
  measure: number;
  channel: string;
  state: string;
  priority?: boolean;
  submitted?: string;
  registered?: string;
  deadline?: string;
  decided?: string;
  pausedDays?: number;
  legalBasis?: string;
}

async function addCase(c: Case): Promise<number> {
  const decision = c.decided
    ? {
        outcome: c.state,
        on: c.decided,
        measureTitle: { ru: 'м', en: 'm' },
        legalBasis: { ru: c.legalBasis ?? 'ФЗ-178 ст. 12', en: 'FZ-178 art. 12' },
        note: '',
        decidedBy: 'Test',
      }
    : null;
  const { rows } = await sql<{ id: number }>`
    insert into applications (person_id, district_id, measure_id, channel, state, priority, decision_days,
      registered_on, deadline_on, paused_days, decision, decided_at, submitted_at)
    values (${c.person}, ${c.district}, ${c.measure}, ${c.channel}, ${c.state}, ${c.priority ?? false}, 10,
      ${c.registered ?? null}, ${c.deadline ?? null}, ${c.pausedDays ?? 0}, ${decision ? JSON.stringify(decision) : null},
      ${c.decided ? `${c.decided}T10:00:00+03:00` : null}, ${c.submitted ? `${c.submitted}T09:00:00+03:00` : null})
    returning id`.execute(db);
  return Number(rows[0]!.id);
}

async function addDocument(applicationId: number, measureDocumentId: number, source: string, at: string) {
  await sql`insert into application_documents (application_id, measure_document_id, title, source, sha256, size,
      content_type, filename, added_at)
    values (${applicationId}, ${measureDocumentId}, 'doc', ${source}, ${'a'.repeat(64)}, 10, 'application/pdf', 'd.pdf',
      ${`${at}T08:00:00+03:00`})`.execute(db);
}

// ---- the fixture -----------------------------------------------------------------------------------
// #1  A portal     M1 ordinary  reg 04-01 dec 04-08 (Tue→Tue: 2,3,4,7,8 = 5 wd) deadline 04-15 on time;
//     every M1 evidence document on file (the first obtained by interagency request) → complete.
const c1 = await addCase({ district: A.id, person: PA, measure: M1.id, channel: 'portal', state: 'approved',
  submitted: '2025-04-01', registered: '2025-04-01', deadline: '2025-04-15', decided: '2025-04-08' }); // biome-ignore format: fixture
await addDocument(c1, M1.docs[0]!, 'agency', '2025-04-03');
for (const d of M1.docs.slice(1)) await addDocument(c1, d, 'resident', '2025-04-01');
// #2  A in person  M1 PRIORITY  reg 04-02 dec 04-04 (3,4 = 2 wd) deadline 04-16 on time; refused; no documents.
await addCase({ district: A.id, person: PA, measure: M1.id, channel: 'in_person', state: 'refused', priority: true,
  submitted: '2025-04-02', registered: '2025-04-02', deadline: '2025-04-16', decided: '2025-04-04' }); // biome-ignore format: fixture
// #3  A portal     M2 ordinary  reg 04-01 dec 04-22: 2–4 (3) + 7–11 (5) + 14–18 (5) + 21–22 (2) = 15, less 3
//     paused = 12 wd; deadline 04-17 (moved by the pause) → late; no legal basis recorded; asked the resident once.
const c3 = await addCase({ district: A.id, person: PA, measure: M2.id, channel: 'portal', state: 'approved',
  submitted: '2025-04-01', registered: '2025-04-01', deadline: '2025-04-17', decided: '2025-04-22', pausedDays: 3,
  legalBasis: ' ' }); // biome-ignore format: fixture
await sql`insert into application_events (application_id, actor_kind, kind) values (${c3}, 'staff', 'request_documents')`.execute(
  db,
);
// #4  A MFC        M1 withdrawn: submitted 04-03 (counts as submitted, never as a decision).
await addCase({
  district: A.id,
  person: PA,
  measure: M1.id,
  channel: 'mfc',
  state: 'withdrawn',
  submitted: '2025-04-03',
});
// #5  A portal     M1 PRIORITY  open, reg 04-01, deadline 04-10 → overdue on 06-15.
const c5 = await addCase({ district: A.id, person: PA, measure: M1.id, channel: 'portal', state: 'under_review',
  priority: true, submitted: '2025-04-01', registered: '2025-04-01', deadline: '2025-04-10' }); // biome-ignore format: fixture
// #6  B proactive  M1 ordinary  reg 04-07 dec 04-07 (0 wd) deadline 04-21 on time.
await addCase({ district: B.id, person: PB, measure: M1.id, channel: 'proactive', state: 'approved',
  submitted: '2025-04-07', registered: '2025-04-07', deadline: '2025-04-21', decided: '2025-04-07' }); // biome-ignore format: fixture
// #7  B in person  M2 PRIORITY  reg 04-03 dec 04-17: 4 (1) + 7–11 (5) + 14–17 (4) = 10 wd, deadline 04-17 on time.
await addCase({ district: B.id, person: PB, measure: M2.id, channel: 'in_person', state: 'approved', priority: true,
  submitted: '2025-04-03', registered: '2025-04-03', deadline: '2025-04-17', decided: '2025-04-17' }); // biome-ignore format: fixture
// #8  B post       M2 ordinary  reg 04-03 dec 04-10: 4 (1) + 7–10 (4) = 5 wd, on time. Registered the same day as
//     #7 and decided before it: #7 was overtaken, so it was not decided first.
await addCase({ district: B.id, person: PB, measure: M2.id, channel: 'post', state: 'approved',
  submitted: '2025-04-03', registered: '2025-04-03', deadline: '2025-04-17', decided: '2025-04-10' }); // biome-ignore format: fixture
// #9  A portal     M1 draft, never submitted: counts nowhere.
await addCase({ district: A.id, person: PA, measure: M1.id, channel: 'portal', state: 'draft' });
// #10 A portal     M1 ordinary in March: reg 03-10 (Mon) dec 03-12 (11,12 = 2 wd), on time — the previous period.
await addCase({ district: A.id, person: PA, measure: M1.id, channel: 'portal', state: 'approved',
  submitted: '2025-03-10', registered: '2025-03-10', deadline: '2025-03-24', decided: '2025-03-12' }); // biome-ignore format: fixture

const add = (input: NewTargetInput) => db.transaction().execute((trx) => addTarget(trx, analyst, input));
const del = (id: number) => db.transaction().execute((trx) => deleteTarget(trx, analyst, id));

const APRIL: IndicatorFilter = { from: '2025-04', to: '2025-04' };
const value = async (code: string, f: IndicatorFilter = APRIL) =>
  (await indicatorValues(db, f, { ...opts, codes: [code] }))[0]!;
const approx = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('the indicator engine', () => {
  test('every indicator is defined once, with ru and en title and formula, and every one is available', async () => {
    const { ru, en } = await import('./quality.messages.ts');
    const codes = listIndicators().map((d) => d.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const d of INDICATORS) {
      assert.ok(d.titleKey in ru && d.titleKey in en && d.formulaKey in ru && d.formulaKey in en, d.code);
    }
    // Every indicator has its source now (the accessibility register, the survey waves).
    assert.deepEqual(
      INDICATORS.filter((d) => !d.available).map((d) => d.code),
      [],
    );
    for (const c of ['accessibility', 'priority', 'timeliness', 'documentation', 'satisfaction'])
      assert.ok(
        INDICATORS.some((d) => d.criterion === c),
        c,
      );
  });

  test('the refresh consumes every changed case, and nothing is computed before it runs', async () => {
    assert.equal((await value('timeliness.decided_on_time')).value, null);
    const r = await refreshAggregates(db);
    // Ten cases inserted, plus #1 and #3 touched again by their documents / events (documents only).
    assert.equal(r.cases, 10);
    assert.equal((await refreshAggregates(db)).cases, 0);
  });

  test('accessibility: share submitted electronically, by district, channel and against March', async () => {
    // Submitted in April: #1–#8 = 8 (the draft #9 never was; #4 withdrawn still counts). Electronic: portal
    // #1 #3 #5 + proactive #6 = 4 → 4/8. March: #10 portal → 1/1.
    const v = await value('accessibility.submitted_electronically');
    assert.deepEqual([v.value, v.numerator, v.denominator, v.previous], [0.5, 4, 8, 1]);
    // A: #1–#5, electronic #1 #3 #5 → 3/5; B: #6 #7 #8, electronic #6 → 1/3.
    const byDistrict = await indicatorBreakdown(
      db,
      'accessibility.submitted_electronically',
      'district',
      APRIL,
      opts,
    );
    approx(byDistrict.find((p) => p.key === A.code)!.value, 3 / 5);
    approx(byDistrict.find((p) => p.key === B.code)!.value, 1 / 3);
    assert.ok(byDistrict.filter((p) => p.key !== A.code && p.key !== B.code).every((p) => p.value === null));
    // By channel: portal 3/3, in person 0/2 (#2 #7), MFC 0/1, post 0/1, proactive 1/1.
    const byChannel = await indicatorBreakdown(
      db,
      'accessibility.submitted_electronically',
      'channel',
      APRIL,
      opts,
    );
    assert.deepEqual(
      byChannel.map((p) => [p.key, p.numerator, p.denominator]),
      [
        ['portal', 3, 3],
        ['in_person', 0, 2],
        ['mfc', 0, 1],
        ['post', 0, 1],
        ['proactive', 1, 1],
      ],
    );
  });

  test('timeliness: on time, median and 90th percentile of working days, per district and channel', async () => {
    // Decided in April: #1 #2 #3 #6 #7 #8 = 6; late: #3 only → 5/6. March: #10 on time → 1/1.
    const onTime = await value('timeliness.decided_on_time');
    assert.deepEqual([onTime.numerator, onTime.denominator, onTime.previous], [5, 6, 1]);
    // Working days sorted: #6 0, #2 2, #1 5, #8 5, #7 10, #3 12 → [0, 2, 5, 5, 10, 12].
    // Median = the ⌈0.5·6⌉ = 3rd = 5; p90 = the ⌈0.9·6⌉ = 6th = 12. March: [2] → 2.
    const median = await value('timeliness.decision_days_median');
    assert.deepEqual([median.value, median.denominator, median.previous], [5, 6, 2]);
    assert.equal((await value('timeliness.decision_days_p90')).value, 12);
    // A: #1 5, #2 2, #3 12 → [2, 5, 12]: median 2nd = 5, p90 3rd = 12, on time 2/3.
    // B: #6 0, #7 10, #8 5 → [0, 5, 10]: median 5, p90 10, on time 3/3.
    const inA = { ...APRIL, districtId: A.id };
    const inB = { ...APRIL, districtId: B.id };
    assert.equal((await value('timeliness.decision_days_median', inA)).value, 5);
    assert.equal((await value('timeliness.decision_days_p90', inA)).value, 12);
    approx((await value('timeliness.decided_on_time', inA)).value, 2 / 3);
    assert.equal((await value('timeliness.decision_days_p90', inB)).value, 10);
    assert.equal((await value('timeliness.decided_on_time', inB)).value, 1);
    // Portal decisions: #1 5, #3 12 → median ⌈1⌉ = 1st = 5, on time 1/2.
    const portal = { ...APRIL, channel: 'portal' as const };
    assert.equal((await value('timeliness.decision_days_median', portal)).value, 5);
    assert.equal((await value('timeliness.decided_on_time', portal)).value, 0.5);
    // Overdue now (06-15): the open #5 (deadline 04-10) → 1 of 1 open; in B none.
    const overdue = await value('timeliness.overdue_now', { ...APRIL });
    assert.deepEqual([overdue.value, overdue.denominator], [1, 1]);
    assert.equal((await value('timeliness.overdue_now', inB)).value, 0);
    // Series by month: March 1/1, April 5/6.
    const series = await indicatorSeries(
      db,
      'timeliness.decided_on_time',
      { from: '2025-03', to: '2025-05' },
      opts,
    );
    assert.deepEqual(
      series.map((p) => [p.key, p.numerator, p.denominator]),
      [
        ['2025-03', 1, 1],
        ['2025-04', 5, 6],
        ['2025-05', null, null],
      ],
    );
  });

  test('priority: working days priority vs others, and priority cases decided first', async () => {
    // Priority decided: #2 2 wd, #7 10 wd → [2, 10], median 1st = 2. Others: #6 0, #1 5, #8 5, #3 12 → 2nd = 5.
    assert.equal((await value('priority.decision_days_priority')).value, 2);
    assert.equal((await value('priority.decision_days_others')).value, 5);
    // #2 (A, M1, reg 04-02, dec 04-04): ordinary A/M1 cases registered 04-02 or later and decided before 04-04:
    // none (#1 was registered 04-01) → first. #7 was overtaken by #8 → not first. 1/2.
    const first = await value('priority.decided_first');
    assert.deepEqual([first.numerator, first.denominator], [1, 2]);
    assert.equal((await value('priority.decided_first', { ...APRIL, districtId: B.id })).value, 0);
  });

  test('documentation: complete files, legal basis, documents asked and obtained per application', async () => {
    // Complete at decision: only #1 (every M1 evidence document on file) → 1/6.
    const complete = await value('documentation.file_complete');
    assert.deepEqual([complete.numerator, complete.denominator], [1, 6]);
    // Legal basis: all but #3 → 5/6. Asked: #3 once → 1/6. Obtained by interagency request: #1 one → 1/6.
    assert.deepEqual((await value('documentation.legal_basis_recorded')).numerator, 5);
    const asked = await value('documentation.docs_asked_per_application');
    assert.deepEqual([asked.numerator, asked.denominator], [1, 6]);
    const obtained = await value('documentation.docs_obtained_per_application', {
      ...APRIL,
      districtId: A.id,
    });
    // A decided: #1 #2 #3 → 1/3.
    approx(obtained.value, 1 / 3);
  });

  test('a filter that cuts an indicator by a dimension it does not have gives no figure, not a wrong one', async () => {
    const v = await value('documentation.egisso_exported', { ...APRIL, channel: 'portal' });
    assert.equal(v.value, null);
    // Survey responses have no measure.
    assert.equal((await value('satisfaction.overall', { ...APRIL, measureId: M1.id })).value, null);
  });

  test('any two cuts compare: portal vs in person on time', async () => {
    // Portal decisions #1 (on time) #3 (late) → 1/2; in person #2 #7 both on time → 1.
    const c = await compareCuts(
      db,
      'timeliness.decided_on_time',
      { ...APRIL, channel: 'portal' },
      { ...APRIL, channel: 'in_person' },
      opts,
    );
    assert.deepEqual([c.a.value, c.b.value, c.difference], [0.5, 1, 0.5]);
  });

  test('the filter: defaults, and a clear error for each impossible one', async () => {
    const f = await parseIndicatorFilter(db, { district: A.code, channel: 'mfc', measure: M1.code }, opts);
    // Default period: the last twelve months, clipped to the first month with data (March 2025).
    assert.deepEqual(f, {
      from: '2025-03',
      to: '2025-06',
      districtId: A.id,
      channel: 'mfc',
      measureId: M1.id,
    });
    const fails = async (query: Record<string, string>) => {
      try {
        await parseIndicatorFilter(db, query, opts);
      } catch (e) {
        assert.ok(e instanceof ValidationError);
        return e.fields;
      }
      assert.fail(`accepted ${JSON.stringify(query)}`);
    };
    assert.deepEqual(await fails({ district: 'atlantis' }), { district: 'quality.error.district' });
    assert.deepEqual(await fails({ channel: 'fax' }), { channel: 'quality.error.channel' });
    assert.deepEqual(await fails({ measure: 'NOPE' }), { measure: 'quality.error.measure' });
    assert.deepEqual(await fails({ from: '2025-05', to: '2025-04' }), { from: 'quality.error.fromAfterTo' });
    assert.deepEqual(await fails({ from: '2025-04', to: '2025-07' }), { to: 'quality.error.future' });
    assert.deepEqual(await fails({ from: '2025-01', to: '2025-04' }), { from: 'quality.error.beforeData' });
    assert.deepEqual(await fails({ from: '2019-01', to: '2025-04' }), { from: 'quality.error.tooLong' });
    assert.deepEqual(await fails({ from: 'April', to: '2025-13' }), {
      from: 'quality.error.from',
      to: 'quality.error.to',
    });
  });

  test('programme targets: entered with their source and audited, target vs actual, districts off track', async () => {
    const code = 'accessibility.submitted_electronically';
    const region = await add({
      indicatorCode: code,
      year: '2025',
      target: '70',
      source: 'Digital economy programme, art. 3',
    });
    assert.equal(region.target, 0.7);
    await add({
      indicatorCode: code,
      year: 2025,
      target: '30%',
      source: 'District plan',
      district: B.code,
    });
    await assert.rejects(
      add({ indicatorCode: code, year: 2025, target: '140', source: '' }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.fields.target === 'quality.error.target' &&
        e.fields.source === 'quality.error.source',
    );
    await assert.rejects(
      add({ indicatorCode: code, year: 2025, target: '50', source: 'again' }),
      (e: unknown) => e instanceof ValidationError && e.fields.year === 'quality.error.targetExists',
    );
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'quality.target.%')
      .execute();
    assert.equal(audit.length, 2);

    // 2025 to date (January–June): submitted March #10 (portal) + April #1–#8 (4 electronic) → 5/9 ≈ 0.556 < 0.70.
    const region2025 = await targetsVsActual(db, { from: '2025-01', to: '2025-06' }, opts);
    assert.equal(region2025.length, 1);
    approx(region2025[0]!.actual!.value, 5 / 9);
    assert.equal(region2025[0]!.onTrack, false);
    assert.equal(region2025[0]!.series.length, 6);
    // District B has its own target, 0.30: actual 1/3 → on track.
    const inB = await targetsVsActual(db, { from: '2025-01', to: '2025-06', districtId: B.id }, opts);
    assert.equal(inB[0]!.target.districtId, B.id);
    assert.equal(inB[0]!.onTrack, true);
    // Off track: A has no target of its own, so the region's 0.70; its actual is (#10 + #1 #3 #5) 4/6 ≈ 0.667,
    // worse by 0.033 > the 0.02 tolerance. B is on track; other districts have no figure.
    const off = await offTrackDistricts(db, code, 2025, opts);
    assert.deepEqual(
      off.map((d) => [d.code, d.targetScope]),
      [[A.code, 'region']],
    );
    approx(off[0]!.gap, 4 / 6 - 0.7);
    // With a tolerance of five points A is within it.
    assert.equal((await offTrackDistricts(db, code, 2025, { ...opts, tolerance: 0.05 })).length, 0);
    await del(region.id);
    assert.equal((await listTargets(db, { indicatorCode: code })).length, 1);
  });

  test('a refresh after new events changes exactly the affected figures', async () => {
    const april = async () =>
      Promise.all(
        [
          'accessibility.submitted_electronically',
          'timeliness.decided_on_time',
          'timeliness.decision_days_p90',
        ].map((c) => indicatorBreakdown(db, c, 'district', APRIL, opts)),
      );
    const before = await april();
    // #5 is decided in May (05-06, past its 04-10 deadline), and a new case arrives in B in May.
    await sql`update applications set state = 'approved', decided_at = '2025-05-06T10:00:00+03:00',
      decision = ${JSON.stringify({ outcome: 'approved', on: '2025-05-06', measureTitle: { ru: 'м', en: 'm' },
        legalBasis: { ru: 'ФЗ', en: 'FZ' }, note: '', decidedBy: 'Test' })}
      where id = ${c5}`.execute(db); // biome-ignore format: fixture
    await addCase({
      district: B.id,
      person: PB,
      measure: M2.id,
      channel: 'portal',
      state: 'submitted',
      submitted: '2025-05-12',
    });
    const r = await refreshAggregates(db);
    assert.equal(r.cases, 2);
    // April is untouched (#5 was submitted in April and stays there).
    assert.deepEqual(await april(), before);
    // May: one decision, late: on time 0/1; one submission, electronic; overdue now 0.
    const may = { from: '2025-05', to: '2025-05' };
    const onTime = await value('timeliness.decided_on_time', may);
    assert.deepEqual([onTime.numerator, onTime.denominator], [0, 1]);
    // #5 reg 04-01 → 05-06: 2–4 (3) + 7–11, 14–18, 21–25 (15) + 28–30 (3) + 5, 6 May (2; 1–4 May are holidays) = 23.
    assert.equal((await value('timeliness.decision_days_median', may)).value, 23);
    const sub = await value('accessibility.submitted_electronically', may);
    assert.deepEqual([sub.numerator, sub.denominator], [1, 1]);
    assert.equal((await value('timeliness.overdue_now')).value, 0);
    // #5 was priority (A, M1, registered 04-01), but the ordinary #1 (A, M1, registered the same day) was
    // decided on 04-08, before it → overtaken: 0 of 1.
    const first = await value('priority.decided_first', may);
    assert.deepEqual([first.numerator, first.denominator], [0, 1]);
  });

  test('a change committed after a refresh began is not missed', async () => {
    const may = { from: '2025-05', to: '2025-05' };
    const beforeCount = (await value('accessibility.submitted_electronically', may)).denominator!;
    // A slow transaction inserts a case; a refresh runs (and finishes) before it commits.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => {
      inserted = r;
    });
    const slow = db.transaction().execute(async (trx) => {
      await sql`insert into applications (person_id, district_id, measure_id, channel, state, decision_days, submitted_at)
        values (${PA}, ${A.id}, ${M1.id}, 'mfc', 'submitted', 10, '2025-05-20T09:00:00+03:00')`.execute(trx);
      inserted();
      await held;
    });
    await insertedP;
    await refreshAggregates(db);
    assert.equal((await value('accessibility.submitted_electronically', may)).denominator, beforeCount);
    release();
    await slow;
    await refreshAggregates(db);
    assert.equal((await value('accessibility.submitted_electronically', may)).denominator, beforeCount + 1);
  });

  test('a rebuild from every case gives the same figures as the increments', async () => {
    const f = { from: '2025-03', to: '2025-05' };
    const incremental = await indicatorValues(db, f, opts);
    await rebuildAggregates(db);
    assert.deepEqual(await indicatorValues(db, f, opts), incremental);
  });

  test('live figures: interagency answers on time, waiting for appointments, nearest free slot, field visits, portal', async () => {
    // Interagency requests in A due in April: 04-10 answered 04-09 (on time), 04-10 answered 04-11 (late),
    // 04-20 unanswered (past due on 06-15) → 1 of 3. B: due 06-20, unanswered, not yet due → nothing to measure.
    const request = (district: number, person: number, due: string, answered: string | null, n: number) =>
      sql`insert into interagency_requests (message_id, person_id, district_id, agency, request_type, due_on, answered_at, status)
          values (${`00000000-0000-4000-8000-00000000000${n}`}, ${person}, ${district}, 'sfr', 'PENSION_FACTS', ${due},
                  ${answered ? `${answered}T12:00:00+03:00` : null}, ${answered ? 'answered' : 'sent'})`.execute(db); // biome-ignore format: fixture
    await request(A.id, PA, '2025-04-10', '2025-04-09', 1);
    await request(A.id, PA, '2025-04-10', '2025-04-11', 2);
    await request(A.id, PA, '2025-04-20', null, 3);
    await request(B.id, PB, '2025-06-20', null, 4);
    const ia = await value('timeliness.interagency_on_time');
    assert.deepEqual([ia.numerator, ia.denominator], [1, 3]);
    assert.equal(
      (await value('timeliness.interagency_on_time', { from: '2025-06', to: '2025-06', districtId: B.id }))
        .value,
      null,
    );

    // Appointments at an office of A. Priority: booked 04-01 for 04-03 (2 days), 04-01 for 04-08 (7) → median
    // the 1st of [2, 7] = 2. Others: 04-01 for 04-11 (10), 04-02 for 04-07 (5); a cancelled one does not count
    // → [5, 10] → 5.
    const officeOf = async (d: number) =>
      (
        await db
          .selectFrom('offices')
          .select('id')
          .where('district_id', '=', d)
          .orderBy('id')
          .limit(1)
          .executeTakeFirstOrThrow()
      ).id;
    const OA = await officeOf(A.id);
    const OB = await officeOf(B.id);
    const desk = async (office: number) =>
      (
        await sql<{
          id: number;
        }>`insert into reception_desks (office_id, name) values (${office}, 'Desk 1') returning id`.execute(
          db,
        )
      ).rows[0]!.id;
    const DA = await desk(OA);
    const DB = await desk(OB);
    const slot = async (office: number, d: number, at: string, priority = false) =>
      Number((await sql<{ id: number }>`insert into slots (office_id, desk_id, starts_at, ends_at, reserved_for_priority)
        values (${office}, ${d}, ${`${at}+03:00`}, ${`${at}+03:00`}::timestamptz + interval '15 minutes', ${priority}) returning id`.execute(db)).rows[0]!.id); // biome-ignore format: fixture
    let person = 0;
    const persons = await db.selectFrom('persons').select('id').orderBy('id').limit(10).execute();
    const appointment = async (
      office: number,
      d: number,
      day: string,
      booked: string,
      priority: boolean,
      status = 'booked',
    ) => {
      const s = await slot(office, d, `${day}T10:00:00`);
      await sql`insert into appointments (slot_id, office_id, day, person_id, measure_id, channel, status, priority, created_at)
        values (${s}, ${office}, ${day}, ${persons[person++]!.id}, ${M1.id}, 'portal', ${status}, ${priority}, ${`${booked}T09:00:00+03:00`})`.execute(db); // biome-ignore format: fixture
    };
    await appointment(OA, DA, '2025-04-03', '2025-04-01', true);
    await appointment(OA, DA, '2025-04-08', '2025-04-01', true);
    await appointment(OA, DA, '2025-04-11', '2025-04-01', false);
    await appointment(OA, DA, '2025-04-07', '2025-04-02', false);
    await appointment(OA, DA, '2025-04-04', '2025-04-03', false, 'cancelled');
    const wait = await value('priority.appointment_wait_priority');
    assert.deepEqual([wait.value, wait.denominator], [2, 2]);
    assert.equal((await value('priority.appointment_wait_others')).value, 5);

    // Nearest free slot (now: 06-15 13:00 in Volgograd). A: 06-15 15:00 taken, 06-17 free → 2 days.
    // B: 06-16 kept for priority (not open to everyone), 06-20 free → 5 days. Mean over the two offices 3.5.
    for (const o of [OA, OB])
      await sql`insert into reception_schedules (office_id, days) values (${o}, '{}')`.execute(db);
    await appointment(OA, DA, '2025-06-15', '2025-06-10', false);
    await slot(OA, DA, '2025-06-17T10:00:00');
    await slot(OB, DB, '2025-06-16T10:00:00', true);
    await slot(OB, DB, '2025-06-20T10:00:00');
    const free = await value('accessibility.days_to_free_appointment');
    assert.deepEqual([free.value, free.numerator, free.denominator], [3.5, 7, 2]);
    const freeBy = await indicatorBreakdown(
      db,
      'accessibility.days_to_free_appointment',
      'district',
      APRIL,
      opts,
    );
    assert.deepEqual(
      [freeBy.find((p) => p.key === A.code)!.value, freeBy.find((p) => p.key === B.code)!.value],
      [2, 5],
    );

    const table = await freeAppointmentByOffice(db, {}, opts);
    assert.deepEqual(
      table.map((o) => [o.officeId, o.days]),
      [
        [OA, 2],
        [OB, 5],
      ].sort((x, y) => x[0]! - y[0]!),
    );
    assert.ok(table.every((o) => o.label.length > 0));

    // Field visits: two residents registered at an April visit to a remote settlement of a district that has
    // one, a third signed up but not registered → 2 over that district's remote population.
    const remote = (
      await sql<{
        id: number;
        district_id: number;
      }>`select id, district_id from settlements where is_remote order by id limit 1`.execute(db)
    ).rows[0]!;
    const remotePopulation = Number(
      (await sql<{ p: number }>`select sum(population) as p from settlements where is_remote and district_id = ${remote.district_id}`.execute(db)).rows[0]!.p,
    ); // biome-ignore format: fixture
    const visit = Number((await sql<{ id: number }>`insert into field_visits (district_id, visit_on, route, settlement_ids, created_by)
      values (${remote.district_id}, '2025-04-15', 'route', ${[remote.id]}, ${analystId}) returning id`.execute(db)).rows[0]!.id); // biome-ignore format: fixture
    for (const [i, status] of ['registered', 'registered', 'signed_up'].entries())
      await sql`insert into field_visit_signups (visit_id, person_id, settlement_id, position, measure_id, status, created_by_staff)
        values (${visit}, ${persons[i]!.id}, ${remote.id}, ${i + 1}, ${M1.id}, ${status}, ${analystId})`.execute(db); // biome-ignore format: fixture
    const reach = await value('accessibility.remote_served_by_visits', {
      ...APRIL,
      districtId: remote.district_id,
    });
    assert.deepEqual([reach.numerator, reach.denominator], [2, remotePopulation]);

    // Measures on the portal: active measures whose channels include the portal, over active measures.
    const { rows } = await sql<{ on: number; all: number }>`
      select count(*) filter (where 'portal' = any(channels))::int as on, count(*)::int as all from measures where is_active`.execute(
      db,
    );
    const portal = await value('accessibility.measures_on_portal');
    assert.deepEqual([portal.numerator, portal.denominator], [rows[0]!.on, rows[0]!.all]);
    // No registry assignment has been exported or rejected here: nothing to measure, not 0 %.
    assert.equal((await value('documentation.egisso_exported')).value, null);
  });

  test('quantiles are nearest-rank', () => {
    // [0, 2, 5, 5, 10, 12] as a histogram.
    const h = new Array(61).fill(0);
    for (const d of [0, 2, 5, 5, 10, 12]) h[d]++;
    assert.deepEqual(
      [histQuantile(h, 0.5), histQuantile(h, 0.9), histQuantile(new Array(61).fill(0), 0.5)],
      [5, 12, null],
    );
    assert.deepEqual([quantile([3, 1, 2, 4], 0.5), quantile([], 0.5)], [2, null]);
  });
});
