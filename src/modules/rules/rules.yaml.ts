// Rules in version control (docs/rules.md): rules/parameters.yaml and rules/measures/<CODE>.yaml.
// Import is idempotent and never edits history: a known version or dated value that differs from
// the file is an error. Imported versions are published as reviewed in version control.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLLECTION_STYLE, CORE_SCHEMA, type Document, dump, load, visit } from 'js-yaml';
import { record } from '../../platform/audit/audit.service.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { checkRule, RuleProblemsError } from './rules.check.ts';
import { compileRule, runCase } from './rules.engine.ts';
import {
  caseShapeProblems,
  definitionShapeProblems,
  ISO_DATE,
  type Localized,
  PARAMETER_CODE,
  type Problem,
  type RuleCase,
  type RuleDefinition,
} from './rules.format.ts';
import * as repo from './rules.repository.ts';
import type { ParameterUnit } from './rules.schema.ts';

export const RULES_DIR = fileURLToPath(new URL('../../../rules', import.meta.url));
export const IMPORT_NOTE = 'imported from version control';

export interface ParameterFile {
  code: string;
  unit: ParameterUnit;
  title: Localized;
  values: { from: string; value: number; source: string }[];
}
export interface VersionFile {
  version: number;
  effective_from: string;
  note: string;
  definition: RuleDefinition;
}
export interface MeasureFile {
  measure: string;
  versions: VersionFile[];
  tests: RuleCase[];
}
export interface RuleFiles {
  parameters: ParameterFile[];
  measures: MeasureFile[];
}

// ------------------------------------------------------------ reading and validating files

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const UNITS = ['rub', 'coefficient', 'share', 'years', 'count', 'months'];

function parameterProblems(p: unknown, i: number): Problem[] {
  const where = isObj(p) && typeof p.code === 'string' ? p.code : `parameter #${i + 1}`;
  if (!isObj(p)) return [{ where, message: 'expected an object' }];
  const out: Problem[] = [];
  if (typeof p.code !== 'string' || !PARAMETER_CODE.test(p.code))
    out.push({ where, message: 'code must match ^[a-z][a-z0-9_]{1,62}$' });
  if (!UNITS.includes(p.unit as string))
    out.push({ where, message: `unit must be one of ${UNITS.join(', ')}` });
  if (!isObj(p.title) || typeof p.title.ru !== 'string' || typeof p.title.en !== 'string')
    out.push({ where, message: 'title must be { ru, en }' });
  if (!Array.isArray(p.values) || p.values.length === 0)
    return [...out, { where, message: 'values are missing' }];
  const dates = new Set<unknown>();
  for (const v of p.values) {
    const ok =
      isObj(v) && typeof v.from === 'string' && ISO_DATE.test(v.from) && typeof v.source === 'string';
    if (!ok || typeof v.value !== 'number' || Math.round(v.value * 1e4) / 1e4 !== v.value)
      out.push({
        where,
        message: `bad value ${JSON.stringify(v)}: expected { from: YYYY-MM-DD, value: number (≤ 4 decimals), source }`,
      });
    else if (dates.has(v.from)) out.push({ where, message: `two values from ${v.from}` });
    else dates.add(v.from);
  }
  return out;
}

function versionProblems(v: unknown, i: number): Problem[] {
  const where = isObj(v) && typeof v.version === 'number' ? `version ${v.version}` : `version #${i + 1}`;
  if (!isObj(v)) return [{ where, message: 'expected an object' }];
  const out: Problem[] = [];
  if (!Number.isInteger(v.version) || (v.version as number) < 1)
    out.push({ where, message: 'version must be 1, 2, …' });
  if (typeof v.effective_from !== 'string' || !ISO_DATE.test(v.effective_from))
    out.push({ where, message: 'effective_from must be a date YYYY-MM-DD' });
  if (v.note !== undefined && typeof v.note !== 'string') out.push({ where, message: 'note must be text' });
  const { version: _v, effective_from: _e, note: _n, ...definition } = v;
  return [
    ...out,
    ...definitionShapeProblems(definition).map((p) => ({ ...p, where: `${where}, ${p.where}` })),
  ];
}

