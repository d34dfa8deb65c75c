// A compiled rule: decide() for the proactive sweep's hot path, evaluate() with every condition's
// outcome explained in Russian and English, and the test-case runner.
import { AppError } from '../../platform/errors.ts';
import { type CelNode, checkExpr, checkRule, parseTemplate, RuleProblemsError } from './rules.check.ts';
import {
  CelRuntimeError,
  type CompiledFn,
  compileExpression,
  constRef,
  genRoot,
  link,
  newUnit,
  type Params,
} from './rules.compile.ts';
import type { Facts } from './rules.facts.ts';
import {
  formatValue,
  type Lang,
  type Localized,
  type RuleCase,
  type RuleDefinition,
  type ValueFormat,
  withDefaults,
} from './rules.format.ts';

export interface ConditionOutcome {
  id: string;
  passed: boolean;
  text: Localized;
}
export interface Evaluation {
  measureCode: string;
  ruleVersionId: number | null;
  version: number;
  eligible: boolean;
  amount: number | null;
  conditions: ConditionOutcome[];
  amountText: Localized | null;
  /** Only the parameters this rule reads, with the values used. */
  parameters: Record<string, number>;
}
export interface Decision {
  eligible: boolean;
  amount: number | null;
}
export interface CompiledRule {
  measureCode: string;
  ruleVersionId: number | null;
  version: number;
  paramsUsed: string[];
  evaluate(facts: Facts, params: Record<string, number>): Evaluation;
  decide(facts: Facts, params: Record<string, number>): Decision;
}

/** A rule that cannot be evaluated for these facts (division by zero, a missing parameter, …). */
export class RuleEvaluationError extends AppError {
  constructor(measureCode: string, where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super('rule_error', 500, `Rule ${measureCode}, ${where}: ${reason}`, { measureCode, where });
  }
}

// ------------------------------------------------------------ amounts and texts

/** Kopecks, half up; the epsilon absorbs binary noise (1.005 * 100 = 100.49999…). */
export function roundKopecks(v: number): number {
  return Math.round(v * 100 + 1e-7) / 100;
}

function money(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new CelRuntimeError('invalid_amount', `amount is ${v}`);
  if (v < 0) throw new CelRuntimeError('invalid_amount', `amount is negative: ${v}`);
  return roundKopecks(v);
}

type Piece = string | { fn: CompiledFn; format: ValueFormat };
type Template = Record<Lang, Piece[]>;

const astOf = (expr: string): CelNode => {
  const { checked, problems } = checkExpr(expr, null);
  if (!checked) throw new RuleProblemsError(problems.map((message) => ({ where: expr, message })));
  return checked.ast;
};

function compileTemplate(text: Localized): Template {
  const pieces = (t: string): Piece[] =>
    parseTemplate(t).parts.map((p) =>
      typeof p === 'string' ? p : { fn: compileExpression(astOf(p.expr)), format: p.format },
    );
  return { ru: pieces(text.ru), en: pieces(text.en) };
}

function renderPieces(pieces: Piece[], lang: Lang, facts: Facts, params: Params): string {
  let out = '';
  for (const p of pieces) {
    if (typeof p === 'string') out += p;
    else {
      // An explanation must not break a decision: a value that cannot be computed shows as a dash.
      try {
        out += formatValue(p.fn(facts, params), p.format, lang);
      } catch {
        out += '—';
      }
    }
  }
  return out;
}

const render = (t: Template, facts: Facts, params: Params): Localized => ({
  ru: renderPieces(t.ru, 'ru', facts, params),
  en: renderPieces(t.en, 'en', facts, params),
});

const unevaluated = (id: string, error: unknown): Localized => {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return {
    ru: `Условие ${id} не удалось проверить: ${reason}`,
    en: `Condition ${id} could not be checked: ${reason}`,
  };
};

// ------------------------------------------------------------ compiling a rule

interface Condition {
  id: string;
  ast: CelNode;
  fn: CompiledFn;
  pass: Template;
  fail: Template;
}

/** Every parameter code named anywhere in the definition, texts included. */
function paramsOf(def: RuleDefinition): string[] {
  const codes = new Set<string>();
  const add = (expr: string) => {
    for (const c of checkExpr(expr, null).checked?.params ?? []) codes.add(c);
  };
  const texts = (l: Localized) => {
    for (const p of [...parseTemplate(l.ru).parts, ...parseTemplate(l.en).parts])
      if (typeof p !== 'string') add(p.expr);
  };
  for (const c of def.conditions) {
    add(c.expr);
    texts(c.pass);
    texts(c.fail);
  }
  if (def.amount) {
    add(def.amount.expr);
    texts(def.amount.explain);
  }
  return [...codes].sort();
}

/**
 * All conditions and the amount in one generated function. CEL's && absorbs errors: a condition
 * that fails to evaluate only matters when no other condition is false.
 */
function compileDecide(measureCode: string, conditions: Condition[], amount: CelNode | null) {
  const u = newUnit();
  const no = constRef(u, Object.freeze({ eligible: false, amount: null }));
  const tag = constRef(u, (x: unknown, where: string) => new RuleEvaluationError(measureCode, where, x));
  const lines: string[] = [];
  let risky = false;
  for (const c of conditions) {
    const g = genRoot(c.ast, u);
    const where = JSON.stringify(`condition ${c.id}`);
    if (!g.throws) lines.push(`if (!(${g.code})) return ${no};`);
    else
      lines.push(
        `try { if (!(${g.code})) return ${no}; } catch (x) { if (e === null) e = ${tag}(x, ${where}); }`,
      );
    risky ||= g.throws;
  }
  if (risky) lines.unshift('let e = null;');
  if (risky) lines.push('if (e !== null) throw e;');
  if (!amount) lines.push(`return ${constRef(u, Object.freeze({ eligible: true, amount: null }))};`);
  else {
    const g = genRoot(amount, u);
    const m = constRef(u, money);
    lines.push(
      `try { return { eligible: true, amount: ${m}(${g.code}) }; } catch (x) { throw ${tag}(x, "amount"); }`,
    );
  }
  return link<Decision>(u, lines.join('\n'));
}

