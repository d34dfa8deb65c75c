// Loads the synthetic region: reference data and the catalog with ordinary inserts, then the registry
// (households, persons, members) with COPY, streamed as it is generated so memory stays flat at any size.
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../platform/db/database.ts';
import {
  type FixedResident,
  generateHouseholds,
  type HouseholdRow,
  type PersonRow,
  type RegionIndex,
} from './generate.ts';
import { buildGeography, type Geography, officeServes } from './geography.ts';
import { MEASURES } from './measures.ts';
import { DEPARTMENTS, LIFE_SITUATIONS, RECIPIENT_CATEGORIES, SPHERES } from './reference-data.ts';

/** Fixed residents for sign-in demos, always seeded: find them by SNILS. */
export const DEMO_RESIDENTS: readonly FixedResident[] = [
  {
    snils: '11223344595',
    last_name: 'Смирнова',
    first_name: 'Валентина',
    patronymic: 'Петровна',
    birth_date: '1957-04-12',
    sex: 'F',
    district_code: 'volgograd',
    categories: ['pensioner', 'labour_veteran'],
    disability_group: null,
    monthly_income: 24_800,
    household: 'with_spouse',
  },
  {
    snils: '12345678964',
    last_name: 'Кузнецова',
    first_name: 'Анна',
    patronymic: 'Сергеевна',
    birth_date: '1990-09-03',
    sex: 'F',
    district_code: 'olkhovsky',
    categories: ['large_family'],
    disability_group: null,
    monthly_income: 12_000,
    household: 'large_family',
  },
  {
    snils: '11122233372',
    last_name: 'Волков',
    first_name: 'Дмитрий',
    patronymic: 'Александрович',
    birth_date: '1982-11-21',
    sex: 'M',
    district_code: 'volgograd',
    categories: ['disabled'],
    disability_group: 2,
    monthly_income: 16_500,
    household: 'alone',
  },
];

export interface SeedOptions {
  /** How many residents to generate (the demo residents' households included). */
  persons: number;
  seed?: number;
  /** "Today" for ages, YYYY-MM-DD; defaults to the current date. */
  referenceDate?: string;
  /**
   * Wipe the registry (persons, households) first — and, by cascade, what refers to persons, such as
   * resident accounts. Reference data, the catalog and staff accounts are kept.
   */
  reset?: boolean;
  onProgress?: (done: number, total: number) => void;
  onPhase?: (phase: SeedPhase) => void;
}

export type SeedPhase = 'reference' | 'persons' | 'households' | 'members' | 'indexes' | 'analyze';

export interface SeedSummary {
  seed: number;
  referenceDate: string;
  districts: number;
  settlements: number;
  offices: number;
  measures: number;
  persons: number;
  households: number;
  householdMembers: number;
  /** Milliseconds per phase; 'persons' includes generating everything. */
  timings: Record<SeedPhase | 'total', number>;
}

const REGISTRY_TABLES = ['persons', 'households', 'household_members'] as const;

/** Everything the seed writes, for `reset`. */
const SEEDED_TABLES = [
  'household_members',
  'persons',
  'households',
  'office_measures',
  'offices',
  'settlements',
  'districts',
  'measure_priority_categories',
  'measure_documents',
  'measure_life_situations',
  'measures',
  'recipient_categories',
  'life_situations',
  'spheres',
  'departments',
];

