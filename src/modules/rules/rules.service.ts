// Rules as code: the rule book in force on a day, checking and test-running definitions, and the
// four-eyes life cycle of a version (draft → proposed → published | rejected), every step audited.
import { record } from '../../platform/audit/audit.service.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { checkRule, RuleProblemsError } from './rules.check.ts';
import {
  type CaseResult,
  type CompiledRule,
  compileRule,
  type Evaluation,
  emptyEvaluation,
  runCase,
} from './rules.engine.ts';
import type { Facts } from './rules.facts.ts';
import {
  caseShapeProblems,
  ISO_DATE,
  type Problem,
  type RuleCase,
  type RuleDefinition,
} from './rules.format.ts';
import * as repo from './rules.repository.ts';

export { RuleProblemsError } from './rules.check.ts';
export type { CompiledRule, ConditionOutcome, Evaluation } from './rules.engine.ts';
export { exportRules, importRules } from './rules.yaml.ts';

export interface RuleBook {
  asOf: string;
  params: Record<string, number>;
  rules: CompiledRule[];
  byMeasure: Map<string, CompiledRule>;
}

// ------------------------------------------------------------ the rule book

// Versions are immutable, so a compiled version is reused for as long as the process lives. The
// definition text is kept to tell apart equal ids from different databases (tests, tools).
const compiled = new Map<number, { text: string; rule: CompiledRule }>();

function compiledVersion(row: { id: number; measure_code: string; version: number; definition: unknown }) {
  const text = JSON.stringify(row.definition);
  const hit = compiled.get(row.id);
  if (hit?.text === text) return hit.rule;
  const rule = compileRule(row.measure_code, row.definition as RuleDefinition, {
    ruleVersionId: row.id,
    version: row.version,
  });
  compiled.set(row.id, { text, rule });
  return rule;
}

export async function paramsAsOf(db: DbOrTrx, asOf: string): Promise<Record<string, number>> {
  return await repo.paramsAsOf(db, asOf);
}

/** Published versions in force on asOf (all measures, or only measureCodes) and parameter values. */
export async function ruleBookAsOf(db: DbOrTrx, asOf: string, measureCodes?: string[]): Promise<RuleBook> {
  const [params, rows] = await Promise.all([
    repo.paramsAsOf(db, asOf),
    repo.versionsInForce(db, asOf, measureCodes),
  ]);
  const rules = rows.map(compiledVersion);
  return { asOf, params, rules, byMeasure: new Map(rules.map((r) => [r.measureCode, r])) };
}

export function evaluateAll(book: RuleBook, facts: Facts): Evaluation[] {
  return book.rules.map((rule) => rule.evaluate(facts, book.params));
}

/** Any version, drafts included (a dry run of a draft before it is proposed). */
export async function compileVersion(db: DbOrTrx, versionId: number): Promise<CompiledRule> {
  return compiledVersion(await requireVersion(db, versionId));
}

// ------------------------------------------------------------ checking and test cases

export async function checkDefinition(
  db: DbOrTrx,
  def: RuleDefinition,
  effectiveFrom: string,
): Promise<Problem[]> {
  if (!ISO_DATE.test(effectiveFrom))
    return [{ where: 'effective_from', message: 'must be a date YYYY-MM-DD' }];
  return checkRule(def, await repo.paramContext(db, effectiveFrom));
}

/** Runs cases against the given definition with the parameter values in force on each case's as_of. */
export async function runCases(
  db: DbOrTrx,
  measureCode: string,
  def: RuleDefinition,
  cases: RuleCase[],
): Promise<CaseResult[]> {
  const rule = compileRule(measureCode, def);
  const byDate = new Map<string, Record<string, number>>();
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const shape = caseShapeProblems(c, i);
    if (shape.length) {
      const message = shape.map((p) => p.message).join('; ');
      results.push({
        name: c?.name ?? `#${i + 1}`,
        passed: false,
        message,
        evaluation: emptyEvaluation(rule),
      });
      continue;
    }
    const params = byDate.get(c.as_of) ?? (await repo.paramsAsOf(db, c.as_of));
    byDate.set(c.as_of, params);
    results.push(runCase(rule, c, params));
  }
  return results;
}

// ------------------------------------------------------------ versions and four eyes

export type RuleVersion = Omit<repo.VersionRow, 'definition' | 'tests'> & {
  definition: RuleDefinition;
  tests: RuleCase[];
};

const asVersion = (row: repo.VersionRow): RuleVersion => ({
  ...row,
  definition: row.definition as RuleDefinition,
  tests: row.tests as RuleCase[],
});

export async function getVersion(db: DbOrTrx, id: number): Promise<RuleVersion | undefined> {
  const row = await repo.findVersion(db, id);
  return row && asVersion(row);
}

async function requireVersion(db: DbOrTrx, id: number): Promise<RuleVersion> {
  const version = await getVersion(db, id);
  if (!version) throw notFound('Rule version');
  return version;
}

