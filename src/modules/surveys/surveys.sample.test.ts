// Sampling on a seeded small region with assignments and applications written here: the background
// of one resident, the frame (living adult recipients of a live measure, district filter), a
// reproducible draw (same seed → same residents), a second sample leaving out those already invited,
// invitations and notifications in one transaction (a rollback leaves nothing), the HTTP flow
// preview → confirm, and the errors a designer can make.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import { ageGroupOf } from './surveys.background.ts';
import { backgroundOf, recipientFrame } from './surveys.frame.ts';
import { surveysMerge } from './surveys.merge.ts';
import * as sampling from './surveys.sample.service.ts';
import { importQuestionnaire } from './surveys.service.ts';
import { createWave } from './surveys.waves.service.ts';

const app = await startTestApp();
const { db } = app;
await seedSmallRegion(app.database, 400);
const today = regionToday();
const staff = (userId: number, role: StaffActor['role']): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName: 'Test',
  role,
  districtIds: [],
  sessionId: 't',
});
const researcher = staff(await staffUser(db, 'researcher', 'researcher'), 'researcher');
await staffUser(db, 'specialist', 'specialist', ['volgograd']);

// ---------------------------------------------------------------- the registry as sampling sees it
const persons = (
  await sql<{ id: number; birth_date: string; district_id: number }>`
    select id, birth_date::text as birth_date, district_id from persons order by id`.execute(db)
).rows;
const adults = persons.filter((p) => ageGroupOf(p.birth_date, today) !== null);
const child = persons.find((p) => ageGroupOf(p.birth_date, today) === null);
const measures = (await sql<{ id: number }>`select id from measures order by id limit 2`.execute(db)).rows;
const [m1, m2] = [measures[0]!.id, measures[1]!.id];

/** 120 adult recipients of m1, 20 of m2 only; one dead, one with an ended assignment, one child. */
const recipients = adults.slice(0, 140);
const dead = adults[140]!;
const ended = adults[141]!;
async function assign(personId: number, measureId: number, status = 'active', endDate: string | null = null) {
  await sql`insert into assignments (person_id, measure_id, status, basis, amount, start_date, end_date)
            values (${personId}, ${measureId}, ${status}, 'application', 100, '2025-01-01', ${endDate})`.execute(
    db,
  );
}
for (const [i, p] of recipients.entries()) await assign(p.id, i < 120 ? m1 : m2);
await assign(dead.id, m1);
await sql`update persons set died_on = '2025-06-01' where id = ${dead.id}`.execute(db);
await assign(ended.id, m1, 'ended', '2025-03-01');
if (child) await assign(child.id, m1);

async function apply(personId: number, channel: string, state: string, submittedAt: string) {
  const p = persons.find((x) => x.id === personId)!;
  await sql`insert into applications (person_id, district_id, measure_id, channel, state, decision_days, submitted_at, created_at)
            values (${personId}, ${p.district_id}, ${m1}, ${channel}, ${state}, 10, ${submittedAt}::timestamptz, ${submittedAt}::timestamptz)`.execute(
    db,
  );
}
// The first recipient applied on the portal, then at an MFC; a later draft by post does not count.
const applicant = recipients[0]!;
await apply(applicant.id, 'portal', 'submitted', '2025-01-10T10:00:00Z');
await apply(applicant.id, 'mfc', 'submitted', '2025-05-10T10:00:00Z');
await apply(applicant.id, 'post', 'draft', '2025-09-10T10:00:00Z');
for (const p of recipients.slice(1, 40)) await apply(p.id, 'portal', 'submitted', '2025-02-01T10:00:00Z');

// ---------------------------------------------------------------- a questionnaire and waves
const file = await xlsx(SATISFACTION);
const imported = await db.transaction().execute((trx) => importQuestionnaire(trx, researcher, file));
assert.ok(imported.ok);
const versionId = imported.versionId;
const future = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
async function wave(mode: 'linked' | 'anonymous', title = 'Волна') {
  return await db
    .transaction()
    .execute((trx) =>
      createWave(trx, researcher, { versionId, title, mode, opensOn: today, closesOn: future }),
    );
}

