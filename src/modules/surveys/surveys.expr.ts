// The XPath subset XLSForm uses in `relevant`, `constraint`, `calculation` and `choice_filter`:
// `${name}` references, `.` (the answer being checked), numbers and quoted strings, = != < <= > >=,
// and or, + - * div mod, unary minus, parentheses, and the functions ODK forms use most (FUNCTIONS).
//
// Values follow XPath 1.0 as ODK (JavaRosa) applies it to answers: an unanswered question is the
// empty string, so `${age} > 18` is false (number('') is NaN), `${name} = ''` is true, arithmetic with
// an empty answer is NaN, and an empty answer as a condition is false. Dates compare as days since
// 1970-01-01 (a 'YYYY-MM-DD' string next to a date counts as that date). Evaluation never throws.
import { regionToday } from '../../platform/time.ts';

// ---------------------------------------------------------------- syntax tree

export type BinaryOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export type Expr =
  | { t: 'num'; value: number }
  | { t: 'str'; value: string }
  /** `${name}`: another question's answer. */
  | { t: 'ref'; name: string; pos: number }
  /** `.`: the answer being checked (constraints). */
  | { t: 'current' }
  /** A bare name: a column of the choice being filtered (choice_filter only). */
  | { t: 'field'; name: string }
  | { t: 'neg'; operand: Expr }
  | { t: 'bin'; op: BinaryOp; left: Expr; right: Expr }
  | { t: 'call'; fn: string; args: Expr[] };

/** Why an expression does not parse; the messages file has a sentence for each (surveys.expr.<reason>). */
export type ExprReason =
  | 'empty'
  | 'unexpectedEnd'
  | 'unexpectedToken'
  | 'unexpectedChar'
  | 'unterminatedString'
  | 'badReference'
  | 'unknownFunction'
  | 'arity'
  | 'path'
  | 'bareName'
  | 'badRegex';

export class ExprError extends Error {
  /** 1-based character position in the expression. */
  readonly position: number;
  readonly reason: ExprReason;
  /** The token, function or name concerned, when there is one. */
  readonly detail: string;
  constructor(position: number, reason: ExprReason, detail = '') {
    super(`${reason} at ${position}${detail ? `: ${detail}` : ''}`);
    this.name = 'ExprError';
    this.position = position;
    this.reason = reason;
    this.detail = detail;
  }
}

/** Functions and their arity [min, max] (max Infinity for concat). */
export const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  not: [1, 1],
  true: [0, 0],
  false: [0, 0],
  boolean: [1, 1],
  number: [1, 1],
  string: [1, 1],
  int: [1, 1],
  round: [1, 2],
  selected: [2, 2],
  'count-selected': [1, 1],
  'selected-at': [2, 2],
  'string-length': [1, 1],
  concat: [1, Number.POSITIVE_INFINITY],
  contains: [2, 2],
  'starts-with': [2, 2],
  'ends-with': [2, 2],
  today: [0, 0],
  date: [1, 1],
  if: [3, 3],
  coalesce: [2, 2],
  regex: [2, 2],
};

// ---------------------------------------------------------------- tokens

type Token =
  | { k: 'num'; value: number; pos: number }
  | { k: 'str'; value: string; pos: number }
  | { k: 'ref'; name: string; pos: number }
  | { k: 'name'; name: string; pos: number }
  | { k: 'op'; op: string; pos: number }
  | { k: 'end'; pos: number };

