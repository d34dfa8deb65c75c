// The statistics engine against published worked examples (each cites its source) and hand computations.
import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import {
  type Category,
  chiSquareTest,
  compareGroups,
  cronbachAlpha,
  crosstab,
  describe,
  frequencies,
  kishEffectiveN,
  likertSummary,
  MISSING,
  multipleColumn,
  multipleFrequencies,
  numericColumn,
  postStratificationWeights,
  scoreColumn,
  singleColumn,
  strataOf,
  wilson,
  zFor,
} from './surveys.stats.ts';

const close = (actual: number, expected: number, tolerance: number, what = '') =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what} ${actual} is not within ${tolerance} of ${expected}`,
  );

const cats = (...values: string[]): Category[] => values.map((v) => ({ value: v, label: v.toUpperCase() }));

/** Respondents from a table of counts: one row-answer and one column-answer per respondent. */
function fromTable(table: number[][]) {
  const rows: string[] = [];
  const cols: string[] = [];
  table.forEach((line, r) => {
    line.forEach((count, c) => {
      for (let i = 0; i < count; i++) {
        rows.push(`r${r}`);
        cols.push(`c${c}`);
      }
    });
  });
  const rowCats = cats(...table.map((_, r) => `r${r}`));
  const colCats = cats(...table[0]!.map((_, c) => `c${c}`));
  return { row: singleColumn('row', 'Row', rowCats, rows), col: singleColumn('col', 'Col', colCats, cols) };
}

suite('chi-square test of independence', () => {
  test('matches the worked example of Wikipedia "Chi-squared test" (neighbourhood × occupation, n = 650)', () => {
    // https://en.wikipedia.org/wiki/Chi-squared_test#Example_chi-squared_test_for_categorical_data
    // χ² ≈ 24.6 on 6 df, expected white-collar count in A = 150·349/650 ≈ 80.54; p = 0.00041
    // (the same table through scipy.stats.chi2_contingency gives p = 0.0004098).
    const { row, col } = fromTable([
      [90, 60, 104, 95],
      [30, 50, 51, 20],
      [30, 40, 45, 35],
    ]);
    const t = crosstab(row, col);
    close(t.chiSquare.statistic, 24.57, 0.01, 'χ²');
    assert.equal(t.chiSquare.df, 6);
    close(t.chiSquare.p, 0.0004098, 0.0000005, 'p');
    close(t.chiSquare.expected[0]!, 80.54, 0.005, 'expected');
    assert.equal(t.chiSquare.warning, false);
    assert.equal(t.total, 650);
  });

  test('matches Agresti: party identification by gender (χ² = 30.1, df = 2, p < 0.001)', () => {
    // A. Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (Wiley, 2007), Table 2.5 and
    // §2.4.4: females 762/327/468, males 484/239/477 (Democrat/Independent/Republican); X² = 30.1, df = 2.
    const t = chiSquareTest([762, 327, 468, 484, 239, 477], 2, 3);
    close(t.statistic, 30.07, 0.01, 'χ²');
    assert.equal(t.df, 2);
    assert.ok(t.p < 0.001 && t.p > 1e-7, `p ${t.p}`);
    close(t.p, Math.exp(-30.070149 / 2), 1e-9, 'p (χ² with 2 df: p = e^(−x/2))');
  });

  test("matches Field's cats example: χ²(1) = 25.36, Cramér's V = .36", () => {
    // A. Field, Discovering Statistics Using SPSS, 3rd ed. (Sage, 2009), §18.5 (cats taught to line-dance):
    // food 28 danced / 10 did not, affection 48 / 114; Pearson χ²(1) = 25.36, p < .001, Cramér's V = .356.
    const { row, col } = fromTable([
      [28, 10],
      [48, 114],
    ]);
    const t = crosstab(row, col);
    close(t.chiSquare.statistic, 25.36, 0.005, 'χ²');
    assert.equal(t.chiSquare.df, 1);
    assert.ok(t.chiSquare.p < 0.001);
    close(t.chiSquare.cramersV, 0.356, 0.0005, 'V');
  });

  test('warns when more than 20 % of expected counts are below 5', () => {
    const t = chiSquareTest([3, 1, 2, 4], 2, 2);
    assert.equal(t.lowExpectedShare, 1);
    assert.equal(t.warning, true);
  });

  test('an empty table has no test (no df, no p) rather than p = 1', () => {
    const t = chiSquareTest([0, 0, 0, 0], 2, 2);
    assert.equal(t.df, 0);
    assert.ok(Number.isNaN(t.p) && Number.isNaN(t.cramersV));
  });

  test('an empty category does not produce a division by zero', () => {
    const t = chiSquareTest([10, 0, 20, 20, 0, 10], 2, 3);
    assert.equal(t.df, 1);
    assert.ok(Number.isFinite(t.statistic) && Number.isFinite(t.p));
  });
});

suite('cross-tabulation', () => {
  test('percentages by row, column and table; respondents with a missing answer are left out', () => {
    const row = singleColumn('age', 'Age', cats('young', 'old'), [
      'young',
      'young',
      'old',
      'old',
      null,
      'old',
    ]);
    const col = singleColumn('ch', 'Channel', cats('web', 'office'), [
      'web',
      'web',
      'web',
      'office',
      'web',
      null,
    ]);
    const t = crosstab(row, col);
    assert.deepEqual([...t.counts], [2, 0, 1, 1]);
    assert.equal(t.missing, 2);
    assert.deepEqual([...t.rowPercent], [100, 0, 50, 50]);
    close(t.colPercent[0]!, 66.667, 0.001);
    assert.deepEqual([...t.totalPercent], [50, 0, 25, 25]);
  });

  test('compareGroups crosstabs the chosen pairs of questions', () => {
    const { row, col } = fromTable([
      [28, 10],
      [48, 114],
    ]);
    const [t] = compareGroups({ n: 200, columns: [row, col] }, [['row', 'col']]);
    close(t!.chiSquare.statistic, 25.36, 0.005);
    assert.throws(() => compareGroups({ n: 0, columns: [] }, [['a', 'b']]), /not a single-choice/);
  });
});

suite('Wilson confidence interval', () => {
  test('matches Newcombe (1998), Table II, method 3 (score interval without continuity correction)', () => {
    // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
    // methods", Statistics in Medicine 17 (1998) 857–872, Table II.
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lo, hi] of cases) {
      const ci = wilson(x, n);
      close(ci.lower, lo, 0.00005, `${x}/${n} lower`);
      close(ci.upper, hi, 0.00005, `${x}/${n} upper`);
    }
  });

  test('any confidence level: a 99 % interval is wider and uses z = 2.5758', () => {
    close(zFor(0.95), 1.959964, 1e-6);
    close(zFor(0.99), 2.575829, 1e-6);
    const a = wilson(81, 263, 0.95);
    const b = wilson(81, 263, 0.99);
    assert.ok(b.lower < a.lower && b.upper > a.upper);
    assert.throws(() => wilson(1, 2, 1.5), /between 0 and 1/);
  });
});

suite('Cronbach alpha', () => {
  test('matches the LSAT data (Bock & Lieberman 1970): alpha = 0.295', () => {
    // R. D. Bock, M. Lieberman, "Fitting a response model for n dichotomously scored items",
    // Psychometrika 35 (1970) 179–197: section 6 of the Law School Admission Test, 1000 examinees,
    // 32 response patterns. Item proportions .924 .709 .553 .763 .870; Cronbach's alpha 0.295 (the
    // data set of R's ltm package: cronbach.alpha(LSAT) prints alpha: 0.295).
    // biome-ignore format: the published table
    const patterns: [string, number][] = [
      ['00000', 3], ['00001', 6], ['00010', 2], ['00011', 11], ['00100', 1], ['00101', 1], ['00110', 3],
      ['00111', 4], ['01000', 1], ['01001', 8], ['01010', 0], ['01011', 16], ['01100', 0], ['01101', 3],
      ['01110', 2], ['01111', 15], ['10000', 10], ['10001', 29], ['10010', 14], ['10011', 81], ['10100', 3],
      ['10101', 28], ['10110', 15], ['10111', 80], ['11000', 16], ['11001', 56], ['11010', 21],
      ['11011', 173], ['11100', 11], ['11101', 61], ['11110', 28], ['11111', 298],
    ];
    const items = [0, 1, 2, 3, 4].map(() => [] as number[]);
    for (const [p, count] of patterns)
      for (let i = 0; i < count; i++) for (let j = 0; j < 5; j++) items[j]!.push(Number(p[j]));
    const cols = items.map((x) => Float64Array.from(x));
    const r = cronbachAlpha(cols);
    assert.equal(r.n, 1000);
    assert.deepEqual(
      cols.map((c) => Math.round(describe(c).mean * 1000) / 1000),
      [0.924, 0.709, 0.553, 0.763, 0.87],
    );
    close(r.alpha, 0.295, 0.0005, 'alpha');
  });

  test('listwise deletion: a respondent with one item missing is left out of every item', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, Number.NaN]);
    const b = Float64Array.from([2, 2, 3, 5, 5, 1]);
    const c = Float64Array.from([1, 3, 3, 4, 4, 5]);
    const r = cronbachAlpha([a, b, c]);
    assert.equal(r.n, 5);
    assert.equal(r.excluded, 1);
    const full = cronbachAlpha([a.subarray(0, 5), b.subarray(0, 5), c.subarray(0, 5)]);
    assert.equal(r.alpha, full.alpha);
    // By hand: item variances 2.5, 2.3, 1.5; totals 4,7,9,13,14 → variance 17.3; α = 1.5·(1 − 6.3/17.3)
    close(r.alpha, 1.5 * (1 - 6.3 / 17.3), 1e-12);
    assert.equal(r.alphaIfDeleted.length, 3);
  });
});

suite('frequencies', () => {
  const col = singleColumn('sat', 'Satisfaction', cats('yes', 'no'), ['yes', 'yes', 'no', null, 'yes', '']);

  test('counts, percentages of all and of valid answers, and missing', () => {
    const f = frequencies(col);
    assert.deepEqual(
      f.rows.map((r) => r.count),
      [3, 1],
    );
    assert.equal(f.valid, 4);
    assert.equal(f.missing, 2);
    assert.equal(f.rows[0]!.percent, 50);
    assert.equal(f.rows[0]!.validPercent, 75);
    close(f.rows[0]!.ci.lower, wilson(3, 4).lower, 1e-12);
  });

  test('an unknown code is refused rather than counted as missing', () => {
    assert.throws(() => singleColumn('q', 'Q', cats('a'), ['b']), /"b" is not a choice/);
  });

  test('multiple choice: % of respondents and % of responses; "none ticked" is not missing', () => {
    const m = multipleColumn('ch', 'Channels', cats('web', 'phone', 'office'), [
      'web phone',
      ['web'],
      [],
      null,
      'office web',
    ]);
    const f = multipleFrequencies(m);
    assert.equal(f.respondents, 4);
    assert.equal(f.missing, 1);
    assert.equal(f.responses, 5);
    assert.deepEqual(
      f.rows.map((r) => r.percentOfRespondents),
      [75, 25, 25],
    );
    assert.deepEqual(
      f.rows.map((r) => r.percentOfResponses),
      [60, 20, 20],
    );
  });
});

suite('descriptive statistics', () => {
  test('quartiles are Hyndman–Fan type 7 (R quantile(1:10) = 3.25, 5.5, 7.75); sd is the sample sd', () => {
    // R: quantile(1:10) → 25% 3.25, 50% 5.5, 75% 7.75; sd(1:10) = 3.02765.
    const d = describe(numericColumn('x', 'X', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null]).values);
    assert.deepEqual([d.n, d.missing, d.min, d.max, d.mean], [10, 1, 1, 10, 5.5]);
    assert.deepEqual([d.q1, d.median, d.q3], [3.25, 5.5, 7.75]);
    close(d.sd, 3.02765, 0.00001);
  });
});

suite('Likert summary', () => {
  test('mean, median and top-2-box of a five-point item', () => {
    const scale = cats('1', '2', '3', '4', '5');
    // scores 1,2,2,3,4,4,5,5 and one missing: mean 26/8 = 3.25, median (3+4)/2, top-2 5/8
    const col = singleColumn('q', 'Q', scale, ['1', '2', '2', '3', '4', '4', '5', '5', null]);
    const s = likertSummary(col);
    assert.equal(s.n, 8);
    assert.equal(s.missing, 1);
    assert.equal(s.mean, 3.25);
    assert.equal(s.median, 3.5);
    assert.equal(s.topBox.estimate, 4 / 8);
    assert.equal(s.bottomBox.estimate, 3 / 8);
    assert.deepEqual([...scoreColumn(col)].slice(0, 3), [1, 2, 2]);
  });
});

suite('weighting by stratum', () => {
  test('post-stratification weights reproduce population shares; weighted proportions by hand', () => {
    // Sample: 6 urban (4 satisfied), 2 rural (0 satisfied); population 50 % urban, 50 % rural.
    // Weights: urban 0.5/(6/8) = 2/3, rural 0.5/(2/8) = 2. Weighted satisfied = 4·2/3 = 8/3 of 8 → 1/3
    // (unweighted 4/8 = 1/2). Kish n_eff = 8² / (6·4/9 + 2·4) = 64 / 10.667 = 6.
    // biome-ignore format: one answer per respondent
    const area = singleColumn('area', 'Area', cats('urban', 'rural'), [
      'urban', 'urban', 'urban', 'urban', 'urban', 'urban', 'rural', 'rural',
    ]);
    // biome-ignore format: one answer per respondent
    const sat = singleColumn('sat', 'Satisfied', cats('yes', 'no'), [
      'yes', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'no',
    ]);
    const { strata } = strataOf([area]);
    const w = postStratificationWeights(strata, [0.5, 0.5]);
    close(w.strata[0]!.weight, 2 / 3, 1e-12);
    close(w.strata[1]!.weight, 2, 1e-12);
    close(w.effectiveN, 6, 1e-9);
    close(kishEffectiveN(w.weights), 6, 1e-9);
    const f = frequencies(sat, { weights: w.weights });
    close(f.valid, 8, 1e-12);
    close(f.rows[0]!.validPercent, 100 / 3, 1e-9);
    close(f.effectiveN, 6, 1e-9);
    const areaF = frequencies(area, { weights: w.weights });
    close(areaF.rows[0]!.validPercent, 50, 1e-9);
    const t = crosstab(area, sat, { weights: w.weights });
    close(t.counts[0]!, 8 / 3, 1e-12);
    close(t.chiSquare.n, 6, 1e-9);
  });

  test('a stratum with population but no respondents is an error', () => {
    assert.throws(
      () => postStratificationWeights(Int32Array.from([0, 0, MISSING]), [0.5, 0.5]),
      /no respondents/,
    );
  });

  test('strata of several questions combine (district × age group)', () => {
    const d = singleColumn('d', 'District', cats('n', 's'), ['n', 's', 's', null]);
    const a = singleColumn('a', 'Age', cats('y', 'o'), ['o', 'y', 'o', 'y']);
    const { strata, labels } = strataOf([d, a]);
    assert.deepEqual([...strata], [1, 2, 3, MISSING]);
    assert.equal(labels[3], 'S × O');
  });
});
