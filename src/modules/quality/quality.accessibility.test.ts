// The two indicators with sources outside the cases, on small fixtures worked out by hand below:
// accessibility.offices_pages_accessible from the accessibility register (latest audit per office or
// portal page as of each month end; districts are their offices, channels the subjects serving them,
// pages count in the region), and satisfaction.overall from survey waves (top-two-box of the wave's
// satisfaction question by district, channel and month of completion), plus recording audits: the
// form's errors, district scope and the audit log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Form } from '../surveys/surveys.form.ts';
import { topTwoBox } from '../surveys/surveys.quality.ts';
import { accessibilityRegister, monthEnd, type NewAuditInput, recordAudit } from './quality.accessibility.ts';
import {
  indicatorBreakdown,
  indicatorSeries,
  indicatorValues,
  parseIndicatorFilter,
} from './quality.service.ts';
import type { IndicatorFilter } from './quality.types.ts';

const database = await testDatabase();
await seedSmallRegion(database, 40);
const { db } = database;
const TODAY = '2025-06-15';
const opts = { today: TODAY, now: new Date('2025-06-15T09:00:00Z') };

const actor = async (
  login: string,
  role: StaffActor['role'],
  districtIds: number[] = [],
): Promise<StaffActor> => ({
  kind: 'staff',
  userId: await staffUser(
    db,
    login,
    role,
    districts.filter((d) => districtIds.includes(d.id)).map((d) => d.code),
  ),
  login,
  fullName: `Test ${login}`,
  role,
  districtIds,
  sessionId: 'test',
});

