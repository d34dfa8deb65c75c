import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRule, RuleProblemsError } from './rules.check.ts';
import { compileRule, RuleEvaluationError, roundKopecks, runCase } from './rules.engine.ts';
import type { Facts } from './rules.facts.ts';
import { formatValue, type RuleDefinition, withDefaults } from './rules.format.ts';
import { paramsOn, readRuleFiles, versionInForce } from './rules.yaml.ts';

const FIXTURES = new URL('./fixtures/rules', import.meta.url).pathname;
const files = readRuleFiles(FIXTURES);
const childBenefit = files.measures.find((m) => m.measure === 'CHILD-BENEFIT')!;
const v2 = childBenefit.versions.find((v) => v.version === 2)!.definition;
const params: Record<string, number> = { ...paramsOn(files.parameters, '2025-03-01'), unrelated: 7 };
const family = (children: number, income: number) =>
  withDefaults({ household: { children_under_18: children, per_capita_income: income, size: children + 1 } });

const cond = (id: string, expr: string, text = 'x') => ({
  id,
  expr,
  pass: { ru: text, en: text },
  fail: { ru: text, en: text },
});
const problemsOf = (def: RuleDefinition) => {
  try {
    compileRule('TEST', def);
  } catch (error) {
    assert.ok(error instanceof RuleProblemsError);
    assert.equal(error.code, 'rule_invalid');
    return error.problems.map((p) => `${p.where}: ${p.message}`);
  }
  return [];
};

describe('evaluate: outcomes explained with real values', () => {
  const rule = compileRule('CHILD-BENEFIT', v2, { ruleVersionId: 12, version: 2 });

  test('eligible: every condition, the amount and its explanation in ru and en', () => {
    const ev = rule.evaluate(family(2, 15237), params);
    assert.equal(ev.eligible, true);
    assert.equal(ev.amount, 3000);
    assert.deepEqual(ev.conditions, [
      {
        id: 'has_children',
        passed: true,
        text: { ru: 'В семье 2 детей до 18 лет', en: 'The household has 2 children under 18' },
      },
      {
        id: 'low_income',
        passed: true,
        text: {
          ru: 'Среднедушевой доход 15\u00a0237\u00a0₽ не выше прожиточного минимума 15\u00a0237\u00a0₽',
          en: 'Per-capita income ₽15,237 is not above the subsistence minimum ₽15,237',
        },
      },
    ]);
    assert.deepEqual(ev.amountText, {
      ru: '1\u00a0500\u00a0₽ на каждого из 2 детей',
      en: '₽1,500 for each of 2 children',
    });
    assert.deepEqual(ev.parameters, { child_benefit_amount: 1500, subsistence_minimum_per_capita: 15237 });
    assert.deepEqual([ev.measureCode, ev.ruleVersionId, ev.version], ['CHILD-BENEFIT', 12, 2]);
  });

  test('not eligible: every failed condition is reported, with no amount', () => {
    const ev = rule.evaluate(family(0, 20000.5), params);
    assert.equal(ev.eligible, false);
    assert.equal(ev.amount, null);
    assert.equal(ev.amountText, null);
    assert.deepEqual(
      ev.conditions.map((c) => [c.id, c.passed]),
      [
        ['has_children', false],
        ['low_income', false],
      ],
    );
    assert.equal(
      ev.conditions[1]!.text.ru,
      'Среднедушевой доход 20\u00a0000,50\u00a0₽ выше прожиточного минимума 15\u00a0237\u00a0₽',
    );
    assert.equal(ev.conditions[1]!.text.en, 'Per-capita income ₽20,000.50 is above the threshold ₽15,237');
  });

  test('boundary: at the threshold eligible, one kopeck above not', () => {
    assert.equal(rule.decide(family(1, 15237), params).eligible, true);
    assert.deepEqual(rule.decide(family(1, 15237.01), params), { eligible: false, amount: null });
  });

  test('a missing parameter is an error, never a silent refusal', () => {
    const { child_benefit_amount: _, ...without } = params;
    assert.throws(() => rule.evaluate(family(1, 100), without), RuleEvaluationError);
    assert.throws(() => rule.decide(family(1, 100), without), /child_benefit_amount/);
  });

  test('decide agrees with evaluate on generated facts', () => {
    for (let i = 0; i < 500; i++) {
      const facts = family(i % 4, (i * 7919) % 30000);
      const ev = rule.evaluate(facts, params);
      assert.deepEqual(rule.decide(facts, params), { eligible: ev.eligible, amount: ev.amount });
    }
  });
});

