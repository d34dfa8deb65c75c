// Seed benchmark: a throwaway embedded PostgreSQL, migrations, then `seedRegion` for N residents.
// Target: 2.5 million residents in under 3 minutes.
//   npm run bench:seed -- --persons 2500000 [--seed 1]
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { type SeedPhase, seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const TARGET_SECONDS = 180;

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '2500000' }, seed: { type: 'string', default: '1' } },
});
const persons = Number(values.persons);
const seed = Number(values.seed);
if (!Number.isInteger(persons) || persons < 1) throw new Error('--persons must be a positive integer');

const bench = await startBenchDatabase('seed');

const bar = new cliProgress.SingleBar(
  {
    stream: process.stderr,
    format: '{phase} [{bar}] {percentage}% | {value}/{total} residents | {duration_formatted}',
    hideCursor: true,
  },
  cliProgress.Presets.shades_classic,
);

try {
  const url = bench.url;
  const db = createDb(url, 2);
  try {
    await migrateToLatest(db);
    bar.start(persons, 0, { phase: 'reference' });
    const summary = await seedRegion(db, url, {
      persons,
      seed,
      onProgress: (done, total) => bar.update(done, { total }),
      onPhase: (phase: SeedPhase) => bar.update({ phase }),
    });
    bar.stop();

    const t = summary.timings;
    const seconds = t.total / 1000;
    const rate = (rows: number, ms: number) =>
      `${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s`;
    const lines = [
      `Seeded ${summary.persons.toLocaleString('en')} residents in ${summary.households.toLocaleString('en')} households`,
      `  reference data and catalog   ${t.reference} ms`,
      `  persons (generate + COPY)    ${t.persons} ms  ${rate(summary.persons, t.persons)}`,
      `  households (COPY)            ${t.households} ms  ${rate(summary.households, t.households)}`,
      `  household_members (COPY)     ${t.members} ms  ${rate(summary.householdMembers, t.members)}`,
      `  indexes and foreign keys     ${t.indexes} ms`,
      `  analyze                      ${t.analyze} ms`,
      `Total ${seconds.toFixed(1)} s, ${rate(summary.persons, t.total)} overall; ` +
        `${((seconds / TARGET_SECONDS) * 100).toFixed(0)}% of the ${TARGET_SECONDS} s target ` +
        `(${seconds <= TARGET_SECONDS ? 'met' : 'MISSED'})`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await db.destroy();
  }
} finally {
  bar.stop();
  await bench.stop();
}
