// µs per evaluation of one rule: compiled (rules.compile.ts) vs cel-js interpreted vs hand-written TS.
// Run: npm run bench:rules
import { checkExpr } from '../src/modules/rules/rules.check.ts';
import { type CompiledRule, compileRule } from '../src/modules/rules/rules.engine.ts';
import type { Facts } from '../src/modules/rules/rules.facts.ts';
import { type RuleDefinition, withDefaults } from '../src/modules/rules/rules.format.ts';
import { paramsOn, readRuleFiles, versionInForce } from '../src/modules/rules/rules.yaml.ts';

const text = (s: string) => ({ ru: s, en: s });
const cond = (id: string, expr: string) => ({ id, expr, pass: text(id), fail: text(id) });

/** The shape of CHILD-BENEFIT in rules/: a macro, a parameter threshold, a conditional amount. */
const CHILD_BENEFIT: RuleDefinition = {
  conditions: [
    cond('applicant_parent', 'person.age >= 18.0 && household.children_ages.all(a, a < person.age)'),
    cond('has_children', 'household.children_under_18 >= 1.0'),
    cond('low_income', 'household.per_capita_income <= params.subsistence_minimum_per_capita'),
  ],
  amount: {
    expr: '(household.single_parent ? params.single : params.base) * household.children_under_18',
    explain: text('amount'),
  },
};

/** The brief's yardstick: one condition of three clauses. */
const PENSIONER: RuleDefinition = {
  conditions: [cond('pensioner', 'person.age >= 60.0 && "pensioner" in person.categories && !person.remote')],
};

type Params = Record<string, number>;
type Decide = (f: Facts, p: Params) => { eligible: boolean; amount: number | null };
const NO = { eligible: false, amount: null };

const handChildBenefit: Decide = (f, p) => {
  const h = f.household;
  if (!(f.person.age >= 18 && h.children_ages.every((a) => a < f.person.age))) return NO;
  if (!(h.children_under_18 >= 1)) return NO;
  if (!(h.per_capita_income <= p.subsistence_minimum_per_capita!)) return NO;
  const amount = (h.single_parent ? p.single! : p.base!) * h.children_under_18;
  return { eligible: true, amount: Math.round(amount * 100 + 1e-7) / 100 };
};

const handPensioner: Decide = (f) =>
  f.person.age >= 60 && f.person.categories.includes('pensioner') && !f.person.remote
    ? { eligible: true, amount: null }
    : NO;

/** cel-js's own evaluator over the same definition: conditions in order, then the amount. */
function interpreted(def: RuleDefinition): Decide {
  const conditions = def.conditions.map((c) => checkExpr(c.expr, null).checked!.parsed);
  const amount = def.amount ? checkExpr(def.amount.expr, null).checked!.parsed : null;
  return (f, p) => {
    const ctx = { person: f.person, household: f.household, assignments: f.assignments, params: p };
    for (const c of conditions) if (c(ctx) !== true) return NO;
    return { eligible: true, amount: amount ? Math.round((amount(ctx) as number) * 100) / 100 : null };
  };
}

function population(n: number): Facts[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, () => {
    const ages = Array.from({ length: Math.floor(rnd() * 4) }, () => Math.floor(rnd() * 20));
    return withDefaults({
      person: {
        age: Math.floor(rnd() * 90),
        categories: rnd() < 0.3 ? ['pensioner'] : [],
        remote: rnd() < 0.2,
      },
      household: {
        children_ages: ages,
        children_under_18: ages.filter((a) => a < 18).length,
        per_capita_income: Math.floor(rnd() * 40000),
        single_parent: rnd() < 0.3,
      },
    });
  });
}

type Loop = (decide: Decide, facts: Facts[], params: Params, rounds: number) => number;

/** A fresh copy of the loop per contender, so one contender's call-site feedback never slows another. */
function freshLoop(): Loop {
  return new Function(
    'decide',
    'facts',
    'params',
    'rounds',
    'let n = 0; for (let r = 0; r < rounds; r++) for (let i = 0; i < facts.length; i++) if (decide(facts[i], params).eligible) n++; return n;',
  ) as Loop;
}

/** The best of five runs: the machine is shared, and noise only ever adds time. */
function measure(loop: Loop, decide: Decide, facts: Facts[], params: Params, rounds: number): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    loop(decide, facts, params, rounds);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / (rounds * facts.length));
  }
  return best;
}

function bench(name: string, def: RuleDefinition, hand: Decide, params: Params): void {
  const facts = population(100_000);
  const rule: CompiledRule = compileRule(name, def);
  const contenders: [string, Decide, number][] = [
    ['hand-written', hand, 20],
    ['compiled', rule.decide, 20],
    ['interpreted', interpreted(def), 2],
  ];
  const us = contenders.map(([label, decide, rounds]) => {
    const loop = freshLoop();
    measure(loop, decide, facts, params, Math.max(1, rounds / 4)); // warm-up
    return [label, measure(loop, decide, facts, params, rounds)] as const;
  });
  const hand_ = us[0]![1];
  console.log(`\n${name}`);
  for (const [label, v] of us)
    console.log(`  ${label.padEnd(13)} ${v.toFixed(4)} µs/eval  ${(v / hand_).toFixed(1)}x`);
  console.log(
    `  2.5 M residents, compiled: ${((us[1]![1] * 2_500_000) / 1e6).toFixed(2)} s of rule evaluation`,
  );
}

bench('CHILD-BENEFIT (3 conditions, macro, amount)', CHILD_BENEFIT, handChildBenefit, {
  subsistence_minimum_per_capita: 15250,
  base: 424,
  single: 848,
});
bench('3-clause condition', PENSIONER, handPensioner, {});

/** Every rule set in rules/ as in force on a day: compiled vs interpreted (no hand-written twin). */
function benchRepository(asOf: string): void {
  const files = readRuleFiles();
  const params = paramsOn(files.parameters, asOf);
  const facts = population(20_000);
  let compiledTotal = 0;
  let interpretedTotal = 0;
  let rules = 0;
  for (const m of files.measures) {
    const v = versionInForce(m.versions, asOf);
    if (!v) continue;
    const c = compileRule(m.measure, v.definition).decide;
    const i = interpreted(v.definition);
    const [lc, li] = [freshLoop(), freshLoop()];
    measure(lc, c, facts, params, 2);
    measure(li, i, facts, params, 1);
    compiledTotal += measure(lc, c, facts, params, 10);
    interpretedTotal += measure(li, i, facts, params, 2);
    rules++;
  }
  console.log(`\nall ${rules} rules in rules/ as of ${asOf} (mean per rule)`);
  console.log(`  compiled      ${(compiledTotal / rules).toFixed(4)} µs/eval`);
  console.log(
    `  interpreted   ${(interpretedTotal / rules).toFixed(4)} µs/eval  ${(interpretedTotal / compiledTotal).toFixed(1)}x`,
  );
}

benchRepository('2026-06-01');
