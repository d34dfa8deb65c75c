// The page engine of collection, pure: a form cut into pages (one per top-level group or repeat; a run
// of top-level questions outside groups is one page), which pages are shown (a page whose every
// question is irrelevant is skipped), posted form fields read into answers, a page checked with
// checkAnswers (messages in the respondent's language, the form's own required/constraint messages
// first), answers of questions no longer relevant dropped, and the rows of "check your answers".
// Portal self-completion and interviewer mode both drive it (surveys.collect.service.ts).
import {
  type Answer,
  type AnswerProblem,
  type Answers,
  checkAnswers,
  contextFor,
  isRelevant,
} from './surveys.answers.ts';
import { type EvalContext, evaluate, parseExpr, references, toBoolean, toNumber } from './surveys.expr.ts';
import {
  type Choice,
  type Form,
  type FormNode,
  findList,
  type Group,
  type Question,
  textIn,
  UNASKED_TYPES,
} from './surveys.form.ts';

/** A page: the nodes it shows, and the group it stands for (null for a run of loose questions). */
export interface Page {
  index: number;
  group: Group | null;
  nodes: readonly FormNode[];
}

/** The most instances of a repeat a respondent may add (a household, a list of visits). */
export const MAX_REPEAT = 20;

/** Pages of a form, in order. */
export function pagesOf(form: Form): Page[] {
  const pages: Page[] = [];
  let loose: FormNode[] = [];
  const flush = () => {
    if (loose.length > 0) pages.push({ index: pages.length, group: null, nodes: loose });
    loose = [];
  };
  for (const node of form.children) {
    if (node.kind === 'question') loose.push(node);
    else {
      flush();
      pages.push({ index: pages.length, group: node, nodes: [node] });
    }
  }
  flush();
  return pages;
}

const asked = (q: Question) => q.type !== 'note' && !UNASKED_TYPES.has(q.type);
const shownAtAll = (q: Question) => !UNASKED_TYPES.has(q.type);

/** Names of the questions a page asks (inside its groups and repeats too). */
export function pageQuestionNames(page: Page): Set<string> {
  const names = new Set<string>();
  const walk = (list: readonly FormNode[]) => {
    for (const n of list) {
      if (n.kind === 'question') {
        if (asked(n)) names.add(n.name);
      } else walk(n.children);
    }
  };
  walk(page.nodes);
  return names;
}

const parsedExprs = new Map<string, ReturnType<typeof parseExpr>>();
/** Parsed expressions, cached (bare names are choice columns, allowed for choice_filter). */
function expr(src: string) {
  let e = parsedExprs.get(src);
  if (!e) {
    e = parseExpr(src, { fields: true });
    if (parsedExprs.size > 5000) parsedExprs.clear();
    parsedExprs.set(src, e);
  }
  return e;
}

/**
 * Whether a node is shown on its page: relevant with the answers so far, or its relevance depends on a
 * question of the same page (the page works without JavaScript, so it cannot hide it while typing;
 * the answer is dropped on saving if it turns out irrelevant).
 */
export function isShown(
  form: Form,
  page: Page,
  node: FormNode,
  groups: readonly Group[],
  answers: Answers,
  instance: Answers | null = null,
  today?: string,
): boolean {
  if (node.kind === 'question' && !shownAtAll(node)) return false;
  const ctx = contextFor(form, answers, instance, today);
  if (isRelevant(groups, node, ctx)) return true;
  const onPage = pageQuestionNames(page);
  return [...groups, node].some(
    (n) => n.relevant !== null && references(expr(n.relevant)).some((r) => onPage.has(r.name)),
  );
}

/** Whether a page is shown: some question (or note) on it is relevant with the answers so far. */
export function isPageShown(form: Form, page: Page, answers: Answers, today?: string): boolean {
  const ctx = contextFor(form, answers, null, today);
  const any = (list: readonly FormNode[], groups: readonly Group[]): boolean =>
    list.some((n) => {
      if (!isRelevant(groups, n, ctx)) return false;
      if (n.kind === 'question') return shownAtAll(n);
      // A repeat's instances evaluate against themselves; the repeat being relevant is enough.
      if (n.kind === 'repeat') return true;
      return any(n.children, [...groups, n]);
    });
  return any(page.nodes, []);
}

