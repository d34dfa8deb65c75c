// Static checks of a rule definition before it can be published: syntax, types against FACT_SCHEMA,
// unknown facts and parameters, parameters without a value, result types, explanation templates.
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { AppError } from '../../platform/errors.ts';
import { FACT_SCHEMA } from './rules.facts.ts';
import {
  definitionShapeProblems,
  type Localized,
  type Problem,
  type RuleDefinition,
  type ValueFormat,
} from './rules.format.ts';

/** The slice of cel-js's AST node we read; checkedType is set on every node by a successful check. */
export interface CelNode {
  readonly op: string;
  readonly args: unknown;
  readonly checkedType?: CelType;
}
export interface CelType {
  readonly name: string;
  readonly kind: string;
  readonly valueType?: CelType;
}

/** The one environment every rule is checked and (as a fallback) evaluated in. Built once: costly. */
export const celEnv = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 50 } })
  .registerVariable({ name: 'person', schema: FACT_SCHEMA.person as unknown as Record<string, string> })
  .registerVariable({ name: 'household', schema: FACT_SCHEMA.household as unknown as Record<string, string> })
  .registerVariable('assignments', FACT_SCHEMA.assignments)
  // Typed as a map so one environment serves every parameter set; unknown codes are caught by scan().
  .registerVariable('params', 'map<string, double>')
  .registerFunction('max(double, double): double', (a: number, b: number) => Math.max(a, b))
  .registerFunction('min(double, double): double', (a: number, b: number) => Math.min(a, b));

export class RuleProblemsError extends AppError {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const list = problems.map((p) => `${p.where}: ${p.message}`);
    super('rule_invalid', 422, `The rule is invalid: ${list.slice(0, 5).join('; ')}`, { problems });
    this.problems = problems;
  }
}

// ------------------------------------------------------------ references: facts and parameters

const MACROS = new Set(['exists', 'all', 'exists_one', 'map', 'filter']);
const isNode = (v: unknown): v is CelNode => typeof v === 'object' && v !== null && 'op' in v;
const isId = (n: unknown, name: string): boolean => isNode(n) && n.op === 'id' && n.args === name;

interface Scan {
  params: Set<string>;
  problems: string[];
}

/** Parameter codes read by an expression, and facts or parameter uses that cannot be right. */
function scan(node: CelNode, bound: ReadonlySet<string>, out: Scan): void {
  const [left, right] = Array.isArray(node.args) ? node.args : [];
  if ((node.op === '.' || node.op === '[]') && isId(left, 'params') && !bound.has('params')) {
    const code = node.op === '.' ? right : isNode(right) && right.op === 'value' ? right.args : null;
    if (typeof code === 'string') out.params.add(code);
    else out.problems.push('parameters must be named literally, as params.<code>');
    return;
  }
  if (node.op === '.' && isNode(left) && left.op === 'id' && typeof right === 'string') {
    const root = left.args as string;
    const schema = (FACT_SCHEMA as Record<string, unknown>)[root];
    if (!bound.has(root) && typeof schema === 'object' && schema && !Object.hasOwn(schema, right))
      out.problems.push(`unknown fact ${root}.${right}`);
  }
  if (node.op === 'id' && node.args === 'params' && !bound.has('params'))
    out.problems.push('parameters must be read one by one, as params.<code>');
  if (node.op === 'rcall') scanCall(node, bound, out);
  else for (const child of children(node)) scan(child, bound, out);
}

/** Macros and cel.bind introduce a variable visible only in their last argument. */
function scanCall(node: CelNode, bound: ReadonlySet<string>, out: Scan): void {
  const [name, receiver, args] = node.args as [string, CelNode, CelNode[]];
  scan(receiver, bound, out);
  const binds = (MACROS.has(name) || (name === 'bind' && isId(receiver, 'cel'))) && args[0]?.op === 'id';
  const inner = binds ? new Set(bound).add(args[0]!.args as string) : bound;
  // cel.bind(var, value, expr): the value is outside the binding; macros: everything after var.
  args.forEach((a, i) => {
    if (!binds || i > 0) scan(a, binds && !(name === 'bind' && i === 1) ? inner : bound, out);
  });
}

