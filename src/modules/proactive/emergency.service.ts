// Emergency measures (the 2020 pandemic case): an analyst picks a template, fills its fields, and gets
// a new catalog measure (hidden until published) with a draft rule version built from the template.
// A dry run over the whole registry shows who and what it would cost, by district; then the usual
// four eyes: one analyst proposes, a different one approves, and the measure appears in the catalog.
import { record } from '../../platform/audit/audit.service.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { MessageKey } from '../../platform/i18n/i18n.ts';
import { createMeasure, measureRefs, setMeasureActive } from '../catalog/catalog.service.ts';
import { invalidateRuleBooks } from '../entitlements/entitlements.service.ts';
import { listDistricts } from '../geography/geography.service.ts';
import { streamFacts } from '../registry/facts.service.ts';
import type { RuleCase, RuleDefinition } from '../rules/rules.format.ts';
import * as rules from '../rules/rules.service.ts';

export const TEMPLATES = ['children', 'elderly_alone', 'low_income'] as const;
export type TemplateCode = (typeof TEMPLATES)[number];

interface Template {
  periodicity: 'one_off' | 'monthly';
  sphere: string;
  situations: string[];
  /** Bounds of the template's threshold: an age in years or a per-capita income in roubles. */
  threshold: { kind: 'age' | 'income'; min: number; max: number };
  definition(a: EmergencyAnswers): RuleDefinition;
  /** A resident who qualifies and one who does not, as the draft's test cases. */
  cases(a: EmergencyAnswers): [RuleCase['facts'], RuleCase['facts']];
}

const amountDef = (a: EmergencyAnswers) => ({
  expr: `${a.amount.toFixed(1)}`,
  explain: { ru: `Фиксированная сумма ${a.amount} ₽`, en: `A fixed amount of ${a.amount} ₽` },
});

// Per child, not per family: the facts have no "head of household", and paying every child under N
// (to a parent) counts each child once where a per-family rule would pay both parents.
const T: Record<TemplateCode, Template> = {
  children: {
    periodicity: 'one_off',
    sphere: 'families',
    situations: ['raising_children', 'emergency'],
    threshold: { kind: 'age', min: 1, max: 18 },
    definition: (a) => ({
      conditions: [
        {
          id: 'child_under_limit',
          expr: `person.age < ${a.threshold.toFixed(1)}`,
          pass: {
            ru: `Ребёнку {{person.age|years}}: младше ${a.threshold} лет`,
            en: `The child is {{person.age|years}} old: under ${a.threshold}`,
          },
          fail: {
            ru: `Возраст {{person.age|years}}: не младше ${a.threshold} лет`,
            en: `Age {{person.age|years}} is not under ${a.threshold}`,
          },
        },
      ],
      amount: amountDef(a),
    }),
    cases: (a) => [{ person: { age: a.threshold - 1 } }, { person: { age: a.threshold } }],
  },
  elderly_alone: {
    periodicity: 'monthly',
    sphere: 'older_people',
    situations: ['old_age_care', 'emergency'],
    threshold: { kind: 'age', min: 50, max: 100 },
    definition: (a) => ({
      conditions: [
        {
          id: 'age_at_least',
          expr: `person.age >= ${a.threshold.toFixed(1)}`,
          pass: {
            ru: `Возраст {{person.age|years}}: не меньше ${a.threshold} лет`,
            en: `Age {{person.age|years}}: at least ${a.threshold}`,
          },
          fail: {
            ru: `Возраст {{person.age|years}}: меньше ${a.threshold} лет`,
            en: `Age {{person.age|years}} is under ${a.threshold}`,
          },
        },
        {
          id: 'lives_alone',
          expr: 'household.size == 1.0',
          pass: { ru: 'Проживает один', en: 'Lives alone' },
          fail: { ru: 'Проживает не один', en: 'Does not live alone' },
        },
      ],
      amount: amountDef(a),
    }),
    cases: (a) => [
      { person: { age: a.threshold }, household: { size: 1 } },
      { person: { age: a.threshold }, household: { size: 2 } },
    ],
  },
  low_income: {
    periodicity: 'one_off',
    sphere: 'low_income',
    situations: ['low_income', 'emergency'],
    threshold: { kind: 'income', min: 1000, max: 200_000 },
    definition: (a) => ({
      conditions: [
        {
          id: 'income_below',
          expr: `household.per_capita_income < ${a.threshold.toFixed(1)}`,
          pass: {
            ru: `Среднедушевой доход {{household.per_capita_income|rub}} ниже ${a.threshold} ₽`,
            en: `Per-capita income {{household.per_capita_income|rub}} is below ${a.threshold} ₽`,
          },
          fail: {
            ru: `Среднедушевой доход {{household.per_capita_income|rub}} не ниже ${a.threshold} ₽`,
            en: `Per-capita income {{household.per_capita_income|rub}} is not below ${a.threshold} ₽`,
          },
        },
      ],
      amount: amountDef(a),
    }),
    cases: (a) => [
      { household: { per_capita_income: a.threshold - 1 } },
      { household: { per_capita_income: a.threshold } },
    ],
  },
};