/** The next shown page after `from` (-1: the first), or null when none is left (check your answers). */
export function nextPage(form: Form, answers: Answers, from: number, today?: string): number | null {
  const pages = pagesOf(form);
  for (let i = from + 1; i < pages.length; i++) if (isPageShown(form, pages[i]!, answers, today)) return i;
  return null;
}

/** The shown page before `from` (from = pages.length: the last one), or null when `from` is the first. */
export function previousPage(form: Form, answers: Answers, from: number, today?: string): number | null {
  const pages = pagesOf(form);
  for (let i = Math.min(from, pages.length) - 1; i >= 0; i--)
    if (isPageShown(form, pages[i]!, answers, today)) return i;
  return null;
}

// ---------------------------------------------------------------- field names and posted values

/** The form field of a question: its name, or `<repeat>.<i>.<name>` inside a repeat instance. */
export const fieldName = (prefix: string, name: string) => `${prefix}${name}`;
export const instancePrefix = (prefix: string, repeat: string, index: number) =>
  `${prefix}${repeat}.${index}.`;
/** The hidden field that says how many instances of a repeat the page posted. */
export const countField = (prefix: string, repeat: string) => `${prefix}${repeat}._count`;

export type Posted = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);

/** One posted value as an answer: numbers as numbers when they read as such, else the text as typed. */
export function answerOf(q: Question, raw: string | string[] | undefined): Answer | undefined {
  if (q.type === 'select_multiple') {
    const picked = many(raw);
    return picked.length > 0 ? picked : undefined;
  }
  const s = one(raw);
  if (s === '') return undefined;
  switch (q.type) {
    case 'integer':
      return /^-?\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : s;
    case 'decimal': {
      const normal = s.replace(',', '.');
      return /^-?(\d+(\.\d*)?|\.\d+)$/.test(normal) ? Number(normal) : s;
    }
    case 'date': {
      // A browser without a date picker sends what was typed; Russian readers type DD.MM.YYYY.
      const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
      return ru ? `${ru[3]}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}` : s;
    }
    default:
      return s;
  }
}

const emptyInstance = (inst: Answers) =>
  Object.values(inst).every((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0));

/** How many instances a repeat has: its fixed repeat_count when the form gives one, else null. */
export function fixedRepeatCount(form: Form, repeat: Group, answers: Answers, today?: string): number | null {
  if (repeat.repeatCount === null || repeat.repeatCount.trim() === '') return null;
  const n = toNumber(evaluate(expr(repeat.repeatCount), contextFor(form, answers, null, today)));
  return Number.isFinite(n) ? Math.max(0, Math.min(MAX_REPEAT, Math.floor(n))) : 0;
}

/**
 * The page's posted fields read into answers (over the saved ones). Fields of questions not on the
 * page are ignored; a repeat keeps the instances posted (its hidden count), minus fully empty ones
 * unless its count is fixed.
 */
export function readPage(form: Form, page: Page, posted: Posted, saved: Answers, today?: string): Answers {
  const merged: Answers = { ...saved };
  const readList = (list: readonly FormNode[], scope: Answers, prefix: string) => {
    for (const node of list) {
      if (node.kind === 'question') {
        if (!asked(node)) continue;
        const a = answerOf(node, posted[fieldName(prefix, node.name)]);
        if (a === undefined) delete scope[node.name];
        else scope[node.name] = a;
      } else if (node.kind === 'group') readList(node.children, scope, prefix);
      else {
        const fixed = fixedRepeatCount(form, node, merged, today);
        const postedCount = Number(one(posted[countField(prefix, node.name)]));
        const count = Math.max(
          0,
          Math.min(MAX_REPEAT, fixed ?? (Number.isInteger(postedCount) ? postedCount : 0)),
        );
        const before = Array.isArray(scope[node.name]) ? (scope[node.name] as Answers[]) : [];
        const instances: Answers[] = [];
        for (let i = 0; i < count; i++) {
          const inst: Answers = { ...(before[i] ?? {}) };
          readList(node.children, inst, instancePrefix(prefix, node.name, i));
          instances.push(inst);
        }
        const kept = fixed === null ? instances.filter((inst) => !emptyInstance(inst)) : instances;
        if (kept.length > 0) scope[node.name] = kept;
        else delete scope[node.name];
      }
    }
  };
  readList(page.nodes, merged, '');
  return merged;
}