export async function seedRegion(
  db: Db,
  connection: pg.Pool | string,
  options: SeedOptions,
): Promise<SeedSummary> {
  const started = performance.now();
  const timings = { reference: 0, persons: 0, households: 0, members: 0, indexes: 0, analyze: 0, total: 0 };
  /** Starts a phase; the returned function ends it and records its time. */
  const phase = (name: SeedPhase) => {
    const start = performance.now();
    options.onPhase?.(name);
    return () => {
      timings[name] = Math.round(performance.now() - start);
    };
  };
  const seed = options.seed ?? 1;
  const referenceDate = options.referenceDate ?? new Date().toISOString().slice(0, 10);

  if (options.reset) {
    await sql`truncate ${sql.raw(REGISTRY_TABLES.join(', '))} restart identity cascade`.execute(db);
  } else {
    await assertRegistryEmpty(db);
  }

  let done = phase('reference');
  const geography = buildGeography();
  const region = await loadReference(db, geography);
  done();

  const client = typeof connection === 'string' ? new pg.Client({ connectionString: connection }) : null;
  const pooled = client ? null : await (connection as pg.Pool).connect();
  const conn = (client ?? pooled) as pg.ClientBase;
  if (client) await client.connect();
  const spoolDir = mkdtempSync(join(tmpdir(), 'opora-seed-'));
  let counts: { persons: number; households: number; members: number };
  let broken = false;
  try {
    await conn.query('begin');
    try {
      counts = await bulkLoad(conn, region, { ...options, seed, referenceDate }, spoolDir, phase);
      await conn.query('commit');
    } catch (error) {
      await conn.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    }
    done = phase('analyze');
    await conn.query(`analyze ${SEEDED_TABLES.join(', ')}`);
    done();
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
    if (client) await client.end();
    // A connection that could not even roll back is not given back to the pool.
    pooled?.release(broken);
  }
  timings.total = Math.round(performance.now() - started);
  return {
    seed,
    referenceDate,
    districts: geography.districts.length,
    settlements: geography.settlements.length,
    offices: geography.offices.length,
    measures: MEASURES.length,
    persons: counts.persons,
    households: counts.households,
    householdMembers: counts.members,
    timings,
  };
}

async function assertRegistryEmpty(db: Db): Promise<void> {
  const { rows } = await sql<{ n: boolean }>`
    select exists (select 1 from persons) or exists (select 1 from households) as n`.execute(db);
  if (rows[0]?.n) {
    throw new Error(
      'The registry already has persons: seeding again would mix two synthetic populations. ' +
        'Pass reset: true (opora seed --reset) to wipe the seeded tables first.',
    );
  }
}

// ---------------------------------------------------------------- reference data and the catalog

