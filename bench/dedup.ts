// Duplicate-detection benchmark on a region-sized registry: a throwaway embedded PostgreSQL (bench
// settings, as bench/seed.ts), the synthetic region, then 1% injected duplicates of randomly chosen
// residents with the truth kept — a typo in a name, first and last name swapped, the name written
// in Latin letters, a SNILS typed with a typo, the same name with another SNILS and the address
// written differently. Every duplicate has its own SNILS (SNILS is unique in the registry). Then the
// same code as `opora dedup` (detection and storing the pairs), timed, and precision and recall of
// the stored pairs against the truth. Targets: under 60 s, recall ≥ 0.95, precision ≥ 0.95.
//   node --import ./src/platform/loader/register.ts bench/dedup.ts [--persons 2500000] [--rate 0.01] [--seed 1]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { runDedup } from '../src/modules/dedup/dedup.detect.ts';
import { snilsChecksum } from '../src/modules/registry/snils.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { Random } from '../src/seed/random.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const TARGET = { seconds: 60, recall: 0.95, precision: 0.95 };

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '2500000' },
    rate: { type: 'string', default: '0.01' },
    seed: { type: 'string', default: '1' },
  },
});
const persons = Number(values.persons);
const rate = Number(values.rate);
const n = (v: number) => Math.round(v).toLocaleString('en');
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const note = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------- how duplicates are made

const KINDS = ['typo', 'swap', 'translit', 'snils_typo', 'other_snils'] as const;
type Kind = (typeof KINDS)[number];

const LETTERS = 'абвгдеёжзийклмнопрстуфхцчшщыьэюя';

/** One keyboard slip: a letter replaced, dropped, doubled-in or two neighbours swapped (not the first letter). */
function typo(rng: Random, word: string): string {
  for (;;) {
    const lower = word.toLowerCase();
    const i = rng.int(1, word.length - 1);
    const op = rng.int(0, 3);
    let out: string;
    if (op === 0) out = word.slice(0, i) + rng.pick([...LETTERS]) + word.slice(i + 1);
    else if (op === 1) out = word.slice(0, i) + word.slice(i + 1);
    else if (op === 2) out = word.slice(0, i) + rng.pick([...LETTERS]) + word.slice(i);
    else out = i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word;
    if (out.toLowerCase() !== lower) return out;
  }
}

const ICAO: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};
/** The passport scheme before 2013 (й → y, ю → yu, я → ya). */
const OLD: Record<string, string> = { ...ICAO, й: 'y', ю: 'yu', я: 'ya', ъ: '' };

function romanise(word: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const latin = table[lower] ?? ch;
    out += ch === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
  }
  return out;
}

function snilsTypo(rng: Random, snils: string): string {
  for (;;) {
    const i = rng.int(0, 9);
    const out = rng.chance(0.5)
      ? snils.slice(0, i) + String(rng.int(0, 9)) + snils.slice(i + 1)
      : snils.slice(0, i) + snils[i + 1] + snils[i] + snils.slice(i + 2);
    if (out !== snils) return out;
  }
}

interface Original {
  id: number;
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: string;
  district_id: number;
  settlement_id: number | null;
  address: string;
  phone: string | null;
  email: string | null;
}

function duplicateOf(rng: Random, o: Original, kind: Kind, freshSnils: string) {
  const d = { ...o, snils: freshSnils };
  if (kind === 'typo') {
    // Mostly the surname; a short first name (Ян, Лев) has no room for a typo.
    if (o.first_name.length >= 5 && rng.chance(0.3)) d.first_name = typo(rng, o.first_name);
    else if (o.patronymic && rng.chance(0.15)) d.patronymic = typo(rng, o.patronymic);
    else d.last_name = typo(rng, o.last_name);
  } else if (kind === 'swap') {
    d.last_name = o.first_name;
    d.first_name = o.last_name;
  } else if (kind === 'translit') {
    const table = rng.chance(0.5) ? ICAO : OLD;
    d.last_name = romanise(o.last_name, table);
    d.first_name = romanise(o.first_name, table);
    d.patronymic = o.patronymic && rng.chance(0.5) ? romanise(o.patronymic, table) : null;
  } else if (kind === 'snils_typo') {
    d.snils = snilsTypo(rng, o.snils);
  } else {
    // The same name under another SNILS; the address typed differently (no spaces after the dots).
    d.address = o.address.replace(/\. /g, '.');
  }
  return d;
}

// ---------------------------------------------------------------- the run