function children(node: CelNode): CelNode[] {
  const out: CelNode[] = [];
  const visit = (v: unknown): void => {
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  if (node.op !== 'value' && node.op !== 'id') visit(node.args);
  return out;
}

// ------------------------------------------------------------ one expression

export interface CheckedExpr {
  parsed: ParseResult;
  ast: CelNode;
  type: string;
  params: Set<string>;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/**
 * Parses and type-checks one expression. knownParams null skips the parameter existence check
 * (compiling an already published version); problems are short sentences without the location.
 */
export function checkExpr(
  expr: string,
  knownParams: ReadonlySet<string> | null,
): { checked: CheckedExpr | null; problems: string[] } {
  let parsed: ParseResult;
  try {
    parsed = celEnv.parse(expr);
  } catch (error) {
    return { checked: null, problems: [`syntax error: ${firstLine(error)}`] };
  }
  const found: Scan = { params: new Set(), problems: [] };
  scan(parsed.ast as unknown as CelNode, new Set(), found);
  if (knownParams)
    for (const code of found.params)
      if (!knownParams.has(code)) found.problems.push(`unknown parameter params.${code}`);
  if (found.problems.length) return { checked: null, problems: found.problems };
  const result = parsed.check();
  if (!result.valid) return { checked: null, problems: [`type error: ${firstLine(result.error)}`] };
  const ast = parsed.ast as unknown as CelNode;
  return { checked: { parsed, ast, type: result.type ?? 'dyn', params: found.params }, problems: [] };
}

// ------------------------------------------------------------ explanation templates

export type TemplatePart = string | { expr: string; format: ValueFormat };
const FORMATS = new Set(['rub', 'int', 'years', 'list']);
// The format is the word after the last single "|" (a CEL "||" is never taken for it).
const WITH_FORMAT = /^([\s\S]*[^|])\|\s*([a-z]+)\s*$/;

export function parseTemplate(text: string): { parts: TemplatePart[]; problems: string[] } {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let rest = text;
  for (let open = rest.indexOf('{{'); open >= 0; open = rest.indexOf('{{')) {
    const close = rest.indexOf('}}', open);
    if (close < 0) return { parts, problems: [...problems, 'unclosed {{'] };
    if (open > 0) parts.push(rest.slice(0, open));
    const inner = rest.slice(open + 2, close);
    const m = WITH_FORMAT.exec(inner);
    const format = m ? m[2]! : 'plain';
    if (m && !FORMATS.has(format)) problems.push(`unknown format "${format}" (rub, int, years, list)`);
    parts.push({ expr: (m ? m[1]! : inner).trim(), format: format as ValueFormat });
    rest = rest.slice(close + 2);
  }
  if (rest.includes('}}')) problems.push('"}}" without "{{"');
  if (rest) parts.push(rest);
  return { parts, problems };
}

const NUMBER_TYPES = new Set(['double', 'int']);

function templateProblems(
  text: string,
  knownParams: ReadonlySet<string> | null,
  params: Set<string>,
): string[] {
  const { parts, problems } = parseTemplate(text);
  for (const part of parts) {
    if (typeof part === 'string') continue;
    const { checked, problems: exprProblems } = checkExpr(part.expr, knownParams);
    problems.push(...exprProblems.map((p) => `{{${part.expr}}}: ${p}`));
    if (!checked) continue;
    for (const c of checked.params) params.add(c);
    const numeric = part.format === 'rub' || part.format === 'int' || part.format === 'years';
    if (numeric && !NUMBER_TYPES.has(checked.type))
      problems.push(`{{${part.expr}}}: format ${part.format} needs a number, got ${checked.type}`);
    if (part.format === 'list' && !checked.type.startsWith('list'))
      problems.push(`{{${part.expr}}}: format list needs a list, got ${checked.type}`);
  }
  return problems;
}

function localizedProblems(
  where: string,
  text: Localized,
  known: ReadonlySet<string> | null,
  params: Set<string>,
): Problem[] {
  return (['ru', 'en'] as const).flatMap((lang) =>
    templateProblems(text[lang], known, params).map((message) => ({ where: `${where} (${lang})`, message })),
  );
}

// ------------------------------------------------------------ a whole definition

export interface ParamContext {
  /** Every parameter code that exists. */
  known: ReadonlySet<string>;
  /** Codes with a value in force on the version's effective_from. */
  inForce: ReadonlySet<string>;
  effectiveFrom: string;
}

function exprProblems(
  where: string,
  expr: string,
  expected: string,
  known: ReadonlySet<string> | null,
  params: Set<string>,
) {
  const { checked, problems } = checkExpr(expr, known);
  const out = problems.map((message) => ({ where, message }));
  if (checked) {
    for (const c of checked.params) params.add(c);
    if (checked.type !== expected) out.push({ where, message: `must be ${expected}, got ${checked.type}` });
  }
  return out;
}

/**
 * Every problem of a definition; empty when it may be published. Without a parameter context
 * (compiling a published version) parameters are not looked up.
 */
export function checkRule(def: unknown, ctx: ParamContext | null): Problem[] {
  const shape = definitionShapeProblems(def);
  if (shape.length) return shape;
  const rule = def as RuleDefinition;
  const out: Problem[] = [];
  const params = new Set<string>();
  const seen = new Set<string>();
  const known = ctx?.known ?? null;
  for (const c of rule.conditions) {
    const where = `condition ${c.id}`;
    if (seen.has(c.id)) out.push({ where, message: 'duplicate condition id' });
    seen.add(c.id);
    out.push(...exprProblems(where, c.expr, 'bool', known, params));
    out.push(...localizedProblems(`${where}, pass text`, c.pass, known, params));
    out.push(...localizedProblems(`${where}, fail text`, c.fail, known, params));
  }
  if (rule.amount) {
    out.push(...exprProblems('amount', rule.amount.expr, 'double', known, params));
    out.push(...localizedProblems('amount, explanation', rule.amount.explain, known, params));
  }
  if (!ctx) return out;
  for (const code of [...params].sort())
    if (ctx.known.has(code) && !ctx.inForce.has(code))
      out.push({ where: `params.${code}`, message: `has no value in force on ${ctx.effectiveFrom}` });
  return out;
}