/** Inserts what is missing (by natural key), so a catalog loaded by other means is kept. */
async function loadReference(db: Db, geo: Geography): Promise<RegionIndex> {
  return await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('departments')
      .values(DEPARTMENTS.map((d) => ({ ...d })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const titled = <T extends { code: string }>(rows: readonly T[]) =>
      rows.map((r, sort) => ({ ...r, sort }));
    await trx
      .insertInto('spheres')
      .values(titled(SPHERES))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto('life_situations')
      .values(titled(LIFE_SITUATIONS))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto('recipient_categories')
      .values(RECIPIENT_CATEGORIES.map((c) => ({ ...c })))
      .onConflict((oc) => oc.doNothing())
      .execute();

    const departments = new Map(
      (await trx.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]),
    );
    const inserted = await trx
      .insertInto('measures')
      .values(
        MEASURES.map(
          ({ sphere, department, life_situations: _l, documents: _d, priority_categories: _p, ...m }) => ({
            ...m,
            sphere_code: sphere,
            department_id: departments.get(department) as number,
          }),
        ),
      )
      .onConflict((oc) => oc.column('code').doNothing())
      .returning(['id', 'code'])
      .execute();
    // Documents, life situations and priority categories only for measures created now.
    const byCode = new Map(MEASURES.map((m) => [m.code, m]));
    const links = inserted.map((row) => ({ id: row.id, m: byCode.get(row.code)! }));
    const situations = links.flatMap(({ id, m }) =>
      m.life_situations.map((c) => ({ measure_id: id, life_situation_code: c })),
    );
    const documents = links.flatMap(({ id, m }) =>
      m.documents.map((d, sort) => ({
        measure_id: id,
        sort,
        title_ru: d.title_ru,
        title_en: d.title_en,
        interagency_agency: d.agency,
        purpose: d.purpose,
      })),
    );
    const priorities = links.flatMap(({ id, m }) =>
      m.priority_categories.map((c) => ({ measure_id: id, category_code: c })),
    );
    if (situations.length) await trx.insertInto('measure_life_situations').values(situations).execute();
    if (documents.length) await trx.insertInto('measure_documents').values(documents).execute();
    if (priorities.length) await trx.insertInto('measure_priority_categories').values(priorities).execute();

    await trx
      .insertInto('districts')
      .values(geo.districts)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const districts = await trx.selectFrom('districts').select(['id', 'code']).execute();
    const districtId = new Map(districts.map((d) => [d.code, d.id]));
    const idOf = (code: string) => {
      const id = districtId.get(code);
      if (id === undefined) throw new Error(`district ${code} is missing`);
      return id;
    };
    await trx
      .insertInto('settlements')
      .values(geo.settlements.map(({ district_code, ...s }) => ({ ...s, district_id: idOf(district_code) })))
      .onConflict((oc) => oc.columns(['district_id', 'name_ru']).doNothing())
      .execute();
    const settlements = await trx
      .selectFrom('settlements')
      .select(['id', 'district_id', 'name_ru', 'kind', 'population', 'is_remote'])
      .orderBy('id')
      .execute();
    const settlementId = new Map(settlements.map((s) => [`${s.district_id}/${s.name_ru}`, s.id]));

    // Offices have no natural key: add them for districts that have none yet.
    const staffed = new Set(
      (await trx.selectFrom('offices').select('district_id').distinct().execute()).map((o) => o.district_id),
    );
    const newOffices = geo.offices
      .map(({ district_code, settlement_name_ru, ...o }) => ({
        ...o,
        district_id: idOf(district_code),
        settlement_id: settlementId.get(`${idOf(district_code)}/${settlement_name_ru}`) ?? null,
      }))
      .filter((o) => !staffed.has(o.district_id));
    if (newOffices.length) {
      const offices = await trx.insertInto('offices').values(newOffices).returning(['id', 'kind']).execute();
      const measures = await trx.selectFrom('measures').select(['id', 'code']).execute();
      const served = offices.flatMap((o) =>
        measures.flatMap((m) => {
          const seedMeasure = byCode.get(m.code);
          return seedMeasure && officeServes(o.kind, seedMeasure)
            ? [{ office_id: o.id, measure_id: m.id }]
            : [];
        }),
      );
      if (served.length) await trx.insertInto('office_measures').values(served).execute();
    }

    return {
      districts: geo.districts.map((plan) => {
        const id = idOf(plan.code);
        return {
          id,
          code: plan.code,
          population: plan.population,
          remoteness: plan.remoteness,
          internet_coverage: plan.internet_coverage,
          // The centre first: the generator puts fixed residents there.
          settlements: settlements
            .filter((s) => s.district_id === id)
            .map((s) => ({
              id: s.id,
              name_ru: s.name_ru,
              kind: s.kind,
              population: s.population,
              is_remote: s.is_remote,
            })),
        };
      }),
    };
  });
}

// ---------------------------------------------------------------- the registry, by COPY

type Phase = (name: SeedPhase) => () => void;

/**
 * In one transaction: drop the foreign keys touching the registry tables and their secondary indexes,
 * truncate the (empty) tables so COPY can write frozen rows (and skip WAL when wal_level is minimal),
 * stream persons while spooling households and members to temp files, then rebuild and re-validate.
 */
