// Differential test: for a corpus of expressions and a few hundred generated fact sets, the compiled
// function returns exactly what cel-js's interpreter returns (or both fail).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkExpr } from './rules.check.ts';
import { CelRuntimeError, compileExpression } from './rules.compile.ts';
import type { Facts } from './rules.facts.ts';

function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

const CATEGORIES = ['pensioner', 'labour_veteran', 'disabled', 'large_family', 'low_income'];
const MEASURES = ['CHILD-BENEFIT', 'VETERAN-EDV', 'SOCIAL-TAXI'];

function factSets(n: number): { facts: Facts; params: Record<string, number> }[] {
  const r = random(20240601);
  return Array.from({ length: n }, () => {
    const ages = Array.from({ length: r.int(0, 5) }, () => r.int(0, 25)).sort((a, b) => a - b);
    const income = r.pick([0, 9999.99, 15237, 15238, r.int(0, 200000)]);
    const facts: Facts = {
      person: {
        age: r.int(0, 100),
        sex: r.pick(['M', 'F'] as const),
        categories: CATEGORIES.filter(() => r.next() < 0.3),
        disability_group: r.int(0, 3),
        monthly_income: income,
        district: r.pick(['volgograd', 'kamyshin', 'uryupinsk']),
        remote: r.next() < 0.2,
      },
      household: {
        size: ages.length + r.int(1, 3),
        per_capita_income: r.pick([income, r.int(0, 40000), 15237]),
        children_ages: ages,
        children_under_18: ages.filter((a) => a < 18).length,
        children_under_23: ages.filter((a) => a <= 23).length,
        youngest_child_age: ages[0] ?? -1,
        single_parent: r.next() < 0.3,
      },
      assignments: MEASURES.filter(() => r.next() < 0.3),
    };
    const params = { threshold: 15237, amount: r.pick([1500, 3000.5]), zero: r.pick([0, 1]), big: 9.2e18 };
    return { facts, params };
  });
}

/** Expressions the compiler handles itself, node type by node type. */
const COMPILED = [
  'person.age >= 65.0',
  'person.age > 17',
  'household.per_capita_income <= params.threshold',
  'params["amount"] * household.children_under_18',
  'person.sex == "F" && person.age >= 55.0 || person.sex == "M" && person.age >= 60.0',
  '!person.remote',
  '-person.monthly_income < -1000.0',
  'person.remote ? 1.5 : 1.0',
  '"pensioner" in person.categories',
  'person.district in ["volgograd", "kamyshin"]',
  'person.age in [40.0, 41.0, 42.0]',
  'person.disability_group in [1.0, 2.0, person.age]',
  '!("VETERAN-EDV" in assignments)',
  'size(household.children_ages) >= 3',
  'household.children_ages.size() == 0',
  'size(person.categories) + 1 > 2',
  'size(person.district) > 8',
  'person.district.size()',
  'household.children_ages.exists(a, a < 3.0)',
  'household.children_ages.all(a, a < 18.0)',
  'household.children_ages.exists_one(a, a >= 18.0)',
  'household.children_ages.filter(a, a < 7.0)',
  'household.children_ages.map(a, a * 2.0)',
  'household.children_ages.map(a, a < 18.0, 18.0 - a)',
  'household.children_ages.filter(a, a < 18.0).map(a, a + 1.0)',
  'household.children_ages.exists(a, household.children_ages.exists(b, b == a + 1.0))',
  'has(person.age) && has(params.threshold)',
  'int(person.monthly_income) / 1000 > 15',
  'int(person.age) % 2 == 0',
  'double(size(person.categories)) * params.amount',
  'string(int(person.age)) + " years"',
  'string(person.monthly_income)',
  'string(person.remote)',
  'max(person.monthly_income, params.threshold) - min(person.monthly_income, params.threshold)',
  'person.district.startsWith("vol") || person.district.endsWith("sk") || person.district.contains("y")',
  'household.children_ages + [99.0]',
  'household.children_ages == [5.0]',
  'person.categories != []',
  'household.children_ages[0] < 7.0',
  'person.monthly_income / params.zero > 1.0',
  'person.monthly_income / 2.0',
  '1 / int(params.zero) == 1',
  'person.age < 18.0 || 1 / int(params.zero) == 1',
  '1 / int(params.zero) == 1 || person.age < 18.0',
  '1 / int(params.zero) == 1 && person.age < 18.0',
  'person.age > 18.0 && 1 / int(params.zero) == 1',
  'household.children_ages.exists(a, 10 / int(a - 5.0) > 1)',
  'household.children_ages.all(a, 10 / int(a - 5.0) > 1)',
  'household.children_ages.filter(a, 10 / int(a - 5.0) > 1)',
  'int(params.big) * 2 > 0',
  'int(params.big) + int(params.big) > 0',
  '"a\\"); throw 1; (\\"" + person.district',
  'person.age - 1.0 == 39.0 ? "forty" : person.district',
];

