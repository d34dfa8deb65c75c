// The case process without HTTP: both channels into one case, the statutory clock on the production
// calendar, optimistic locking, idempotent submissions, decisions into the registry, appeals, letters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { SMALL_PDF } from '../../../test/support/documents.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { pdfText } from '../../../test/support/pdf.ts';
import type { ResidentActor, StaffActor } from '../../platform/auth/actor.ts';
import { addWorkingDays, workingDaysBetween } from '../../platform/calendar/calendar.service.ts';
import { type AppError, AuditedRefusal, ValidationError } from '../../platform/errors.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { assignmentsForPerson } from '../registry/assignments.service.ts';
import { importRules } from '../rules/rules.service.ts';
import { renderLetter } from './applications.letters.ts';
import {
  act,
  applicationForStaff,
  approve,
  decideAppeal,
  fileAppeal,
  registerAtCounter,
  submitComplete,
  workQueue,
} from './applications.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 300);
await importRules(database.db);
const { db } = database;
const ctx = { ip: '127.0.0.1' };

async function staff(login: string, role: StaffActor['role'], district: string): Promise<StaffActor> {
  const userId = await staffUser(db, login, role, [district]);
  return {
    kind: 'staff',
    userId,
    login,
    fullName: `Test ${login}`,
    role,
    districtIds: await districtIdsByCodes(db, [district]),
    sessionId: 'test',
  };
}

/** A labour veteran of Volgograd (eligible for VETERAN-EDV) not yet receiving it. */
async function veteran(offset = 0) {
  const [districtId] = await districtIdsByCodes(db, ['volgograd']);
  const row = await db
    .selectFrom('persons')
    .select(['id', 'district_id'])
    .where('district_id', '=', districtId!)
    .where(sql<boolean>`'labour_veteran' = any(categories)`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('assignments').select('id').whereRef('assignments.person_id', '=', 'persons.id'),
        ),
      ),
    )
    .orderBy('id')
    .offset(offset)
    .executeTakeFirstOrThrow();
  return row;
}

const specialist = await staff('case.specialist', 'specialist', 'volgograd');
const head = await staff('case.head', 'district_head', 'volgograd');
const stranger = await staff('case.stranger', 'specialist', 'kamyshin');

async function counter(personId: number, key: string, today?: string, emergency = false) {
  return await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      specialist,
      {
        personId,
        measureCode: 'VETERAN-EDV',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
        emergency,
        idempotencyKey: key,
      },
      { ...ctx, today },
    ),
  );
}

const load = (id: number) => db.transaction().execute((trx) => applicationForStaff(trx, specialist, id, ctx));

describe('registration at the counter', () => {
  test('registers at once with a number and a deadline in working days; the same form twice is one case', async () => {
    const person = await veteran();
    const id = await counter(person.id, 'counter-key-0001', '2026-12-25');
    const again = await counter(person.id, 'counter-key-0001', '2026-12-25');
    assert.equal(again, id);
    const app = await load(id);
    assert.equal(app.state, 'registered');
    assert.match(app.number ?? '', /^2026-\d{6}$/);
    assert.equal(app.registered_on, '2026-12-25');
    // 10 working days from Friday 25 December 2026 over the New Year holidays (1–8 January 2027).
    assert.equal(app.deadline_on, '2027-01-19');
    assert.deepEqual(app.priority_reasons, ['labour_veteran']);
    assert.equal(app.priority, true);
  });
});

describe('the statutory clock', () => {
  test('waiting for the resident stops the clock; waiting for an agency does not', async () => {
    const person = await veteran(1);
    const id = await counter(person.id, 'clock-key-00001', '2026-11-02');
    const registered = await load(id);
    assert.equal(registered.deadline_on, addWorkingDays('2026-11-02', 10));
    const asked = await db.transaction().execute((trx) =>
      act(
        trx,
        specialist,
        id,
        registered.version,
        'request_documents',
        { note: 'Принесите удостоверение' },
        {
          ...ctx,
          today: '2026-11-05',
        },
      ),
    );
    assert.equal(asked.state, 'waiting_resident');
    assert.equal(asked.paused_since, '2026-11-05');
    const back = await db
      .transaction()
      .execute((trx) =>
        act(trx, specialist, id, asked.version, 'documents_received', {}, { ...ctx, today: '2026-11-12' }),
      );
    const paused = workingDaysBetween('2026-11-05', '2026-11-12');
    assert.equal(paused, 5);
    assert.equal(back.deadline_on, addWorkingDays(registered.deadline_on!, paused));
    assert.equal(back.paused_days, 5);
    const interagency = await db
      .transaction()
      .execute((trx) =>
        act(trx, specialist, id, back.version, 'request_interagency', {}, { ...ctx, today: '2026-11-13' }),
      );
    assert.equal(interagency.deadline_on, back.deadline_on, 'an agency’s delay does not move the deadline');
    assert.equal(interagency.interagency_due_on, addWorkingDays('2026-11-13', 5));
  });
});

