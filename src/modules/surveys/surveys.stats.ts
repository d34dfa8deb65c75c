// The statistics engine of the survey toolkit: pure functions over columns of codes (typed arrays, one
// entry per respondent), so 100,000 responses are counted in milliseconds. Distributions come from
// stdlib (chi-square CDF, normal quantile); the tests and coefficients are computed here and checked
// against published worked examples in surveys.stats.test.ts.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** A code of a single-choice answer that was not given (skipped, not relevant, refused). */
export const MISSING = -1;

export interface Category {
  /** The choice's name in the XLSForm choices sheet (what is stored). */
  value: string;
  label: string;
}

interface ColumnBase {
  /** The question's name (a variable name). */
  name: string;
  label: string;
}

/** select_one / Likert: `codes[i]` is the index into `categories` of respondent i's answer, or MISSING. */
export interface SingleColumn extends ColumnBase {
  kind: 'single';
  categories: readonly Category[];
  codes: Int32Array;
}

/**
 * select_multiple: `selected[i * k + j]` is 1 when respondent i chose category j (k = categories.length);
 * `answered[i]` is 0 when the question was not answered at all (missing), which differs from "none chosen".
 */
export interface MultipleColumn extends ColumnBase {
  kind: 'multiple';
  categories: readonly Category[];
  selected: Uint8Array;
  answered: Uint8Array;
}

/** integer / decimal: NaN is missing. */
export interface NumericColumn extends ColumnBase {
  kind: 'numeric';
  values: Float64Array;
}

/** text, date and the like: exported, not analysed. null is missing. */
export interface TextColumn extends ColumnBase {
  kind: 'text';
  values: readonly (string | null)[];
}

export type Column = SingleColumn | MultipleColumn | NumericColumn | TextColumn;

/** Responses in columns; `weights` (one per respondent) from postStratificationWeights, if any. */
export interface Dataset {
  n: number;
  ids?: readonly string[];
  columns: readonly Column[];
  weights?: Float64Array;
}

// ------------------------------------------------------------------ building columns from values

function indexOf(categories: readonly Category[]): Map<string, number> {
  return new Map(categories.map((c, i) => [c.value, i]));
}

/** A single-choice column from stored values; a value not in the list is an error (data and form disagree). */
export function singleColumn(
  name: string,
  label: string,
  categories: readonly Category[],
  values: readonly (string | null | undefined)[],
): SingleColumn {
  const index = indexOf(categories);
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null || v === undefined || v === '') codes[i] = MISSING;
    else {
      const c = index.get(v);
      if (c === undefined) throw new Error(`${name}: "${v}" is not a choice of the question`);
      codes[i] = c;
    }
  });
  return { kind: 'single', name, label, categories, codes };
}

/** A multiple-choice column from stored values (arrays of choice names, or XLSForm's space-separated string). */
export function multipleColumn(
  name: string,
  label: string,
  categories: readonly Category[],
  values: readonly (readonly string[] | string | null | undefined)[],
): MultipleColumn {
  const index = indexOf(categories);
  const k = categories.length;
  const selected = new Uint8Array(values.length * k);
  const answered = new Uint8Array(values.length);
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    answered[i] = 1;
    const names = typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v;
    for (const s of names) {
      const c = index.get(s);
      if (c === undefined) throw new Error(`${name}: "${s}" is not a choice of the question`);
      selected[i * k + c] = 1;
    }
  });
  return { kind: 'multiple', name, label, categories, selected, answered };
}

export function numericColumn(name: string, label: string, values: readonly (number | null | undefined)[]) {
  const out = new Float64Array(values.length);
  values.forEach((v, i) => {
    out[i] = v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v;
  });
  return { kind: 'numeric', name, label, values: out } satisfies NumericColumn;
}

// ------------------------------------------------------------------ confidence intervals

/** z such that P(|Z| < z) = level, from the normal quantile of stdlib. */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError('confidence level must be between 0 and 1');
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson (1927) score interval for a proportion, without continuity correction (Newcombe 1998, method 3).
 * `n` may be an effective sample size (weighted data): the interval then widens with the design effect.
 */