const input = (over: Partial<sampling.SampleInput> = {}): sampling.SampleInput => ({
  size: 30,
  strata: ['district', 'ageGroup'],
  allocation: 'proportional',
  seed: 12345,
  districtIds: [],
  ...over,
});
const drawFor = (waveId: number, i: sampling.SampleInput, baseUrl = 'https://opora.example') =>
  db.transaction().execute((trx) => sampling.drawAndInvite(trx, researcher, waveId, i, { baseUrl }));
const invitedPersons = async (waveId: number, sampleId?: number) =>
  (
    await sql<{ person_id: number }>`select person_id from survey_invitations where wave_id = ${waveId}
      ${sampleId ? sql`and sample_id = ${sampleId}` : sql``} order by person_id`.execute(db)
  ).rows.map((r) => Number(r.person_id));

describe('background of a respondent', () => {
  test('district, age group and the latest submitted application channel (drafts do not count)', async () => {
    const b = await backgroundOf(db, applicant.id, today);
    assert.deepEqual(b, {
      district: String(applicant.district_id),
      ageGroup: ageGroupOf(applicant.birth_date, today)!,
      channel: 'mfc',
    });
  });

  test("'none' for a resident who never applied; no age group under 18", async () => {
    const never = recipients[100]!;
    assert.equal((await backgroundOf(db, never.id, today)).channel, 'none');
    if (child) assert.equal((await backgroundOf(db, child.id, today)).ageGroup, undefined);
  });
});

describe('the recipients frame', () => {
  test('living adult recipients of a live measure, each once, with background strata', async () => {
    const frame = await recipientFrame(db, { onDate: today });
    const ids = frame.map((c) => Number(c.id)).sort((a, b) => a - b);
    assert.deepEqual(
      ids,
      recipients.map((p) => p.id).sort((a, b) => a - b),
    );
    const first = frame.find((c) => Number(c.id) === applicant.id)!;
    assert.equal(first.strata.channel, 'mfc');
    assert.equal(first.strata.district, String(applicant.district_id));
  });

  test('filters by district and by measure', async () => {
    const district = recipients[0]!.district_id;
    const inDistrict = await recipientFrame(db, { onDate: today, districtIds: [district] });
    assert.deepEqual(
      inDistrict.map((c) => Number(c.id)).sort((a, b) => a - b),
      recipients.filter((p) => p.district_id === district).map((p) => p.id),
    );
    const ofM2 = await recipientFrame(db, { onDate: today, measureIds: [m2] });
    assert.equal(ofM2.length, 20);
  });
});