describe('optimistic locking and scope', () => {
  test('a change made on an old version is refused and changes nothing', async () => {
    const person = await veteran(2);
    const id = await counter(person.id, 'lock-key-000001');
    const seen = await load(id);
    await db.transaction().execute((trx) => act(trx, specialist, id, seen.version, 'start_review', {}, ctx));
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => act(trx, head, id, seen.version, 'suspend', { note: 'court case pending' }, ctx)),
      (e: AppError) => e.code === 'stale_case' && e.status === 409,
    );
    assert.equal((await load(id)).state, 'under_review');
  });

  test('a case of another district does not exist for a specialist, and the attempt carries its audit entry', async () => {
    const person = await veteran(3);
    const id = await counter(person.id, 'scope-key-00001');
    await assert.rejects(
      db.transaction().execute((trx) => applicationForStaff(trx, stranger, id, ctx)),
      (e: AuditedRefusal) =>
        e instanceof AuditedRefusal &&
        e.status === 404 &&
        e.audit.action === 'application.read.denied' &&
        e.audit.actor.id === stranger.userId,
    );
  });
});

describe('decisions', () => {
  test('approval creates the assignment from the registration date; refusal needs a legal ground', async () => {
    const person = await veteran(4);
    const id = await counter(person.id, 'decide-key-0001', '2026-11-02');
    const app = await load(id);
    await assert.rejects(
      db.transaction().execute((trx) => act(trx, specialist, id, app.version, 'refuse', {}, ctx)),
      ValidationError,
    );
    const approved = await db
      .transaction()
      .execute((trx) => approve(trx, specialist, id, app.version, {}, ctx));
    assert.equal(approved.state, 'approved');
    const [assignment] = await assignmentsForPerson(db, person.id);
    assert.equal(assignment?.id, approved.assignment_id);
    assert.equal(assignment?.start_date, '2026-11-02');
    assert.ok(Number(assignment?.amount) > 0, 'the rules engine set the amount');
    const letter = await pdfText(await renderLetter(db, approved, 'decision', 'ru'));
    assert.match(letter.replace(/\s+/g, ' '), /Ежемесячная денежная выплата ветеранам труда/);
    assert.match(letter, new RegExp(approved.number ?? 'missing'));
  });

  test('approving against the rules needs the specialist’s reason', async () => {
    // Not a labour veteran: the rule says no.
    const [districtId] = await districtIdsByCodes(db, ['volgograd']);
    const person = await db
      .selectFrom('persons')
      .select('id')
      .where('district_id', '=', districtId!)
      .where(sql<boolean>`not ('labour_veteran' = any(categories))`)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const id = await counter(person.id, 'override-key-01');
    const app = await load(id);
    await assert.rejects(
      db.transaction().execute((trx) => approve(trx, specialist, id, app.version, {}, ctx)),
      (e: ValidationError) =>
        e instanceof ValidationError && e.fields.note === 'applications.error.overrideReason',
    );
  });
});

