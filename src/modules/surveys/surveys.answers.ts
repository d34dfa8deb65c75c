// Answers against a questionnaire version: skip logic (is a question asked?), checks (required,
// constraint, type, choice in list) and calculations, with ODK's rules — an unanswered question is
// empty, a question inside a group that is not relevant is not relevant, a constraint is not checked
// on an empty answer, a question that is not relevant is neither required nor checked.
// Collection (portal self-completion, interviewer mode) calls checkAnswers per page and on submit.
import {
  type EvalContext,
  type Expr,
  evaluate,
  parseExpr,
  toBoolean,
  toText,
  type Value,
  XDate,
} from './surveys.expr.ts';
import {
  type Form,
  type FormNode,
  findList,
  type Group,
  type Question,
  type Translated,
} from './surveys.form.ts';

/** An answer: text, a number, a date 'YYYY-MM-DD' (as text), choice names of a select_multiple. */
export type Answer = string | number | string[] | null;
/** Answers by question name; a repeat's name holds one Answers per instance. */
export interface Answers {
  [name: string]: Answer | Answers[] | undefined;
}

export type AnswerProblemCode =
  | 'required'
  | 'constraint'
  | 'notInteger'
  | 'notNumber'
  | 'notDate'
  | 'notInList';

export interface AnswerProblem {
  name: string;
  /** Inside a repeat: its name and the 0-based instance. */
  repeat: { name: string; index: number } | null;
  code: AnswerProblemCode;
  /** The form's own message (required_message / constraint_message) by language, when it has one. */
  message: Translated;
}

/** Parsed expressions, cached: a version's form is read many times. */
const parsed = new Map<string, Expr>();
function expr(src: string): Expr {
  let e = parsed.get(src);
  if (!e) {
    e = parseExpr(src, { fields: true });
    if (parsed.size > 5000) parsed.clear();
    parsed.set(src, e);
  }
  return e;
}

function questionIndex(form: Form): Map<string, Question> {
  const index = new Map<string, Question>();
  const walk = (list: readonly FormNode[]) => {
    for (const n of list) {
      if (n.kind === 'question') index.set(n.name, n);
      else walk(n.children);
    }
  };
  walk(form.children);
  return index;
}

/** An answer as an XPath value: '' when empty; dates as dates; selected names space-separated. */
export function answerValue(q: Question | undefined, a: Answer | Answers[] | undefined): Value {
  if (a === null || a === undefined) return '';
  if (Array.isArray(a))
    return a.every((x) => typeof x === 'string') ? (a as string[]).join(' ') : String(a.length);
  if (q?.type === 'date' && typeof a === 'string') return XDate.parse(a) ?? a;
  if ((q?.type === 'integer' || q?.type === 'decimal') && typeof a === 'string' && a.trim() !== '') {
    const n = Number(a.replace(',', '.'));
    return Number.isNaN(n) ? a : n;
  }
  return a;
}

/**
 * An evaluation context over answers: a reference resolves first in the current repeat instance, then
 * at the top level; a `calculate` question evaluates its calculation (a cycle gives '').
 */
export function contextFor(
  form: Form,
  answers: Answers,
  instance: Answers | null = null,
  today?: string,
): EvalContext {
  const index = questionIndex(form);
  const computing = new Set<string>();
  const ctx: EvalContext = {
    today,
    ref(name) {
      const q = index.get(name);
      if (q?.type === 'calculate' && q.calculation) {
        if (computing.has(name)) return '';
        computing.add(name);
        try {
          return evaluate(expr(q.calculation), ctx);
        } finally {
          computing.delete(name);
        }
      }
      const local = instance && name in instance ? instance[name] : answers[name];
      return answerValue(q, local);
    },
  };
  return ctx;
}

const holds = (src: string | null, ctx: EvalContext, current?: Value) =>
  src === null || toBoolean(evaluate(expr(src), current === undefined ? ctx : { ...ctx, current }));

/** Whether a node is asked: its own `relevant` and every enclosing group's hold. */
export function isRelevant(groups: readonly Group[], node: FormNode, ctx: EvalContext): boolean {
  return groups.every((g) => holds(g.relevant, ctx)) && holds(node.relevant, ctx);
}

/** The value of a calculate question (or any expression) over the answers. */
export function calculate(form: Form, answers: Answers, src: string, today?: string): Value {
  return evaluate(expr(src), contextFor(form, answers, null, today));
}

/** Every problem with the answers, in form order; only `only` (names) when given, e.g. one page's. */
export function checkAnswers(
  form: Form,
  answers: Answers,
  options: { today?: string; only?: ReadonlySet<string> } = {},
): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const visit = (
    list: readonly FormNode[],
    groups: readonly Group[],
    scope: Answers,
    repeat: AnswerProblem['repeat'],
  ) => {
    const ctx = contextFor(form, answers, repeat ? scope : null, options.today);
    for (const node of list) {
      if (!isRelevant(groups, node, ctx)) continue;
      if (node.kind === 'repeat') {
        const instances = Array.isArray(scope[node.name]) ? (scope[node.name] as Answers[]) : [];
        instances.forEach((inst, index) => {
          visit(node.children, [], inst, { name: node.name, index });
        });
        continue;
      }
      if (node.kind !== 'question') {
        // A group: its children check their own relevance; the group's was checked just above.
        visit(node.children, [], scope, repeat);
        continue;
      }
      if (node.type === 'note' || node.type === 'calculate' || ['start', 'end', 'today'].includes(node.type))
        continue;
      if (options.only && !options.only.has(node.name)) continue;
      const raw = scope[node.name];
      const problem = (code: AnswerProblemCode, message: Translated = {}) =>
        problems.push({ name: node.name, repeat, code, message });
      const empty =
        raw === null ||
        raw === undefined ||
        (Array.isArray(raw) && raw.length === 0) ||
        toText(answerValue(node, raw as Answer)).trim() === '';
      if (empty) {
        if (node.required) problem('required', node.requiredMessage);
        continue;
      }
      const typeProblem = checkType(form, node, raw as Answer);
      if (typeProblem) {
        problem(typeProblem);
        continue;
      }
      if (!holds(node.constraint, ctx, answerValue(node, raw as Answer)))
        problem('constraint', node.constraintMessage);
    }
  };
  visit(form.children, [], answers, null);
  return problems;
}

function checkType(form: Form, q: Question, a: Answer): AnswerProblemCode | null {
  switch (q.type) {
    case 'integer':
      return /^-?\d+$/.test(String(a).trim()) ? null : 'notInteger';
    case 'decimal':
      return /^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(String(a).trim()) ? null : 'notNumber';
    case 'date':
      return typeof a === 'string' && XDate.parse(a) ? null : 'notDate';
    case 'select_one':
    case 'select_multiple': {
      const names = new Set(findList(form, q.listName ?? '')?.choices.map((c) => c.name));
      const picked = Array.isArray(a) ? a : String(a).split(/\s+/).filter(Boolean);
      if (q.type === 'select_one' && picked.length !== 1) return 'notInList';
      return picked.every((p) => names.has(p)) ? null : 'notInList';
    }
    default:
      return null;
  }
}