/** Throws RuleProblemsError when the definition is not valid CEL of the right types. */
export function compileRule(
  measureCode: string,
  def: RuleDefinition,
  meta: { ruleVersionId?: number | null; version?: number } = {},
): CompiledRule {
  const problems = checkRule(def, null);
  if (problems.length) throw new RuleProblemsError(problems);
  const conditions: Condition[] = def.conditions.map((c) => {
    const ast = astOf(c.expr);
    return {
      id: c.id,
      ast,
      fn: compileExpression(ast),
      pass: compileTemplate(c.pass),
      fail: compileTemplate(c.fail),
    };
  });
  const amountAst = def.amount ? astOf(def.amount.expr) : null;
  const amount =
    def.amount && amountAst
      ? { fn: compileExpression(amountAst), explain: compileTemplate(def.amount.explain) }
      : null;
  const rule = {
    measureCode,
    ruleVersionId: meta.ruleVersionId ?? null,
    version: meta.version ?? 0,
    paramsUsed: paramsOf(def),
  };
  const decide = compileDecide(measureCode, conditions, amountAst);
  return {
    ...rule,
    decide,
    evaluate: (facts, params) => evaluate(rule, conditions, amount, facts, params),
  };
}

function evaluate(
  rule: Pick<CompiledRule, 'measureCode' | 'ruleVersionId' | 'version' | 'paramsUsed'>,
  conditions: Condition[],
  amount: { fn: CompiledFn; explain: Template } | null,
  facts: Facts,
  params: Params,
): Evaluation {
  const parameters: Record<string, number> = {};
  for (const code of rule.paramsUsed) {
    const v = params[code];
    if (typeof v !== 'number' || !Object.hasOwn(params, code))
      throw new RuleEvaluationError(rule.measureCode, `params.${code}`, 'no value');
    parameters[code] = v;
  }
  const outcomes: ConditionOutcome[] = [];
  let failure: { id: string; error: unknown } | null = null;
  let anyFalse = false;
  for (const c of conditions) {
    let passed: boolean;
    try {
      passed = c.fn(facts, params) === true;
    } catch (error) {
      failure ??= { id: c.id, error };
      outcomes.push({ id: c.id, passed: false, text: unevaluated(c.id, error) });
      continue;
    }
    anyFalse ||= !passed;
    outcomes.push({ id: c.id, passed, text: render(passed ? c.pass : c.fail, facts, params) });
  }
  if (failure && !anyFalse)
    throw new RuleEvaluationError(rule.measureCode, `condition ${failure.id}`, failure.error);
  const eligible = !anyFalse && !failure;
  let value: number | null = null;
  if (eligible && amount) {
    try {
      value = money(amount.fn(facts, params));
    } catch (error) {
      throw new RuleEvaluationError(rule.measureCode, 'amount', error);
    }
  }
  const amountText = value !== null && amount ? render(amount.explain, facts, params) : null;
  const { measureCode, ruleVersionId, version } = rule;
  return {
    measureCode,
    ruleVersionId,
    version,
    eligible,
    amount: value,
    conditions: outcomes,
    amountText,
    parameters,
  };
}

// ------------------------------------------------------------ test cases

export interface CaseResult {
  name: string;
  passed: boolean;
  message: string;
  evaluation: Evaluation;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function mismatch(expect: RuleCase['expect'], ev: Evaluation): string | null {
  const failed = ev.conditions.filter((o) => !o.passed).map((o) => o.id);
  const got = ev.eligible
    ? `eligible${ev.amount === null ? '' : ` with amount ${ev.amount}`}`
    : `not eligible (failed: ${failed.join(', ')})`;
  if (expect.eligible !== ev.eligible)
    return `expected ${expect.eligible ? 'eligible' : 'not eligible'}, got ${got}`;
  if (expect.amount !== undefined && (ev.amount === null || Math.abs(ev.amount - expect.amount) >= 0.005))
    return `expected amount ${expect.amount}, got ${ev.amount}`;
  if (expect.failed && !sameSet(expect.failed, failed))
    return `expected failed [${expect.failed.join(', ')}], got [${failed.join(', ')}]`;
  return null;
}

/** What a case reports when the rule could not be evaluated at all. */
export function emptyEvaluation(rule: CompiledRule): Evaluation {
  const { measureCode, ruleVersionId, version } = rule;
  return {
    measureCode,
    ruleVersionId,
    version,
    eligible: false,
    amount: null,
    conditions: [],
    amountText: null,
    parameters: {},
  };
}

/** Runs one case with the parameters in force on its as_of (the case's own values override them). */
export function runCase(rule: CompiledRule, c: RuleCase, params: Params): CaseResult {
  const unknown = Object.keys(c.params ?? {}).filter((code) => !Object.hasOwn(params, code));
  const empty = emptyEvaluation(rule);
  if (unknown.length)
    return {
      name: c.name,
      passed: false,
      message: `unknown parameters: ${unknown.join(', ')}`,
      evaluation: empty,
    };
  try {
    const evaluation = rule.evaluate(withDefaults(c.facts), { ...params, ...c.params });
    const problem = mismatch(c.expect, evaluation);
    return { name: c.name, passed: problem === null, message: problem ?? 'ok', evaluation };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name: c.name, passed: false, message: `error: ${message}`, evaluation: empty };
  }
}