export function wilson(successes: number, n: number, level = 0.95): Interval {
  if (n <= 0) return { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const z = zFor(level);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamp rounding noise at 0 and 1 (the exact bounds there are 0 and 1).
  return {
    estimate: p,
    lower: successes <= 0 ? 0 : Math.max(0, centre - half),
    upper: successes >= n ? 1 : Math.min(1, centre + half),
  };
}

// ------------------------------------------------------------------ frequencies

export interface FrequencyRow {
  value: string;
  label: string;
  /** Respondents (weighted, when weights are given). */
  count: number;
  /** Of all respondents, missing included. */
  percent: number;
  /** Of respondents who answered. */
  validPercent: number;
  /** Wilson interval of the valid proportion (0..1), at the requested level. */
  ci: Interval;
}

export interface Frequencies {
  name: string;
  label: string;
  rows: FrequencyRow[];
  valid: number;
  missing: number;
  total: number;
  /** Unweighted counts of valid and missing answers (the base to report beside weighted figures). */
  unweightedValid: number;
  unweightedMissing: number;
  /** Kish's effective sample size of the valid answers; equals unweightedValid without weights. */
  effectiveN: number;
  weighted: boolean;
}

export interface StatOptions {
  weights?: Float64Array;
  /** Confidence level of the intervals; 0.95 by default. */
  level?: number;
}

export function frequencies(col: SingleColumn, options: StatOptions = {}): Frequencies {
  const { weights, level = 0.95 } = options;
  const k = col.categories.length;
  const counts = new Float64Array(k);
  const codes = col.codes;
  const n = codes.length;
  let missing = 0;
  let unweightedMissing = 0;
  let sumW = 0;
  let sumW2 = 0;
  if (weights) {
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      const w = weights[i]!;
      if (c < 0) {
        missing += w;
        unweightedMissing++;
      } else {
        counts[c]! += w;
        sumW += w;
        sumW2 += w * w;
      }
    }
  } else {
    const ints = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      if (c < 0) unweightedMissing++;
      else ints[c]!++;
    }
    for (let j = 0; j < k; j++) counts[j] = ints[j]!;
    missing = unweightedMissing;
  }
  const unweightedValid = n - unweightedMissing;
  const valid = weights ? sumW : unweightedValid;
  const effectiveN = weights ? (sumW2 > 0 ? (sumW * sumW) / sumW2 : 0) : unweightedValid;
  const total = valid + missing;
  const rows = col.categories.map((cat, j) => {
    const count = counts[j]!;
    const share = valid > 0 ? count / valid : Number.NaN;
    return {
      value: cat.value,
      label: cat.label,
      count,
      percent: total > 0 ? (100 * count) / total : Number.NaN,
      validPercent: 100 * share,
      ci: wilson(share * effectiveN, effectiveN, level),
    };
  });
  return {
    name: col.name,
    label: col.label,
    rows,
    valid,
    missing,
    total,
    unweightedValid,
    unweightedMissing,
    effectiveN,
    weighted: weights !== undefined,
  };
}

export interface MultipleFrequencyRow {
  value: string;
  label: string;
  count: number;
  /** Of respondents who answered the question (the shares add up to more than 100). */
  percentOfRespondents: number;
  /** Of all ticks given (the shares add up to 100). */
  percentOfResponses: number;
  ci: Interval;
}

export interface MultipleFrequencies {
  name: string;
  label: string;
  rows: MultipleFrequencyRow[];
  /** Respondents who answered (weighted if weights given). */
  respondents: number;
  missing: number;
  /** Ticks in all (weighted if weights given). */
  responses: number;
  effectiveN: number;
  weighted: boolean;
}

export function multipleFrequencies(col: MultipleColumn, options: StatOptions = {}): MultipleFrequencies {
  const { weights, level = 0.95 } = options;
  const k = col.categories.length;
  const n = col.answered.length;
  const counts = new Float64Array(k);
  let respondents = 0;
  let missing = 0;
  let sumW2 = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (!col.answered[i]) {
      missing += w;
      continue;
    }
    respondents += w;
    sumW2 += w * w;
    const base = i * k;
    for (let j = 0; j < k; j++) if (col.selected[base + j]) counts[j]! += w;
  }
  let responses = 0;
  for (let j = 0; j < k; j++) responses += counts[j]!;
  const effectiveN = sumW2 > 0 ? (respondents * respondents) / sumW2 : 0;
  const rows = col.categories.map((cat, j) => {
    const count = counts[j]!;
    const share = respondents > 0 ? count / respondents : Number.NaN;
    return {
      value: cat.value,
      label: cat.label,
      count,
      percentOfRespondents: 100 * share,
      percentOfResponses: responses > 0 ? (100 * count) / responses : Number.NaN,
      ci: wilson(share * effectiveN, effectiveN, level),
    };
  });
  return {
    name: col.name,
    label: col.label,
    rows,
    respondents,
    missing,
    responses,
    effectiveN,
    weighted: weights !== undefined,
  };
}

