// The whole path of an unasked event, as in production: the civil registry (the simulator, over HTTP)
// queues a birth; the worker polls the gateway, validates the event, applies it to the registry and
// acknowledges it; the family is offered the child measures without an application.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion } from '../../../test/support/fixtures.ts';
import type { Config } from '../../platform/config.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { regionToday } from '../../platform/time.ts';
import { dbRegistry } from '../../simulators/agency/agency.registry.ts';
import { startAgencySimulator } from '../../simulators/agency/agency.simulator.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { importRules } from '../rules/rules.service.ts';
import { buildEventXml } from './interagency.eventxml.ts';
import { interagencyTasks } from './interagency.tasks.ts';

const database = await testDatabase();
await seedSmallRegion(database, 400);
const { db } = database;
await importRules(db);
const CONTROL_KEY = 'e2e-control-key';
const sim = await startAgencySimulator({ registry: dbRegistry(db), controlKey: CONTROL_KEY, port: 0 });
after(() => sim.close());

/** A young married woman whose household has no small child and no assignments yet. */
async function aMother() {
  const { rows } = await sql<{ id: number; snils: string; household_id: number }>`
    select p.id, p.snils, m.household_id
      from persons p join household_members m on m.person_id = p.id
     where p.sex = 'F' and m.relationship = 'spouse'
       and p.birth_date between (current_date - interval '38 years') and (current_date - interval '22 years')
       and not exists (select 1 from household_members c join persons cp on cp.id = c.person_id
                        where c.household_id = m.household_id and cp.birth_date > current_date - interval '2 years')
       and not exists (select 1 from assignments a join household_members c on c.person_id = a.person_id
                        where c.household_id = m.household_id)
     order by p.id limit 1`.execute(db);
  assert.ok(rows[0], 'the seed has a young married woman');
  return rows[0];
}

test('a birth registered by the civil registry reaches the family as a proactive proposal', async () => {
  const mother = await aMother();
  const nine = '987654321';
  const childSnils = nine + snilsChecksum(nine);
  const today = regionToday();
  const xml = buildEventXml({
    kind: 'birth',
    eventId: 'zags-e2e-1',
    registeredOn: today,
    child: {
      snils: childSnils,
      lastName: 'Смирнова',
      firstName: 'Анна',
      patronymic: 'Ивановна',
      birthDate: today,
      sex: 'F',
    },
    motherSnils: mother.snils,
    fatherSnils: null,
  });
  const queued = await fetch(`${sim.url}/control/events`, {
    method: 'POST',
    headers: { 'x-control-key': CONTROL_KEY },
    body: xml,
  });
  assert.equal(queued.status, 202);

  const blobs = mkdtempSync(join(tmpdir(), 'opora-ia-e2e-'));
  const config = {
    agency: { url: sim.url, pollIntervalMs: 20, retryBaseMs: 20, timeoutMs: 2000, resendAfterMs: 3_600_000 },
    storage: { kind: 'local', dir: blobs },
  } as unknown as Config;
  const worker = await startWorker({ connectionString: database.url, tasks: interagencyTasks(db, config) });
  const child = () =>
    db.selectFrom('persons').select('id').where('snils', '=', childSnils).executeTakeFirst();
  try {
    await worker.addJob('interagency:poll', {});
    for (let i = 0; i < 200 && !(await child()); i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await worker.stop();
  }

  const born = await child();
  assert.ok(born, 'the child is in the registry');
  const member = await db
    .selectFrom('household_members')
    .select(['household_id', 'relationship'])
    .where('person_id', '=', born.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(member, { household_id: mother.household_id, relationship: 'child' });
  const proposals = await db
    .selectFrom('proposals')
    .innerJoin('measures', 'measures.id', 'proposals.measure_id')
    .select(['measures.code', 'proposals.person_id'])
    .where('proposals.status', '=', 'open')
    .where('proposals.person_id', '=', mother.id)
    .execute();
  assert.ok(
    proposals.some((p) => p.code === 'BIRTH-ALLOWANCE'),
    `the mother is offered the birth allowance (got ${proposals.map((p) => p.code).join(', ')})`,
  );
  // Processed once and acknowledged: the gateway holds nothing more, the inbound log has it once.
  const stats = sim.stats();
  assert.equal(stats.delivered, stats.acknowledged);
  const logged = await db
    .selectFrom('interagency_inbound')
    .select(['kind', 'status'])
    .where('kind', '=', 'event')
    .execute();
  assert.deepEqual(logged, [{ kind: 'event', status: 'processed' }]);
});
