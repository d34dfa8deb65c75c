// "What am I entitled to": every measure's rule in force evaluated on one set of facts — a resident's
// registry facts, or facts built from an anonymous visitor's answers — grouped for the results page.
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { MessageKey } from '../../platform/i18n/i18n.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { factsForPerson } from '../registry/facts.service.ts';
import type { Facts } from '../rules/rules.facts.ts';
import { withDefaults } from '../rules/rules.format.ts';
import { type Evaluation, type RuleBook, ruleBookAsOf } from '../rules/rules.service.ts';

// ------------------------------------------------------------ caches
// Compiled rule books are immutable, so one per as-of date serves every request. A TTL bounds how
// long another instance's publication goes unseen; this instance's publications invalidate at once.
const TTL_MS = 60_000;
const MAX_ENTRIES = 16;
interface Cached<T> {
  at: number;
  value: Promise<T>;
}
const books = new Map<string, Cached<RuleBook>>();
let titles: Cached<Map<string, Title>> | undefined;

/** Call after a rule version is published (or rejected from force) so the next check recompiles. */
export function invalidateRuleBooks(): void {
  books.clear();
  titles = undefined;
}

function cached<T>(entry: Cached<T> | undefined, load: () => Promise<T>, store: (c: Cached<T>) => void) {
  if (entry && Date.now() - entry.at < TTL_MS) return entry.value;
  const fresh = { at: Date.now(), value: load() };
  // A failed load must not be served from the cache for a minute.
  fresh.value.catch(() => invalidateRuleBooks());
  store(fresh);
  return fresh.value;
}

export function cachedRuleBook(db: DbOrTrx, asOf: string): Promise<RuleBook> {
  return cached(
    books.get(asOf),
    () => ruleBookAsOf(db, asOf),
    (c) => {
      if (books.size >= MAX_ENTRIES) books.delete(books.keys().next().value!);
      books.set(asOf, c);
    },
  );
}

interface Title {
  ru: string;
  en: string;
}

function measureTitles(db: DbOrTrx): Promise<Map<string, Title>> {
  return cached(
    titles,
    async () => {
      const rows = (await measureRefs(db)).filter((m) => m.is_active);
      return new Map(rows.map((m) => [m.code, { ru: m.title_ru, en: m.title_en }]));
    },
    (c) => {
      titles = c;
    },
  );
}

// ------------------------------------------------------------ evaluation

export interface MeasureOutcome {
  code: string;
  title: Title;
  evaluation: Evaluation;
}

export interface Entitlements {
  asOf: string;
  /** May be entitled and not receiving yet. */
  eligible: MeasureOutcome[];
  /** Already assigned and active (whatever the rule says today). */
  receiving: MeasureOutcome[];
  notEligible: MeasureOutcome[];
  /** Measures whose rule could not be evaluated on these facts (shown as such, not as a refusal). */
  unavailable: { code: string; title: Title }[];
}

/** Today in the region (Volgograd time), as YYYY-MM-DD. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Volgograd' }).format(new Date());
}

export async function entitlementsFor(db: DbOrTrx, facts: Facts, asOf: string): Promise<Entitlements> {
  const [book, names] = await Promise.all([cachedRuleBook(db, asOf), measureTitles(db)]);
  const result: Entitlements = { asOf, eligible: [], receiving: [], notEligible: [], unavailable: [] };
  for (const rule of book.rules) {
    const title = names.get(rule.measureCode);
    if (!title) continue; // withdrawn from the catalog: nothing to link to
    let evaluation: Evaluation;
    try {
      evaluation = rule.evaluate(facts, book.params);
    } catch {
      // One rule failing on unusual facts (say, a division by zero) must not hide every other answer.
      result.unavailable.push({ code: rule.measureCode, title });
      continue;
    }
    const outcome = { code: rule.measureCode, title, evaluation };
    if (facts.assignments.includes(outcome.code)) result.receiving.push(outcome);
    else if (evaluation.eligible) result.eligible.push(outcome);
    else result.notEligible.push(outcome);
  }
  const byTitle = (a: MeasureOutcome, b: MeasureOutcome) => a.title.ru.localeCompare(b.title.ru, 'ru');
  for (const list of [result.eligible, result.receiving, result.notEligible]) list.sort(byTitle);
  return result;
}

/** A resident's own check (the portal) or one at the counter, after the caller's audited read. */
export async function entitlementsForPerson(db: DbOrTrx, personId: number, asOf = today()) {
  return await entitlementsFor(db, await factsForPerson(db, personId, asOf), asOf);
}

// ------------------------------------------------------------ the anonymous questionnaire

export interface Answers {
  age?: number;
  size?: number;
  children?: number[];
  income?: number;
  disability?: number;
  categories?: string[];
  district?: string;
}