describe('errors while evaluating follow CEL: a false condition wins', () => {
  const def: RuleDefinition = {
    conditions: [
      cond('ratio', 'person.monthly_income / household.per_capita_income > 0.5'),
      cond('adult', 'person.age >= 18.0'),
    ],
  };
  const rule = compileRule('TEST', def);
  const zero = (age: number) => withDefaults({ person: { age }, household: { per_capita_income: 0 } });

  test('another condition false → not eligible, the failing one explained', () => {
    const ev = rule.evaluate(zero(10), {});
    assert.equal(ev.eligible, false);
    assert.match(ev.conditions[0]!.text.en, /could not be checked: division by zero/);
    assert.deepEqual(rule.decide(zero(10), {}), { eligible: false, amount: null });
  });

  test('otherwise the rule cannot decide: an error naming the condition', () => {
    assert.throws(() => rule.evaluate(zero(30), {}), /condition ratio: division by zero/);
    assert.throws(() => rule.decide(zero(30), {}), /condition ratio: division by zero/);
  });

  test('a negative amount is an error', () => {
    const negative = compileRule('TEST', {
      conditions: [cond('any', 'true')],
      amount: { expr: '-1.0', explain: { ru: 'x', en: 'x' } },
    });
    assert.throws(() => negative.decide(withDefaults(), {}), /amount: amount is negative/);
  });
});

describe('rules that cannot be published', () => {
  test('unknown fact, named with the condition', () => {
    const def = { conditions: [cond('low_income', 'household.per_capita_incom <= 1000.0')] };
    assert.deepEqual(problemsOf(def), ['condition low_income: unknown fact household.per_capita_incom']);
  });

  test('syntax error', () => {
    const [problem] = problemsOf({ conditions: [cond('broken', 'person.age >= ')] });
    assert.match(problem!, /^condition broken: syntax error: /);
  });

  test('a condition that is not bool, an amount that is not double', () => {
    const def = {
      conditions: [cond('income', 'person.monthly_income')],
      amount: { expr: 'size(person.categories)', explain: { ru: 'x', en: 'x' } },
    };
    assert.deepEqual(problemsOf(def), [
      'condition income: must be bool, got double',
      'amount: must be double, got int',
    ]);
  });

  test('type errors, duplicate ids, parameters read indirectly', () => {
    const def = {
      conditions: [
        cond('a', 'person.age >= "18"'),
        cond('a', 'true'),
        cond('b', 'params[person.district] > 1.0'),
      ],
    };
    assert.deepEqual(problemsOf(def), [
      'condition a: type error: no such overload: double >= string',
      'condition a: duplicate condition id',
      'condition b: parameters must be named literally, as params.<code>',
    ]);
  });

  test('explanation templates are checked too', () => {
    const texts = { ru: '{{person.district|rub}} {{person.agee}}', en: '{{person.age|money}} {{person.age' };
    const problems = problemsOf({ conditions: [{ id: 'c', expr: 'true', pass: texts, fail: texts }] });
    assert.deepEqual(problems.slice(0, 4), [
      'condition c, pass text (ru): {{person.district}}: format rub needs a number, got string',
      'condition c, pass text (ru): {{person.agee}}: unknown fact person.agee',
      'condition c, pass text (en): unknown format "money" (rub, int, years, list)',
      'condition c, pass text (en): unclosed {{',
    ]);
  });

  test('parameters: unknown, or without a value on the effective date', () => {
    const def = {
      conditions: [cond('c', 'person.age >= params.retirement_age_women && person.age < params.pension_age')],
    };
    const ctx = {
      known: new Set(['retirement_age_women']),
      inForce: new Set<string>(),
      effectiveFrom: '2019-01-01',
    };
    assert.deepEqual(checkRule(def, ctx), [
      { where: 'condition c', message: 'unknown parameter params.pension_age' },
    ]);
    const known = { ...ctx, known: new Set(['retirement_age_women', 'pension_age']) };
    assert.deepEqual(
      checkRule(def, known).map((p) => `${p.where}: ${p.message}`),
      [
        'params.pension_age: has no value in force on 2019-01-01',
        'params.retirement_age_women: has no value in force on 2019-01-01',
      ],
    );
  });
});