// ------------------------------------------------------------------ descriptive statistics

export interface Descriptives {
  n: number;
  missing: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  sd: number;
  min: number;
  max: number;
  /**
   * Quartiles by Hyndman & Fan (1996) definition 7: linear interpolation between order statistics at
   * h = (n − 1)p — R's default `quantile()`, Excel's QUARTILE.INC, NumPy's default.
   */
  q1: number;
  median: number;
  q3: number;
}

/** Quantile of sorted values, Hyndman & Fan definition 7. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/** n, mean, sd, min, max, quartiles of the non-missing values (unweighted). */
export function describe(values: Float64Array): Descriptives {
  const valid = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) valid[n++] = v;
  }
  const xs = valid.subarray(0, n).sort();
  // Welford's update: one pass, no cancellation on large means.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    mean += d / (i + 1);
    m2 += d * (xs[i]! - mean);
  }
  return {
    n,
    missing: values.length - n,
    mean: n > 0 ? mean : Number.NaN,
    sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN,
    min: n > 0 ? xs[0]! : Number.NaN,
    max: n > 0 ? xs[n - 1]! : Number.NaN,
    q1: quantileSorted(xs, 0.25),
    median: quantileSorted(xs, 0.5),
    q3: quantileSorted(xs, 0.75),
  };
}

/** Weighted mean of the non-missing values. */
export function weightedMean(values: Float64Array, weights: Float64Array): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    s += v * weights[i]!;
    w += weights[i]!;
  }
  return w > 0 ? s / w : Number.NaN;
}

// ------------------------------------------------------------------ cross-tabulation and chi-square

export interface ChiSquare {
  statistic: number;
  df: number;
  /** Upper tail of the chi-square distribution (stdlib). */
  p: number;
  /** Expected counts under independence, row-major (rows × cols). */
  expected: Float64Array;
  /** Share (0..1) of expected counts below 5. */
  lowExpectedShare: number;
  /** Cochran's rule broken: more than 20 % of expected counts below 5 (or one below 1): p is unreliable. */
  warning: boolean;
  /** Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))). */
  cramersV: number;
  /** The n the test used (the effective sample size when weighted). */
  n: number;
}

/**
 * Pearson's chi-square test of independence on a table of counts (row-major). Rows or columns with a
 * zero total are dropped first, as they carry no information and would divide by zero.
 */
export function chiSquareTest(counts: ArrayLike<number>, rows: number, cols: number): ChiSquare {
  const rowT = new Float64Array(rows);
  const colT = new Float64Array(cols);
  let n = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = counts[r * cols + c]!;
      rowT[r]! += x;
      colT[c]! += x;
      n += x;
    }
  const expected = new Float64Array(rows * cols);
  let stat = 0;
  let low = 0;
  let belowOne = false;
  let cells = 0;
  let usedRows = 0;
  let usedCols = 0;
  for (let r = 0; r < rows; r++) if (rowT[r]! > 0) usedRows++;
  for (let c = 0; c < cols; c++) if (colT[c]! > 0) usedCols++;
  for (let r = 0; r < rows; r++) {
    if (!(rowT[r]! > 0)) continue;
    for (let c = 0; c < cols; c++) {
      if (!(colT[c]! > 0)) continue;
      const e = (rowT[r]! * colT[c]!) / n;
      expected[r * cols + c] = e;
      const d = counts[r * cols + c]! - e;
      stat += (d * d) / e;
      cells++;
      if (e < 5) low++;
      if (e < 1) belowOne = true;
    }
  }
  const df = usedRows > 0 && usedCols > 0 ? (usedRows - 1) * (usedCols - 1) : 0;
  const p = df > 0 ? Math.max(0, 1 - chisquareCdf(stat, df)) : Number.NaN;
  const m = Math.min(usedRows, usedCols) - 1;
  const lowExpectedShare = cells > 0 ? low / cells : 0;
  return {
    statistic: stat,
    df,
    p,
    expected,
    lowExpectedShare,
    warning: lowExpectedShare > 0.2 || belowOne,
    cramersV: m > 0 && n > 0 ? Math.sqrt(stat / (n * m)) : Number.NaN,
    n,
  };
}