describe('drawing a sample and inviting', () => {
  test('the preview stores nothing; the draw invites exactly the previewed allocation', async () => {
    const w = await wave('linked');
    const preview = await sampling.previewSample(db, researcher, w, input());
    assert.equal(preview.population, 140);
    assert.equal(preview.drawn, 30);
    assert.equal(
      preview.strata.reduce((a, s) => a + s.allocated, 0),
      30,
    );
    assert.deepEqual(await invitedPersons(w), []);
    const out = await drawFor(w, input());
    assert.equal(out.invited, 30);
    const drawn = (
      await sql<{ key: string; n: number }>`select strata->>'district' || '|' || (strata->>'ageGroup') as key,
        count(*)::int as n from survey_invitations where sample_id = ${out.sampleId} group by 1`.execute(db)
    ).rows;
    assert.deepEqual(
      Object.fromEntries(drawn.map((r) => [r.key, r.n])),
      Object.fromEntries(
        preview.strata.filter((s) => s.allocated > 0).map((s) => [s.key.join('|'), s.allocated]),
      ),
      'each stratum gets what the preview showed',
    );
    const rows = (
      await sql<{ strata: Record<string, string>; token_sha256: string }>`
        select strata, token_sha256 from survey_invitations where sample_id = ${out.sampleId}`.execute(db)
    ).rows;
    assert.equal(rows.length, 30);
    for (const r of rows) {
      assert.match(r.token_sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual(Object.keys(r.strata).sort(), ['ageGroup', 'channel', 'district']);
    }
    const sample = (
      await sql<{ seed: number; size: number; population: number; strata: string[] }>`
        select seed, size, population, strata from survey_samples where id = ${out.sampleId}`.execute(db)
    ).rows[0]!;
    assert.deepEqual(
      { seed: Number(sample.seed), size: sample.size, population: sample.population, strata: sample.strata },
      { seed: 12345, size: 30, population: 140, strata: ['district', 'ageGroup'] },
    );
  });

  test('equal allocation: a small stratum shows its shortfall, the others make up the size', async () => {
    const w = await wave('linked');
    const preview = await sampling.previewSample(
      db,
      researcher,
      w,
      input({ size: 60, strata: ['channel'], allocation: 'equal' }),
    );
    const by = Object.fromEntries(preview.strata.map((s) => [s.key[0], s]));
    assert.deepEqual(by.mfc, { key: ['mfc'], population: 1, allocated: 1, shortfall: 19 });
    assert.equal(by.portal?.shortfall, 0);
    assert.equal(by.none?.shortfall, 0);
    assert.equal(preview.drawn, 60);
    assert.equal(preview.shortfall, 0);
  });

  test('the same seed draws the same residents; another seed, others', async () => {
    const [a, b, c] = [await wave('linked'), await wave('linked'), await wave('linked')];
    await drawFor(a, input({ seed: 777 }));
    await drawFor(b, input({ seed: 777 }));
    await drawFor(c, input({ seed: 778 }));
    assert.deepEqual(await invitedPersons(a), await invitedPersons(b));
    assert.notDeepEqual(await invitedPersons(a), await invitedPersons(c));
  });

  test('a second sample for the wave leaves out residents already invited', async () => {
    const w = await wave('linked');
    const first = await drawFor(w, input({ size: 100 }));
    const second = await drawFor(w, input({ size: 100, seed: 1 }));
    assert.equal(first.invited, 100);
    assert.equal(second.population, 40);
    assert.equal(second.invited, 40);
    const all = await invitedPersons(w);
    assert.equal(new Set(all).size, 140);
    await assert.rejects(
      drawFor(w, input({ seed: 2 })),
      (e: ValidationError) => e.fields.size === 'surveys.sample.error.emptyFrame',
    );
  });

  test('each invited resident gets a survey_invitation notification with their own link', async () => {
    const w = await wave('linked', 'Опрос о качестве');
    const out = await drawFor(w, input({ size: 5 }), 'https://opora.example/');
    const messages = (
      await sql<{ person_id: number; params: Record<string, string | number> }>`
        select n.person_id, m.params from notifications n join notification_messages m on m.id = n.message_id
        where m.event = 'survey_invitation' and m.params->>'title' = 'Опрос о качестве'`.execute(db)
    ).rows;
    assert.equal(messages.length, 5);
    const token = (await sql<{ token: string }>`select token from survey_waves where id = ${w}`.execute(db))
      .rows[0]!.token;
    const hashes = new Set(
      (
        await sql<{
          token_sha256: string;
        }>`select token_sha256 from survey_invitations where sample_id = ${out.sampleId}`.execute(db)
      ).rows.map((r) => r.token_sha256),
    );
    for (const m of messages) {
      const link = String(m.params.link);
      const match = new RegExp(`^https://opora\\.example/s/${token}/i/([A-Za-z0-9_-]{43})$`).exec(link);
      assert.ok(match, link);
      assert.ok(
        hashes.has(createHash('sha256').update(match[1]!).digest('hex')),
        'the link redeems an invitation',
      );
      assert.equal(m.params.until, future);
    }
    const audit = (
      await sql<{
        details: { invited: number };
      }>`select details from audit_log where action = 'survey_sample.drawn'
        and subject_id = ${String(out.sampleId)}`.execute(db)
    ).rows;
    assert.equal(audit[0]?.details.invited, 5);
  });

  test('a rollback leaves no sample, invitation or notification', async () => {
    const w = await wave('linked', 'Откат');
    const before = (await sql<{ n: number }>`select count(*)::int as n from notifications`.execute(db))
      .rows[0]!.n;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sampling.drawAndInvite(trx, researcher, w, input({ size: 10 }), { baseUrl: 'https://x' });
        throw new Error('later failure');
      }),
      /later failure/,
    );
    assert.deepEqual(await invitedPersons(w), []);
    const samples = (
      await sql<{ n: number }>`select count(*)::int as n from survey_samples where wave_id = ${w}`.execute(db)
    ).rows[0]!.n;
    assert.equal(samples, 0);
    const after = (await sql<{ n: number }>`select count(*)::int as n from notifications`.execute(db))
      .rows[0]!.n;
    assert.equal(after, before);
  });

  test('refuses anonymous and closed waves, and a designer-only action for others', async () => {
    const anon = await wave('anonymous');
    await assert.rejects(
      sampling.previewSample(db, researcher, anon, input()),
      (e: ValidationError) => e.fields.wave === 'surveys.sample.error.anonymousWave',
    );
    const linked = await wave('linked');
    await assert.rejects(
      sampling.previewSample(db, researcher, linked, input(), {
        today: `${Number(future.slice(0, 4)) + 1}-01-01`,
      }),
      (e: ValidationError) => e.fields.wave === 'surveys.sample.error.closedWave',
    );
    await assert.rejects(
      sampling.previewSample(db, staff(researcher.userId, 'specialist'), linked, input()),
      {
        code: 'forbidden',
      },
    );
  });

  test('form errors: size 0, no strata, unknown district, bad seed', async () => {
    await assert.rejects(
      sampling.parseSampleInput(db, {
        size: '0',
        strata: [],
        allocation: 'proportional',
        seed: 'x',
        districts: ['999999'],
      }),
      (e: ValidationError) =>
        e.fields.size === 'surveys.sample.error.size' &&
        e.fields.strata === 'surveys.sample.error.strata' &&
        e.fields.seed === 'surveys.sample.error.seed' &&
        e.fields.districts === 'surveys.sample.error.district',
    );
    const ok = await sampling.parseSampleInput(db, {
      size: '10',
      strata: ['channel', 'district'],
      allocation: 'equal',
      seed: '42',
      districts: [String(recipients[0]!.district_id)],
    });
    assert.deepEqual(ok, {
      size: 10,
      strata: ['district', 'channel'],
      allocation: 'equal',
      seed: 42,
      districtIds: [recipients[0]!.district_id],
    });
  });
});

