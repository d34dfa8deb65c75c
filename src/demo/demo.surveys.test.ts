// The demo survey: published through the XLSForm check, a linked wave with invitations queued, answers
// that pass the form, two coded interviews; seeded once; and the satisfaction indicator reads it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../test/support/db.ts';
import { seedSmallRegion } from '../../test/support/fixtures.ts';
import { indicatorValues } from '../modules/quality/quality.service.ts';
import { createAssignmentsInBulk } from '../modules/registry/assignments.import.ts';
import { analysis } from '../modules/surveys/surveys.interviews.service.ts';
import { questionnaires } from '../modules/surveys/surveys.service.ts';
import { waveCounts, wavesOf } from '../modules/surveys/surveys.waves.service.ts';
import { regionToday } from '../platform/time.ts';
import { ensureDemoRecipients } from './demo.recipients.ts';
import { ensureDemoAccounts } from './demo.service.ts';
import { ensureDemoSurveys } from './demo.surveys.ts';

test('the demo survey is seeded once, with answers, invitations and coded interviews', async () => {
  const database = await testDatabase();
  await seedSmallRegion(database, 400);
  await ensureDemoAccounts(database.db, mkdtempSync(join(tmpdir(), 'opora-demo-')));
  // A decided demo case has already made one assignment: the demo recipients come all the same.
  const veteran = await database.db
    .selectFrom('persons')
    .select('id')
    .where(sql<boolean>`'labour_veteran' = any(categories)`)
    .executeTakeFirstOrThrow();
  const measure = await database.db
    .selectFrom('measures')
    .select('id')
    .where('code', '=', 'VETERAN-EDV')
    .executeTakeFirstOrThrow();
  await database.db.transaction().execute((trx) =>
    createAssignmentsInBulk(trx, [
      {
        personId: veteran.id,
        measureId: measure.id,
        basis: 'application',
        amount: 1000,
        startDate: '2026-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: null,
      },
    ]),
  );
  assert.ok((await ensureDemoRecipients(database.db)) > 0);
  assert.equal(await ensureDemoRecipients(database.db), 0, 'recipients are assigned once');
  const responses = await ensureDemoSurveys(database.db, 'http://localhost:3000');
  assert.ok(responses > 10, `responses: ${responses}`);
  assert.equal(
    await ensureDemoSurveys(database.db, 'http://localhost:3000'),
    0,
    'a second start adds nothing',
  );

  const [q] = await questionnaires(database.db);
  assert.equal(q?.title, 'Удовлетворённость получателей мер поддержки');
  const [wave] = await wavesOf(database.db, q!.id);
  const counts = await waveCounts(database.db, wave!.id);
  assert.equal(counts.started, responses);
  assert.ok(counts.complete > 0 && counts.complete < responses, 'some responses are unfinished');

  const invited = await database.db
    .selectFrom('notification_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event', '=', 'survey_invitation')
    .executeTakeFirstOrThrow();
  assert.ok(Number(invited.n) >= responses, 'every respondent was invited');

  const qual = await analysis(database.db, {});
  assert.equal(qual.interviews.length, 2);

  const month = regionToday().slice(0, 7);
  const [satisfaction] = await indicatorValues(
    database.db,
    { from: month, to: month },
    { codes: ['satisfaction.overall'] },
  );
  assert.equal(satisfaction?.denominator, counts.complete);
});