export interface Crosstab {
  row: { name: string; label: string; categories: readonly Category[] };
  col: { name: string; label: string; categories: readonly Category[] };
  /** Counts (weighted if weights given), row-major: counts[r * cols + c]. */
  counts: Float64Array;
  rowTotals: Float64Array;
  colTotals: Float64Array;
  total: number;
  /** Percentages, row-major like counts: of the row, of the column, of the table. */
  rowPercent: Float64Array;
  colPercent: Float64Array;
  totalPercent: Float64Array;
  /** Respondents left out because either answer is missing (unweighted). */
  missing: number;
  /** Respondents in the table (unweighted). */
  unweightedN: number;
  chiSquare: ChiSquare;
  weighted: boolean;
}

/**
 * Cross-tabulation of two single-choice questions, respondents with both answers. With weights, the
 * chi-square test runs on the weighted proportions scaled to Kish's effective sample size — a
 * first-order design-effect correction (cf. Rao & Scott 1981), so weights do not inflate significance.
 */
export function crosstab(row: SingleColumn, col: SingleColumn, options: StatOptions = {}): Crosstab {
  const { weights } = options;
  const R = row.categories.length;
  const C = col.categories.length;
  const a = row.codes;
  const b = col.codes;
  const n = a.length;
  if (b.length !== n) throw new Error('columns of different lengths');
  const counts = new Float64Array(R * C);
  let missing = 0;
  let sumW = 0;
  let sumW2 = 0;
  if (weights) {
    for (let i = 0; i < n; i++) {
      const r = a[i]!;
      const c = b[i]!;
      if (r < 0 || c < 0) {
        missing++;
        continue;
      }
      const w = weights[i]!;
      counts[r * C + c]! += w;
      sumW += w;
      sumW2 += w * w;
    }
  } else {
    const ints = new Int32Array(R * C);
    for (let i = 0; i < n; i++) {
      const r = a[i]!;
      const c = b[i]!;
      if (r < 0 || c < 0) missing++;
      else ints[r * C + c]!++;
    }
    counts.set(ints);
  }
  const rowTotals = new Float64Array(R);
  const colTotals = new Float64Array(C);
  let total = 0;
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      const x = counts[r * C + c]!;
      rowTotals[r]! += x;
      colTotals[c]! += x;
      total += x;
    }
  const rowPercent = new Float64Array(R * C);
  const colPercent = new Float64Array(R * C);
  const totalPercent = new Float64Array(R * C);
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      const x = counts[r * C + c]!;
      rowPercent[r * C + c] = rowTotals[r]! > 0 ? (100 * x) / rowTotals[r]! : Number.NaN;
      colPercent[r * C + c] = colTotals[c]! > 0 ? (100 * x) / colTotals[c]! : Number.NaN;
      totalPercent[r * C + c] = total > 0 ? (100 * x) / total : Number.NaN;
    }
  let testCounts: Float64Array = counts;
  if (weights && sumW > 0) {
    const scale = sumW / sumW2; // n_eff / Σw
    testCounts = counts.map((x) => x * scale);
  }
  return {
    row: { name: row.name, label: row.label, categories: row.categories },
    col: { name: col.name, label: col.label, categories: col.categories },
    counts,
    rowTotals,
    colTotals,
    total,
    rowPercent,
    colPercent,
    totalPercent,
    missing,
    unweightedN: n - missing,
    chiSquare: chiSquareTest(testCounts, R, C),
    weighted: weights !== undefined,
  };
}

/** Comparison of groups: one crosstab (with chi-square and Cramér's V) per pair of question names. */
export function compareGroups(
  dataset: Dataset,
  pairs: readonly (readonly [group: string, outcome: string])[],
  options: StatOptions = {},
): Crosstab[] {
  const byName = new Map(dataset.columns.map((c) => [c.name, c]));
  const single = (name: string): SingleColumn => {
    const c = byName.get(name);
    if (c?.kind !== 'single') throw new Error(`${name}: not a single-choice question`);
    return c;
  };
  const weights = options.weights ?? dataset.weights;
  return pairs.map(([g, o]) => crosstab(single(g), single(o), { ...options, weights }));
}

// ------------------------------------------------------------------ Likert scales

/** Scores of a Likert item's categories: the numeric choice names ("1".."5") or else positions 1..k. */
export function likertScores(categories: readonly Category[]): Float64Array {
  const numeric = categories.every((c) => /^-?\d+(\.\d+)?$/.test(c.value));
  return Float64Array.from(categories, (c, i) => (numeric ? Number(c.value) : i + 1));
}

