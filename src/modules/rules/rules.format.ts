// The shape of a rule set (docs/rules.md) as stored in rule_versions.definition / .tests and in YAML,
// the neutral default facts for test cases, and structural validation of untrusted input.
import type { Facts, HouseholdFacts, PersonFacts } from './rules.facts.ts';

export interface Localized {
  ru: string;
  en: string;
}
export interface ConditionDef {
  id: string;
  expr: string;
  pass: Localized;
  fail: Localized;
}
export interface AmountDef {
  expr: string;
  explain: Localized;
}
export interface RuleDefinition {
  conditions: ConditionDef[];
  amount?: AmountDef;
}
export interface PartialFacts {
  person?: Partial<PersonFacts>;
  household?: Partial<HouseholdFacts>;
  assignments?: string[];
}
export interface RuleCase {
  name: string;
  as_of: string;
  facts?: PartialFacts;
  /** Overrides of parameter values in force on as_of. */
  params?: Record<string, number>;
  expect: { eligible: boolean; amount?: number; failed?: string[] };
}
export interface Problem {
  where: string;
  message: string;
}

export const CONDITION_ID = /^[a-z][a-z0-9_]*$/;
export const PARAMETER_CODE = /^[a-z][a-z0-9_]{1,62}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An adult of 40 living alone on 30 000 ₽ with nothing special about them (docs/rules.md). */
export function withDefaults(partial?: PartialFacts): Facts {
  return {
    person: {
      age: 40,
      sex: 'F',
      categories: [],
      disability_group: 0,
      monthly_income: 30000,
      district: 'volgograd',
      remote: false,
      ...partial?.person,
    },
    household: {
      size: 1,
      per_capita_income: 30000,
      children_ages: [],
      children_under_18: 0,
      children_under_23: 0,
      youngest_child_age: -1,
      single_parent: false,
      ...partial?.household,
    },
    assignments: partial?.assignments ?? [],
  };
}

// ------------------------------------------------------------ structural validation of input

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function extraKeys(v: Obj, allowed: string[], where: string, out: Problem[]): void {
  for (const k of Object.keys(v))
    if (!allowed.includes(k)) out.push({ where, message: `unexpected key "${k}"` });
}

function localizedProblems(v: unknown, where: string, out: Problem[]): void {
  if (!isObj(v) || typeof v.ru !== 'string' || typeof v.en !== 'string' || !v.ru || !v.en) {
    out.push({ where, message: 'expected { ru: text, en: text }' });
    return;
  }
  extraKeys(v, ['ru', 'en'], where, out);
}

function conditionProblems(c: unknown, i: number, out: Problem[]): void {
  const where = isObj(c) && typeof c.id === 'string' ? `condition ${c.id}` : `condition #${i + 1}`;
  if (!isObj(c)) return void out.push({ where, message: 'expected an object' });
  extraKeys(c, ['id', 'expr', 'pass', 'fail'], where, out);
  if (typeof c.id !== 'string' || !CONDITION_ID.test(c.id))
    out.push({ where, message: 'id must match ^[a-z][a-z0-9_]*$' });
  if (typeof c.expr !== 'string' || !c.expr.trim()) out.push({ where, message: 'expr is missing' });
  localizedProblems(c.pass, `${where} pass`, out);
  localizedProblems(c.fail, `${where} fail`, out);
}

/** Shape only (types of fields, ids); expressions are checked by rules.check.ts. */
export function definitionShapeProblems(def: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isObj(def)) return [{ where: 'definition', message: 'expected an object' }];
  extraKeys(def, ['conditions', 'amount'], 'definition', out);
  if (!Array.isArray(def.conditions) || def.conditions.length === 0) {
    out.push({ where: 'definition', message: 'at least one condition is required' });
  } else {
    for (const [i, c] of def.conditions.entries()) conditionProblems(c, i, out);
  }
  if (def.amount !== undefined) {
    if (!isObj(def.amount)) out.push({ where: 'amount', message: 'expected { expr, explain }' });
    else {
      extraKeys(def.amount, ['expr', 'explain'], 'amount', out);
      if (typeof def.amount.expr !== 'string' || !def.amount.expr.trim())
        out.push({ where: 'amount', message: 'expr is missing' });
      localizedProblems(def.amount.explain, 'amount explain', out);
    }
  }
  return out;
}

const FACT_KEYS = {
  person: ['age', 'sex', 'categories', 'disability_group', 'monthly_income', 'district', 'remote'],
  household: [
    'size',
    'per_capita_income',
    'children_ages',
    'children_under_18',
    'children_under_23',
    'youngest_child_age',
    'single_parent',
  ],
} as const;

