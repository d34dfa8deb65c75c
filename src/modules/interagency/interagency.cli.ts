// `opora agency-sim` and the demo's agency simulator.
import { parseFlags, UsageError } from '../../platform/cli/args.ts';
import type { CliRuntime } from '../../platform/cli/runtime.ts';
import { agencyGateway } from '../../platform/config.ts';
import { dbRegistry } from '../../simulators/agency/agency.registry.ts';
import { type AgencySettings, startAgencySimulator } from '../../simulators/agency/agency.simulator.ts';

export const AGENCY_SIM_USAGE = `  agency-sim [--error-rate R] [--response-delay MS]
                        the agency (SMEV-like) gateway simulator alone, on OPORA_AGENCY_SIM_PORT (3003)`;

const log = (line: string) => process.stderr.write(`${line}\n`);
const controlKey = () => process.env.OPORA_AGENCY_CONTROL_KEY || 'opora-demo-agency-key';

/** The demo's agencies: they answer in a few seconds, and one call in twenty fails (Opora retries). */
const DEMO_SETTINGS: Partial<AgencySettings> = { errorRate: 0.05, delayMs: 100, responseDelayMs: 3000 };

async function start(rt: CliRuntime, settings: Partial<AgencySettings>) {
  return await startAgencySimulator({
    // Stand-in for the agencies' own registers: reads the Opora database, never writes to it.
    registry: dbRegistry(rt.db),
    controlKey: controlKey(),
    port: rt.config.agencySimulatorPort,
    settings,
    onLog: (line) => log(`[agency] ${line}`),
  });
}

export async function commandAgencySim(rt: CliRuntime, args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    'error-rate': { type: 'string' },
    'response-delay': { type: 'string' },
  });
  const errorRate =
    values['error-rate'] === undefined ? DEMO_SETTINGS.errorRate : Number(values['error-rate']);
  if (errorRate === undefined || !(errorRate >= 0 && errorRate <= 1))
    throw new UsageError('--error-rate is between 0 and 1');
  const responseDelayMs =
    values['response-delay'] === undefined ? DEMO_SETTINGS.responseDelayMs : Number(values['response-delay']);
  if (!Number.isInteger(responseDelayMs))
    throw new UsageError('--response-delay is a whole number of milliseconds');
  const sim = await start(rt, { ...DEMO_SETTINGS, errorRate, responseDelayMs });
  log(
    `Agency simulator on ${sim.url} (control endpoints with X-Control-Key: ${controlKey()}); Ctrl+C to stop.`,
  );
  await new Promise<void>((resolve) => {
    const stop = async () => {
      await sim.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Started by `npm start` unless an agency gateway is configured; returns how to stop it. */
export async function startDemoAgency(rt: CliRuntime): Promise<() => Promise<void>> {
  if (rt.config.agency) return async () => {};
  const sim = await start(rt, DEMO_SETTINGS);
  rt.config.agency = agencyGateway(sim.url);
  log(`Agency (SMEV) simulator on ${sim.url} (control endpoints with X-Control-Key: ${controlKey()})`);
  return sim.close;
}