export interface LikertSummary {
  n: number;
  missing: number;
  mean: number;
  sd: number;
  median: number;
  /** Share (0..1) of answers in the top `boxes` categories (highest scores), with its Wilson interval. */
  topBox: Interval;
  bottomBox: Interval;
  boxes: number;
}

/**
 * Likert summary of one item. Categories are ordered low → high; `scores` defaults to likertScores.
 * "Don't know" style categories should be recoded to MISSING before (they are not on the scale).
 */
export function likertSummary(
  col: SingleColumn,
  options: StatOptions & { boxes?: number; scores?: ArrayLike<number> } = {},
): LikertSummary {
  const { weights, level = 0.95, boxes = 2 } = options;
  const scores = options.scores ?? likertScores(col.categories);
  const k = col.categories.length;
  const counts = new Float64Array(k);
  let missing = 0;
  let sumW2 = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i]!;
    const w = weights ? weights[i]! : 1;
    if (c < 0) missing++;
    else {
      counts[c]! += w;
      sumW2 += w * w;
    }
  }
  let nW = 0;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    nW += counts[j]!;
    sum += counts[j]! * scores[j]!;
  }
  const mean = sum / nW;
  let ss = 0;
  for (let j = 0; j < k; j++) ss += counts[j]! * (scores[j]! - mean) ** 2;
  // Median of a discrete scale: the score where the cumulative share first reaches one half.
  const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => scores[x]! - scores[y]!);
  let cum = 0;
  let median = Number.NaN;
  for (const j of order) {
    cum += counts[j]!;
    if (cum >= nW / 2 && nW > 0) {
      median = scores[j]!;
      // Exactly half below: the midpoint to the next non-empty category, as for a continuous median.
      if (cum === nW / 2) {
        const next = order.find((x) => scores[x]! > scores[j]! && counts[x]! > 0);
        if (next !== undefined) median = (median + scores[next]!) / 2;
      }
      break;
    }
  }
  let top = 0;
  let bottom = 0;
  for (let t = 0; t < boxes && t < k; t++) {
    top += counts[order[k - 1 - t]!]!;
    bottom += counts[order[t]!]!;
  }
  const effectiveN = sumW2 > 0 ? (nW * nW) / sumW2 : 0;
  const interval = (x: number) => wilson((x / nW) * effectiveN, effectiveN, level);
  return {
    n: col.codes.length - missing,
    missing,
    mean: nW > 0 ? mean : Number.NaN,
    sd: nW > 1 ? Math.sqrt(ss / (nW - 1)) : Number.NaN,
    median,
    topBox: interval(top),
    bottomBox: interval(bottom),
    boxes,
  };
}

export interface Reliability {
  alpha: number;
  /** Items in the scale. */
  k: number;
  /** Respondents who answered every item (listwise deletion). */
  n: number;
  /** Respondents left out for a missing item. */
  excluded: number;
  itemVariances: number[];
  totalVariance: number;
  /** Alpha of the scale without each item, in item order. */
  alphaIfDeleted: number[];
}

/**
 * Cronbach's (1951) alpha: k/(k−1) · (1 − Σ s²ᵢ / s²ₜ), sample variances. Respondents with any item
 * missing are left out (listwise deletion, as in SPSS RELIABILITY and R's psych::alpha with
 * use="complete.obs"). Items are scored columns (NaN = missing), e.g. from scoreColumn.
 */
export function cronbachAlpha(items: readonly Float64Array[]): Reliability {
  const k = items.length;
  if (k < 2) throw new Error('a scale needs at least two items');
  const n = items[0]!.length;
  // Sums for variances and covariances of complete cases, in one pass.
  const sum = new Float64Array(k);
  const cross = new Float64Array(k * k);
  let m = 0;
  const row = new Float64Array(k);
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = items[j]![i]!;
      if (Number.isNaN(v)) continue outer;
      row[j] = v;
    }
    m++;
    for (let j = 0; j < k; j++) {
      sum[j]! += row[j]!;
      for (let l = j; l < k; l++) cross[j * k + l]! += row[j]! * row[l]!;
    }
  }
  const cov = (j: number, l: number) => {
    const [a, b] = j <= l ? [j, l] : [l, j];
    return (cross[a * k + b]! - (sum[a]! * sum[b]!) / m) / (m - 1);
  };
  const alphaOf = (subset: number[]) => {
    let itemVar = 0;
    let totalVar = 0;
    for (const j of subset) {
      itemVar += cov(j, j);
      for (const l of subset) totalVar += cov(j, l);
    }
    const q = subset.length;
    return { alpha: (q / (q - 1)) * (1 - itemVar / totalVar), totalVar };
  };
  const all = Array.from({ length: k }, (_, j) => j);
  const whole = m > 1 ? alphaOf(all) : { alpha: Number.NaN, totalVar: Number.NaN };
  return {
    alpha: whole.alpha,
    k,
    n: m,
    excluded: n - m,
    itemVariances: all.map((j) => (m > 1 ? cov(j, j) : Number.NaN)),
    totalVariance: whole.totalVar,
    alphaIfDeleted: all.map((j) => (k > 2 && m > 1 ? alphaOf(all.filter((l) => l !== j)).alpha : Number.NaN)),
  };
}