/** XML names as XLSForm allows them for questions: a letter or _ then letters, digits, - . _ */
export const NAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;
const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{N}_.:-]/u;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const pos = i + 1;
    if (c === '$') {
      const close = src.indexOf('}', i);
      if (src[i + 1] !== '{' || close < 0) throw new ExprError(pos, 'badReference', src.slice(i, i + 12));
      const name = src.slice(i + 2, close).trim();
      if (!NAME.test(name)) throw new ExprError(pos, 'badReference', src.slice(i, close + 1));
      tokens.push({ k: 'ref', name, pos });
      i = close + 1;
    } else if (c === "'" || c === '"') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) throw new ExprError(pos, 'unterminatedString');
      tokens.push({ k: 'str', value: src.slice(i + 1, close), pos });
      i = close + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]*/.exec(src.slice(i))![0];
      tokens.push({ k: 'num', value: Number(m), pos });
      i += m.length;
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_CHAR.test(src[j]!)) j += 1;
      // As in XPath, '-' inside a name is part of it: count-selected, x-1 (write ${x} - 1 to subtract).
      tokens.push({ k: 'name', name: src.slice(i, j), pos });
      i = j;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=' || two === '..' || two === '//') {
        tokens.push({ k: 'op', op: two, pos });
        i += 2;
      } else if ('=<>+-*(),./'.includes(c)) {
        tokens.push({ k: 'op', op: c, pos });
        i += 1;
      } else {
        throw new ExprError(pos, 'unexpectedChar', c);
      }
    }
  }
  tokens.push({ k: 'end', pos: src.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------- parser

export interface ParseOptions {
  /** Bare names are columns of the choices sheet: allowed in choice_filter only. */
  fields?: boolean;
}

/** Parses an expression or throws ExprError with the position and reason. */
export function parseExpr(src: string, options: ParseOptions = {}): Expr {
  if (src.trim() === '') throw new ExprError(1, 'empty');
  const tokens = tokenize(src);
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const isOp = (op: string) => {
    const t = peek();
    return (t.k === 'op' && t.op === op) || (t.k === 'name' && t.name === op);
  };
  const describe = (t: Token) =>
    t.k === 'op'
      ? t.op
      : t.k === 'name'
        ? t.name
        : t.k === 'ref'
          ? `\${${t.name}}`
          : t.k === 'end'
            ? ''
            : String(t.value);
  const fail = (t: Token): never => {
    throw t.k === 'end'
      ? new ExprError(t.pos, 'unexpectedEnd')
      : new ExprError(t.pos, 'unexpectedToken', describe(t));
  };
  const expect = (op: string) => {
    if (!isOp(op)) fail(peek());
    next();
  };

  const binary = (ops: readonly BinaryOp[], operand: () => Expr) => (): Expr => {
    let left = operand();
    for (;;) {
      const op = ops.find((o) => isOp(o));
      if (!op) return left;
      next();
      left = { t: 'bin', op, left, right: operand() };
    }
  };

  const primary = (): Expr => {
    const t = next();
    switch (t.k) {
      case 'num':
        return { t: 'num', value: t.value };
      case 'str':
        return { t: 'str', value: t.value };
      case 'ref':
        return { t: 'ref', name: t.name, pos: t.pos };
      case 'name': {
        if (isOp('(')) {
          next();
          const arity = FUNCTIONS[t.name];
          if (!arity) throw new ExprError(t.pos, 'unknownFunction', t.name);
          const args: Expr[] = [];
          if (!isOp(')')) {
            args.push(or());
            while (isOp(',')) {
              next();
              args.push(or());
            }
          }
          expect(')');
          if (args.length < arity[0] || args.length > arity[1]) throw new ExprError(t.pos, 'arity', t.name);
          if (t.name === 'regex' && args[1]?.t === 'str') {
            try {
              new RegExp(args[1].value, 'u');
            } catch {
              throw new ExprError(t.pos, 'badRegex', args[1].value);
            }
          }
          return { t: 'call', fn: t.name, args };
        }
        if (!options.fields) throw new ExprError(t.pos, 'bareName', t.name);
        return { t: 'field', name: t.name };
      }
      case 'op':
        if (t.op === '(') {
          const inner = or();
          expect(')');
          return inner;
        }
        if (t.op === '.') return { t: 'current' };
        if (t.op === '/' || t.op === '//' || t.op === '..') throw new ExprError(t.pos, 'path', t.op);
        return fail(t);
      default:
        return fail(t);
    }
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      next();
      return { t: 'neg', operand: unary() };
    }
    return primary();
  };
  const multiplicative = binary(['*', 'div', 'mod'], unary);
  const additive = binary(['+', '-'], multiplicative);
  const relational = binary(['<=', '>=', '<', '>'], additive);
  const equality = binary(['=', '!='], relational);
  const and = binary(['and'], equality);
  const or: () => Expr = binary(['or'], and);

  const tree = or();
  if (peek().k !== 'end') {
    const t = peek();
    if (t.k === 'op' && (t.op === '/' || t.op === '//')) throw new ExprError(t.pos, 'path', t.op);
    fail(t);
  }
  return tree;
}

/** The `${name}` references of an expression with their positions, in order of appearance. */
export function references(expr: Expr): { name: string; pos: number }[] {
  const out: { name: string; pos: number }[] = [];
  const walk = (e: Expr) => {
    if (e.t === 'ref') out.push({ name: e.name, pos: e.pos });
    else if (e.t === 'neg') walk(e.operand);
    else if (e.t === 'bin') {
      walk(e.left);
      walk(e.right);
    } else if (e.t === 'call') e.args.forEach(walk);
  };
  walk(expr);
  return out;
}

// ---------------------------------------------------------------- values

/** A calendar date, as XPath dates behave: days since 1970-01-01 when compared or added to. */
export class XDate {
  readonly days: number;
  constructor(days: number) {
    this.days = days;
  }
  static parse(iso: string): XDate | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
    if (!m) return null;
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const back = new Date(ms).toISOString().slice(0, 10);
    return back === iso.trim() ? new XDate(ms / 86_400_000) : null;
  }
  toString(): string {
    return new Date(this.days * 86_400_000).toISOString().slice(0, 10);
  }
}

export type Value = string | number | boolean | XDate;

export function toBoolean(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v instanceof XDate) return true;
  return v !== '';
}