describe('the pages: form → preview → draw and invite → invitations', () => {
  async function signIn(login: string): Promise<Client> {
    const client = new Client(app.baseUrl);
    const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
    assert.equal(response.status, 303, `sign-in of ${login}`);
    return client;
  }
  /** Posts the page's form with repeated fields (checkboxes), as a browser would. */
  async function post(client: Client, page: string, action: string, fields: [string, string][]) {
    const token = csrfToken((await client.get(page)).body);
    return await client.request('POST', action, new URLSearchParams([['_csrf', token], ...fields]));
  }
  const fields = (over: Record<string, string | string[]> = {}): [string, string][] => {
    const base: Record<string, string | string[]> = {
      size: '12',
      strata: ['district', 'channel'],
      allocation: 'equal',
      seed: '4242',
      districts: [],
      ...over,
    };
    return Object.entries(base).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
    );
  };

  test('a designer previews, confirms, and reads the counts by stratum', async () => {
    const w = await wave('linked', 'Опрос по страницам');
    const client = await signIn('researcher');
    const page = `/staff/surveys/waves/${w}/sample`;
    const form = await client.get(page);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="seed" type="text" value="\d+"/, 'a random seed is filled in');

    const preview = await post(client, page, page, fields());
    assert.equal(preview.status, 200);
    const previewText = text(preview.body);
    assert.match(previewText, /140/);
    assert.match(previewText, /не обращался/, 'channel values in words');
    assert.deepEqual(await invitedPersons(w), [], 'the preview stores nothing');

    const confirmed = await post(client, page, `${page}/confirm`, fields());
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.location, `/staff/surveys/waves/${w}/invitations?drawn=12`);
    const invited = await invitedPersons(w);
    assert.equal(invited.length, 12);

    // The same seed through the service on another wave draws the same residents.
    const again = await wave('linked');
    await drawFor(
      again,
      input({ size: 12, strata: ['district', 'channel'], allocation: 'equal', seed: 4242 }),
    );
    assert.deepEqual(await invitedPersons(again), invited);

    // A response to one invitation shows as started and completed.
    const inv = (
      await sql<{ id: number }>`select id from survey_invitations where wave_id = ${w} limit 1`.execute(db)
    ).rows[0]!;
    await sql`insert into survey_responses (wave_id, version_id, channel, person_id, invitation_id, status, completed_at)
              select ${w}, ${versionId}, 'portal', person_id, id, 'complete', now() from survey_invitations where id = ${inv.id}`.execute(
      db,
    );
    const list = await client.follow(confirmed);
    assert.equal(list.status, 200);
    const listText = text(list.body);
    assert.match(listText, /Выбрано и приглашено 12 получателей/);
    assert.match(listText, /Всего 12 1 1 8,3\s?%/);
  });

  test('errors are listed in the error summary and nothing is stored', async () => {
    const w = await wave('linked');
    const client = await signIn('researcher');
    const page = `/staff/surveys/waves/${w}/sample`;
    const bad = await post(client, page, page, fields({ size: '0', strata: [], districts: ['999999'] }));
    assert.equal(bad.status, 422);
    const summary = text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(bad.body)?.[0] ?? '');
    assert.match(summary, /Размер выборки — целое число от 1 до 20 000/);
    assert.match(summary, /Выберите хотя бы один признак стратификации/);
    assert.match(summary, /Выберите районы из списка/);
    const confirm = await post(client, page, `${page}/confirm`, fields({ size: '0' }));
    assert.equal(confirm.status, 422);
    assert.deepEqual(await invitedPersons(w), []);

    const anon = await wave('anonymous');
    const refused = await client.get(`/staff/surveys/waves/${anon}/sample`);
    assert.equal(refused.status, 409);
    assert.match(text(refused.body), /Волна анонимная/);
    assert.doesNotMatch(refused.body, /name="size"/);
  });

  test('other staff may not sample', async () => {
    const w = await wave('linked');
    const client = await signIn('specialist');
    const r = await client.get(`/staff/surveys/waves/${w}/sample`);
    assert.equal(r.status, 403);
    assert.equal((await client.get(`/staff/surveys/waves/${w}/invitations`)).status, 403);
  });
});

