// `opora egisso export`: the incremental export of assignment facts.
import type { CliRuntime } from '../../platform/cli/runtime.ts';

export const EGISSO_USAGE = '  egisso export         export changed assignment facts to EGISSO';

export async function commandEgisso(_rt: CliRuntime, _args: string[]): Promise<void> {
  throw new Error('egisso: not built yet');
}
