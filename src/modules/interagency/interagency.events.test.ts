// Agency events applied to the registry: births, deaths and disability decisions, their proactive
// offers, idempotency by event id, and refusals that change nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { regionToday } from '../../platform/time.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { acceptProposal, listProposals } from '../proactive/proactive.service.ts';
import { createSweep, runSweep } from '../proactive/sweep.service.ts';
import { createAssignment, suspendAssignment } from '../registry/assignments.service.ts';
import { changeHistory } from '../registry/history.service.ts';
import { createPerson } from '../registry/registry.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { importRules } from '../rules/rules.service.ts';
import { applyAgencyEvent } from './interagency.events.ts';
import type { AgencyEvent, BirthEvent } from './interagency.events.types.ts';

const database = await testDatabase();
await seedSmallRegion(database, 400);
const { db } = database;
await importRules(db);
const TODAY = regionToday();

const apply = (event: AgencyEvent) => db.transaction().execute((trx) => applyAgencyEvent(trx, event));

let snilsSeq = 900_000_000;
/** A checksum-valid SNILS that nobody in the registry has. */
async function freshSnils(): Promise<string> {
  for (;;) {
    const nine = String(snilsSeq++);
    const snils = nine + snilsChecksum(nine);
    const taken = await db.selectFrom('persons').select('id').where('snils', '=', snils).executeTakeFirst();
    if (!taken) return snils;
  }
}

const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
const person = (id: number) =>
  db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const membership = (personId: number) =>
  db.selectFrom('household_members').selectAll().where('person_id', '=', personId).executeTakeFirst();
const openProposalsOf = (personIds: number[]) =>
  db
    .selectFrom('proposals')
    .innerJoin('measures', 'measures.id', 'proposals.measure_id')
    .select(['proposals.id', 'proposals.person_id', 'measures.code', 'proposals.sweep_id'])
    .where('proposals.person_id', 'in', personIds)
    .where('proposals.status', '=', 'open')
    .orderBy('proposals.id')
    .execute();
const auditReasons = async (eventId: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind'])
      .where(sql<boolean>`details ->> 'reason' = ${eventId}`)
      .execute()
  ).map((r) => `${r.actor_kind}:${r.action}`);