/** A single-choice column as scores (NaN for missing), for cronbachAlpha and describe. */
export function scoreColumn(col: SingleColumn, scores: ArrayLike<number> = likertScores(col.categories)) {
  const out = new Float64Array(col.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = col.codes[i]!;
    out[i] = c < 0 ? Number.NaN : scores[c]!;
  }
  return out;
}

// ------------------------------------------------------------------ weighting by stratum

export interface StratumWeights {
  /** One per respondent; 0 for a respondent without a stratum (left out). Mean 1 over those weighted. */
  weights: Float64Array;
  /** Per stratum (index into the population shares): respondents and the weight each gets. */
  strata: { respondents: number; populationShare: number; sampleShare: number; weight: number }[];
  effectiveN: number;
  /** Kish's design effect from weighting: n / n_eff. */
  designEffect: number;
}

/**
 * Post-stratification: weight w_h = P_h / p_h for respondents of stratum h, where P_h is the stratum's
 * share of the population and p_h its share of the sample, so weighted sample shares equal population
 * shares and the weights average 1. `strata[i]` is respondent i's stratum index (MISSING = none).
 * A stratum with population but no respondents cannot be weighted up: it is an error, not a silent bias.
 */
export function postStratificationWeights(
  strata: Int32Array,
  populationShares: readonly number[],
): StratumWeights {
  const H = populationShares.length;
  const sampleCounts = new Float64Array(H);
  let n = 0;
  for (let i = 0; i < strata.length; i++) {
    const h = strata[i]!;
    if (h < 0) continue;
    if (h >= H) throw new Error(`stratum ${h} has no population share`);
    sampleCounts[h]!++;
    n++;
  }
  const popTotal = populationShares.reduce((a, b) => a + b, 0);
  const per = populationShares.map((P, h) => {
    const share = P / popTotal;
    const count = sampleCounts[h]!;
    if (share > 0 && count === 0) throw new Error(`stratum ${h} has population but no respondents`);
    return {
      respondents: count,
      populationShare: share,
      sampleShare: n > 0 ? count / n : 0,
      weight: count > 0 ? (share * n) / count : 0,
    };
  });
  const weights = new Float64Array(strata.length);
  for (let i = 0; i < strata.length; i++) {
    const h = strata[i]!;
    weights[i] = h < 0 ? 0 : per[h]!.weight;
  }
  const effectiveN = kishEffectiveN(weights);
  return { weights, strata: per, effectiveN, designEffect: effectiveN > 0 ? n / effectiveN : Number.NaN };
}

/** Kish's effective sample size (Σw)² / Σw² (Kish 1965). */
export function kishEffectiveN(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    s += w;
    s2 += w * w;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/** Stratum index per respondent from several single-choice columns (e.g. district × age group). */
export function strataOf(columns: readonly SingleColumn[]): { strata: Int32Array; labels: string[] } {
  const n = columns[0]?.codes.length ?? 0;
  const strata = new Int32Array(n);
  const sizes = columns.map((c) => c.categories.length);
  let count = 1;
  for (const s of sizes) count *= s;
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j]!.codes[i]!;
      if (c < 0) {
        h = MISSING;
        break;
      }
      h = h * sizes[j]! + c;
    }
    strata[i] = h;
  }
  const labels: string[] = [];
  for (let h = 0; h < count; h++) {
    const parts: string[] = [];
    let rest = h;
    for (let j = columns.length - 1; j >= 0; j--) {
      parts.unshift(columns[j]!.categories[rest % sizes[j]!]!.label);
      rest = Math.floor(rest / sizes[j]!);
    }
    labels.push(parts.join(' × '));
  }
  return { strata, labels };
}
