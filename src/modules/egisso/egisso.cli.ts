// `opora egisso export [--out FILE] [--limit N]`: the incremental export of assignment facts.
// Every package is kept in the blob store (downloadable from the staff page); --out also writes it to
// a file — FILE itself for one package, FILE with the district code before the extension for several.
import { writeFile } from 'node:fs/promises';
import { parseFlags, positiveInt, UsageError } from '../../platform/cli/args.ts';
import type { CliRuntime } from '../../platform/cli/runtime.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { DEFAULT_LIMIT, exportById, exportNow } from './egisso.service.ts';

export const EGISSO_USAGE =
  '  egisso export [--out FILE] [--limit N]\n                        export changed assignment facts to EGISSO';

/** FILE for a single package; otherwise name.<district>.xml beside it. */
export function outPath(out: string, districtCode: string, many: boolean): string {
  if (!many) return out;
  const dot = out.lastIndexOf('.');
  return dot > out.lastIndexOf('/')
    ? `${out.slice(0, dot)}.${districtCode}${out.slice(dot)}`
    : `${out}.${districtCode}.xml`;
}

export async function commandEgisso(rt: CliRuntime, args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    out: { type: 'string' },
    limit: { type: 'string' },
  });
  if (positionals[0] !== 'export') throw new UsageError('egisso: expected "export [--out FILE] [--limit N]"');
  const limit = positiveInt('limit', values.limit, DEFAULT_LIMIT);
  await migrateToLatest(rt.db);
  const store = blobStore(rt.config);
  const summary = await exportNow(rt.db, store, { limit });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `EGISSO export ${summary.exportId}: ${summary.new} new, ${summary.change} changed, ` +
      `${summary.cancel} cancelled, ${summary.rejected} rejected`,
  );
  if (summary.packages.length === 0) {
    say('Nothing changed since the last export: no package.');
    return;
  }
  const view = await exportById(rt.db, summary.exportId);
  for (const p of view.packages) {
    const code = p.district?.code ?? String(p.district_id);
    let line = `  package ${p.id} (${code}, provider ${p.provider_code}): ${p.records} records`;
    if (values.out) {
      const file = outPath(values.out, code, view.packages.length > 1);
      await writeFile(file, await store.get(p.blob_sha256));
      line += ` → ${file}`;
    }
    say(line);
  }
}