export const templateOf = (code: TemplateCode) => T[code];

export interface EmergencyAnswers {
  template: TemplateCode;
  title_ru: string;
  title_en: string;
  code: string;
  amount: number;
  threshold: number;
  effective_from: string;
  legal_basis_ru: string;
  legal_basis_en: string;
}

/** The questions, one per page, in order; each names the answers it sets. */
export const STEPS = {
  template: ['template'],
  title: ['title_ru', 'title_en'],
  code: ['code'],
  amount: ['amount'],
  threshold: ['threshold'],
  date: ['effective_from'],
  legal: ['legal_basis_ru', 'legal_basis_en'],
} as const satisfies Record<string, readonly (keyof EmergencyAnswers)[]>;
export type Step = keyof typeof STEPS;
export const STEP_ORDER = Object.keys(STEPS) as Step[];

const CODE = /^[A-Z][A-Z0-9-]{2,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks one answer; returns a message key for the field's error, or undefined when it is fine. */
export function answerProblem(
  name: keyof EmergencyAnswers,
  raw: string,
  template: TemplateCode | undefined,
): MessageKey | undefined {
  const number = Number(raw.replaceAll(' ', '').replace(',', '.'));
  switch (name) {
    case 'template':
      return (TEMPLATES as readonly string[]).includes(raw)
        ? undefined
        : 'proactive.emergency.templateMissing';
    case 'title_ru':
    case 'title_en':
      return raw.length >= 5 && raw.length <= 200 ? undefined : 'proactive.emergency.titleInvalid';
    case 'code':
      return CODE.test(raw) ? undefined : 'proactive.emergency.codeInvalid';
    case 'amount':
      return raw && Number.isFinite(number) && number >= 1 && number <= 1_000_000
        ? undefined
        : 'proactive.emergency.amountInvalid';
    case 'threshold': {
      const bounds = template ? T[template].threshold : undefined;
      return bounds && raw && Number.isInteger(number) && number >= bounds.min && number <= bounds.max
        ? undefined
        : 'proactive.emergency.thresholdInvalid';
    }
    case 'effective_from':
      return DATE.test(raw) && !Number.isNaN(Date.parse(raw)) ? undefined : 'proactive.emergency.dateInvalid';
    case 'legal_basis_ru':
    case 'legal_basis_en':
      return raw.length >= 5 && raw.length <= 500 ? undefined : 'proactive.emergency.legalInvalid';
  }
}

/** All answers typed, or undefined with the first step that still needs one. */
export function completeAnswers(
  raw: Record<string, string>,
): { answers: EmergencyAnswers } | { missing: Step } {
  const template = raw.template as TemplateCode | undefined;
  for (const step of STEP_ORDER)
    for (const name of STEPS[step])
      if (answerProblem(name, raw[name] ?? '', template) !== undefined) return { missing: step };
  const num = (v: string | undefined) => Number((v ?? '').replaceAll(' ', '').replace(',', '.'));
  return {
    answers: {
      template: template as TemplateCode,
      title_ru: raw.title_ru!,
      title_en: raw.title_en!,
      code: raw.code!,
      amount: num(raw.amount),
      threshold: num(raw.threshold),
      effective_from: raw.effective_from!,
      legal_basis_ru: raw.legal_basis_ru!,
      legal_basis_en: raw.legal_basis_en!,
    },
  };
}

/** Creates the (hidden) catalog measure and its draft rule version; returns the version id. */
export async function createEmergencyMeasure(
  trx: Trx,
  a: EmergencyAnswers,
  actorId: number,
  ip: string,
): Promise<number> {
  const t = T[a.template];
  const measureId = await createMeasure(trx, {
    code: a.code,
    title_ru: a.title_ru,
    title_en: a.title_en,
    summary_ru: a.title_ru,
    summary_en: a.title_en,
    description_ru: 'Экстренная мера поддержки. Назначается без заявления по данным регистра.',
    description_en: 'An emergency support measure, assigned without an application from registry data.',
    eligibility_ru: t
      .definition(a)
      .conditions.map((c) => c.pass.ru.replace(/\{\{[^}]*\}\}:?\s*/g, ''))
      .join('; '),
    eligibility_en: t
      .definition(a)
      .conditions.map((c) => c.pass.en.replace(/\{\{[^}]*\}\}:?\s*/g, ''))
      .join('; '),
    legal_basis_ru: a.legal_basis_ru,
    legal_basis_en: a.legal_basis_en,
    sphere_code: t.sphere,
    department_code: 'social-protection',
    form: 'cash',
    periodicity: t.periodicity,
    channels: ['proactive'],
    decision_days: 10,
    amount_note_ru: `${a.amount} ₽`,
    amount_note_en: `${a.amount} ₽`,
    is_active: false,
    life_situations: t.situations,
  });
  const [yes, no] = t.cases(a);
  const versionId = await rules.createDraft(trx, {
    measureCode: a.code,
    effectiveFrom: a.effective_from,
    definition: t.definition(a),
    tests: [
      {
        name: 'qualifies',
        as_of: a.effective_from,
        facts: yes,
        expect: { eligible: true, amount: a.amount },
      },
      { name: 'does not qualify', as_of: a.effective_from, facts: no, expect: { eligible: false } },
    ],
    note: `Emergency measure from template "${a.template}"`,
    actorId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: actorId },
    action: 'emergency.created',
    subject: { kind: 'measure', id: measureId },
    ip,
    details: { code: a.code, template: a.template, ruleVersionId: versionId },
  });
  return versionId;
}