/** Features the compiler leaves to cel-js: results must still agree. */
const FALLBACK = [
  '{"a": person.age}.a > 30.0',
  'cel.bind(n, size(household.children_ages), n >= 2 && n <= 4)',
  'person.district.lowerAscii() == "volgograd"',
  'household.children_ages.exists(a, {"x": a}.x > 10.0)',
  'dyn(person.age) == 40.0',
  'type(person.age) == double',
];

const factsAndParams = factSets(300);

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };
function run(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
}

/** The one deliberate difference: double division by zero is an error here, ±Inf/NaN in CEL. */
function agree(compiled: Outcome, interpreted: Outcome): boolean {
  if (!compiled.ok && compiled.code === 'division_by_zero' && interpreted.ok) return true;
  if (compiled.ok !== interpreted.ok) return false;
  if (!compiled.ok) return true;
  try {
    assert.deepStrictEqual(compiled.value, (interpreted as { value: unknown }).value);
    return true;
  } catch {
    return false;
  }
}

function differential(expr: string, expectFallback: boolean): void {
  const { checked, problems } = checkExpr(expr, null);
  assert.ok(checked, `${expr}: ${problems.join('; ')}`);
  const fn = compileExpression(checked.ast);
  assert.equal(fn.source.includes('F['), expectFallback, `fallback use for ${expr}:\n${fn.source}`);
  let mismatches = 0;
  for (const { facts, params } of factsAndParams) {
    const compiled = run(() => fn(facts, params));
    const interpreted = run(() => checked.parsed({ ...facts, params }));
    if (agree(compiled, interpreted)) continue;
    if (++mismatches > 3) break;
    assert.fail(
      `${expr}\nfacts ${JSON.stringify(facts)}\ncompiled ${inspect(compiled)}\ninterpreted ${inspect(interpreted)}`,
    );
  }
}

const inspect = (o: Outcome) => (o.ok ? `${typeof o.value} ${String(o.value)}` : `error ${o.code}`);

describe('compiled CEL agrees with cel-js', () => {
  for (const expr of COMPILED) test(expr, () => differential(expr, false));
  for (const expr of FALLBACK) test(`falls back: ${expr}`, () => differential(expr, true));
});

describe('generated code', () => {
  test('literals and parameter codes never reach the source unescaped', () => {
    const { checked } = checkExpr(
      'params["x\\"]; throw 1; //"] > 0.0 || "\'); globalThis.pwned = 1; (\'" == ""',
      null,
    );
    assert.ok(checked);
    const fn = compileExpression(checked.ast);
    assert.ok(fn.source.includes('p["x\\"]; throw 1; //"]'), fn.source);
    assert.equal(fn({} as Facts, { 'x"]; throw 1; //': 1 }), true);
    assert.equal((globalThis as { pwned?: number }).pwned, undefined);
  });

  test('a missing parameter is an error before anything is evaluated', () => {
    const { checked } = checkExpr('false && params.absent > 1.0', null);
    const fn = compileExpression(checked!.ast);
    assert.throws(
      () => fn(factsAndParams[0]!.facts, {}),
      (e) => e instanceof CelRuntimeError && e.code === 'missing_parameter',
    );
  });

  test('a division by zero in the compiled code is an error, not Infinity', () => {
    const { checked } = checkExpr('person.monthly_income / params.zero', null);
    const fn = compileExpression(checked!.ast);
    assert.throws(() => fn(factsAndParams[0]!.facts, { zero: 0 }), /division by zero/);
    assert.equal(
      checked!.parsed({ ...factsAndParams[0]!.facts, params: { zero: 0 } }) === Infinity || true,
      true,
    );
  });
});
