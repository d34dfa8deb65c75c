// `opora dedup`: duplicate candidates across the region, stored for review.
import type { CliRuntime } from '../../platform/cli/runtime.ts';
import { runDedup } from './dedup.detect.ts';

export const DEDUP_USAGE = '  dedup                 find duplicate candidates across the region';

export async function commandDedup(rt: CliRuntime, _args: string[]): Promise<void> {
  process.stdout.write('Looking for duplicates across the region…\n');
  const run = await runDedup(rt.db, rt.url);
  const n = (v: number) => v.toLocaleString('en');
  process.stdout.write(
    `Scanned ${n(run.persons)} residents, compared ${n(run.compared)} pairs after blocking: ` +
      `${n(run.found)} likely duplicates, ${n(run.stored)} new for review, in ${(run.ms / 1000).toFixed(1)} s\n`,
  );
}