export function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof XDate) return v.days;
  const s = v.trim();
  if (s === '') return Number.NaN;
  if (/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return Number(s);
  // JavaRosa reads a date-shaped string as the date when a number is wanted, so '2020-01-01' < today().
  return XDate.parse(s)?.days ?? Number.NaN;
}

export function toText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof XDate) return v.toString();
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return toBoolean(a) === toBoolean(b);
  if (typeof a === 'number' || typeof b === 'number' || a instanceof XDate || b instanceof XDate)
    return toNumber(a) === toNumber(b);
  return a === b;
}

// ---------------------------------------------------------------- evaluation

export interface EvalContext {
  /** The answer of a question by name; '' when unanswered or unknown. */
  ref(name: string): Value;
  /** The answer being checked (`.`). */
  current?: Value;
  /** A column of the choice being filtered (choice_filter). */
  field?(name: string): Value;
  /** Today in the region, 'YYYY-MM-DD' (tests fix it). */
  today?: string;
}

/** Selected values of a select_multiple answer: XLSForm keeps them space-separated. */
const selections = (v: Value): string[] => toText(v).split(/\s+/).filter(Boolean);

export function evaluate(expr: Expr, ctx: EvalContext): Value {
  const ev = (e: Expr): Value => evaluate(e, ctx);
  switch (expr.t) {
    case 'num':
    case 'str':
      return expr.value;
    case 'ref':
      return ctx.ref(expr.name);
    case 'current':
      return ctx.current ?? '';
    case 'field':
      return ctx.field?.(expr.name) ?? '';
    case 'neg':
      return -toNumber(ev(expr.operand));
    case 'bin': {
      const { op } = expr;
      if (op === 'and') return toBoolean(ev(expr.left)) && toBoolean(ev(expr.right));
      if (op === 'or') return toBoolean(ev(expr.left)) || toBoolean(ev(expr.right));
      const a = ev(expr.left);
      const b = ev(expr.right);
      switch (op) {
        case '=':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case '<':
          return toNumber(a) < toNumber(b);
        case '<=':
          return toNumber(a) <= toNumber(b);
        case '>':
          return toNumber(a) > toNumber(b);
        case '>=':
          return toNumber(a) >= toNumber(b);
        case '+':
          return toNumber(a) + toNumber(b);
        case '-':
          return toNumber(a) - toNumber(b);
        case '*':
          return toNumber(a) * toNumber(b);
        case 'div':
          return toNumber(a) / toNumber(b);
        case 'mod':
          return toNumber(a) % toNumber(b);
      }
      return '';
    }
    case 'call':
      return call(expr.fn, expr.args, ev, ctx);
  }
}

function call(fn: string, args: Expr[], ev: (e: Expr) => Value, ctx: EvalContext): Value {
  const arg = (i: number) => ev(args[i]!);
  switch (fn) {
    case 'not':
      return !toBoolean(arg(0));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'boolean':
      return toBoolean(arg(0));
    case 'number':
      return toNumber(arg(0));
    case 'string':
      return toText(arg(0));
    case 'int':
      return Math.trunc(toNumber(arg(0)));
    case 'round': {
      const digits = args.length > 1 ? toNumber(arg(1)) : 0;
      const f = 10 ** digits;
      return Math.round(toNumber(arg(0)) * f) / f;
    }
    case 'selected':
      return selections(arg(0)).includes(toText(arg(1)).trim());
    case 'count-selected':
      return selections(arg(0)).length;
    case 'selected-at':
      return selections(arg(0))[toNumber(arg(1))] ?? '';
    case 'string-length':
      return [...toText(arg(0))].length;
    case 'concat':
      return args.map((a) => toText(ev(a))).join('');
    case 'contains':
      return toText(arg(0)).includes(toText(arg(1)));
    case 'starts-with':
      return toText(arg(0)).startsWith(toText(arg(1)));
    case 'ends-with':
      return toText(arg(0)).endsWith(toText(arg(1)));
    case 'today':
      return XDate.parse(ctx.today ?? regionToday()) ?? '';
    case 'date': {
      const v = arg(0);
      if (v instanceof XDate) return v;
      if (typeof v === 'number') return Number.isNaN(v) ? '' : new XDate(Math.floor(v));
      return XDate.parse(toText(v)) ?? '';
    }
    case 'if':
      return toBoolean(arg(0)) ? arg(1) : arg(2);
    case 'coalesce': {
      const first = arg(0);
      return toText(first) !== '' ? first : arg(1);
    }
    case 'regex': {
      try {
        return new RegExp(toText(arg(1)), 'u').test(toText(arg(0)));
      } catch {
        return false;
      }
    }
    default:
      return '';
  }
}

/** Parses and evaluates as a condition; an expression that does not parse is false. */
export function holds(src: string, ctx: EvalContext): boolean {
  try {
    return toBoolean(evaluate(parseExpr(src), ctx));
  } catch (e) {
    if (e instanceof ExprError) return false;
    throw e;
  }
}