const bench = await startBenchDatabase('dedup');
try {
  const db = createDb(bench.url, 4);
  try {
    note('migrating…');
    await migrateToLatest(db);
    note(`seeding ${n(persons)} residents…`);
    await seedRegion(db, bench.url, { persons, seed: Number(values.seed) });
    const { rows: stats } = await sql<{ max: number; count: number }>`
      select max(id)::bigint as max, count(*)::int as count from persons`.execute(db);
    const maxId = Number(stats[0]?.max);
    const population = Number(stats[0]?.count);
    const wanted = Math.round(population * rate);

    // Distinct originals, chosen with a seeded generator.
    const rng = new Random(Number(values.seed) * 7919 + 17);
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(rng.int(1, maxId));
    const { rows: originals } = await sql<Original>`
      select id, snils, last_name, first_name, patronymic, birth_date::text as birth_date, sex, district_id,
        settlement_id, address, phone, email
      from persons where id = any(${[...chosen]}::bigint[]) order by id`.execute(db);
    const existing = new Set(
      (await sql<{ snils: string }>`select snils from persons`.execute(db)).rows.map((r) => r.snils),
    );
    const truth = new Map<string, Kind>();
    const dupes: (Original & { kind: Kind })[] = [];
    let fresh = 900_000_000;
    originals.forEach((o, i) => {
      const kind = KINDS[i % KINDS.length] as Kind;
      let snils: string;
      do {
        const nine = String(fresh++);
        snils = nine + snilsChecksum(nine);
      } while (existing.has(snils));
      let d = duplicateOf(rng, o, kind, snils);
      while (existing.has(d.snils)) d = duplicateOf(rng, o, kind, snils);
      existing.add(d.snils);
      const id = maxId + 1 + i;
      dupes.push({ ...d, id, kind });
      truth.set(`${Math.min(o.id, id)}-${Math.max(o.id, id)}`, kind);
    });
    for (let i = 0; i < dupes.length; i += 5000) {
      const b = dupes.slice(i, i + 5000);
      const col = <K extends keyof Original>(k: K) => b.map((d) => d[k]);
      await sql`
        insert into persons (id, snils, last_name, first_name, patronymic, birth_date, sex, district_id,
          settlement_id, address, phone, email)
        select * from unnest(${col('id')}::bigint[], ${col('snils')}::text[], ${col('last_name')}::text[],
          ${col('first_name')}::text[], ${col('patronymic')}::text[], ${col('birth_date')}::date[],
          ${col('sex')}::text[], ${col('district_id')}::int[], ${col('settlement_id')}::int[],
          ${col('address')}::text[], ${col('phone')}::text[], ${col('email')}::text[])`.execute(db);
    }
    await sql`analyze persons`.execute(db);
    note(`injected ${n(dupes.length)} duplicates into ${n(population)} residents`);

    const loadBefore = load();
    const run = await runDedup(db, bench.url);
    const loadAfter = load();

    const { rows: found } = await sql<{ a: number; b: number; reasons: string[] }>`
      select person_a as a, person_b as b, reasons from dedup_candidates`.execute(db);
    let tp = 0;
    const hitByKind = new Map<Kind, number>();
    const falsePositives: string[] = [];
    for (const f of found) {
      const kind = truth.get(`${f.a}-${f.b}`);
      if (kind) {
        tp++;
        hitByKind.set(kind, (hitByKind.get(kind) ?? 0) + 1);
      } else if (falsePositives.length < 10) falsePositives.push(`${f.a}-${f.b} (${f.reasons.join(', ')})`);
    }
    const precision = found.length ? tp / found.length : 0;
    const recall = truth.size ? tp / truth.size : 0;
    const seconds = run.ms / 1000;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const lines = [
      `Duplicate detection on ${n(run.persons)} residents with ${n(truth.size)} injected duplicates`,
      `  machine load (1/5/15 min)  before ${loadBefore}, after ${loadAfter}`,
      `  pairs compared after blocking  ${n(run.compared)} (new per key: ${run.detection.pairsByKey.map(n).join(', ')})`,
      `  phases      scan ${s1(run.detection.ms.scan)}, blocking ${s1(run.detection.ms.block)}, scoring ${s1(run.detection.ms.score)}, storing ${s1(run.ms - run.detection.ms.scan - run.detection.ms.block - run.detection.ms.score)}`,
      `  pairs proposed                 ${n(run.found)} (stored ${n(run.stored)})`,
      `  time        ${seconds.toFixed(1)} s   ${((seconds / TARGET.seconds) * 100).toFixed(0)}% of the ${TARGET.seconds} s target (${verdict(seconds < TARGET.seconds)})`,
      `  recall      ${recall.toFixed(4)}   ${(recall / TARGET.recall).toFixed(3)}× the ${TARGET.recall} target (${verdict(recall >= TARGET.recall)})`,
      `  precision   ${precision.toFixed(4)}   ${(precision / TARGET.precision).toFixed(3)}× the ${TARGET.precision} target (${verdict(precision >= TARGET.precision)})`,
      '  recall by kind of duplicate:',
      ...KINDS.map((k) => {
        const total = [...truth.values()].filter((v) => v === k).length;
        return `    ${k.padEnd(12)} ${((hitByKind.get(k) ?? 0) / Math.max(1, total)).toFixed(4)} of ${n(total)}`;
      }),
      ...(falsePositives.length ? ['  some false positives:', ...falsePositives.map((f) => `    ${f}`)] : []),
    ];
    console.log(lines.join('\n'));
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
