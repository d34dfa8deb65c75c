// Survey sampling benchmark: a throwaway embedded PostgreSQL (bench settings), the synthetic region,
// about a third of residents holding one or two assignments (as bench/facts.ts) and one application
// in five residents with a channel; then the recipients frame of the whole region (one statement),
// the preview (frame counts by district × age group × channel + allocation), and a draw of 2,000
// invitations with their notifications in one transaction.
// Target: the preview of a region-wide frame under 10 s (a designer waits for it).
//   npm run bench:survey-sample -- [--persons 2500000] [--size 2000] [--explain]
import { parseArgs } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import { createStaffUser } from '../src/modules/staff/staff.service.ts';
import { SATISFACTION, xlsx } from '../src/modules/surveys/fixtures/forms.ts';
import type { BackgroundKey } from '../src/modules/surveys/surveys.background.ts';
import { recipientFrame } from '../src/modules/surveys/surveys.frame.ts';
import { frameGroupsQuery } from '../src/modules/surveys/surveys.sample.repository.ts';
import { drawAndInvite, previewSample } from '../src/modules/surveys/surveys.sample.service.ts';
import { importQuestionnaire } from '../src/modules/surveys/surveys.service.ts';
import { createWave } from '../src/modules/surveys/surveys.waves.service.ts';
import type { StaffActor } from '../src/platform/auth/actor.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const TARGET_SECONDS = 10;
const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '2500000' },
    size: { type: 'string', default: '2000' },
    explain: { type: 'boolean', default: false },
  },
});
const persons = Number(values.persons);
const size = Number(values.size);
const onDate = '2025-06-01';
const log = (s: string) => process.stderr.write(`${s}\n`);
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

const bench = await startBenchDatabase('survey-sample');
try {
  const db = createDb(bench.url, 4);
  try {
    await migrateToLatest(db);
    await migrateJobQueue(bench.url);
    let t0 = performance.now();
    await seedRegion(db, bench.url, { persons, seed: 1, referenceDate: onDate });
    log(`seeded ${persons.toLocaleString('en')} residents in ${seconds(t0)} s`);
    t0 = performance.now();
    // Measures by position (no per-row lateral sort: the setup is not what is measured).
    await sql`
      insert into assignments (person_id, measure_id, status, basis, amount, start_date, end_date)
      select p.id, m.ids[1 + (p.id + k) % cardinality(m.ids)],
             case when p.id % 13 = 0 then 'suspended' when p.id % 17 = 0 then 'ended' else 'active' end,
             'application', 1000, date '2024-01-01' + (p.id % 300)::int,
             case when p.id % 3 = 0 then null else date '2025-12-31' + (p.id % 400)::int end
        from persons p
        cross join (select array_agg(id order by id) as ids from measures) m
        cross join generate_series(0, 1) k
       where p.id % 20 < 7 and (k = 0 or p.id % 2 = 1)`.execute(db);
    await sql`alter table applications disable trigger quality_mark_cases_insert`.execute(db);
    await sql`
      insert into applications (person_id, district_id, measure_id, channel, state, decision_days, submitted_at)
      select p.id, p.district_id, (select min(id) from measures),
             (array['portal', 'in_person', 'mfc', 'post'])[1 + p.id % 4], 'submitted', 10,
             timestamptz '2024-01-01' + (p.id % 500) * interval '1 day'
        from persons p where p.id % 5 = 0`.execute(db);
    await sql`alter table applications enable trigger quality_mark_cases_insert`.execute(db);
    await sql`analyze`.execute(db);
    log(`assignments and applications in ${seconds(t0)} s`);

    const staffId = await createStaffUser(db, {
      login: 'bench',
      fullName: 'Bench',
      role: 'researcher',
      password: 'bench-password-bench',
      districtCodes: [],
    });
    const actor: StaffActor = {
      kind: 'staff',
      userId: staffId,
      login: 'bench',
      fullName: 'Bench',
      role: 'researcher',
      districtIds: [],
      sessionId: 'bench',
    };
    const imported = await db
      .transaction()
      .execute(async (trx) => importQuestionnaire(trx, actor, await xlsx(SATISFACTION)));
    if (!imported.ok) throw new Error('the fixture questionnaire did not import');
    const waveId = await db.transaction().execute((trx) =>
      createWave(
        trx,
        actor,
        {
          versionId: imported.versionId,
          title: 'Bench',
          mode: 'linked',
          opensOn: onDate,
          closesOn: '2025-12-31',
        },
        { today: onDate },
      ),
    );

    if (values.explain) {
      const q = frameGroupsQuery(db, {}, onDate, waveId, true).compile();
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]),
      );
      log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }

    t0 = performance.now();
    const heap0 = process.memoryUsage().heapUsed;
    const frame = await recipientFrame(db, { onDate });
    const frameSeconds = seconds(t0);
    const heap = Math.round((process.memoryUsage().heapUsed - heap0) / 1e6);
    console.log(
      `recipients frame: ${frame.length.toLocaleString('en')} recipients of ${persons.toLocaleString('en')} residents ` +
        `in ${frameSeconds} s (heap +${heap} MB)`,
    );
    frame.length = 0;

    const input = {
      size,
      strata: ['district', 'ageGroup', 'channel'] as BackgroundKey[],
      allocation: 'proportional' as const,
      seed: 20251,
      districtIds: [],
    };
    t0 = performance.now();
    const preview = await previewSample(db, actor, waveId, input, { today: onDate });
    const previewSeconds = Number(seconds(t0));
    console.log(
      `preview (frame counts + allocation of ${size.toLocaleString('en')} over ${preview.strata.length} strata): ${previewSeconds.toFixed(2)} s; ` +
        `${((previewSeconds / TARGET_SECONDS) * 100).toFixed(0)}% of the ${TARGET_SECONDS} s target ` +
        `(${previewSeconds <= TARGET_SECONDS ? 'met' : 'MISSED'})`,
    );
    t0 = performance.now();
    const out = await db
      .transaction()
      .execute((trx) =>
        drawAndInvite(trx, actor, waveId, input, { baseUrl: 'https://opora.example', today: onDate }),
      );
    console.log(
      `draw and invite: ${out.invited.toLocaleString('en')} invitations and notifications in one transaction in ${seconds(t0)} s`,
    );
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