/** Instances to show of a repeat: the fixed count, else those answered (at least one), plus `extra`. */
export function instancesToShow(
  form: Form,
  repeat: Group,
  scope: Answers,
  answers: Answers,
  extra = 0,
  today?: string,
): Answers[] {
  const have = Array.isArray(scope[repeat.name]) ? (scope[repeat.name] as Answers[]) : [];
  const fixed = fixedRepeatCount(form, repeat, answers, today);
  const count = fixed ?? Math.min(MAX_REPEAT, Math.max(1, have.length + extra));
  return Array.from({ length: count }, (_, i) => have[i] ?? {});
}

// ---------------------------------------------------------------- checks

/** The choices of a select shown for an answer scope: the list, filtered by choice_filter. */
export function choicesFor(
  form: Form,
  q: Question,
  answers: Answers,
  instance: Answers | null = null,
  page?: Page,
  today?: string,
): Choice[] {
  const list = findList(form, q.listName ?? '')?.choices ?? [];
  if (!q.choiceFilter) return list;
  const filter = expr(q.choiceFilter);
  // Filtered by a question on the same page: without JavaScript the whole list is shown, and the
  // choice is checked against the filter when the page is posted.
  if (page) {
    const onPage = pageQuestionNames(page);
    const refs = references(filter).filter((r) => onPage.has(r.name));
    if (refs.length > 0 && refs.some((r) => (instance ?? answers)[r.name] === undefined)) return list;
  }
  const base = contextFor(form, answers, instance, today);
  return list.filter((c) => {
    const ctx: EvalContext = { ...base, field: (name) => c.properties[name] ?? '' };
    return toBoolean(evaluate(filter, ctx));
  });
}

export interface PageProblem extends AnswerProblem {
  /** The form field the error summary links to. */
  field: string;
}

/** Problems of a page's answers (required, type, constraint, choice filter), in form order. */
export function checkPage(form: Form, page: Page, answers: Answers, today?: string): PageProblem[] {
  const only = pageQuestionNames(page);
  const problems: PageProblem[] = checkAnswers(form, answers, { only, today }).map((p) => ({
    ...p,
    field: p.repeat ? `${instancePrefix('', p.repeat.name, p.repeat.index)}${p.name}` : p.name,
  }));
  // Choice filters (cascading selects): the picked choice must be one the filter lets through.
  const flagged = new Set(problems.map((p) => p.field));
  const walk = (list: readonly FormNode[], scope: Answers, instance: Answers | null, prefix: string) => {
    for (const n of list) {
      if (n.kind === 'question') {
        const a = scope[n.name];
        if (!n.choiceFilter || a === undefined || flagged.has(fieldName(prefix, n.name))) continue;
        const allowed = new Set(choicesFor(form, n, answers, instance, undefined, today).map((c) => c.name));
        const picked = Array.isArray(a) ? (a as string[]) : [String(a)];
        if (!picked.every((x) => allowed.has(x)))
          problems.push({
            name: n.name,
            repeat: null,
            code: 'notInList',
            message: {},
            field: fieldName(prefix, n.name),
          });
      } else if (n.kind === 'group') walk(n.children, scope, instance, prefix);
      else {
        const instances = Array.isArray(scope[n.name]) ? (scope[n.name] as Answers[]) : [];
        instances.forEach((inst, i) => {
          walk(n.children, inst, inst, instancePrefix(prefix, n.name, i));
        });
      }
    }
  };
  walk(page.nodes, answers, null, '');
  return problems;
}

/** A problem as text in the respondent's language: the form's own message, else ours (`fallback`). */
export function problemText(
  form: Form,
  p: AnswerProblem,
  lang: string,
  fallback: (code: AnswerProblem['code']) => string,
): string {
  const own = textIn(p.message, lang, form);
  return own || fallback(p.code);
}

/**
 * Answers of questions that are not relevant any more are dropped (ODK does not submit them), until
 * nothing changes: dropping one answer may make another question irrelevant.
 */
