// Campaigns in the service layer, on a small seeded region: each filter selects exactly the residents
// the seed rows say (computed here from the rows themselves), district heads stay in their districts,
// an empty group or a past time is refused with nothing saved, scheduling freezes the group and
// enqueues the launch at its time, launching twice queues once, unsubscribed residents are skipped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { deliveryStats, optOutOfCampaigns } from '../notifications/notifications.service.ts';
import { acceptProposal } from '../proactive/proactive.service.ts';
import { createSweep, runSweep } from '../proactive/sweep.service.ts';
import { createAssignment, endAssignment } from '../registry/assignments.service.ts';
import { matchingPersonIds } from '../registry/registry.service.ts';
import { importRules } from '../rules/rules.service.ts';
import type { CampaignFilter } from './campaigns.schema.ts';
import * as svc from './campaigns.service.ts';
import { campaignsTasks } from './campaigns.tasks.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 400);
await importRules(db);
const TODAY = regionToday();
const IP = '127.0.0.1';

const analystId = await staffUser(db, 'analyst', 'ministry_analyst');
const headId = await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']);
const [VOLGOGRAD, VOLZHSKY] = await districtIdsByCodes(db, ['volgograd', 'volzhsky']);
const staff = (userId: number, role: StaffActor['role'], districtIds: number[]): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName: 'Test',
  role,
  districtIds,
  sessionId: 't',
});
const analyst = staff(analystId, 'ministry_analyst', []);
const head = staff(headId, 'district_head', [VOLGOGRAD!]);

const [EDV] = await measureRefs(db, { codes: ['VETERAN-EDV'] });

// ---------------------------------------------------------------- expectations from the seed rows

const persons = await db
  .selectFrom('persons')
  .select(['id', 'birth_date', 'district_id', 'categories'])
  .execute();
/** Full years on a day, as the registry counts them (a 29 February birthday comes on 1 March). */
const ageOn = (birth: string, day: string) =>
  Math.floor((Number(day.replaceAll('-', '')) - Number(birth.replaceAll('-', ''))) / 10000);
const expected = (keep: (p: (typeof persons)[number]) => boolean) =>
  persons
    .filter(keep)
    .map((p) => p.id)
    .sort((a, b) => a - b);

const filter = (f: Partial<CampaignFilter>): CampaignFilter => ({
  districts: [],
  ageMin: null,
  ageMax: null,
  categories: [],
  measure: null,
  relation: 'any',
  asOf: TODAY,
  ...f,
});