export async function listVersions(db: DbOrTrx, measureCode: string): Promise<RuleVersion[]> {
  return (await repo.versionsOfMeasure(db, await measureId(db, measureCode))).map(asVersion);
}

async function measureId(db: DbOrTrx, code: string): Promise<number> {
  const [measure] = await measureRefs(db, { codes: [code] });
  if (!measure) throw notFound(`Measure ${code}`);
  return measure.id;
}

const audit = (
  trx: Trx,
  actorId: number,
  action: string,
  v: { id: number },
  details: Record<string, unknown>,
) =>
  record(trx, {
    actor: { kind: 'staff', id: actorId },
    action,
    subject: { kind: 'rule_version', id: v.id },
    details,
  });

const wrongStatus = (v: RuleVersion, expected: string) =>
  new AppError(
    'rule_status',
    409,
    `Version ${v.version} of ${v.measure_code} is ${v.status}; only a ${expected} version can be changed this way`,
  );

export async function createDraft(
  db: DbOrTrx,
  input: {
    measureCode: string;
    effectiveFrom: string;
    definition: RuleDefinition;
    tests: RuleCase[];
    note: string;
    actorId: number;
  },
): Promise<number> {
  return await repo.inTransaction(db, async (trx) => {
    const id = await measureId(trx, input.measureCode);
    const problems = [
      ...(await checkDefinition(trx, input.definition, input.effectiveFrom)),
      ...input.tests.flatMap((c, i) => caseShapeProblems(c, i)),
    ];
    if (problems.length) throw new RuleProblemsError(problems);
    await repo.lockMeasureVersions(trx, id);
    const version = (await repo.maxVersion(trx, id)) + 1;
    const versionId = await repo.insertVersion(trx, {
      measure_id: id,
      version,
      effective_from: input.effectiveFrom,
      status: 'draft',
      definition: input.definition,
      tests: input.tests,
      note: input.note,
      created_by: input.actorId,
    });
    await audit(
      trx,
      input.actorId,
      'rules.draft',
      { id: versionId },
      { measure: input.measureCode, version },
    );
    return versionId;
  });
}

/** Refuses unless the definition passes the check and every test case passes (there must be one). */
export async function propose(db: DbOrTrx, versionId: number, actorId: number): Promise<void> {
  const v = await requireVersion(db, versionId);
  if (v.status !== 'draft') throw wrongStatus(v, 'draft');
  const problems = await checkDefinition(db, v.definition, v.effective_from);
  if (problems.length) throw new RuleProblemsError(problems);
  if (v.tests.length === 0)
    throw new RuleProblemsError([{ where: 'tests', message: 'at least one test case is required' }]);
  const failed = (await runCases(db, v.measure_code, v.definition, v.tests)).filter((r) => !r.passed);
  if (failed.length)
    throw new RuleProblemsError(failed.map((r) => ({ where: `test "${r.name}"`, message: r.message })));
  await repo.inTransaction(db, async (trx) => {
    if (!(await repo.markProposed(trx, versionId, actorId))) throw wrongStatus(v, 'draft');
    await audit(trx, actorId, 'rules.propose', v, { measure: v.measure_code, version: v.version });
  });
}

const fourEyes = () =>
  new AppError(
    'four_eyes',
    403,
    'The analyst who proposed a rule version cannot review it: another analyst must',
  );

async function review(
  db: DbOrTrx,
  versionId: number,
  actorId: number,
  outcome: { status: 'published' | 'rejected'; note: string | null },
): Promise<void> {
  const v = await requireVersion(db, versionId);
  if (v.status !== 'proposed') throw wrongStatus(v, 'proposed');
  if (v.proposed_by === actorId) throw fourEyes();
  await repo.inTransaction(db, async (trx) => {
    const done = await repo.markReviewed(trx, versionId, { ...outcome, actorId }).catch((error) => {
      // The database's own four-eyes check (a race with a concurrent proposal) reads the same.
      throw (error as { code?: string }).code === '23514' ? fourEyes() : error;
    });
    if (!done) throw wrongStatus(v, 'proposed');
    const action = outcome.status === 'published' ? 'rules.approve' : 'rules.reject';
    await audit(trx, actorId, action, v, { measure: v.measure_code, version: v.version, note: outcome.note });
  });
}

/** Publishes a proposed version; from its effective_from it is the version in force. */
export async function approve(db: DbOrTrx, versionId: number, actorId: number, note?: string): Promise<void> {
  await review(db, versionId, actorId, { status: 'published', note: note ?? null });
}

export async function reject(db: DbOrTrx, versionId: number, actorId: number, note: string): Promise<void> {
  if (!note.trim()) throw new AppError('note_required', 422, 'Say why the version is rejected');
  await review(db, versionId, actorId, { status: 'rejected', note });
}
