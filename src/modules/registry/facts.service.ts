// Facts for the rules engine (rules.facts.ts), built from the registry as it stands now: one person
// for a decision, or the whole region streamed in batches for a proactive sweep.
//
// Definitions (rules.facts.ts and docs/rules.md are the contract):
// - age: full years on asOf; a person born on 29 February turns a year older on 1 March.
// - household: the person's household (household_members); a person in none is a household of one.
//   Members born after asOf are left out: they did not exist yet on that day.
// - per_capita_income: members' incomes summed, divided by size, rounded to kopecks.
// - children: members with relationship 'child', whatever their age; children_under_23 counts those
//   under 23 (students), children_under_18 those under 18.
// - single_parent: exactly one member aged 18+ is head or spouse, and the household has children.
// - assignments: codes of measures with an assignment whose status is 'active' and whose period
//   covers asOf. A suspended assignment does not count: nothing is paid under it while suspended.
import type { Db, DbOrTrx } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import type { Facts } from '../rules/rules.facts.ts';
import * as repo from './facts.repository.ts';

export type { Facts } from '../rules/rules.facts.ts';

export interface PersonFactsRecord {
  personId: number;
  districtId: number;
  facts: Facts;
}

/** What facts are computed from, whether by PostgreSQL now or from history for a past moment. */
export interface FactsInput {
  age: number;
  sex: 'M' | 'F';
  categories: string[];
  disability_group: number;
  monthly_income: number;
  district: string;
  remote: boolean;
  size: number;
  per_capita_income: number;
  /** Youngest first. */
  children_ages: number[];
  single_parent: boolean;
  /** Sorted. */
  assignments: string[];
}

export function toFacts(i: FactsInput): Facts {
  const children = i.children_ages;
  let under18 = 0;
  let under23 = 0;
  for (const age of children) {
    if (age < 18) under18++;
    if (age < 23) under23++;
  }
  return {
    person: {
      age: i.age,
      sex: i.sex,
      categories: i.categories,
      disability_group: i.disability_group,
      monthly_income: i.monthly_income,
      district: i.district,
      remote: i.remote,
    },
    household: {
      size: i.size,
      per_capita_income: i.per_capita_income,
      children_ages: children,
      children_under_18: under18,
      children_under_23: under23,
      youngest_child_age: children.length > 0 ? (children[0] as number) : -1,
      single_parent: i.single_parent,
    },
    assignments: i.assignments,
  };
}

const UNKNOWN = '#';
/** Codes by measure id, per database handle. A measure's code never changes, so only an id not seen
 * yet (a measure created since) makes the list load again. */
const codeCache = new WeakMap<object, Map<number, string>>();

/** Measure id → code; the catalog owns measure codes. */
export async function measureCodeLookup(
  db: DbOrTrx,
  refresh = false,
): Promise<(measureId: number) => string> {
  let codes = codeCache.get(db);
  if (!codes || refresh) {
    codes = new Map((await measureRefs(db)).map((m) => [m.id, m.code]));
    codeCache.set(db, codes);
  }
  const known = codes;
  return (id) => known.get(id) ?? `${UNKNOWN}${id}`;
}

/**
 * Decodes facts lines (facts.repository.ts) straight into Facts. Lists repeat a lot across 2.5
 * million people (categories, children's ages, assigned measures), so each distinct list is built
 * once and shared — frozen, so that no consumer can change it for everyone. Measured over 2.5 M
 * residents, this and skipping an intermediate row object cut garbage collection from ~4.7 s to ~1.3 s.
 */
export class FactsDecoder {
  private readonly lists = new Map<string, readonly unknown[]>();
  private readonly codeOf: (measureId: number) => string;

  constructor(codeOf: (measureId: number) => string) {
    this.codeOf = codeOf;
  }

  private shared<T>(kind: string, raw: string, build: (raw: string) => T[]): T[] {
    if (raw === '') return EMPTY as unknown as T[];
    const key = kind + raw;
    let list = this.lists.get(key);
    if (!list) {
      if (this.lists.size > 50_000) this.lists.clear();
      list = Object.freeze(build(raw));
      this.lists.set(key, list);
    }
    return list as T[];
  }

