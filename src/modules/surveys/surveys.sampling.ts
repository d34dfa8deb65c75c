// A stratified random sample of recipients: reproducible from a seed, never the same person twice.
import { apportion, Random } from '../../seed/random.ts';

export interface Candidate {
  id: string;
  /** Stratum keys, e.g. { district: '12', ageGroup: '65+', channel: 'office' }. */
  strata: Readonly<Record<string, string>>;
}

export type Allocation = 'proportional' | 'equal';

export interface SampleRequest {
  /** The sample size wanted in all. */
  size: number;
  /** Which keys of `strata` define the strata (e.g. ['district', 'ageGroup', 'channel']). */
  by: readonly string[];
  allocation: Allocation;
  /** A 32-bit integer; the same seed, candidates and request give the same sample. */
  seed: number;
}

export interface StratumDraw {
  /** The stratum's key values in the order of `by`. */
  key: readonly string[];
  population: number;
  allocated: number;
}

export interface Sample {
  /** Selected ids, in the order drawn (stratum by stratum). */
  ids: string[];
  strata: StratumDraw[];
  /** Candidates listed more than once (the same id), counted once. */
  duplicates: number;
  /** Fewer than requested because the frame is smaller. */
  shortfall: number;
}

/**
 * Allocation of `size` over strata of the given populations: proportional (largest remainder, so the
 * parts add up exactly) or equal; a stratum never gets more than it has, and what it cannot take is
 * shared among the others by the same rule.
 */
export function allocate(size: number, populations: readonly number[], allocation: Allocation): number[] {
  const parts = populations.map(() => 0);
  let left = Math.min(
    size,
    populations.reduce((a, b) => a + b, 0),
  );
  while (left > 0) {
    const open = populations.map((p, h) => (p - parts[h]! > 0 ? h : -1)).filter((h) => h >= 0);
    if (open.length === 0) break;
    const shares = apportion(
      left,
      open.map((h) => (allocation === 'equal' ? 1 : populations[h]!)),
    );
    let given = 0;
    open.forEach((h, i) => {
      const take = Math.min(shares[i]!, populations[h]! - parts[h]!);
      parts[h]! += take;
      given += take;
    });
    left -= given;
    if (given === 0) break;
  }
  return parts;
}

/** Strata sorted by key, candidates sorted by id within each: the draw does not depend on input order. */
export function drawStratifiedSample(candidates: readonly Candidate[], request: SampleRequest): Sample {
  if (!Number.isInteger(request.size) || request.size < 0) throw new RangeError('sample size must be ≥ 0');
  const seen = new Set<string>();
  const groups = new Map<string, { key: string[]; ids: string[] }>();
  let duplicates = 0;
  for (const c of candidates) {
    if (seen.has(c.id)) {
      duplicates++;
      continue;
    }
    seen.add(c.id);
    const key = request.by.map((k) => c.strata[k] ?? '');
    const name = JSON.stringify(key);
    let g = groups.get(name);
    if (!g) {
      g = { key, ids: [] };
      groups.set(name, g);
    }
    g.ids.push(c.id);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const parts = allocate(
    request.size,
    ordered.map((g) => g.ids.length),
    request.allocation,
  );
  const random = new Random(request.seed);
  const ids: string[] = [];
  const strata: StratumDraw[] = [];
  ordered.forEach((g, h) => {
    const pool = g.ids.sort();
    const m = parts[h]!;
    // Partial Fisher–Yates: the first m places get a uniformly random m-subset, without repetition.
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(random.next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      ids.push(pool[i]!);
    }
    strata.push({ key: g.key, population: pool.length, allocated: m });
  });
  return { ids, strata, duplicates, shortfall: request.size - ids.length };
}