async function bulkLoad(
  conn: pg.ClientBase,
  region: RegionIndex,
  options: SeedOptions & { seed: number; referenceDate: string },
  spoolDir: string,
  phase: Phase,
): Promise<{ persons: number; households: number; members: number }> {
  const tables = `array[${REGISTRY_TABLES.map((t) => `'${t}'`).join(', ')}]::regclass[]`;
  await conn.query("set local maintenance_work_mem = '512MB'");
  await conn.query(`lock table ${REGISTRY_TABLES.join(', ')} in access exclusive mode`);
  const busy = await conn.query(
    'select exists (select 1 from persons) or exists (select 1 from households) as n',
  );
  if (busy.rows[0].n) throw new Error('The registry already has persons: pass reset: true to wipe it first.');

  const foreignKeys = (
    await conn.query<{ tbl: string; name: string; def: string }>(
      `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
         from pg_constraint where contype = 'f' and (conrelid = any(${tables}) or confrelid = any(${tables}))`,
    )
  ).rows;
  const indexes = (
    await conn.query<{ name: string; def: string }>(
      `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index i
        where indrelid = any(${tables}) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    )
  ).rows;
  for (const fk of foreignKeys) await conn.query(`alter table ${fk.tbl} drop constraint ${ident(fk.name)}`);
  for (const index of indexes) await conn.query(`drop index ${index.name}`);
  await conn.query(`truncate ${REGISTRY_TABLES.join(', ')}`);

  let done = phase('persons');
  const households = new Spool(join(spoolDir, 'households.tsv'));
  const members = new Spool(join(spoolDir, 'members.tsv'));
  const counts = { persons: 0, households: 0, members: 0 };
  const rows = generateHouseholds(region, {
    persons: options.persons,
    seed: options.seed,
    referenceDate: options.referenceDate,
    fixed: DEMO_RESIDENTS,
  });
  try {
    await pipeline(
      Readable.from(copyChunks(rows, households, members, counts, options.persons, options.onProgress)),
      conn.query(copyFrom(`copy persons (${PERSON_COLUMNS}) from stdin with (freeze)`)),
    );
  } finally {
    households.close();
    members.close();
  }
  done();

  done = phase('households');
  await copyFile(conn, 'households (id, district_id, settlement_id, address)', households.path);
  done();
  done = phase('members');
  await copyFile(conn, 'household_members (household_id, person_id, relationship)', members.path);
  done();

  done = phase('indexes');
  for (const index of indexes) await conn.query(index.def);
  for (const fk of foreignKeys)
    await conn.query(`alter table ${fk.tbl} add constraint ${ident(fk.name)} ${fk.def}`);
  for (const table of ['persons', 'households']) {
    await conn.query(
      `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) from ${table}`,
    );
  }
  done();
  return counts;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function copyFile(conn: pg.ClientBase, target: string, path: string): Promise<void> {
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    conn.query(copyFrom(`copy ${target} from stdin with (freeze)`)),
  );
}

/** Appends text to a temp file with plain synchronous writes: fast, and no backpressure to juggle. */
class Spool {
  readonly path: string;
  private fd: number;
  private buffer = '';

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

const PERSON_COLUMNS =
  'id, snils, last_name, first_name, patronymic, birth_date, sex, district_id, settlement_id, address, ' +
  'phone, email, preferred_channel, categories, disability_group, monthly_income';

/** COPY text format: tab-separated, \N for null; backslashes, tabs and newlines must be escaped. */
function text(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : value;
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const orNull = (value: string | number | null) => (value === null ? '\\N' : value);

function personLine(p: PersonRow, address: string): string {
  return `${p.id}\t${p.snils}\t${text(p.last_name)}\t${text(p.first_name)}\t${p.patronymic === null ? '\\N' : text(p.patronymic)}\t${p.birth_date}\t${p.sex}\t${p.district_id}\t${p.settlement_id}\t${address}\t${orNull(p.phone)}\t${p.email === null ? '\\N' : text(p.email)}\t${p.preferred_channel}\t{${p.categories.join(',')}}\t${orNull(p.disability_group)}\t${p.monthly_income}\n`;
}

const CHUNK = 256 * 1024;

/** Person lines in chunks of ~256 KB, writing each household and its members to the spools on the way. */
function* copyChunks(
  rows: Iterable<HouseholdRow>,
  households: Spool,
  members: Spool,
  counts: { persons: number; households: number; members: number },
  total: number,
  onProgress?: (done: number, total: number) => void,
): Generator<string> {
  let chunk = '';
  for (const h of rows) {
    const address = text(h.address);
    households.write(`${h.id}\t${h.district_id}\t${h.settlement_id}\t${address}\n`);
    counts.households++;
    for (const m of h.members) {
      chunk += personLine(m.person, address);
      members.write(`${h.id}\t${m.person.id}\t${m.relationship}\n`);
      counts.persons++;
      counts.members++;
    }
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
      onProgress?.(counts.persons, Math.max(total, counts.persons));
    }
  }
  if (chunk) yield chunk;
  onProgress?.(counts.persons, Math.max(total, counts.persons));
}