/** A typo in a test's facts would silently fall back to the default: report it instead. */
function factsProblems(facts: unknown, where: string, out: Problem[]): void {
  if (facts === undefined) return;
  if (!isObj(facts)) return void out.push({ where, message: 'facts must be an object' });
  extraKeys(facts, ['person', 'household', 'assignments'], `${where} facts`, out);
  for (const part of ['person', 'household'] as const) {
    const value = facts[part];
    if (value === undefined) continue;
    if (!isObj(value)) out.push({ where, message: `facts.${part} must be an object` });
    else
      for (const k of Object.keys(value))
        if (!(FACT_KEYS[part] as readonly string[]).includes(k))
          out.push({ where, message: `unknown fact ${part}.${k}` });
  }
  if (facts.assignments !== undefined && !Array.isArray(facts.assignments))
    out.push({ where, message: 'facts.assignments must be a list of measure codes' });
}

export function caseShapeProblems(c: unknown, i: number): Problem[] {
  const out: Problem[] = [];
  const where = isObj(c) && typeof c.name === 'string' ? `test "${c.name}"` : `test #${i + 1}`;
  if (!isObj(c)) return [{ where, message: 'expected an object' }];
  extraKeys(c, ['name', 'as_of', 'facts', 'params', 'expect'], where, out);
  if (typeof c.name !== 'string' || !c.name.trim()) out.push({ where, message: 'name is missing' });
  if (typeof c.as_of !== 'string' || !ISO_DATE.test(c.as_of))
    out.push({ where, message: 'as_of must be a date YYYY-MM-DD' });
  factsProblems(c.facts, where, out);
  if (
    c.params !== undefined &&
    (!isObj(c.params) || Object.values(c.params).some((v) => typeof v !== 'number'))
  )
    out.push({ where, message: 'params must map parameter codes to numbers' });
  const e = c.expect;
  if (!isObj(e) || typeof e.eligible !== 'boolean')
    out.push({ where, message: 'expect.eligible is required' });
  else {
    extraKeys(e, ['eligible', 'amount', 'failed'], `${where} expect`, out);
    if (e.amount !== undefined && typeof e.amount !== 'number')
      out.push({ where, message: 'expect.amount must be a number' });
    if (e.failed !== undefined && (!Array.isArray(e.failed) || e.failed.some((f) => typeof f !== 'string')))
      out.push({ where, message: 'expect.failed must be a list of condition ids' });
  }
  return out;
}

// ------------------------------------------------------------ values in explanation texts

export type Lang = 'ru' | 'en';
export type ValueFormat = 'rub' | 'int' | 'years' | 'list' | 'plain';
const LOCALES: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB' };

const cache = new Map<string, Intl.NumberFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
  const v = cache.get(key) ?? make();
  cache.set(key, v);
  return v as T;
}

const number = (lang: Lang, fraction: number) =>
  cached(
    `n${lang}${fraction}`,
    () => new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: fraction }),
  );

/** «14 200 ₽» / «₽14,200»; kopecks only when there are any. */
export function formatRub(v: number, lang: Lang): string {
  const whole = Number.isInteger(Math.round(v * 100) / 100);
  const digits = whole ? 0 : 2;
  const f = cached(
    `r${lang}${digits}`,
    () =>
      new Intl.NumberFormat(LOCALES[lang], {
        style: 'currency',
        currency: 'RUB',
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  );
  return f.format(v);
}

const YEARS: Record<Lang, Partial<Record<Intl.LDMLPluralRule, string>>> = {
  ru: { one: 'год', few: 'года', many: 'лет', other: 'года' },
  en: { one: 'year', other: 'years' },
};

/** «65 лет», «1 год», «2 года»; "65 years", "1 year". */
export function formatYears(v: number, lang: Lang): string {
  const n = Math.trunc(v);
  const rule = cached(`p${lang}`, () => new Intl.PluralRules(LOCALES[lang])).select(n);
  return `${n} ${YEARS[lang][rule] ?? YEARS[lang].other}`;
}

export function formatValue(v: unknown, format: ValueFormat, lang: Lang): string {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n === 'number') {
    if (format === 'rub') return formatRub(n, lang);
    if (format === 'years') return formatYears(n, lang);
    return number(lang, format === 'int' ? 0 : 2).format(n);
  }
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(x, 'plain', lang)).join(', ') : '—';
  if (typeof v === 'boolean') return lang === 'ru' ? (v ? 'да' : 'нет') : v ? 'yes' : 'no';
  return v === null || v === undefined ? '—' : String(v);
}
