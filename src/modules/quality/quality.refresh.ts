// The aggregate refresh: consumes the changed-case list written by the trigger of migration 0015 and
// applies, per case, (current facts − previous facts) to the cube. A case changed while a refresh runs
// is listed again by its own transaction, so it is never missed; cost is proportional to the cases
// that changed. Safe to run twice and concurrently (the second waits its turn by skipping).

import { isWorkingDay } from '../../platform/calendar/calendar.service.ts';
import type { Db } from '../../platform/db/database.ts';
import { allCaseFactsQuery, caseFacts } from '../applications/applications.quality.ts';
import { cubeDeltas, ELECTRONIC_CHANNELS, factFromCase } from './quality.aggregates.ts';
import * as repo from './quality.repository.ts';

export interface RefreshResult {
  cases: number;
  batches: number;
  /** False when another refresh held the lock, so this one did nothing. */
  ran: boolean;
}

/** Phase timings on stderr when QUALITY_PROFILE is set (the benchmark); a no-op otherwise. */
function profiler(): (phase: string) => void {
  if (!process.env.QUALITY_PROFILE) return () => {};
  let t = performance.now();
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`  refresh ${phase}: ${Math.round(now - t)} ms\n`);
    t = now;
  };
}

/** Applies the changed cases in batches until none is left (or maxBatches). */
export async function refreshAggregates(
  db: Db,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<RefreshResult> {
  const batchSize = opts.batchSize ?? 2000;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  let cases = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await repo.tryRefreshLock(trx))) return null;
      const ids = await repo.takeDirty(trx, batchSize);
      if (ids.length === 0) return 0;
      const lap = profiler();
      const before = await repo.factsByIds(trx, ids);
      lap('old facts');
      const after = (await caseFacts(trx, ids)).map(factFromCase);
      lap('case facts');
      await repo.deleteFacts(trx, ids);
      await repo.insertFacts(trx, after);
      lap('write facts');
      // Priority decisions: decided first unless an ordinary case (facts now include this batch) overtook it.
      const priorityDecided = after.filter((f) => f.priority && f.decided_on !== null);
      const overtaken = await repo.overtaken(
        trx,
        priorityDecided.map((f) => f.application_id),
      );
      for (const f of priorityDecided) f.decided_first = !overtaken.has(f.application_id);
      await repo.setDecidedFirst(trx, priorityDecided);
      lap('decided first');
      await repo.applyDeltas(trx, cubeDeltas(before, after));
      lap('cube');
      return ids.length;
    });
    if (done === null) return { cases, batches, ran: batches > 0 };
    if (done === 0) break;
    cases += done;
    batches++;
  }
  return { cases, batches, ran: true };
}

/** Working days up to and including each day, 1990–2040, by the production calendar. */
function workdayIndex(): { days: string[]; n: number[] } {
  const days: string[] = [];
  const n: number[] = [];
  let count = 0;
  for (let d = new Date(Date.UTC(1990, 0, 1)); d.getUTCFullYear() <= 2040; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (isWorkingDay(iso)) count++;
    days.push(iso);
    n.push(count);
  }
  return { days, n };
}

/**
 * Rebuilds facts and cube from every case in one set-based pass (first start, a change of definitions,
 * or a bulk load with the triggers off). Same rules as the increments; the test compares the two.
 */
export async function rebuildAggregates(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.waitRefreshLock(trx);
    await repo.rebuildSetBased(trx, allCaseFactsQuery(), workdayIndex(), ELECTRONIC_CHANNELS);
  });
}

export const pendingChanges = repo.countDirty;