async function groupIds(actor: StaffActor, f: CampaignFilter): Promise<number[]> {
  const group = await svc.resolveGroup(db, actor, f);
  const rows = await matchingPersonIds(db, group.person).execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const message = {
  title: 'Test campaign',
  subjectRu: 'Новая мера',
  bodyRu: 'Подайте заявление на портале.',
  subjectEn: '',
  bodyEn: '',
};

let keys = 0;
const schedule = (actor: StaffActor, f: CampaignFilter, at: Date | null = null) =>
  db
    .transaction()
    .execute((trx) =>
      svc.scheduleCampaign(trx, actor, { filter: f, message, at, key: `test-key-${++keys}` }, IP),
    );

const recipientsOf = async (campaignId: number) =>
  (
    await db
      .selectFrom('campaign_recipients')
      .select('person_id')
      .where('campaign_id', '=', campaignId)
      .orderBy('person_id')
      .execute()
  ).map((r) => r.person_id);

const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as never;
const tasks = campaignsTasks(db);
const launch = (campaignId: number) => tasks['campaigns:launch']!({ campaignId }, helpers);

describe('target groups', () => {
  test('districts, ages and categories select exactly the residents the registry rows say', async () => {
    const f = filter({
      districts: ['volgograd', 'volzhsky'],
      ageMin: 60,
      categories: ['pensioner', 'disabled'],
    });
    const want = expected(
      (p) =>
        [VOLGOGRAD, VOLZHSKY].includes(p.district_id) &&
        ageOn(p.birth_date, TODAY) >= 60 &&
        p.categories.some((c) => c === 'pensioner' || c === 'disabled'),
    );
    assert.ok(want.length > 5, 'the seed has older pensioners in the two districts');
    assert.deepEqual(await groupIds(analyst, f), want);
    assert.equal((await svc.countGroup(db, analyst, f)).count, want.length);

    const adults = filter({ ageMin: 30, ageMax: 45 });
    const wantAdults = expected((p) => ageOn(p.birth_date, TODAY) >= 30 && ageOn(p.birth_date, TODAY) <= 45);
    assert.ok(wantAdults.length > 0);
    assert.deepEqual(await groupIds(analyst, adults), wantAdults);
  });

  test('ages are counted to the day: 60 today is in "from 60", 60 tomorrow is not', async () => {
    const [a, b] = persons.filter((p) => p.district_id === VOLZHSKY && ageOn(p.birth_date, TODAY) < 50);
    const sixtyToday = `${Number(TODAY.slice(0, 4)) - 60}${TODAY.slice(4)}`.replace(/-02-29$/, '-02-28');
    const next = new Date(`${sixtyToday}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    await db.updateTable('persons').set({ birth_date: sixtyToday }).where('id', '=', a!.id).execute();
    await db
      .updateTable('persons')
      .set({ birth_date: next.toISOString().slice(0, 10) })
      .where('id', '=', b!.id)
      .execute();
    const ids = await groupIds(analyst, filter({ districts: ['volzhsky'], ageMin: 60 }));
    assert.ok(ids.includes(a!.id), 'turns 60 today');
    assert.ok(!ids.includes(b!.id), 'turns 60 tomorrow');
    const upTo59 = await groupIds(analyst, filter({ districts: ['volzhsky'], ageMax: 59 }));
    assert.ok(!upTo59.includes(a!.id));
    assert.ok(upTo59.includes(b!.id));
  });

  test('receiving a measure or not: only active assignments count', async () => {
    const [p1, p2, p3] = persons.filter(
      (p) => p.district_id === VOLGOGRAD && p.categories.includes('labour_veteran'),
    );
    const ids = await db.transaction().execute(async (trx) => {
      const made: number[] = [];
      for (const p of [p1!, p2!, p3!])
        made.push(
          await createAssignment(trx, {
            personId: p.id,
            measureId: EDV!.id,
            basis: 'application',
            amount: 900,
            startDate: '2024-01-01',
            ruleVersionId: null,
            parameters: {},
            actorId: null,
          }),
        );
      await endAssignment(trx, made[2]!, { date: '2024-12-31', reason: 'test', actorId: null });
      return made;
    });
    assert.equal(ids.length, 3);
    const receives = await groupIds(analyst, filter({ measure: 'VETERAN-EDV', relation: 'receives' }));
    assert.deepEqual(
      receives,
      [p1!.id, p2!.id].sort((a, b) => a - b),
    );
    const notReceiving = await groupIds(
      analyst,
      filter({ districts: ['volgograd'], measure: 'VETERAN-EDV', relation: 'not_receives' }),
    );
    assert.deepEqual(
      notReceiving,
      expected((p) => p.district_id === VOLGOGRAD && p.id !== p1!.id && p.id !== p2!.id),
    );
    // "Any" names the measure for the response figures only.
    const any = await svc.resolveGroup(
      db,
      analyst,
      filter({ districts: ['volgograd'], measure: 'VETERAN-EDV' }),
    );
    assert.equal(any.measureId, EDV!.id);
    assert.equal(
      (await svc.countGroup(db, analyst, filter({ districts: ['volgograd'], measure: 'VETERAN-EDV' }))).count,
      expected((p) => p.district_id === VOLGOGRAD).length,
    );
  });

  test('"eligible but not receiving" rests on the latest sweep, and is refused before any', async () => {
    const f = filter({ measure: 'VETERAN-EDV', relation: 'eligible' });
    await assert.rejects(svc.countGroup(db, analyst, f), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.fields.relation, 'campaigns.error.noSweep');
      return true;
    });
    const sweepId = await db
      .transaction()
      .execute((trx) =>
        createSweep(trx, { measureCode: 'VETERAN-EDV', asOf: TODAY, autoAssign: false, actorId: analystId }),
      );
    await runSweep(db, sweepId);
    const proposals = await db
      .selectFrom('proposals')
      .select(['id', 'person_id'])
      .where('sweep_id', '=', sweepId)
      .where('status', '=', 'open')
      .orderBy('person_id')
      .execute();
    assert.ok(proposals.length > 3, 'the sweep found eligible labour veterans without the payment');
    const specialist = staff(analystId, 'administrator', []);
    await db.transaction().execute((trx) => acceptProposal(trx, specialist, proposals[0]!.id, IP));
    const group = await groupIds(analyst, f);
    assert.deepEqual(
      group,
      proposals.slice(1).map((p) => p.person_id),
    );
    const counted = await svc.countGroup(db, analyst, f);
    assert.equal(counted.sweep?.id, sweepId);
    // Combined with a district: the sweep's residents of that district only.
    const inVolgograd = await groupIds(analyst, { ...f, districts: ['volgograd'] });
    const districtOf = new Map(persons.map((p) => [p.id, p.district_id]));
    assert.deepEqual(
      inVolgograd,
      proposals
        .slice(1)
        .map((p) => p.person_id)
        .filter((id) => districtOf.get(id) === VOLGOGRAD),
    );
  });

  test('a district head draws only from their own districts', async () => {
    const choices = await svc.filterChoices(db, head);
    assert.deepEqual(
      choices.districts.map((d) => d.code),
      ['volgograd'],
    );
    const refused = svc.parseFilter(
      choices,
      { districts: ['volzhsky'], ageMin: '', ageMax: '', categories: [], measure: '', relation: 'any' },
      TODAY,
    );
    assert.deepEqual('errors' in refused && refused.errors, { districts: 'campaigns.error.district' });
    await assert.rejects(svc.resolveGroup(db, head, filter({ districts: ['volzhsky'] })), ValidationError);
    assert.deepEqual(
      await groupIds(head, filter({})),
      expected((p) => p.district_id === VOLGOGRAD),
    );
  });

  test('the filter form refuses nonsense with a message per field', () => {
    const choices = { districts: [], categories: [], measures: [] };
    const parsed = svc.parseFilter(
      choices,
      {
        districts: ['nowhere'],
        ageMin: '70',
        ageMax: '60',
        categories: ['x'],
        measure: '',
        relation: 'eligible',
      },
      TODAY,
    );
    assert.deepEqual('errors' in parsed && parsed.errors, {
      districts: 'campaigns.error.district',
      age_max: 'campaigns.error.ageOrder',
      categories: 'campaigns.error.category',
      measure: 'campaigns.error.measureNeeded',
    });
    const ages = svc.parseFilter(
      choices,
      { districts: [], ageMin: '-1', ageMax: '121', categories: [], measure: '', relation: '' },
      TODAY,
    );
    assert.deepEqual('errors' in ages && ages.errors, {
      age_min: 'campaigns.error.ageMin',
      age_max: 'campaigns.error.ageMax',
    });
  });
});

describe('scheduling', () => {
  test('an empty group is refused and nothing is saved', async () => {
    const before = await db
      .selectFrom('campaigns')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(schedule(analyst, filter({ ageMin: 120 })), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.fields, { group: 'campaigns.error.emptyGroup' });
      return true;
    });
    const after = await db
      .selectFrom('campaigns')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  test('a time in the past is refused; times are read as Volgograd time', async () => {
    const now = new Date('2026-03-10T12:00:30Z'); // 15:00:30 in Volgograd
    assert.deepEqual(svc.parseSchedule({ when: 'later', date: '2026-03-10', time: '14:59' }, now), {
      errors: { date: 'campaigns.error.schedulePast' },
    });
    assert.deepEqual(svc.parseSchedule({ when: 'later', date: '2026-03-10', time: '15:00' }, now), {
      at: new Date('2026-03-10T12:00:00Z'),
    });
    assert.deepEqual(svc.parseSchedule({ when: 'later', date: '2026-03-11', time: '9:30' }, now), {
      at: new Date('2026-03-11T06:30:00Z'),
    });
    assert.deepEqual(svc.parseSchedule({ when: 'later', date: '2026-02-30', time: '25:00' }, now), {
      errors: { date: 'campaigns.error.date', time: 'campaigns.error.time' },
    });
    assert.deepEqual(svc.parseSchedule({ when: 'later', date: '2027-06-01', time: '10:00' }, now), {
      errors: { date: 'campaigns.error.scheduleFar' },
    });
    assert.deepEqual(svc.parseSchedule({ when: '', date: '', time: '' }, now), {
      errors: { when: 'campaigns.error.when' },
    });
    await assert.rejects(schedule(analyst, filter({}), new Date(Date.now() - 3600_000)), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.fields, { date: 'campaigns.error.schedulePast' });
      return true;
    });
  });

  test('scheduling freezes the group and enqueues the launch at the scheduled time', async () => {
    const at = new Date(Date.now() + 24 * 3600_000);
    at.setUTCSeconds(0, 0);
    const f = filter({ districts: ['volgograd'], categories: ['pensioner'] });
    const want = expected((p) => p.district_id === VOLGOGRAD && p.categories.includes('pensioner'));
    const id = await schedule(analyst, f, at);
    const campaign = await svc.campaignForStaff(db, analyst, id);
    assert.equal(campaign.status, 'scheduled');
    assert.equal(campaign.recipients, want.length);
    assert.equal(campaign.scheduled_at.getTime(), at.getTime());
    assert.equal(campaign.subject_en, message.subjectRu, 'English left empty: the Russian text');
    assert.deepEqual(await recipientsOf(id), want);
    const { rows: jobs } = await sql<{ payload: { campaignId: number }; run_at: Date }>`
      select j.payload, j.run_at from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
       where t.identifier = 'campaigns:launch'`.execute(db);
    const job = jobs.find((j) => j.payload.campaignId === id);
    assert.ok(job, 'the launch job is queued');
    assert.equal(new Date(job.run_at).getTime(), at.getTime());
    // The group is frozen: a pensioner added afterwards is not in it.
    const newcomer = persons.find((p) => p.district_id === VOLGOGRAD && !p.categories.includes('pensioner'))!;
    await db
      .updateTable('persons')
      .set({ categories: sql`array_append(categories, 'pensioner')` })
      .where('id', '=', newcomer.id)
      .execute();
    assert.deepEqual(await recipientsOf(id), want);
    assert.equal((await svc.countGroup(db, analyst, f)).count, want.length + 1);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('subject_kind', '=', 'campaign')
      .where('subject_id', '=', String(id))
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id]),
      [['campaign.created', String(analystId)]],
    );
    // The same form sent twice schedules once.
    const again = await db
      .transaction()
      .execute((trx) =>
        svc.scheduleCampaign(trx, analyst, { filter: f, message, at, key: `test-key-${keys}` }, IP),
      );
    assert.equal(again, id);
  });

  test('launching twice queues once; unsubscribed residents are skipped and counted', async () => {
    const f = filter({ districts: ['volzhsky'], ageMin: 18 });
    const id = await schedule(analyst, f);
    const group = await recipientsOf(id);
    assert.ok(group.length > 3);
    await optOutOfCampaigns(db, group[0]!);
    await launch(id);
    await launch(id);
    const campaign = await svc.campaignForStaff(db, analyst, id);
    assert.equal(campaign.status, 'running');
    assert.ok(campaign.launched_at);
    assert.equal(campaign.queued, group.length - 1);
    const stats = await deliveryStats(db, { campaignId: id });
    const by = (status: string) =>
      stats.filter((s) => s.status === status).reduce((n, s) => n + Number(s.count), 0);
    assert.equal(by('queued'), group.length - 1);
    assert.equal(by('skipped'), 1);
    assert.equal(
      stats.reduce((n, s) => n + Number(s.count), 0),
      group.length,
      'one message per recipient, however often the launch ran',
    );
    const launched = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'campaign')
      .where('subject_id', '=', String(id))
      .where('action', '=', 'campaign.launched')
      .execute();
    assert.equal(launched.length, 1);
    // Still queued: not done yet.
    assert.equal(await svc.finishDelivered(db), 0);
  });

  test('a scheduled campaign can be cancelled, and then never launches', async () => {
    const id = await schedule(analyst, filter({ districts: ['volgograd'] }), new Date(Date.now() + 3600_000));
    await db.transaction().execute((trx) => svc.cancelCampaign(trx, analyst, id, IP));
    await launch(id);
    const c = await svc.campaignForStaff(db, analyst, id);
    assert.equal(c.status, 'cancelled');
    assert.equal((await deliveryStats(db, { campaignId: id })).length, 0);
    await assert.rejects(
      db.transaction().execute((trx) => svc.cancelCampaign(trx, analyst, id, IP)),
      (e: unknown) => e instanceof AppError && e.code === 'campaign_not_scheduled',
    );
  });

  test('district heads see only campaigns drawn from their districts', async () => {
    const own = await schedule(head, filter({}), new Date(Date.now() + 3600_000));
    const ownCampaign = await svc.campaignForStaff(db, head, own);
    assert.deepEqual(ownCampaign.district_ids, [VOLGOGRAD]);
    const regionWide = await schedule(analyst, filter({ ageMin: 18 }), new Date(Date.now() + 3600_000));
    await assert.rejects(
      svc.campaignForStaff(db, head, regionWide),
      (e: unknown) => e instanceof AppError && e.status === 404,
    );
    const listed = (await svc.campaignsForStaff(db, head)).map((c) => c.id);
    assert.ok(listed.includes(own));
    assert.ok(!listed.includes(regionWide));
    assert.ok((await svc.campaignsForStaff(db, analyst)).some((c) => c.id === own));
  });
});

describe('SMS length', () => {
  test('160 Latin or 70 Cyrillic characters fit one SMS; longer texts go in parts of 153 or 67', () => {
    assert.deepEqual(svc.smsLength('a'.repeat(160)), {
      encoding: 'gsm7',
      length: 160,
      segments: 1,
      perSegment: 160,
    });
    assert.deepEqual(svc.smsLength('a'.repeat(161)), {
      encoding: 'gsm7',
      length: 161,
      segments: 2,
      perSegment: 153,
    });
    assert.equal(svc.smsLength('€'.repeat(80)).segments, 1, 'an extension character takes two places');
    assert.equal(svc.smsLength('€'.repeat(81)).segments, 2);
    assert.deepEqual(svc.smsLength('я'.repeat(70)), {
      encoding: 'ucs2',
      length: 70,
      segments: 1,
      perSegment: 70,
    });
    assert.deepEqual(svc.smsLength('я'.repeat(71)), {
      encoding: 'ucs2',
      length: 71,
      segments: 2,
      perSegment: 67,
    });
    assert.equal(svc.smsLength(`${'a'.repeat(133)}я`).segments, 2, 'one Cyrillic letter makes it UCS-2');
    assert.equal(svc.smsLength(`${'a'.repeat(134)}я`).segments, 3);
  });
});
