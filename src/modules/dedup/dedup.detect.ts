// Region-wide duplicate detection: one pass over the registry computes each person's blocking keys
// (32-bit hashes in typed arrays, no strings kept), the keys are sorted, persons sharing a key make
// candidate pairs, and only those persons are read again for precise scoring. `opora dedup` and
// bench/dedup.ts run exactly this.
import type { Db } from '../../platform/db/database.ts';
import { blockingKeys, KEY_KINDS, type MatchPerson, type Reason, scorePair } from './dedup.match.ts';
import * as repo from './dedup.repository.ts';

/** A block larger than this is a hash collision or a data problem, not a set of duplicates. */
const MAX_BLOCK = 200;

export interface FoundPair {
  a: number;
  b: number;
  score: number;
  reasons: Reason[];
}

export interface Detection {
  persons: number;
  compared: number;
  /** New pairs each blocking key added (the first key's count includes every pair it found). */
  pairsByKey: number[];
  pairs: FoundPair[];
  ms: { scan: number; block: number; score: number };
}

export async function detectDuplicates(db: Db, url: string): Promise<Detection> {
  const t0 = performance.now();
  let capacity = 1 << 16;
  let ids = new Float64Array(capacity);
  let keys = new Uint32Array(capacity * KEY_KINDS);
  const scratch = new Uint32Array(KEY_KINDS);
  let n = 0;
  await repo.streamBlockingRows(url, (row) => {
    if (n === capacity) {
      capacity *= 2;
      const grownIds = new Float64Array(capacity);
      grownIds.set(ids);
      ids = grownIds;
      const grownKeys = new Uint32Array(capacity * KEY_KINDS);
      grownKeys.set(keys);
      keys = grownKeys;
    }
    ids[n] = row.id;
    blockingKeys(row, scratch);
    keys.set(scratch, n * KEY_KINDS);
    n++;
  });
  const t1 = performance.now();

  // Sort (hash, index) packed in one float64 per person and key: hash in the high bits, index in
  // the low ones, so a native numeric sort groups each block.
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hashBits = Math.min(32, 53 - indexBits);
  const scale = 2 ** indexBits;
  const drop = 32 - hashBits;
  const packed = new Float64Array(n);
  const pairs = new Set<number>();
  const pairsByKey: number[] = [];
  for (let k = 0; k < KEY_KINDS; k++) {
    const before = pairs.size;
    for (let i = 0; i < n; i++) packed[i] = ((keys[i * KEY_KINDS + k] as number) >>> drop) * scale + i;
    packed.sort();
    let start = 0;
    while (start < n) {
      const block = Math.floor((packed[start] as number) / scale);
      let end = start + 1;
      while (end < n && Math.floor((packed[end] as number) / scale) === block) end++;
      const size = end - start;
      if (size > 1 && size <= MAX_BLOCK) {
        for (let x = start; x < end; x++) {
          const i = (packed[x] as number) % scale;
          for (let y = x + 1; y < end; y++) {
            const j = (packed[y] as number) % scale;
            pairs.add(i < j ? i * n + j : j * n + i);
          }
        }
      }
      start = end;
    }
    pairsByKey.push(pairs.size - before);
  }
  const t2 = performance.now();

  const involved = new Set<number>();
  for (const p of pairs) {
    involved.add(ids[Math.floor(p / n)] as number);
    involved.add(ids[p % n] as number);
  }
  const byId = new Map<number, MatchPerson>();
  for (const person of await repo.personsForMatching(db, [...involved])) byId.set(person.id, person);
  const found: FoundPair[] = [];
  for (const p of pairs) {
    const a = byId.get(ids[Math.floor(p / n)] as number);
    const b = byId.get(ids[p % n] as number);
    if (!a || !b) continue; // deleted since the scan
    const scored = scorePair(a, b);
    if (scored) found.push({ a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), ...scored });
  }
  const t3 = performance.now();
  return {
    persons: n,
    compared: pairs.size,
    pairsByKey,
    pairs: found,
    ms: { scan: t1 - t0, block: t2 - t1, score: t3 - t2 },
  };
}

export interface DedupRun {
  persons: number;
  compared: number;
  found: number;
  stored: number;
  ms: number;
  detection: Pick<Detection, 'pairsByKey' | 'ms'>;
}

/** Detection, then the new pairs stored for review (`opora dedup`). */
export async function runDedup(db: Db, url: string): Promise<DedupRun> {
  const t0 = performance.now();
  const detection = await detectDuplicates(db, url);
  const stored = await repo.insertCandidates(db, detection.pairs);
  return {
    persons: detection.persons,
    compared: detection.compared,
    found: detection.pairs.length,
    stored,
    ms: performance.now() - t0,
    detection: { pairsByKey: detection.pairsByKey, ms: detection.ms },
  };
}