/** Row counts of everything an event may write, to show that a refused one wrote nothing. */
async function snapshot() {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from persons)::int as persons,
           (select count(*) from persons where died_on is not null)::int as deceased,
           (select count(*) from households)::int as households,
           (select count(*) from household_members)::int as members,
           (select count(*) from proposals)::int as proposals,
           (select count(*) from proposals where status = 'open')::int as open_proposals,
           (select count(*) from assignments where status = 'ended')::int as ended,
           (select count(*) from assignment_events)::int as assignment_events,
           (select count(*) from registry_history)::int as history,
           (select count(*) from audit_log)::int as audit,
           (select count(*) from inbox_messages)::int as inbox,
           (select count(*) from applied_agency_events)::int as events,
           (select coalesce(sum(coalesce(disability_group, 0)), 0))::int as groups
      from persons limit 1`.execute(db);
  return rows[0]!;
}

/** A woman of 20–40 who is the spouse in a household with no child under two and no birth measures. */
async function aMother() {
  const { rows } = await sql<{ id: number; snils: string; household_id: number; head: number }>`
    select p.id, p.snils, m.household_id,
           (select h.person_id from household_members h where h.household_id = m.household_id
             and h.relationship = 'head') as head
      from persons p join household_members m on m.person_id = p.id
     where p.sex = 'F' and m.relationship = 'spouse'
       and p.birth_date between (current_date - interval '40 years') and (current_date - interval '20 years')
       and not exists (select 1 from household_members c join persons cp on cp.id = c.person_id
                        where c.household_id = m.household_id and c.relationship = 'child'
                          and cp.birth_date > current_date - interval '2 years')
       and not exists (select 1 from assignments a join household_members c on c.person_id = a.person_id
                        where c.household_id = m.household_id)
     order by p.id limit 1`.execute(db);
  assert.ok(rows[0], 'the seed has a young married woman');
  return rows[0];
}

async function birthOf(
  motherSnils: string,
  fatherSnils: string | null,
  eventId: string,
): Promise<BirthEvent> {
  return {
    kind: 'birth',
    eventId,
    registeredOn: TODAY,
    child: {
      snils: await freshSnils(),
      lastName: 'Иванова',
      firstName: 'Алиса',
      patronymic: 'Петровна',
      birthDate: TODAY,
      sex: 'F',
    },
    motherSnils,
    fatherSnils,
  };
}

describe('a birth', async () => {
  const mother = await aMother();
  const father = await person(mother.head);
  const event = await birthOf(mother.snils, father.snils, 'zags-birth-1');

  test('adds the child to the mother’s household and proposes the birth allowance to the family', async () => {
    const result = await apply(event);
    assert.equal(result.applied, true);
    const child = await db
      .selectFrom('persons')
      .selectAll()
      .where('snils', '=', event.child.snils)
      .executeTakeFirstOrThrow();
    const mum = await person(mother.id);
    assert.deepEqual(
      [child.first_name, child.birth_date, child.sex, child.district_id, child.settlement_id, child.address],
      ['Алиса', TODAY, 'F', mum.district_id, mum.settlement_id, mum.address],
    );
    const home = await membership(child.id);
    assert.deepEqual([home?.household_id, home?.relationship], [mother.household_id, 'child']);
    assert.match(
      result.summary,
      new RegExp(`^birth: child ${child.id} added to household ${mother.household_id}; `),
    );

    // The family is offered the birth allowance once: the mother, not the father as well.
    const proposals = await openProposalsOf([mother.id, father.id, child.id]);
    const allowance = proposals.filter((p) => p.code === 'BIRTH-ALLOWANCE');
    assert.deepEqual(
      allowance.map((p) => [p.person_id, p.sweep_id]),
      [[mother.id, null]],
    );
    assert.match(result.summary, /BIRTH-ALLOWANCE/);
    const inbox = await db
      .selectFrom('inbox_messages')
      .select('body_en')
      .where('person_id', '=', mother.id)
      .execute();
    assert.ok(
      inbox.some((m) => m.body_en.includes('birth')),
      'the mother is told in her inbox',
    );
    assert.ok((await auditReasons(event.eventId)).includes('system:person.created'));
    assert.ok((await auditReasons(event.eventId)).includes('system:proposal.created'));
  });

  test('the proposal is on the staff list and can be accepted like a sweep’s', async () => {
    const mum = await person(mother.id);
    const district = await db
      .selectFrom('districts')
      .select('code')
      .where('id', '=', mum.district_id)
      .executeTakeFirstOrThrow();
    const specId = await staffUser(db, 'spec.birth', 'specialist', [district.code]);
    const specialist: StaffActor = {
      kind: 'staff',
      userId: specId,
      login: 'spec.birth',
      fullName: 'Test',
      role: 'specialist',
      districtIds: [mum.district_id],
      sessionId: 't',
    };
    const listed = await db.transaction().execute((trx) => listProposals(trx, specialist, '127.0.0.1', 1));
    const offer = listed.proposals.find(
      (p) => p.personId === mother.id && p.measure.code === 'BIRTH-ALLOWANCE',
    );
    assert.ok(offer, 'the specialist of the district sees the proposal');
    assert.ok(offer.explanation.eligible);
    const assignmentId = await db
      .transaction()
      .execute((trx) => acceptProposal(trx, specialist, offer.id, '127.0.0.1'));
    const assignment = await db
      .selectFrom('assignments')
      .selectAll()
      .where('id', '=', assignmentId)
      .executeTakeFirstOrThrow();
    assert.equal(assignment.measure_id, await measureId('BIRTH-ALLOWANCE'));
    assert.equal(assignment.person_id, mother.id);
  });

  test('applied again, the same event changes nothing', async () => {
    const before = await snapshot();
    const again = await apply(event);
    assert.equal(again.applied, false);
    assert.match(again.summary, /already applied/);
    assert.deepEqual(await snapshot(), before);
  });

  test('a second birth in the family proposes nothing the family already has or was offered', async () => {
    const twin = await birthOf(mother.snils, father.snils, 'zags-birth-2');
    const result = await apply(twin);
    assert.equal(result.applied, true);
    const allowance = (await openProposalsOf([mother.id, father.id])).filter(
      (p) => p.code === 'BIRTH-ALLOWANCE',
    );
    assert.deepEqual(allowance, [], 'the mother receives it now; the father is not offered it too');
    assert.doesNotMatch(result.summary, /BIRTH-ALLOWANCE/);
  });

  test('a mother with no household gets one, headed by her', async () => {
    const snils = await freshSnils();
    const mum = await person(mother.id);
    const loneId = await createPerson(db, {
      snils,
      last_name: 'Одинокова',
      first_name: 'Мария',
      patronymic: null,
      birth_date: '1995-05-05',
      sex: 'F',
      district_id: mum.district_id,
      address: 'ул. Тестовая, 1',
    });
    const result = await apply(await birthOf(snils, null, 'zags-birth-3'));
    const home = await membership(loneId);
    assert.equal(home?.relationship, 'head');
    assert.match(result.summary, new RegExp(`added to household ${home?.household_id} \\(new\\)`));
    const proposals = await openProposalsOf([loneId]);
    assert.ok(proposals.some((p) => p.code === 'BIRTH-ALLOWANCE'));
  });
});

describe('a death', async () => {
  // A pensioner: eligible for the social travel card, which we assign and the death must end.
  const { rows } = await sql<{ id: number; snils: string; household_id: number | null }>`
    select p.id, p.snils, m.household_id from persons p
      left join household_members m on m.person_id = p.id
     where 'pensioner' = any(p.categories) and p.died_on is null
       and not exists (select 1 from assignments a where a.person_id = p.id)
     order by p.id limit 1`.execute(db);
  const deceased = rows[0]!;
  const travel = await measureId('SOCIAL-TRAVEL-CARD');
  const taxi = await measureId('SOCIAL-TAXI');
  const assign = (measure: number) =>
    db.transaction().execute((trx) =>
      createAssignment(trx, {
        personId: deceased.id,
        measureId: measure,
        basis: 'application',
        amount: 500,
        startDate: '2024-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: null,
      }),
    );
  const travelId = await assign(travel);
  const taxiId = await assign(taxi);
  await db
    .transaction()
    .execute((trx) =>
      suspendAssignment(trx, taxiId, { date: '2025-01-01', reason: 'in hospital', actorId: null }),
    );
  const diedOn = '2025-06-15';
  const event: AgencyEvent = {
    kind: 'death',
    eventId: 'zags-death-1',
    registeredOn: '2025-06-16',
    snils: deceased.snils,
    diedOn,
  };

  test('dates the death, ends every live assignment on that day and leaves the household', async () => {
    const result = await apply(event);
    assert.equal(result.applied, true);
    assert.equal((await person(deceased.id)).died_on, diedOn);
    const ended = await db
      .selectFrom('assignments')
      .select(['id', 'status', 'end_date'])
      .where('person_id', '=', deceased.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(ended, [
      { id: travelId, status: 'ended', end_date: diedOn },
      { id: taxiId, status: 'ended', end_date: diedOn },
    ]);
    const events = await db
      .selectFrom('assignment_events')
      .select('details')
      .where('assignment_id', '=', travelId)
      .where('kind', '=', 'ended')
      .execute();
    assert.match(String(events[0]?.details.reason), /zags-death-1/);
    assert.equal(await membership(deceased.id), undefined);
    assert.match(
      result.summary,
      new RegExp(`^death: person ${deceased.id} died on ${diedOn}; 2 assignments ended`),
    );
    // The registry's history shows the change as for any other update.
    const history = await changeHistory(db, deceased.id);
    assert.ok(
      history.some(
        (h) => h.table === 'persons' && h.changes.some((c) => c.field === 'died_on' && c.to === diedOn),
      ),
    );
    assert.ok((await auditReasons('zags-death-1')).includes('system:person.died'));
  });

  test('the deceased is not proposed by a sweep, while the living still are', async () => {
    const sweepId = await db.transaction().execute((trx) =>
      createSweep(trx, {
        measureCode: 'SOCIAL-TRAVEL-CARD',
        asOf: TODAY,
        autoAssign: false,
        actorId: null,
      }),
    );
    const figures = await runSweep(db, sweepId);
    assert.ok(figures.proposalsCreated > 0, 'other pensioners are proposed');
    assert.equal(figures.processed, figures.total);
    assert.deepEqual(await openProposalsOf([deceased.id]), []);
  });

  test('nor after a later disability decision', async () => {
    const result = await apply({
      kind: 'disability',
      eventId: 'sfr-late-1',
      registeredOn: TODAY,
      snils: deceased.snils,
      group: 1,
      establishedOn: '2025-06-01',
    });
    assert.match(result.summary, /0 proposals/);
    assert.deepEqual(await openProposalsOf([deceased.id]), []);
  });

  test('applied again, changes nothing', async () => {
    const before = await snapshot();
    assert.equal((await apply(event)).applied, false);
    assert.deepEqual(await snapshot(), before);
  });
});

describe('a disability decision', async () => {
  const { rows } = await sql<{ id: number; snils: string }>`
    select p.id, p.snils from persons p
     where p.disability_group is null and not ('disabled' = any(p.categories)) and p.died_on is null
       and p.birth_date between (current_date - interval '50 years') and (current_date - interval '30 years')
       and not exists (select 1 from assignments a where a.person_id = p.id)
       and not exists (select 1 from proposals x where x.person_id = p.id)
     order by p.id limit 1`.execute(db);
  const resident = rows[0]!;

  test('sets the group and the category, keeps the history, and proposes the disability measures', async () => {
    const result = await apply({
      kind: 'disability',
      eventId: 'sfr-dis-1',
      registeredOn: TODAY,
      snils: resident.snils,
      group: 2,
      establishedOn: TODAY,
    });
    assert.equal(result.applied, true);
    const now = await person(resident.id);
    assert.equal(now.disability_group, 2);
    assert.ok(now.categories.includes('disabled'));
    const history = await changeHistory(db, resident.id);
    assert.ok(
      history.some((h) =>
        h.changes.some((c) => c.field === 'disability_group' && c.from === null && c.to === 2),
      ),
    );
    const codes = (await openProposalsOf([resident.id])).map((p) => p.code);
    assert.ok(codes.includes('DISABLED-TSR'), `proposed: ${codes.join(', ')}`);
    assert.ok(codes.includes('SOCIAL-TAXI'), 'group 2 qualifies for the social taxi');
    assert.match(
      result.summary,
      new RegExp(`^disability: person ${resident.id} group 2 \\(was none\\); \\d+ proposals? \\(`),
    );
    assert.ok((await auditReasons('sfr-dis-1')).includes('system:person.disability_changed'));
  });

  test('a later decision with the same group proposes nothing twice', async () => {
    const before = (await openProposalsOf([resident.id])).length;
    const result = await apply({
      kind: 'disability',
      eventId: 'sfr-dis-2',
      registeredOn: TODAY,
      snils: resident.snils,
      group: 2,
      establishedOn: TODAY,
    });
    assert.match(result.summary, /group 2 unchanged; 0 proposals/);
    assert.equal((await openProposalsOf([resident.id])).length, before);
  });

  test('group none: the disability is no longer established', async () => {
    await apply({
      kind: 'disability',
      eventId: 'sfr-dis-3',
      registeredOn: TODAY,
      snils: resident.snils,
      group: null,
      establishedOn: TODAY,
    });
    const now = await person(resident.id);
    assert.equal(now.disability_group, null);
    assert.ok(!now.categories.includes('disabled'));
  });
});

describe('an unknown SNILS is refused and changes nothing, even when the caller commits', async () => {
  const mother = await aMother();
  const unknown = await freshSnils();
  const cases: [string, () => Promise<AgencyEvent>][] = [
    ['birth, unknown mother', async () => birthOf(unknown, null, 'bad-birth-1')],
    ['birth, unknown father', async () => birthOf(mother.snils, unknown, 'bad-birth-2')],
    [
      'death',
      async () => ({
        kind: 'death',
        eventId: 'bad-death',
        registeredOn: TODAY,
        snils: unknown,
        diedOn: TODAY,
      }),
    ],
    [
      'disability',
      async () => ({
        kind: 'disability',
        eventId: 'bad-dis',
        registeredOn: TODAY,
        snils: unknown,
        group: 1,
        establishedOn: TODAY,
      }),
    ],
  ];
  for (const [name, make] of cases)
    test(name, async () => {
      const event = await make();
      const before = await snapshot();
      await db.transaction().execute(async (trx) => {
        await assert.rejects(applyAgencyEvent(trx, event), (e: { code?: string; message: string }) => {
          assert.equal(e.code, 'unknown_snils');
          assert.ok(e.message.includes(unknown));
          return true;
        });
      });
      assert.deepEqual(await snapshot(), before);
      // Not recorded as applied: once the person is registered, the agency's retry goes through.
      const recorded =
        await sql`select 1 from applied_agency_events where event_id = ${event.eventId}`.execute(db);
      assert.equal(recorded.rows.length, 0);
    });

  test('a SNILS that fails its checksum is its own error', async () => {
    const event = await birthOf('11223344590', null, 'bad-birth-3');
    await assert.rejects(apply(event), { code: 'invalid_snils' });
  });
});