function measureProblems(m: unknown, fileCode: string): Problem[] {
  if (!isObj(m)) return [{ where: 'file', message: 'expected measure, versions, tests' }];
  const out: Problem[] = [];
  for (const k of Object.keys(m))
    if (!['measure', 'versions', 'tests'].includes(k))
      out.push({ where: 'file', message: `unexpected key "${k}"` });
  if (m.measure !== fileCode) out.push({ where: 'measure', message: `must be ${fileCode}, the file's name` });
  if (!Array.isArray(m.versions) || m.versions.length === 0)
    return [...out, { where: 'versions', message: 'missing' }];
  for (const [i, v] of m.versions.entries()) out.push(...versionProblems(v, i));
  const numbers = m.versions.map((v) => (isObj(v) ? v.version : null));
  if (new Set(numbers).size !== numbers.length)
    out.push({ where: 'versions', message: 'version numbers repeat' });
  if (m.tests !== undefined && !Array.isArray(m.tests))
    out.push({ where: 'tests', message: 'must be a list' });
  else for (const [i, c] of ((m.tests ?? []) as unknown[]).entries()) out.push(...caseShapeProblems(c, i));
  return out;
}

const readYaml = (file: string): unknown => load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA });

function toParameter(p: Obj): ParameterFile {
  const title = p.title as Localized;
  const values = (p.values as Obj[]).map((v) => ({
    from: v.from as string,
    value: v.value as number,
    source: v.source as string,
  }));
  return {
    code: p.code as string,
    unit: p.unit as ParameterUnit,
    title: { ru: title.ru, en: title.en },
    values,
  };
}

function toMeasure(m: Obj): MeasureFile {
  const versions = (m.versions as Obj[]).map(({ version, effective_from, note, ...definition }) => ({
    version: version as number,
    effective_from: effective_from as string,
    note: (note as string | undefined) ?? '',
    definition: canonicalDefinition(definition as unknown as RuleDefinition),
  }));
  return {
    measure: m.measure as string,
    versions,
    tests: ((m.tests ?? []) as RuleCase[]).map(canonicalCase),
  };
}

/** Reads and validates every file; throws one error listing every problem in every file. */
export function readRuleFiles(dir = RULES_DIR): RuleFiles {
  const problems: Problem[] = [];
  const inFile = (file: string, list: Problem[]) => {
    for (const p of list) problems.push({ ...p, where: `${file}: ${p.where}` });
    return list.length === 0;
  };
  const files: RuleFiles = { parameters: [], measures: [] };
  const paramsFile = join(dir, 'parameters.yaml');
  if (existsSync(paramsFile)) {
    const doc = readYaml(paramsFile);
    const list = isObj(doc) && Array.isArray(doc.parameters) ? doc.parameters : null;
    const found = list
      ? list.flatMap(parameterProblems)
      : [{ where: 'file', message: 'expected parameters: [...]' }];
    if (inFile('parameters.yaml', found) && list) files.parameters = (list as Obj[]).map(toParameter);
  }
  const measuresDir = join(dir, 'measures');
  const names = existsSync(measuresDir)
    ? readdirSync(measuresDir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];
  for (const name of names) {
    const doc = readYaml(join(measuresDir, name));
    if (inFile(`measures/${name}`, measureProblems(doc, name.replace(/\.yaml$/, ''))))
      files.measures.push(toMeasure(doc as Obj));
  }
  if (problems.length) throw new RuleProblemsError(problems);
  return files;
}

// ------------------------------------------------------------ dates: what is in force when

/** The version in force on a day: the latest effective_from on or before it (then the highest number). */
export function versionInForce<T extends { version: number; effective_from: string }>(
  versions: T[],
  asOf: string,
) {
  let best: T | undefined;
  for (const v of versions)
    if (
      v.effective_from <= asOf &&
      (!best ||
        v.effective_from > best.effective_from ||
        (v.effective_from === best.effective_from && v.version > best.version))
    )
      best = v;
  return best;
}

export function paramsOn(parameters: ParameterFile[], asOf: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parameters) {
    const v = versionInForce(
      p.values.map((x) => ({ ...x, version: 0, effective_from: x.from })),
      asOf,
    );
    if (v) out[p.code] = v.value;
  }
  return out;
}

