// `opora sweep`: a proactive sweep run in this process (no job), with a progress bar and its figures.
import { createSweep, informSweepResidents, runSweep } from './modules/proactive/sweep.service.ts';
import { parseFlags, UsageError } from './platform/cli/args.ts';
import { progressBar } from './platform/cli/progress.ts';
import type { Db } from './platform/db/database.ts';

export const SWEEP_USAGE = `  sweep --measure CODE --as-of YYYY-MM-DD [--auto-assign]
                        find residents entitled to a measure and not receiving it: proposals for
                        specialists (or, with --auto-assign, assignments) and inbox messages`;

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function commandSweep(db: Db, args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    measure: { type: 'string' },
    'as-of': { type: 'string' },
    'auto-assign': { type: 'boolean' },
  });
  const asOf = values['as-of'] ?? '';
  if (!values.measure) throw new UsageError('sweep needs --measure CODE');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new UsageError('sweep needs --as-of YYYY-MM-DD');
  const autoAssign = Boolean(values['auto-assign']);
  const measureCode = values.measure.toUpperCase();
  const sweepId = await db
    .transaction()
    .execute((trx) => createSweep(trx, { measureCode, asOf, autoAssign, actorId: null }));
  const bar = progressBar(`Sweep ${measureCode}`);
  const started = performance.now();
  try {
    const f = await runSweep(db, sweepId, (p) => bar.update(p.processed, p.total), { autoAssign });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    // The queued inform job would do this too; from the command line it is done at once (idempotent).
    const told = await informSweepResidents(db, sweepId);
    log(
      [
        `Sweep #${sweepId} of ${measureCode} as of ${asOf}: done in ${seconds.toFixed(1)} s`,
        `  residents checked  ${f.processed.toLocaleString('en')}`,
        `  entitled           ${f.eligible.toLocaleString('en')}`,
        `  ${autoAssign ? 'assigned          ' : 'new proposals     '} ${f.proposalsCreated.toLocaleString('en')}`,
        `  told of a proposal ${told.toLocaleString('en')}`,
      ].join('\n'),
    );
  } finally {
    bar.stop();
  }
}