  decode(line: string): PersonFactsRecord {
    const [
      id,
      districtId,
      district = '',
      remote,
      age,
      sex,
      categories = '',
      disability,
      income,
      size,
      perCapita,
      children = '',
      singleParent,
      measures = '',
    ] = line.split('|');
    const facts = toFacts({
      district,
      remote: remote === '1',
      age: Number(age),
      sex: sex as 'M' | 'F',
      categories: this.shared('c', categories, (r) => r.split(',')),
      disability_group: Number(disability),
      monthly_income: Number(income),
      size: Number(size),
      per_capita_income: Number(perCapita),
      children_ages: this.shared('k', children, (r) =>
        r
          .split(',')
          .map(Number)
          .sort((a, b) => a - b),
      ),
      single_parent: singleParent === '1',
      assignments: this.shared('a', measures, (r) => r.split(',').map(Number).map(this.codeOf).sort()),
    });
    return { personId: Number(id), districtId: Number(districtId), facts };
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

export async function factsForPerson(db: DbOrTrx, personId: number, asOf: string): Promise<Facts> {
  const line = await repo.personFactsLine(db, personId, asOf);
  if (!line) throw notFound('Person');
  const facts = new FactsDecoder(await measureCodeLookup(db)).decode(line).facts;
  if (!facts.assignments.some((code) => code.startsWith(UNKNOWN))) return facts;
  return new FactsDecoder(await measureCodeLookup(db, true)).decode(line).facts;
}

/** Facts of several persons on one date (the ledger's accruals), in batches of one query each. */
export async function factsForPersons(
  db: DbOrTrx,
  personIds: number[],
  asOf: string,
): Promise<Map<number, Facts>> {
  const decoder = new FactsDecoder(await measureCodeLookup(db, true));
  const ids = [...new Set(personIds)].sort((a, b) => a - b);
  const out = new Map<number, Facts>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    const lines = await repo.factsLines(db, { asOf, afterId: 0, limit: chunk.length, personIds: chunk });
    for (const line of lines) {
      const r = decoder.decode(line);
      out.set(r.personId, r.facts);
    }
  }
  return out;
}

export interface StreamOptions {
  asOf: string;
  districtIds?: number[];
  /** Persons per query; ~10 000 keeps each result about a megabyte. */
  batchSize?: number;
  /**
   * Id ranges streamed at once, each on its own connection. PostgreSQL does most of the work, so
   * two lanes let it use both cores of a small server; each lane holds at most two batches.
   */
  lanes?: number;
}

/**
 * Every person's facts (optionally in some districts), batch by batch. Within a lane, keyset
 * pagination by person id: one query per batch, and the next batch is fetched while the caller
 * works on this one. Each batch is in id order; with several lanes, batches of lanes interleave.
 */
export async function* streamFacts(db: Db, opts: StreamOptions): AsyncGenerator<PersonFactsRecord[]> {
  const range = await repo.personIdRange(db);
  if (!range) return;
  const decoder = new FactsDecoder(await measureCodeLookup(db, true));
  const lanes = Math.max(1, Math.min(opts.lanes ?? DEFAULT_LANES, 8));
  const step = Math.ceil((range.hi - range.lo + 1) / lanes);
  const streams = Array.from({ length: lanes }, (_, i) =>
    lane(db, opts, range.lo - 1 + i * step, Math.min(range.hi, range.lo - 1 + (i + 1) * step)),
  );
  for await (const lines of interleave(streams)) yield lines.map((line) => decoder.decode(line));
}

const DEFAULT_LANES = 2;

/** Persons with id in (afterId, upTo], batch by batch, the next batch prefetched. */
async function* lane(db: Db, opts: StreamOptions, afterId: number, upTo: number) {
  const limit = opts.batchSize ?? 10_000;
  const fetch = (after: number) =>
    repo.factsLines(db, { asOf: opts.asOf, afterId: after, upTo, limit, districtIds: opts.districtIds });
  let pending: Promise<string[]> | undefined = fetch(afterId);
  try {
    while (pending) {
      const lines: string[] = await pending;
      const last = lines[lines.length - 1];
      pending = lines.length === limit && last ? fetch(Number(last.slice(0, last.indexOf('|')))) : undefined;
      if (lines.length > 0) yield lines;
    }
  } finally {
    // A caller that stops early leaves a prefetch in flight: let it settle quietly.
    await pending?.catch(() => undefined);
  }
}

/** Yields from several generators as each produces, until all are done. */
async function* interleave<T>(sources: AsyncGenerator<T>[]): AsyncGenerator<T> {
  const next = (i: number) => sources[i]!.next().then((r) => ({ i, r }));
  const pending = new Map(sources.map((_, i) => [i, next(i)]));
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) pending.delete(i);
      else {
        pending.set(i, next(i));
        yield r.value;
      }
    }
  } finally {
    await Promise.allSettled(pending.values());
    await Promise.allSettled(sources.map((s) => s.return(undefined)));
  }
}

/** A deterministic sample of residents for dry runs: the same seed gives the same ids. */
export async function sampleResidentIds(db: DbOrTrx, n: number, seed: number): Promise<number[]> {
  return await repo.sampleIds(db, n, seed);
}
