// `opora dedup`: duplicate candidates across the region.
import type { CliRuntime } from '../../platform/cli/runtime.ts';

export const DEDUP_USAGE = '  dedup                 find duplicate candidates across the region';

export async function commandDedup(_rt: CliRuntime, _args: string[]): Promise<void> {
  throw new Error('dedup: not built yet');
}