const districts = await db.selectFrom('districts').select(['id', 'code']).orderBy('id').limit(2).execute();
const [A, B] = districts as [{ id: number; code: string }, { id: number; code: string }];
const officeOf = async (district: number, kind: 'social_protection_centre' | 'mfc') =>
  (
    await db
      .selectFrom('offices')
      .select('id')
      .where('district_id', '=', district)
      .where('kind', '=', kind)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
const CA = await officeOf(A.id, 'social_protection_centre');
const MA = await officeOf(A.id, 'mfc');
const CB = await officeOf(B.id, 'social_protection_centre');

const analyst = await actor('acc.analyst', 'ministry_analyst');
const headA = await actor('acc.head.a', 'district_head', [A.id]);

const blank: NewAuditInput = {
  kind: '',
  office: '',
  page: '',
  auditedOn: '',
  meets: '',
  findings: '',
  source: '',
};
const audit = (who: StaffActor, input: Partial<NewAuditInput>) =>
  db.transaction().execute((trx) => recordAudit(trx, who, { ...blank, ...input }, { today: TODAY }));
const office = (id: number, auditedOn: string, meets: 'yes' | 'no', who = analyst) =>
  audit(who, {
    kind: 'office',
    office: String(id),
    auditedOn,
    meets,
    findings: meets === 'no' ? 'No ramp at the entrance' : '',
    source: 'Accessibility passport No. 12',
  });
const page = (path: string, auditedOn: string, meets: 'yes' | 'no') =>
  audit(analyst, {
    kind: 'page',
    page: path,
    auditedOn,
    meets,
    findings: meets === 'no' ? 'Contrast 3.2:1 on the buttons' : '',
    source: 'axe scan of build 41',
  });

// ---- the register ----------------------------------------------------------------------------------
//   CA (A, centre → in person)  03-10 no, 04-20 yes
//   MA (A, MFC → mfc)           04-05 yes (recorded by A's district head)
//   CB (B, centre → in person)  02-01 yes, 05-12 no
//   /measures (page → portal)   04-01 yes, 05-02 no, 05-02 yes (recorded later the same day: it wins)
//   /apply    (page → portal)   04-30 no
// Latest as of the month end:
//   Feb 28: CB yes                                             → 1/1
//   Mar 31: CA no, CB yes                                      → 1/2
//   Apr 30: CA yes, MA yes, CB yes, /measures yes, /apply no   → 4/5
//   May 31: CA yes, MA yes, CB no,  /measures yes, /apply no   → 3/5
await office(CA, '2025-03-10', 'no');
await office(CA, '2025-04-20', 'yes');
await office(MA, '2025-04-05', 'yes', headA);
await office(CB, '2025-02-01', 'yes');
await office(CB, '2025-05-12', 'no');
await page('/measures', '2025-04-01', 'yes');
await page('/measures', '2025-05-02', 'no');
await page('/measures', '2025-05-02', 'yes');
await page('/apply', '2025-04-30', 'no');

const APRIL: IndicatorFilter = { from: '2025-04', to: '2025-04' };
const ACC = 'accessibility.offices_pages_accessible';
const SAT = 'satisfaction.overall';
const value = async (code: string, f: IndicatorFilter = APRIL) =>
  (await indicatorValues(db, f, { ...opts, codes: [code] }))[0]!;
const figures = (v: { value: number | null; numerator: number | null; denominator: number | null }) => [
  v.value,
  v.numerator,
  v.denominator,
];

// ---- surveys -----------------------------------------------------------------------------------------
const designer = analyst.userId;
const formWith = (question: string, list: string, choices: string[], extra: string[] = []): Form => ({
  settings: { title: 'Satisfaction', formId: null, version: null, defaultLanguage: null },
  languages: [{ name: 'default', code: null }],
  children: [question, ...extra].map((name) => ({
    kind: 'question' as const,
    type: 'select_one' as const,
    name,
    label: { default: name },
    hint: {},
    required: false,
    requiredMessage: {},
    relevant: null,
    constraint: null,
    constraintMessage: {},
    appearance: 'likert',
    listName: list,
    choiceFilter: null,
    calculation: null,
    likert: true,
  })),
  lists: [
    { name: list, choices: choices.map((name) => ({ name, label: { default: name }, properties: {} })) },
  ],
});
let sourceN = 0;
async function wave(form: Form, question: string | null): Promise<{ wave: number; version: number }> {
  const q = await sql<{ id: number }>`insert into questionnaires (title, created_by)
    values ('Satisfaction', ${designer}) returning id`.execute(db);
  const v = await sql<{ id: number }>`insert into questionnaire_versions
      (questionnaire_id, number, title, form, source, source_sha256, created_by)
    values (${q.rows[0]!.id}, 1, 'Satisfaction', ${JSON.stringify(form)}, ${Buffer.from('x')},
            ${String(++sourceN).padStart(64, '0')}, ${designer}) returning id`.execute(db);
  const version = Number(v.rows[0]!.id);
  const w = await sql<{ id: number }>`insert into survey_waves
      (version_id, title, mode, token, opens_on, closes_on, satisfaction_question, created_by)
    values (${version}, 'Wave', 'anonymous', ${`token-of-the-wave-${sourceN}`}, '2025-03-01', '2025-05-31',
            ${question}, ${designer}) returning id`.execute(db);
  return { wave: Number(w.rows[0]!.id), version };
}
async function respond(
  w: { wave: number; version: number },
  background: Record<string, string>,
  answers: Record<string, string>,
  completedAt: string | null,
) {
  await sql`insert into survey_responses (wave_id, version_id, channel, background, answers, status, completed_at)
    values (${w.wave}, ${w.version}, 'portal', ${JSON.stringify(background)}, ${JSON.stringify(answers)},
            ${completedAt ? 'complete' : 'in_progress'}, ${completedAt})`.execute(db);
}
// W1: 'overall' from a five-point list written high → low ("5" first): the numbers decide, top two = 5, 4.
const W1 = await wave(formWith('overall', 'agree5', ['5', '4', '3', '2', '1']), 'overall');
// W2: 'rating' from a list of words, low → high: top two = good, excellent.
const W2 = await wave(formWith('rating', 'r4', ['poor', 'fair', 'good', 'excellent']), 'rating');
// W3 names no satisfaction question: its answers count nowhere.
const W3 = await wave(formWith('overall', 'agree5', ['1', '2', '3', '4', '5']), null);
const bg = (district: number | null, channel?: string) => ({
  ...(district === null ? {} : { district: String(district) }),
  ...(channel ? { channel } : {}),
});
const at = (local: string) => `${local}+03:00`; // Europe/Volgograd
// April 2025 (Volgograd time):                                  satisfied?
await respond(W1, bg(A.id, 'portal'), { overall: '5' }, at('2025-04-03T10:00:00')); // r1  yes
await respond(W1, bg(A.id, 'in_person'), { overall: '4' }, at('2025-04-10T10:00:00')); // r2  yes
await respond(W1, bg(A.id, 'portal'), { overall: '2' }, at('2025-04-12T10:00:00')); // r3  no
await respond(W1, bg(B.id, 'mfc'), { overall: '3' }, at('2025-04-20T10:00:00')); // r4  no
await respond(W1, bg(B.id, 'none'), { overall: '5' }, at('2025-04-21T10:00:00')); // r5  yes (never applied: no channel)
await respond(W1, bg(A.id, 'portal'), { overall: '5' }, null); // r6  in progress: not counted
await respond(W1, bg(A.id, 'portal'), {}, at('2025-04-22T10:00:00')); // r7  did not answer: not counted
await respond(W1, bg(null), { overall: '4' }, at('2025-04-25T10:00:00')); // r8  yes (anonymous: region only)
await respond(W1, bg(A.id, 'portal'), { overall: '1' }, at('2025-04-30T23:30:00')); // r10 no (still April locally)
await respond(W2, bg(B.id, 'portal'), { rating: 'excellent' }, at('2025-04-15T10:00:00')); // r12 yes
await respond(W2, bg(B.id, 'portal'), { rating: 'fair' }, at('2025-04-16T10:00:00')); // r13 no
await respond(W2, bg(A.id, 'in_person'), { rating: 'good' }, at('2025-04-17T10:00:00')); // r14 yes
await respond(W3, bg(A.id, 'portal'), { overall: '5' }, at('2025-04-18T10:00:00')); // r15 no satisfaction question
// March: r9 yes. May: r11 yes (00:30 on May 1st locally, still April 30 in UTC).
await respond(W1, bg(A.id, 'portal'), { overall: '5' }, at('2025-03-31T23:30:00')); // r9
await respond(W1, bg(A.id, 'portal'), { overall: '5' }, at('2025-05-01T00:30:00')); // r11
// April: answered r1 r2 r3 r4 r5 r8 r10 r12 r13 r14 = 10, satisfied r1 r2 r5 r8 r12 r14 = 6.

describe('accessibility of offices and pages', () => {
  test('the share as of the period’s end, against the previous period’s end', async () => {
    const v = await value(ACC);
    assert.deepEqual([...figures(v), v.previous], [0.8, 4, 5, 0.5]);
    // A two-month period is as of its last day (May 31: 3/5), the previous one as of March 31.
    const mayEnd = await value(ACC, { from: '2025-04', to: '2025-05' });
    assert.deepEqual([...figures(mayEnd), mayEnd.previous], [0.6, 3, 5, 0.5]);
    // Before any audit there is nothing to measure, not 0 %.
    assert.equal((await value(ACC, { from: '2025-01', to: '2025-01' })).value, null);
  });

  test('each month as of its last day', async () => {
    const s = await indicatorSeries(db, ACC, { from: '2025-02', to: '2025-06' }, opts);
    assert.deepEqual(
      s.map((p) => [p.key, p.numerator, p.denominator]),
      [
        ['2025-02', 1, 1],
        ['2025-03', 1, 2],
        ['2025-04', 4, 5],
        ['2025-05', 3, 5],
        ['2025-06', 3, 5],
      ],
    );
  });

  test('a district is its offices; pages count in the region only; channels are the subjects serving them', async () => {
    // April 30: A = CA yes, MA yes → 2/2; B = CB yes → 1/1; May 31: B = CB no → 0/1.
    assert.deepEqual(figures(await value(ACC, { ...APRIL, districtId: A.id })), [1, 2, 2]);
    assert.deepEqual(
      figures(await value(ACC, { from: '2025-05', to: '2025-05', districtId: B.id })),
      [0, 0, 1],
    );
    const byDistrict = await indicatorBreakdown(db, ACC, 'district', APRIL, opts);
    const d = (code: string) => byDistrict.find((p) => p.key === code)!;
    assert.deepEqual(
      [figures(d(A.code)), figures(d(B.code))],
      [
        [1, 2, 2],
        [1, 1, 1],
      ],
    );
    assert.ok(byDistrict.filter((p) => p.key !== A.code && p.key !== B.code).every((p) => p.value === null));
    // April 30 by channel: in person CA CB 2/2, MFC MA 1/1, portal /measures yes /apply no 1/2; post none.
    const byChannel = new Map(
      (await indicatorBreakdown(db, ACC, 'channel', APRIL, opts)).map((p) => [p.key, figures(p)]),
    );
    assert.deepEqual(
      [byChannel.get('in_person'), byChannel.get('mfc'), byChannel.get('portal'), byChannel.get('post')],
      [
        [1, 2, 2],
        [1, 1, 1],
        [0.5, 1, 2],
        [null, null, null],
      ],
    );
    // A district has no pages; a measure is not a cut of this indicator.
    assert.equal((await value(ACC, { ...APRIL, districtId: A.id, channel: 'portal' })).value, null);
    const M = (await db.selectFrom('measures').select('id').limit(1).executeTakeFirstOrThrow()).id;
    assert.equal((await value(ACC, { ...APRIL, measureId: M })).value, null);
  });

  test('recording: the form’s errors, a district head’s scope, the audit log', async () => {
    const errors = async (who: StaffActor, input: Partial<NewAuditInput>) => {
      try {
        await audit(who, input);
      } catch (e) {
        if (e instanceof ValidationError) return e.fields;
        throw e;
      }
      assert.fail('accepted');
    };
    assert.deepEqual(await errors(analyst, {}), {
      kind: 'quality.error.audit.kind',
      auditedOn: 'quality.error.audit.date',
      meets: 'quality.error.audit.meets',
      source: 'quality.error.audit.source',
    });
    // A failed audit says what fails; no date in the future or impossible; a page is a path.
    assert.deepEqual(
      await errors(analyst, {
        kind: 'page',
        page: 'measures',
        auditedOn: '2025-06-16',
        meets: 'no',
        source: 'x',
      }),
      {
        page: 'quality.error.audit.page',
        auditedOn: 'quality.error.audit.future',
        findings: 'quality.error.audit.findings',
      },
    );
    assert.deepEqual(
      await errors(analyst, {
        kind: 'office',
        office: String(CA),
        auditedOn: '2025-02-30',
        meets: 'yes',
        source: 'x',
      }),
      { auditedOn: 'quality.error.audit.date' },
    );
    // A's district head: not B's office, not a page.
    assert.deepEqual(
      await errors(headA, {
        kind: 'office',
        office: String(CB),
        auditedOn: '2025-06-01',
        meets: 'yes',
        source: 'x',
      }),
      { office: 'quality.error.audit.office' },
    );
    assert.deepEqual(
      await errors(headA, { kind: 'page', page: '/x', auditedOn: '2025-06-01', meets: 'yes', source: 'x' }),
      { kind: 'quality.error.audit.pageRegion' },
    );
    const specialist = await actor('acc.specialist', 'specialist', [A.id]);
    await assert.rejects(audit(specialist, {}), /recorded by the ministry and district heads/);
    // Every audit recorded is in the audit log with its district (offices) or none (pages).
    const { rows } = await sql<{ district_id: number | null; actor_id: string }>`
      select district_id, actor_id from audit_log where action = 'quality.accessibility.record' order by id`.execute(
      db,
    );
    assert.equal(rows.length, 9);
    assert.deepEqual(
      rows.map((r) => r.district_id),
      [A.id, A.id, A.id, B.id, B.id, null, null, null, null],
    );
    assert.equal(rows[2]!.actor_id, String(headA.userId));
  });

  test('the register lists each subject’s latest audit; a district head sees its own offices only', async () => {
    const all = await accessibilityRegister(db, analyst, { today: TODAY });
    const row = (key: string) => all.find((r) => r.key === key);
    assert.deepEqual(
      [
        row(`office:${CA}`)?.latest?.auditedOn,
        row(`office:${CB}`)?.latest?.meets,
        row('page:/measures')?.latest?.meets,
      ],
      ['2025-04-20', false, true],
    );
    // Offices never audited are listed too, with no audit.
    const offices = await db.selectFrom('offices').select('id').execute();
    assert.equal(all.filter((r) => r.officeId !== null).length, offices.length);
    assert.ok(all.some((r) => r.officeId !== null && r.latest === null));
    const mine = await accessibilityRegister(db, headA, { today: TODAY });
    assert.ok(mine.length >= 2 && mine.every((r) => r.districtId === A.id));
    assert.equal(monthEnd('2024-02'), '2024-02-29');
  });
});

describe('satisfaction from the survey waves', () => {
  test('the top two of a scale: by number when the choices are numbers, else the list’s order', () => {
    assert.deepEqual(topTwoBox(formWith('q', 'l', ['5', '4', '3', '2', '1']), 'q')?.top, ['5', '4']);
    assert.deepEqual(topTwoBox(formWith('q', 'l', ['poor', 'fair', 'good', 'excellent']), 'q')?.top, [
      'excellent',
      'good',
    ]);
    assert.equal(topTwoBox(formWith('q', 'l', ['1', '2']), 'nope'), null);
  });

  test('top-two-box of complete responses that answered, against March', async () => {
    const v = await value(SAT);
    assert.deepEqual([...figures(v), v.previous], [0.6, 6, 10, 1]);
    assert.deepEqual(figures(await value(SAT, { from: '2025-05', to: '2025-05' })), [1, 1, 1]);
    const s = await indicatorSeries(db, SAT, { from: '2025-03', to: '2025-05' }, opts);
    assert.deepEqual(
      s.map((p) => [p.key, p.numerator, p.denominator]),
      [
        ['2025-03', 1, 1],
        ['2025-04', 6, 10],
        ['2025-05', 1, 1],
      ],
    );
  });

  test('by district and channel; no channel and no district count in the region only', async () => {
    // A: r1 r2 r14 yes, r3 r10 no → 3/5. B: r5 r12 yes, r4 r13 no → 2/4.
    const byDistrict = await indicatorBreakdown(db, SAT, 'district', APRIL, opts);
    const d = (code: string) => figures(byDistrict.find((p) => p.key === code)!);
    assert.deepEqual(
      [d(A.code), d(B.code)],
      [
        [0.6, 3, 5],
        [0.5, 2, 4],
      ],
    );
    // Portal r1 r12 yes, r3 r10 r13 no → 2/5; in person r2 r14 → 2/2; MFC r4 → 0/1.
    const byChannel = new Map(
      (await indicatorBreakdown(db, SAT, 'channel', APRIL, opts)).map((p) => [p.key, figures(p)]),
    );
    assert.deepEqual(
      [byChannel.get('portal'), byChannel.get('in_person'), byChannel.get('mfc'), byChannel.get('proactive')],
      [
        [0.4, 2, 5],
        [1, 2, 2],
        [0, 0, 1],
        [null, null, null],
      ],
    );
    // A on the portal: r1 yes, r3 r10 no → 1/3.
    assert.deepEqual(figures(await value(SAT, { ...APRIL, districtId: A.id, channel: 'portal' })), [
      1 / 3,
      1,
      3,
    ]);
    const M = (await db.selectFrom('measures').select('id').limit(1).executeTakeFirstOrThrow()).id;
    assert.equal((await value(SAT, { ...APRIL, measureId: M })).value, null);
  });

  test('a bad filter still gets a clear error, not an empty figure', async () => {
    await assert.rejects(parseIndicatorFilter(db, { district: 'atlantis' }, opts), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.fields, { district: 'quality.error.district' });
      return true;
    });
    await assert.rejects(parseIndicatorFilter(db, { from: '2025-05', to: '2025-04' }, opts), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.fields, { from: 'quality.error.fromAfterTo' });
      return true;
    });
  });
});