describe('merging two records of one resident', () => {
  test('responses and invitations follow the survivor; the answered invitation wins; undo restores all', async () => {
    const [dup, surv] = [recipients[130]!.id, recipients[131]!.id];
    const waves = [await wave('linked'), await wave('linked'), await wave('linked'), await wave('linked')];
    const sampleOf = async (w: number) =>
      (
        await sql<{
          id: number;
        }>`insert into survey_samples (wave_id, seed, strata, allocation, size, population, created_by)
          values (${w}, 1, '{district}', 'equal', 1, 1, ${researcher.userId}) returning id`.execute(db)
      ).rows[0]!.id;
    let n = 0;
    const invite = async (w: number, person: number) => {
      const s = await sampleOf(w);
      const hash = createHash('sha256').update(`merge-${n++}`).digest('hex');
      return (
        await sql<{
          id: number;
        }>`insert into survey_invitations (wave_id, sample_id, person_id, strata, token_sha256)
          values (${w}, ${s}, ${person}, '{"district":"1"}', ${hash}) returning id`.execute(db)
      ).rows[0]!.id;
    };
    const respond = async (w: number, person: number, invitation: number | null) =>
      (
        await sql<{
          id: number;
        }>`insert into survey_responses (wave_id, version_id, channel, person_id, invitation_id)
          values (${w}, ${versionId}, 'portal', ${person}, ${invitation}) returning id`.execute(db)
      ).rows[0]!.id;
    const [w1, w2, w3, w4] = waves as [number, number, number, number];
    const d1 = await invite(w1, dup);
    await respond(w1, dup, d1);
    await respond(w1, dup, null); // a linked response without invitation (signed in on the portal)
    const d2 = await invite(w2, dup);
    const s2 = await invite(w2, surv);
    const d3 = await invite(w3, dup);
    await respond(w3, dup, d3);
    const s3 = await invite(w3, surv);
    const d4 = await invite(w4, dup);
    const r4 = await respond(w4, dup, d4);
    const s4 = await invite(w4, surv);
    await respond(w4, surv, s4);

    const snapshot = async () => ({
      invitations: (
        await sql`select * from survey_invitations where wave_id = any(${waves}::bigint[]) order by id`.execute(
          db,
        )
      ).rows,
      responses: (
        await sql`select id, person_id, invitation_id from survey_responses where wave_id = any(${waves}::bigint[]) order by id`.execute(
          db,
        )
      ).rows,
    });
    const before = await snapshot();
    const moved = await db.transaction().execute((trx) => surveysMerge.move(trx, dup, surv));
    assert.ok(moved);
    const after = await snapshot();
    const owner = new Map(
      after.invitations.map((i) => [
        Number((i as { id: number }).id),
        Number((i as { person_id: number }).person_id),
      ]),
    );
    assert.equal(owner.get(d1), surv, 'moved: the survivor was not invited to w1');
    assert.equal(owner.has(d2), false, "the duplicate's unanswered invitation is removed");
    assert.equal(owner.get(s2), surv);
    assert.equal(owner.get(d3), surv, "the duplicate's answered invitation moves…");
    assert.equal(owner.has(s3), false, "…in place of the survivor's unanswered one");
    assert.equal(owner.has(d4), false, 'both answered: the duplicate’s invitation goes');
    assert.equal(owner.get(s4), surv);
    for (const r of after.responses as { id: number; person_id: number; invitation_id: number | null }[]) {
      assert.equal(Number(r.person_id), surv);
      if (Number(r.id) === r4)
        assert.equal(r.invitation_id, null, "the duplicate's response is detached, kept");
    }
    await db.transaction().execute((trx) => surveysMerge.undo(trx, moved, dup, surv));
    assert.deepEqual(await snapshot(), before);
  });
});

describe('the invitation link', () => {
  test('opens the questionnaire for the invited resident and counts as started', async () => {
    const w = await wave('linked', 'Ссылка из приглашения');
    await drawFor(w, input({ size: 1 }), app.baseUrl);
    const link = (
      await sql<{ link: string }>`select m.params->>'link' as link from notification_messages m
        where m.event = 'survey_invitation' and m.params->>'title' = 'Ссылка из приглашения'`.execute(db)
    ).rows[0]!.link;
    assert.ok(link.startsWith(`${app.baseUrl}/s/`));
    const resident = new Client(app.baseUrl);
    const opened = await resident.follow(await resident.get(link));
    assert.equal(opened.status, 200);
    const researcherClient = new Client(app.baseUrl);
    await researcherClient.submit('/staff/sign-in', '/staff/sign-in', {
      login: 'researcher',
      password: PASSWORD,
    });
    const page = text((await researcherClient.get(`/staff/surveys/waves/${w}/invitations`)).body);
    assert.match(page, /Всего 1 1 0/);
    const wrong = await resident.get(link.replace(/i\/.+$/, `i/${'A'.repeat(43)}`));
    assert.ok(wrong.status >= 400, 'a made-up secret opens nothing');
  });
});
