// Compiles a type-checked cel-js AST into a JavaScript function: interpreted cel-js is ~35x slower
// than hand-written code, and the proactive sweep evaluates a rule for millions of residents.
//
// Safety: code is generated only from whitelisted node types; identifiers in the output are our own
// (v0..v2, p0.., i0..); every literal from the rule is JSON-escaped or passed as a constant (K); no
// source text is ever spliced in. Any node not handled here is evaluated by cel-js itself (F).
//
// Semantics follow CEL as cel-js implements it (checked by rules.compile.test.ts), except:
// - double division by zero is an error here (CEL and cel-js give ±Infinity/NaN): a benefit amount
//   must never become Infinity;
// - facts are trusted to be complete and well-typed (built by the registry or withDefaults), so a
//   missing fact reads as undefined instead of raising "no such key";
// - every parameter an expression names must be present before evaluation starts, even if the
//   branch reading it is not taken (CEL would only fail when reading it).
import { type ASTNode, serialize } from '@marcbachmann/cel-js';
import { type CelNode, type CelType, celEnv } from './rules.check.ts';
import type { Facts } from './rules.facts.ts';

export type Params = Record<string, number>;
export type CompiledFn = (facts: Facts, params: Params) => unknown;

export class CelRuntimeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CelRuntimeError';
    this.code = code;
  }
}

// ------------------------------------------------------------ runtime helpers (H in generated code)

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;
const fail = (code: string, message: string): never => {
  throw new CelRuntimeError(code, message);
};
const checkInt = (v: bigint): bigint =>
  v <= MAX_INT && v >= MIN_INT ? v : fail('numeric_overflow', `integer overflow: ${v}`);

function celEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && BigInt(b) === a;
  if (typeof a === 'number' && typeof b === 'bigint') return celEqual(b, a);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => celEqual(x, b[i]));
  return false;
}