describe('appeals', () => {
  test('an upheld appeal reverses a refusal and assigns retroactively; a head’s refusal goes to the ministry', async () => {
    const person = await veteran(5);
    const id = await counter(person.id, 'appeal-key-0001', '2026-10-01');
    const app = await load(id);
    const refused = await db.transaction().execute((trx) =>
      act(
        trx,
        specialist,
        id,
        app.version,
        'refuse',
        { ground: 'not_eligible', note: 'Нет удостоверения' },
        {
          ...ctx,
          today: '2026-10-05',
        },
      ),
    );
    const letter = await pdfText(await renderLetter(db, refused, 'decision', 'ru'));
    assert.match(letter.replace(/\s+/g, ' '), /не относится к категории граждан/);
    const resident: ResidentActor = { kind: 'resident', accountId: 1, personId: person.id, sessionId: 's' };
    const appealId = await db.transaction().execute((trx) =>
      fileAppeal(
        trx,
        { kind: 'resident', actor: resident },
        id,
        { grounds: 'Удостоверение есть', idempotencyKey: 'appeal-0001' },
        {
          ...ctx,
          today: '2026-10-10',
        },
      ),
    );
    const appeal = await db
      .selectFrom('appeals')
      .selectAll()
      .where('id', '=', appealId)
      .executeTakeFirstOrThrow();
    assert.equal(appeal.level, 'district_head');
    assert.equal(appeal.deadline_on, addWorkingDays('2026-10-10', 15));
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => decideAppeal(trx, specialist, appealId, appeal.version, 'upheld', 'ok', ctx)),
      (e: AppError) => e.status === 403,
    );
    await db
      .transaction()
      .execute((trx) =>
        decideAppeal(trx, head, appealId, appeal.version, 'upheld', 'Удостоверение представлено', ctx),
      );
    const after = await load(id);
    assert.equal(after.state, 'approved');
    assert.equal(after.decision?.onAppeal, appealId);
    const assignments = await assignmentsForPerson(db, person.id);
    assert.equal(assignments[0]?.start_date, '2026-10-01', 'assigned from the original registration');

    const second = await veteran(6);
    const id2 = await counter(second.id, 'appeal-key-0002');
    const app2 = await load(id2);
    await db
      .transaction()
      .execute((trx) => act(trx, head, id2, app2.version, 'refuse', { ground: 'not_eligible' }, ctx));
    const other: ResidentActor = { kind: 'resident', accountId: 2, personId: second.id, sessionId: 's' };
    const appeal2 = await db
      .transaction()
      .execute((trx) =>
        fileAppeal(
          trx,
          { kind: 'resident', actor: other },
          id2,
          { grounds: 'Не согласен', idempotencyKey: 'appeal-0002' },
          ctx,
        ),
      );
    const row = await db
      .selectFrom('appeals')
      .select('level')
      .where('id', '=', appeal2)
      .executeTakeFirstOrThrow();
    assert.equal(row.level, 'ministry');
  });
});

describe('online submission in one request', () => {
  test('the same idempotency key is one application; the case joins the same queue', async () => {
    const person = await veteran(7);
    const resident: ResidentActor = { kind: 'resident', accountId: 99, personId: person.id, sessionId: 's' };
    const upload = {
      sha256: 'a'.repeat(64),
      size: SMALL_PDF.length,
      contentType: 'application/pdf' as const,
      filename: 'card.pdf',
    };
    const measure = await db
      .selectFrom('measure_documents as d')
      .innerJoin('measures as m', 'm.id', 'd.measure_id')
      .select('d.id')
      .where('m.code', '=', 'VETERAN-EDV')
      .where('d.purpose', '=', 'evidence')
      .where('d.interagency_agency', 'is', null)
      .execute();
    const submission = {
      measureCode: 'VETERAN-EDV',
      answers: { phone: '+7 902 111-22-33', payment: { method: 'post' as const } },
      documents: measure.map((d) => ({ measureDocumentId: d.id, upload })),
      idempotencyKey: 'portal-key-0001',
    };
    const first = await db.transaction().execute((trx) => submitComplete(trx, resident, submission, ctx));
    const second = await db.transaction().execute((trx) => submitComplete(trx, resident, submission, ctx));
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.application.id, first.application.id);
    assert.equal(first.application.state, 'submitted');
    const { rows } = await workQueue(db, specialist, { assignee: 'all' });
    const mine = rows.find((r) => r.id === first.application.id);
    assert.ok(mine, 'the portal application is in the district queue');
    assert.ok(
      rows.findIndex((r) => r.priority) <= rows.findIndex((r) => !r.priority) ||
        !rows.some((r) => !r.priority),
      'priority cases come first',
    );
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          submitComplete(
            trx,
            resident,
            { ...submission, documents: [], idempotencyKey: 'portal-key-0002' },
            ctx,
          ),
        ),
      (e: AppError) => e.code === 'application_incomplete',
    );
  });
});