/** One question per page, in this order; each step sets one answer. */
export const STEPS = ['age', 'size', 'children', 'income', 'disability', 'categories', 'district'] as const;
export type Step = (typeof STEPS)[number];

/** Categories a visitor may claim; 'disabled' follows from the disability question instead. */
export const CLAIMABLE_CATEGORIES = [
  'pensioner',
  'labour_veteran',
  'large_family',
  'single_parent',
  'low_income',
  'war_veteran',
  'home_front_worker',
  'unemployed',
  'emergency_victim',
] as const;

export const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

/** The first question not yet answered, or undefined when all are. */
export function firstUnanswered(a: Answers): Step | undefined {
  return STEPS.find((s) => a[s] === undefined);
}

/** Parses the cookie's JSON back into answers, dropping anything malformed. */
export function answersFromJson(json: string | undefined): Answers {
  if (!json) return {};
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const a: Answers = {
      age: num(raw.age),
      size: num(raw.size),
      income: num(raw.income),
      disability: num(raw.disability),
      district: typeof raw.district === 'string' ? raw.district : undefined,
      children: Array.isArray(raw.children) ? raw.children.filter((c) => num(c) !== undefined) : undefined,
      categories: Array.isArray(raw.categories)
        ? raw.categories.filter((c): c is string => (CLAIMABLE_CATEGORIES as readonly string[]).includes(c))
        : undefined,
    };
    return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Answers;
  } catch {
    return {};
  }
}

/** Facts from answers; the questionnaire does not ask sex or remoteness, so those stay neutral. */
export function factsFromAnswers(a: Required<Answers>): Facts {
  const ages = [...a.children].sort((x, y) => x - y);
  const perCapita = Math.round((a.income / a.size) * 100) / 100;
  const categories = [...a.categories, ...(a.disability > 0 ? ['disabled'] : [])];
  return withDefaults({
    person: {
      age: a.age,
      categories,
      disability_group: a.disability,
      // Only the household's income is asked; a member's share of it stands in for their own.
      monthly_income: perCapita,
      district: a.district,
    },
    household: {
      size: a.size,
      per_capita_income: perCapita,
      children_ages: ages,
      children_under_18: ages.filter((x) => x < 18).length,
      children_under_23: ages.filter((x) => x < 23).length,
      youngest_child_age: ages.length > 0 ? ages[0]! : -1,
      single_parent: a.categories.includes('single_parent') && ages.length > 0,
    },
  });
}

export type StepOutcome = { answers: Answers } | { error: MessageKey; value: string };

const WHOLE = /^\d{1,3}$/;

/** Reads one step's form field into the answers; `districts` are the valid district codes. */
export function answerStep(step: Step, body: unknown, answers: Answers, districts: string[]): StepOutcome {
  const raw = (name: string) => {
    const v = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
    return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  };
  const value = (raw(step)[0] ?? '').trim();
  const next = (patch: Answers): StepOutcome => ({ answers: { ...answers, ...patch } });
  const fail = (error: MessageKey): StepOutcome => ({ error, value });
  switch (step) {
    case 'age': {
      if (!WHOLE.test(value)) return fail('entitlements.e.age');
      const age = Number(value);
      return age > 120 ? fail('entitlements.e.ageRange') : next({ age });
    }
    case 'size': {
      if (!WHOLE.test(value)) return fail('entitlements.e.size');
      const size = Number(value);
      if (size < 1 || size > 20) return fail('entitlements.e.sizeRange');
      // A smaller household may no longer hold the children given: ask about them again.
      const stale = (answers.children?.length ?? 0) >= size;
      return next({ size, ...(stale ? { children: undefined } : {}) });
    }
    case 'children': {
      const parts = value === '' ? [] : value.split(/[\s,;]+/).filter(Boolean);
      if (!parts.every((p) => /^\d{1,2}$/.test(p))) return fail('entitlements.e.children');
      if (parts.length >= (answers.size ?? 1) && parts.length > 0)
        return fail('entitlements.e.childrenTooMany');
      return next({ children: parts.map(Number) });
    }
    case 'income': {
      const normal = value.replace(/[\s\u00a0\u202f₽]|руб\.?/g, '').replace(',', '.');
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(normal)) return fail('entitlements.e.income');
      return next({ income: Number(normal) });
    }
    case 'disability':
      return /^[0-3]$/.test(value) ? next({ disability: Number(value) }) : fail('entitlements.e.disability');
    case 'categories': {
      const chosen = raw('categories').filter((c) => (CLAIMABLE_CATEGORIES as readonly string[]).includes(c));
      return next({ categories: [...new Set(chosen)] });
    }
    case 'district':
      return districts.includes(value) ? next({ district: value }) : fail('entitlements.e.district');
  }
}