export const HELPERS = {
  iadd: (a: bigint, b: bigint) => checkInt(a + b),
  isub: (a: bigint, b: bigint) => checkInt(a - b),
  imul: (a: bigint, b: bigint) => checkInt(a * b),
  idiv: (a: bigint, b: bigint) => (b === 0n ? fail('division_by_zero', 'division by zero') : a / b),
  imod: (a: bigint, b: bigint) => (b === 0n ? fail('modulo_by_zero', 'modulo by zero') : a % b),
  ddiv: (a: number, b: number) => (b === 0 ? fail('division_by_zero', 'division by zero') : a / b),
  at: (list: readonly unknown[], i: bigint) =>
    i >= 0n && i < BigInt(list.length)
      ? list[Number(i)]
      : fail('index_out_of_bounds', `index out of bounds, index ${i} >= size ${list.length}`),
  size: (list: readonly unknown[]) => BigInt(list.length),
  ssize: (s: string) => {
    let n = 0;
    for (const _ of s) n++;
    return BigInt(n);
  },
  toInt: (v: number) =>
    Number.isFinite(v)
      ? BigInt(Math.trunc(v))
      : fail('numeric_overflow', 'int() type error: integer overflow'),
  num: (v: bigint) => Number(v),
  str: (v: unknown) => String(v),
  strD: (v: number) => (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`),
  has: (o: object, k: string) => Object.hasOwn(o, k) && (o as Record<string, unknown>)[k] !== undefined,
  inList: (v: unknown, list: readonly unknown[]) => list.indexOf(v) !== -1,
  eq: celEqual,
  cat: (a: readonly unknown[], b: readonly unknown[]) => [...a, ...b],
  max: Math.max,
  min: Math.min,
  missing: (code: string) => fail('missing_parameter', `parameter ${code} has no value`),
};

// ------------------------------------------------------------ code generation

interface Local {
  id: string;
  type: CelType | undefined;
}
type Scope = ReadonlyMap<string, Local>;
type Fallback = (...args: unknown[]) => unknown;

/** One generated function: its constants, cel-js fallbacks and parameter slots. */
export interface Unit {
  consts: unknown[];
  fallbacks: Fallback[];
  params: Map<string, string>;
  locals: number;
}
export interface Gen {
  code: string;
  /** Can raise a CEL error at run time (matters for && || error absorption and exists/all). */
  throws: boolean;
}

export const newUnit = (): Unit => ({ consts: [], fallbacks: [], params: new Map(), locals: 0 });

/** A constant the generated code refers to as K[i]: values never pass through source text. */
export function constRef(u: Unit, value: unknown): string {
  u.consts.push(value);
  return `K[${u.consts.length - 1}]`;
}

const ROOTS: Record<string, string> = { person: 'v0', household: 'v1', assignments: 'v2', params: 'p' };
const typeName = (n: CelNode) => n.checkedType?.name ?? 'dyn';
const isList = (n: CelNode) => n.checkedType?.kind === 'list' && !n.checkedType.name.includes('dyn');
const pure = (code: string, ...parts: Gen[]): Gen => ({ code, throws: parts.some((p) => p.throws) });
const risky = (code: string): Gen => ({ code, throws: true });
const isParams = (n: CelNode, s: Scope) => n.op === 'id' && n.args === 'params' && !s.has('params');

function paramSlot(u: Unit, code: string): string {
  const slot = u.params.get(code) ?? `p${u.params.size}`;
  u.params.set(code, slot);
  return slot;
}

function newLocal(u: Unit, prefix: string): string {
  return `${prefix}${u.locals++}`;
}

/** Generates an expression for any node: our own code where supported, cel-js otherwise. */
export function gen(n: CelNode, u: Unit, s: Scope = new Map()): Gen {
  return genSupported(n, u, s) ?? fallback(n, u, s);
}

function genSupported(n: CelNode, u: Unit, s: Scope): Gen | null {
  switch (n.op) {
    case 'value':
      return genValue(n.args);
    case 'id':
      return genId(n.args as string, s);
    case '.':
      return genField(n, u, s);
    case '[]':
      return genIndex(n, u, s);
    case 'call':
      return genCall(n, u, s);
    case 'rcall':
      return genMethod(n, u, s);
    case 'list':
      return genList(n.args as CelNode[], u, s);
    case '?:': {
      const [c, a, b] = (n.args as CelNode[]).map((x) => gen(x, u, s)) as [Gen, Gen, Gen];
      return pure(`(${c.code} ? ${a.code} : ${b.code})`, c, a, b);
    }
    case '&&':
    case '||':
      return genLogical(n, u, s);
    case '!_': {
      const x = gen(n.args as CelNode, u, s);
      return pure(`(!${x.code})`, x);
    }
    case '-_': {
      const arg = n.args as CelNode;
      if (typeName(arg) !== 'double' && typeName(arg) !== 'int') return null;
      const x = gen(arg, u, s);
      return pure(`(-${x.code})`, x);
    }
    default:
      return genBinary(n, u, s);
  }
}

function genValue(v: unknown): Gen | null {
  switch (typeof v) {
    case 'bigint':
      return pure(`${v}n`);
    case 'number':
      return Number.isFinite(v) ? pure(`(${JSON.stringify(v)})`) : null;
    case 'string':
      return pure(JSON.stringify(v));
    case 'boolean':
      return pure(v ? 'true' : 'false');
    default:
      return v === null ? pure('null') : null;
  }
}

function genId(name: string, s: Scope): Gen | null {
  const local = s.get(name);
  if (local) return pure(local.id);
  return Object.hasOwn(ROOTS, name) ? pure(ROOTS[name]!) : null;
}

function genField(n: CelNode, u: Unit, s: Scope): Gen | null {
  const [obj, field] = n.args as [CelNode, string];
  if (isParams(obj, s)) return pure(paramSlot(u, field));
  if (obj.checkedType?.kind !== 'message') return null;
  const o = gen(obj, u, s);
  return pure(`${o.code}[${JSON.stringify(field)}]`, o);
}

function genIndex(n: CelNode, u: Unit, s: Scope): Gen | null {
  const [obj, key] = n.args as [CelNode, CelNode];
  if (isParams(obj, s) && key.op === 'value' && typeof key.args === 'string')
    return pure(paramSlot(u, key.args));
  if (!isList(obj) || typeName(key) !== 'int') return null;
  return risky(`H.at(${gen(obj, u, s).code}, ${gen(key, u, s).code})`);
}

// ------------------------------------------------------------ functions and methods

function genCall(n: CelNode, u: Unit, s: Scope): Gen | null {
  const [name, args] = n.args as [string, CelNode[]];
  if (args.length === 2 && (name === 'max' || name === 'min')) {
    if (args.some((a) => typeName(a) !== 'double')) return null;
    const [a, b] = args.map((x) => gen(x, u, s)) as [Gen, Gen];
    return pure(`H.${name === 'max' ? 'max' : 'min'}(${a.code}, ${b.code})`, a, b);
  }
  const arg = args[0];
  if (args.length !== 1 || !arg) return null;
  if (name === 'has') return genHas(arg, u, s);
  if (name === 'size') return genSize(arg, u, s);
  const t = typeName(arg);
  const conversion = CONVERSIONS[`${name}(${t})`];
  if (conversion === undefined) return null;
  const x = gen(arg, u, s);
  if (conversion === '') return x;
  return { code: `H.${conversion}(${x.code})`, throws: x.throws || conversion === 'toInt' };
}

/** name(argument type) → helper; '' is the identity. */
const CONVERSIONS: Record<string, string> = {
  'int(int)': '',
  'int(double)': 'toInt',
  'double(double)': '',
  'double(int)': 'num',
  'string(string)': '',
  'string(int)': 'str',
  'string(bool)': 'str',
  'string(double)': 'strD',
};

function genHas(arg: CelNode, u: Unit, s: Scope): Gen | null {
  if (arg.op !== '.') return null;
  const [obj, field] = arg.args as [CelNode, string];
  if (!isParams(obj, s) && obj.checkedType?.kind !== 'message') return null;
  const o = gen(obj, u, s);
  return pure(`H.has(${isParams(obj, s) ? 'p' : o.code}, ${JSON.stringify(field)})`, o);
}

function genSize(arg: CelNode, u: Unit, s: Scope): Gen | null {
  if (isList(arg)) {
    const x = gen(arg, u, s);
    return pure(`H.size(${x.code})`, x);
  }
  if (typeName(arg) !== 'string') return null;
  const x = gen(arg, u, s);
  return pure(`H.ssize(${x.code})`, x);
}

const STRING_METHODS: Record<string, string> = {
  contains: 'includes',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
};
const MACROS = new Set(['exists', 'all', 'exists_one', 'filter', 'map']);

function genMethod(n: CelNode, u: Unit, s: Scope): Gen | null {
  const [name, recv, args] = n.args as [string, CelNode, CelNode[]];
  if (name === 'size' && args.length === 0) return genSize(recv, u, s);
  const method = Object.hasOwn(STRING_METHODS, name) ? STRING_METHODS[name] : undefined;
  if (method && args.length === 1 && typeName(recv) === 'string' && typeName(args[0]!) === 'string') {
    const [r, a] = [gen(recv, u, s), gen(args[0]!, u, s)];
    return pure(`${r.code}.${method}(${a.code})`, r, a);
  }
  if (MACROS.has(name) && isList(recv) && args[0]?.op === 'id') return genMacro(name, recv, args, u, s);
  return null;
}

function genMacro(name: string, recv: CelNode, args: CelNode[], u: Unit, s: Scope): Gen | null {
  if ((args.length === 3 && name !== 'map') || args.length < 2 || args.length > 3) return null;
  const list = gen(recv, u, s);
  const it = newLocal(u, 'i');
  const inner = new Map(s).set(args[0]!.args as string, { id: it, type: recv.checkedType?.valueType });
  const [a, b] = args.slice(1).map((x) => gen(x, u, inner)) as [Gen, Gen | undefined];
  const [l, j] = [newLocal(u, 'l'), newLocal(u, 'j')];
  const loop = (body: string) =>
    `for (let ${j} = 0; ${j} < ${l}.length; ${j}++) { const ${it} = ${l}[${j}]; ${body} }`;
  const iife = (body: string) => `((${l}) => { ${body} })(${list.code})`;
  switch (name) {
    case 'exists':
    case 'all':
      return a.throws
        ? pure(iife(quantifier(name === 'exists', a.code, loop)), list, a)
        : pure(`${list.code}.${name === 'exists' ? 'some' : 'every'}((${it}) => ${a.code})`, list);
    case 'exists_one':
      return pure(iife(`let c = 0; ${loop(`if (${a.code}) c++;`)} return c === 1;`), list, a);
    case 'filter':
      return pure(`${list.code}.filter((${it}) => ${a.code})`, list, a);
    default:
      if (!b) return pure(`${list.code}.map((${it}) => ${a.code})`, list, a);
      return pure(iife(`const r = []; ${loop(`if (${a.code}) r.push(${b.code});`)} return r;`), list, a, b);
  }
}

/** exists/all whose predicate may fail: an error counts only if no element decides the result. */
function quantifier(exists: boolean, predicate: string, loop: (body: string) => string): string {
  const decide = exists ? `if (${predicate}) return true;` : `if (!(${predicate})) return false;`;
  const body = loop(`try { ${decide} } catch (x) { if (e === null) e = x; }`);
  return `let e = null; ${body} if (e !== null) throw e; return ${exists ? 'false' : 'true'};`;
}

// ------------------------------------------------------------ lists, logic, operators

const isLiteral = (n: CelNode) => n.op === 'value' && genValue(n.args) !== null;

function genList(items: CelNode[], u: Unit, s: Scope): Gen {
  if (items.every(isLiteral)) return pure(constRef(u, Object.freeze(items.map((i) => i.args))));
  const parts = items.map((i) => gen(i, u, s));
  return pure(`[${parts.map((p) => p.code).join(', ')}]`, ...parts);
}

function genLogical(n: CelNode, u: Unit, s: Scope): Gen {
  const [a, b] = (n.args as CelNode[]).map((x) => gen(x, u, s)) as [Gen, Gen];
  const op = n.op === '&&' ? '&&' : '||';
  if (!a.throws) return pure(`(${a.code} ${op} ${b.code})`, b);
  // CEL: an error on the left is absorbed when the right alone decides (false && error → false).
  const d = op === '&&' ? 'false' : 'true';
  return risky(
    `(() => { let e = null; try { if (${a.code} === ${d}) return ${d}; } catch (x) { e = x; } ` +
      `const r = ${b.code}; if (e !== null && r !== ${d}) throw e; return r; })()`,
  );
}

const COMPARE: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '===',
  '!=': '!==',
};
const NUMERIC = new Set(['int', 'double']);
const EQUATABLE = new Set(['int', 'double', 'string', 'bool', 'null']);

function genBinary(n: CelNode, u: Unit, s: Scope): Gen | null {
  if (!Array.isArray(n.args) || n.args.length !== 2) return null;
  const [l, r] = n.args as [CelNode, CelNode];
  const op = n.op;
  if (Object.hasOwn(COMPARE, op)) return genCompare(op, l, r, u, s);
  if (op === 'in') return genIn(l, r, u, s);
  const t = typeName(l);
  if (t !== typeName(r)) return null;
  const kind = arithmeticKind(op, t, isList(l));
  if (!kind) return null;
  if (kind === 'divide') return genDivide(l, r, u, s);
  const [a, b] = [gen(l, u, s), gen(r, u, s)];
  if (kind === 'native') return binary(op, a, b);
  if (kind === 'concat') return pure(`H.cat(${a.code}, ${b.code})`, a, b);
  return risky(`H.${kind}(${a.code}, ${b.code})`);
}

/** How an arithmetic operator is generated for operands of one type: JS operator or a checked helper. */
function arithmeticKind(op: string, t: string, list: boolean): string | null {
  if (op === '+' && (t === 'string' || t === 'double')) return 'native';
  if (op === '+' && list) return 'concat';
  if ((op === '-' || op === '*') && t === 'double') return 'native';
  if (op === '/' && t === 'double') return 'divide';
  if (t !== 'int') return null;
  return INT_HELPERS[op] ?? null;
}

const INT_HELPERS: Record<string, string> = {
  '+': 'iadd',
  '-': 'isub',
  '*': 'imul',
  '/': 'idiv',
  '%': 'imod',
};
const binary = (op: string, a: Gen, b: Gen): Gen => pure(`(${a.code} ${op} ${b.code})`, a, b);

function genDivide(l: CelNode, r: CelNode, u: Unit, s: Scope): Gen {
  const [a, b] = [gen(l, u, s), gen(r, u, s)];
  const constantDivisor = r.op === 'value' && typeof r.args === 'number' && r.args !== 0;
  return constantDivisor ? binary('/', a, b) : risky(`H.ddiv(${a.code}, ${b.code})`);
}

function genCompare(op: string, l: CelNode, r: CelNode, u: Unit, s: Scope): Gen | null {
  const [lt, rt] = [typeName(l), typeName(r)];
  const equality = op === '==' || op === '!=';
  const ordered = (NUMERIC.has(lt) && NUMERIC.has(rt)) || (lt === rt && (lt === 'string' || lt === 'bool'));
  const lists = equality && isList(l) && isList(r);
  if (equality ? lt !== rt && !lists : !ordered) return null;
  if (numberable(l) && numberable(r)) return binary(COMPARE[op]!, asNumber(l, u, s), asNumber(r, u, s));
  if (!equality || EQUATABLE.has(lt)) return binary(COMPARE[op]!, gen(l, u, s), gen(r, u, s));
  if (!isList(l) || !isList(r)) return null;
  const [x, y] = [gen(l, u, s), gen(r, u, s)];
  return pure(`(${op === '!=' ? '!' : ''}H.eq(${x.code}, ${y.code}))`, x, y);
}

/**
 * CEL ints are BigInts; comparing them as JS numbers is much faster. Exact for the size of a list
 * and for literals within 2^53 — the usual `size(household.children_ages) >= 3`.
 */
const LIMIT = 2n ** 53n;
function sizedList(n: CelNode): CelNode | null {
  if (n.op === 'call') {
    const [name, args] = n.args as [string, CelNode[]];
    return name === 'size' && args.length === 1 && isList(args[0]!) ? args[0]! : null;
  }
  if (n.op === 'rcall') {
    const [name, recv, args] = n.args as [string, CelNode, CelNode[]];
    return name === 'size' && args.length === 0 && isList(recv) ? recv : null;
  }
  return null;
}

function numberable(n: CelNode): boolean {
  if (typeName(n) === 'double') return true;
  if (n.op === 'value') return typeof n.args === 'bigint' && n.args <= LIMIT && n.args >= -LIMIT;
  return sizedList(n) !== null;
}

function asNumber(n: CelNode, u: Unit, s: Scope): Gen {
  if (n.op === 'value' && typeof n.args === 'bigint') return pure(`(${Number(n.args)})`);
  const list = sizedList(n);
  if (!list) return gen(n, u, s);
  const x = gen(list, u, s);
  return pure(`${x.code}.length`, x);
}

function genIn(l: CelNode, r: CelNode, u: Unit, s: Scope): Gen | null {
  if (typeName(r) !== `list<${typeName(l)}>` || !EQUATABLE.has(typeName(l))) return null;
  const v = gen(l, u, s);
  const items = r.args as CelNode[];
  if (r.op === 'list' && typeName(l) === 'string' && items.every(isLiteral))
    return pure(`${constRef(u, new Set(items.map((i) => i.args)))}.has(${v.code})`, v);
  const list = gen(r, u, s);
  return pure(`H.inList(${v.code}, ${list.code})`, v, list);
}

// ------------------------------------------------------------ fallback and linking

/** Evaluates a subtree with cel-js, passing our locals (iteration variables) as its variables. */
function fallback(n: CelNode, u: Unit, s: Scope): Gen {
  const locals = [...s.entries()];
  const env = celEnv.clone();
  for (const [name, local] of locals) env.registerVariable(name, local.type?.name ?? 'dyn');
  const parsed = env.parse(serialize(n as unknown as ASTNode));
  const checked = parsed.check();
  if (!checked.valid)
    throw new Error(`cannot evaluate ${serialize(n as unknown as ASTNode)}: ${checked.error?.message}`);
  const names = locals.map(([name]) => name);
  u.fallbacks.push((person, household, assignments, params, values) => {
    const ctx: Record<string, unknown> = { person, household, assignments, params };
    names.forEach((name, i) => {
      ctx[name] = (values as unknown[])[i];
    });
    return parsed(ctx);
  });
  const ids = locals.map(([, local]) => local.id).join(', ');
  return risky(`F[${u.fallbacks.length - 1}](v0, v1, v2, p, [${ids}])`);
}

/** Generates the root; if generation itself fails, the whole expression falls back to cel-js. */
export function genRoot(ast: CelNode, u: Unit): Gen {
  try {
    return gen(ast, u);
  } catch {
    return fallback(ast, u, new Map());
  }
}

/** Wraps generated statements into a function of (facts, params); parameters are read up front. */
export function link<T>(u: Unit, body: string): ((facts: Facts, params: Params) => T) & { source: string } {
  const reads = [...u.params].map(([code, slot]) => {
    const key = JSON.stringify(code);
    return `const ${slot} = p[${key}]; if (typeof ${slot} !== 'number') H.missing(${key});`;
  });
  const source = `"use strict"; return function compiled(f, p) { const v0 = f.person, v1 = f.household, v2 = f.assignments; ${reads.join(' ')} ${body} };`;
  const fn = new Function('H', 'K', 'F', source)(HELPERS, u.consts, u.fallbacks);
  return Object.assign(fn, { source });
}

/** One expression as a function. */
export function compileExpression(ast: CelNode): CompiledFn & { source: string } {
  const u = newUnit();
  const g = genRoot(ast, u);
  return link(u, `return ${g.code};`);
}