export interface DryRunResult {
  asOf: string;
  people: number;
  /** Sum of amounts: per month for a monthly measure, once for a one-off one. */
  cost: number;
  periodicity: string;
  byDistrict: { code: string; name_ru: string; name_en: string; people: number; cost: number }[];
  seconds: number;
}

/** The draft evaluated for the whole registry (decide only): who and how much, by district. */
export async function dryRun(db: Db, versionId: number, asOf: string): Promise<DryRunResult> {
  const started = performance.now();
  const { measure } = await versionWithMeasure(db, versionId);
  const rule = await rules.compileVersion(db, versionId);
  const params = await rules.paramsAsOf(db, asOf);
  const perDistrict = new Map<number, { people: number; cost: number }>();
  for await (const batch of streamFacts(db, { asOf })) {
    for (const r of batch) {
      const d = rule.decide(r.facts, params);
      if (!d.eligible) continue;
      const sum = perDistrict.get(r.districtId) ?? { people: 0, cost: 0 };
      sum.people++;
      sum.cost += d.amount ?? 0;
      perDistrict.set(r.districtId, sum);
    }
  }
  const districts = await listDistricts(db);
  const byDistrict = districts
    .map((d) => ({
      code: d.code,
      name_ru: d.name_ru,
      name_en: d.name_en,
      ...(perDistrict.get(d.id) ?? { people: 0, cost: 0 }),
    }))
    .filter((d) => d.people > 0)
    .sort((a, b) => b.people - a.people);
  return {
    asOf,
    people: byDistrict.reduce((n, d) => n + d.people, 0),
    cost: byDistrict.reduce((n, d) => n + d.cost, 0),
    periodicity: measure.periodicity,
    byDistrict,
    seconds: (performance.now() - started) / 1000,
  };
}

async function versionWithMeasure(db: Db | Trx, versionId: number) {
  const version = await rules.getVersion(db, versionId);
  if (!version) throw notFound('Rule version');
  const [measure] = await measureRefs(db, { ids: [version.measure_id] });
  if (!measure) throw notFound('Measure');
  return { version, measure };
}

export async function emergencyVersion(db: Db, versionId: number) {
  return await versionWithMeasure(db, versionId);
}

/** Measures still hidden from the catalog (created here, not yet published), with their latest version. */
export async function emergencyVersions(db: Db) {
  const hidden = (await measureRefs(db)).filter((m) => !m.is_active);
  const rows = [];
  for (const measure of hidden) {
    const latest = (await rules.listVersions(db, measure.code)).at(-1);
    if (latest) rows.push({ ...latest, measure });
  }
  return rows;
}

export async function proposeEmergency(db: Db, versionId: number, actorId: number): Promise<void> {
  await rules.propose(db, versionId, actorId);
}

/** Four eyes: the proposer cannot approve; approval publishes the rule and shows the measure. */
export async function approveEmergency(db: Db, versionId: number, actorId: number): Promise<void> {
  const { version, measure } = await versionWithMeasure(db, versionId);
  if (version.proposed_by === actorId)
    throw new AppError('four_eyes', 403, 'The analyst who proposed a rule cannot approve it');
  await rules.approve(db, versionId, actorId);
  await setMeasureActive(db, measure.id, true);
  invalidateRuleBooks();
}
