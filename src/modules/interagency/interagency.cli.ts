// `opora agency-sim` and the demo's agency simulator.
import type { CliRuntime } from '../../platform/cli/runtime.ts';

export const AGENCY_SIM_USAGE = '  agency-sim            the agency (SMEV-like) simulator alone';

export async function commandAgencySim(_rt: CliRuntime, _args: string[]): Promise<void> {
  throw new Error('agency-sim: not built yet');
}

/** Started by `npm start` unless an agency gateway is configured; returns how to stop it. */
export async function startDemoAgency(_rt: CliRuntime): Promise<() => Promise<void>> {
  return async () => {};
}