describe('values in texts', () => {
  test('roubles, whole and with kopecks', () => {
    assert.equal(formatValue(14200, 'rub', 'ru'), '14\u00a0200\u00a0₽');
    assert.equal(formatValue(14200, 'rub', 'en'), '₽14,200');
    assert.equal(formatValue(333.333, 'rub', 'en'), '₽333.33');
  });

  test('years with plural rules', () => {
    assert.deepEqual(
      [1, 2, 5, 21, 65].map((n) => formatValue(n, 'years', 'ru')),
      ['1 год', '2 года', '5 лет', '21 год', '65 лет'],
    );
    assert.deepEqual(
      [1, 65].map((n) => formatValue(n, 'years', 'en')),
      ['1 year', '65 years'],
    );
  });

  test('lists, ints, booleans', () => {
    assert.equal(formatValue(['pensioner', 'disabled'], 'list', 'en'), 'pensioner, disabled');
    assert.equal(formatValue([], 'list', 'ru'), '—');
    assert.equal(formatValue(3n, 'int', 'ru'), '3');
    assert.equal(formatValue(true, 'plain', 'ru'), 'да');
  });

  test('amounts are rounded to kopecks', () => {
    assert.equal(roundKopecks(1000 / 3), 333.33);
    assert.equal(roundKopecks(1.005), 1.01);
    const rule = compileRule('TEST', {
      conditions: [cond('c', 'true')],
      amount: { expr: '1000.0 / 3.0', explain: { ru: 'x', en: 'x' } },
    });
    assert.equal(rule.decide(withDefaults(), {}).amount, 333.33);
  });
});

describe('test cases', () => {
  const rule = compileRule('CHILD-BENEFIT', v2);
  const at = (asOf: string) => paramsOn(files.parameters, asOf);

  test('the version in force on a date', () => {
    assert.equal(versionInForce(childBenefit.versions, '2024-12-31')?.version, 1);
    assert.equal(versionInForce(childBenefit.versions, '2025-01-01')?.version, 2);
    assert.equal(versionInForce(childBenefit.versions, '2019-12-31'), undefined);
  });

  test('a failing case says what was expected and what came out', () => {
    const c = {
      name: 'wrong',
      as_of: '2025-03-01',
      facts: { household: { children_under_18: 1, per_capita_income: 1 } },
      expect: { eligible: true, amount: 2000 },
    };
    assert.deepEqual(runCase(rule, c, at(c.as_of)).message, 'expected amount 2000, got 1500');
    const refused = { ...c, expect: { eligible: false, failed: ['low_income'] } };
    assert.equal(
      runCase(rule, refused, at(c.as_of)).message,
      'expected not eligible, got eligible with amount 1500',
    );
    const failed = { ...refused, facts: {}, expect: { eligible: false, failed: ['low_income'] } };
    assert.equal(
      runCase(rule, failed, at(c.as_of)).message,
      'expected failed [low_income], got [has_children, low_income]',
    );
  });

  test('overriding an unknown parameter is refused', () => {
    const c = {
      name: 'typo',
      as_of: '2025-03-01',
      params: { child_benefit: 1 },
      expect: { eligible: false },
    };
    assert.equal(runCase(rule, c, at(c.as_of)).message, 'unknown parameters: child_benefit');
  });
});

const _typecheck: Facts = withDefaults();