/** A file's tests belong to the version in force on their as_of. */
export const testsOf = (m: MeasureFile, v: VersionFile) =>
  m.tests.filter((c) => versionInForce(m.versions, c.as_of) === v);

// ------------------------------------------------------------ canonical shapes (key order, no extras)

const loc = (l: Localized): Localized => ({ ru: l.ru, en: l.en });

export function canonicalDefinition(def: RuleDefinition): RuleDefinition {
  const conditions = def.conditions.map((c) => ({
    id: c.id,
    expr: c.expr,
    pass: loc(c.pass),
    fail: loc(c.fail),
  }));
  return def.amount
    ? { conditions, amount: { expr: def.amount.expr, explain: loc(def.amount.explain) } }
    : { conditions };
}

export function canonicalCase(c: RuleCase): RuleCase {
  const { eligible, amount, failed } = c.expect;
  return {
    name: c.name,
    as_of: c.as_of,
    ...(c.facts && { facts: c.facts }),
    ...(c.params && { params: c.params }),
    expect: { eligible, ...(amount !== undefined && { amount }), ...(failed && { failed }) },
  };
}

const sameDefinition = (a: unknown, b: RuleDefinition) =>
  JSON.stringify(canonicalDefinition(a as RuleDefinition)) === JSON.stringify(canonicalDefinition(b));

// ------------------------------------------------------------ import

interface Counts {
  parameters: number;
  values: number;
  versions: number;
}

const historyChanged = (where: string, message: string) =>
  new AppError(
    'rules_history_changed',
    409,
    `${where}: ${message}; history is never edited, add a new dated entry`,
  );

async function importParameters(trx: Trx, parameters: ParameterFile[], counts: Counts): Promise<void> {
  const existing = new Map((await repo.allParameters(trx)).map((p) => [p.code, p]));
  const values = new Map(
    (await repo.allParameterValues(trx)).map((v) => [`${v.parameter_code} ${v.effective_from}`, v]),
  );
  for (const p of parameters) {
    const row = { code: p.code, unit: p.unit, title_ru: p.title.ru, title_en: p.title.en };
    const old = existing.get(p.code);
    if (!old) counts.parameters++;
    if (!old) await repo.insertParameter(trx, row);
    else if (old.unit !== row.unit || old.title_ru !== row.title_ru || old.title_en !== row.title_en)
      await repo.updateParameter(trx, row);
    for (const v of p.values) {
      const known = values.get(`${p.code} ${v.from}`);
      if (known && Number(known.value) !== v.value)
        throw historyChanged(
          `parameters.yaml: ${p.code} from ${v.from}`,
          `${known.value} in the database, ${v.value} in the file`,
        );
      if (known) continue;
      await repo.insertParameterValue(trx, {
        parameter_code: p.code,
        effective_from: v.from,
        value: v.value,
        source: v.source,
      });
      counts.values++;
    }
  }
}

/** The same gate as proposing: the check, then the file's test cases for this version. */
async function validateVersion(trx: Trx, m: MeasureFile, v: VersionFile): Promise<void> {
  const where = `measures/${m.measure}.yaml, version ${v.version}`;
  const problems = checkRule(v.definition, await repo.paramContext(trx, v.effective_from));
  if (problems.length)
    throw new RuleProblemsError(problems.map((p) => ({ ...p, where: `${where}, ${p.where}` })));
  const rule = compileRule(m.measure, v.definition);
  const failed: Problem[] = [];
  for (const c of testsOf(m, v)) {
    const result = runCase(rule, c, await repo.paramsAsOf(trx, c.as_of));
    if (!result.passed) failed.push({ where: `${where}, test "${c.name}"`, message: result.message });
  }
  if (failed.length) throw new RuleProblemsError(failed);
}