export function pruneIrrelevant(form: Form, answers: Answers, today?: string): Answers {
  let current: Answers = answers;
  for (let round = 0; round < 10; round++) {
    let changed = false;
    const prune = (
      list: readonly FormNode[],
      groups: readonly Group[],
      scope: Answers,
      inRepeat: boolean,
    ) => {
      const ctx = contextFor(form, current, inRepeat ? scope : null, today);
      for (const n of list) {
        const relevant = isRelevant(groups, n, ctx);
        if (n.kind === 'question') {
          if (!relevant && scope[n.name] !== undefined) {
            delete scope[n.name];
            changed = true;
          }
        } else if (n.kind === 'group') {
          if (relevant) prune(n.children, [], scope, inRepeat);
          else dropAll(n.children, scope);
        } else if (!relevant) dropAll([n], scope);
        else {
          const instances = Array.isArray(scope[n.name]) ? (scope[n.name] as Answers[]) : [];
          for (const inst of instances) prune(n.children, [], inst, true);
        }
      }
    };
    const dropAll = (list: readonly FormNode[], scope: Answers) => {
      for (const n of list) {
        if (n.kind === 'group') dropAll(n.children, scope);
        else if (scope[n.name] !== undefined) {
          delete scope[n.name];
          changed = true;
        }
      }
    };
    const copy = structuredClone(current);
    current = copy;
    prune(form.children, [], copy, false);
    if (!changed) break;
  }
  return current;
}

// ---------------------------------------------------------------- check your answers

export interface SummaryRow {
  /** The question's label (with the repeat instance's number inside a repeat). */
  label: string;
  value: string;
  field: string;
}

export interface SummarySection {
  page: number;
  title: string;
  rows: SummaryRow[];
}

/** An answer as the respondent reads it: choice labels, not codes. */
export function answerText(form: Form, q: Question, a: Answer | Answers[] | undefined, lang: string): string {
  if (a === undefined || a === null) return '';
  if (q.type === 'select_one' || q.type === 'select_multiple') {
    const choices = findList(form, q.listName ?? '')?.choices ?? [];
    const picked = Array.isArray(a) ? (a as string[]) : [String(a)];
    return picked
      .map((name) => {
        const c = choices.find((x) => x.name === name);
        return c ? textIn(c.label, lang, form) || name : name;
      })
      .join(', ');
  }
  return String(a);
}

/** The sections of "check your answers": each shown page with its answered (or skipped) questions. */
export function summaryOf(form: Form, answers: Answers, lang: string, today?: string): SummarySection[] {
  const sections: SummarySection[] = [];
  for (const page of pagesOf(form)) {
    if (!isPageShown(form, page, answers, today)) continue;
    const rows: SummaryRow[] = [];
    const walk = (
      list: readonly FormNode[],
      groups: readonly Group[],
      scope: Answers,
      instance: Answers | null,
      prefix: string,
      labelPrefix: string,
    ) => {
      const ctx = contextFor(form, answers, instance, today);
      for (const n of list) {
        if (!isRelevant(groups, n, ctx)) continue;
        if (n.kind === 'question') {
          if (!asked(n)) continue;
          rows.push({
            label: `${labelPrefix}${textIn(n.label, lang, form) || n.name}`,
            value: answerText(form, n, scope[n.name], lang),
            field: fieldName(prefix, n.name),
          });
        } else if (n.kind === 'group') walk(n.children, [], scope, instance, prefix, labelPrefix);
        else {
          const instances = Array.isArray(scope[n.name]) ? (scope[n.name] as Answers[]) : [];
          const title = textIn(n.label, lang, form) || n.name;
          instances.forEach((inst, i) => {
            walk(n.children, [], inst, inst, instancePrefix(prefix, n.name, i), `${title} ${i + 1}: `);
          });
        }
      }
    };
    walk(page.nodes, [], answers, null, '', '');
    const title = page.group ? textIn(page.group.label, lang, form) || page.group.name : '';
    sections.push({ page: page.index, title, rows });
  }
  return sections;
}

/** Questions a form asks in all (for "about N minutes" on the start page). */
export function questionCount(form: Form): number {
  let n = 0;
  for (const page of pagesOf(form)) n += pageQuestionNames(page).size;
  return n;
}

/** About how long the form takes: 20 seconds a question, at least a minute. */
export function minutesToAnswer(form: Form): number {
  return Math.max(1, Math.ceil((questionCount(form) * 20) / 60));
}