async function importMeasure(trx: Trx, m: MeasureFile, counts: Counts): Promise<void> {
  const [measure] = await measureRefs(trx, { codes: [m.measure] });
  if (!measure)
    throw new AppError(
      'not_found',
      404,
      `measures/${m.measure}.yaml: no measure ${m.measure} in the catalog`,
    );
  const existing = new Map((await repo.versionsOfMeasure(trx, measure.id)).map((v) => [v.version, v]));
  for (const v of m.versions) {
    const old = existing.get(v.version);
    if (old && (old.effective_from !== v.effective_from || !sameDefinition(old.definition, v.definition)))
      throw historyChanged(
        `measures/${m.measure}.yaml, version ${v.version}`,
        'differs from the version in the database',
      );
    if (old) continue;
    await validateVersion(trx, m, v);
    await repo.insertVersion(trx, {
      measure_id: measure.id,
      version: v.version,
      effective_from: v.effective_from,
      status: 'published',
      definition: v.definition,
      tests: testsOf(m, v),
      note: v.note,
      created_by: null,
      reviewed_at: new Date(),
      review_note: IMPORT_NOTE,
    });
    counts.versions++;
  }
}

/** Loads parameters and rule sets from YAML; importing the same files again adds nothing. */
export async function importRules(db: DbOrTrx, dir = RULES_DIR): Promise<Counts> {
  const files = readRuleFiles(dir);
  return await repo.inTransaction(db, async (trx) => {
    const counts = { parameters: 0, values: 0, versions: 0 };
    await importParameters(trx, files.parameters, counts);
    for (const m of files.measures) await importMeasure(trx, m, counts);
    if (counts.parameters + counts.values + counts.versions > 0)
      await record(trx, { actor: { kind: 'system' }, action: 'rules.import', details: { ...counts } });
    return counts;
  });
}

// ------------------------------------------------------------ export

/** Leaf collections ({ ru, en }, dated values, expectations) in flow style, as people write them. */
function flowLeaves(documents: Document[]): void {
  visit(documents, (node) => {
    if (node.kind === 'mapping' && node.items.every((i) => i.value.kind === 'scalar'))
      node.style = COLLECTION_STYLE.FLOW;
    if (node.kind === 'sequence' && node.items.every((i) => i.kind === 'scalar'))
      node.style = COLLECTION_STYLE.FLOW;
  });
}

const toYaml = (doc: unknown) =>
  dump(doc, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true, transform: flowLeaves });

/** Exporting over rules/ keeps the file's order of parameters (grouped by topic): a minimal diff. */
function existingOrder(file: string): Map<string, number> {
  try {
    const doc = readYaml(file) as { parameters?: { code?: unknown }[] };
    return new Map((doc.parameters ?? []).map((p, i) => [String(p.code), i]));
  } catch {
    return new Map();
  }
}

/** Writes parameters and every published version back in the layout importRules reads. */
export async function exportRules(db: DbOrTrx, dir: string): Promise<void> {
  const [parameters, values, versions] = await Promise.all([
    repo.allParameters(db),
    repo.allParameterValues(db),
    repo.publishedVersions(db),
  ]);
  mkdirSync(join(dir, 'measures'), { recursive: true });
  const order = existingOrder(join(dir, 'parameters.yaml'));
  const rank = (code: string) => order.get(code) ?? order.size;
  parameters.sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
  const doc = parameters.map((p) => ({
    code: p.code,
    unit: p.unit,
    title: { ru: p.title_ru, en: p.title_en },
    values: values
      .filter((v) => v.parameter_code === p.code)
      .map((v) => ({ from: v.effective_from, value: Number(v.value), source: v.source })),
  }));
  writeFileSync(join(dir, 'parameters.yaml'), toYaml({ parameters: doc }));
  for (const code of [...new Set(versions.map((v) => v.measure_code))]) {
    const own = versions.filter((v) => v.measure_code === code);
    const tests = new Map<string, RuleCase>();
    for (const c of own.flatMap((v) => v.tests as RuleCase[]))
      tests.set(JSON.stringify(canonicalCase(c)), canonicalCase(c));
    const file = {
      measure: code,
      versions: own.map((v) => ({
        version: v.version,
        effective_from: v.effective_from,
        note: v.note,
        ...canonicalDefinition(v.definition as RuleDefinition),
      })),
      tests: [...tests.values()],
    };
    writeFileSync(join(dir, 'measures', `${code}.yaml`), toYaml(file));
  }
}
