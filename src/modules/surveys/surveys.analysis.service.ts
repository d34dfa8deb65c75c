// Analysis of a wave's complete responses: the dataset (one column per question of the wave's
// questionnaire version, plus the background variables district, age group and channel), optional
// post-stratification weights, and the figures of the results, crosstab and compare pages and the
// PDF report. The numbers come from the tested statistics engine (surveys.stats.ts); this file only
// chooses what to compute for each question type and checks the researcher's choice of variables.
//
// Weighting (?weight=stratum): the sample's strata (survey_samples.strata, e.g. district × age group)
// are the post-strata. The population per stratum is not stored, so the target shares are the
// invitations' shares per stratum: each stratum's respondents are weighted up or down to the share of
// the invitations it received. With proportional allocation (the default of the sampler) these are the
// population shares; the weights then correct for differences in response rates between strata.
// Respondents without a stratum (anonymous, not invited) get weight 0 and are left out of weighted
// figures; strata invited but without any respondent cannot be weighted up and are reported.
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import {
  isMessageKey,
  type Locale,
  type MessageKey,
  pick,
  type Translate,
} from '../../platform/i18n/i18n.ts';
import { districtsByIds } from '../geography/geography.service.ts';
import * as repo from './surveys.analysis.repository.ts';
import { AGE_GROUPS, BACKGROUND_KEYS, type BackgroundKey, NO_APPLICATION } from './surveys.background.ts';
import { type Form, type Group, type Question, questions, textIn } from './surveys.form.ts';
import * as surveys from './surveys.service.ts';
import { datasetFromResponses } from './surveys.stats.dataset.ts';
import {
  type Category,
  type Column,
  type Crosstab,
  compareGroups,
  cronbachAlpha,
  type Dataset,
  type Descriptives,
  describe,
  type Frequencies,
  frequencies,
  type LikertSummary,
  likertSummary,
  MISSING,
  type MultipleFrequencies,
  multipleFrequencies,
  type NumericColumn,
  postStratificationWeights,
  type Reliability,
  type SingleColumn,
  scoreColumn,
  singleColumn,
  weightedMean,
} from './surveys.stats.ts';

export const SURVEY_ANALYSTS = surveys.SURVEY_DESIGNERS;

/** Background variables are named with a colon, which no XLSForm name may contain: no clash with questions. */
export const BG_PREFIX = 'bg:';
export const bgName = (key: BackgroundKey) => `${BG_PREFIX}${key}`;

export interface WaveSummary {
  id: number;
  title: string;
  versionId: number;
  versionNumber: number;
  questionnaireId: number;
  questionnaireTitle: string;
  opensOn: string;
  closesOn: string;
}

export interface Weighting {
  /** Background keys that form a stratum, e.g. ['district', 'ageGroup']. */
  keys: string[];
  strata: { label: string; invited: number; respondents: number; weight: number }[];
  /** Complete responses without a stratum of the sample (weight 0). */
  unassigned: number;
  /** Strata invited but without a respondent (their share cannot be represented). */
  empty: string[];
  effectiveN: number;
  designEffect: number;
}

export interface Analysis {
  wave: WaveSummary;
  form: Form;
  lang: Locale;
  complete: number;
  inProgress: number;
  /** Question columns in form order, then the background columns (names bg:…). */
  dataset: Dataset;
  /** Present when weighting was asked for and possible. */
  weighting: Weighting | null;
  /** Why weighting was asked for but is not possible (a message key), else null. */
  weightingRefused: MessageKey | null;
  /** Responses linked to a resident (the exports of response rows are then personal data). */
  linked: number;
  questionByName: Map<string, { question: Question; groups: readonly Group[] }>;
}

function assertAnalyst(actor: StaffActor) {
  if (!SURVEY_ANALYSTS.includes(actor.role)) throw forbidden();
}

export async function waveSummary(db: DbOrTrx, waveId: number): Promise<WaveSummary> {
  const w = await repo.findWave(db, waveId);
  if (!w) throw notFound('Survey wave');
  return {
    id: w.id,
    title: w.title,
    versionId: w.version_id,
    versionNumber: w.version_number,
    questionnaireId: w.questionnaire_id,
    questionnaireTitle: w.questionnaire_title,
    opensOn: w.opens_on,
    closesOn: w.closes_on,
  };
}

/**
 * Loads a wave's complete responses into columns, labels in `lang` (the form's translation, else its
 * default language). `weight` asks for post-stratification weights (see the top of this file).
 */
export async function loadAnalysis(
  db: DbOrTrx,
  actor: StaffActor,
  waveId: number,
  options: { lang: Locale; t: Translate; weight?: boolean },
): Promise<Analysis> {
  assertAnalyst(actor);
  const wave = await waveSummary(db, waveId);
  const [version, counts, columns] = await Promise.all([
    surveys.version(db, wave.versionId),
    repo.statusCounts(db, waveId),
    cachedColumns(db, waveId, options),
  ]);
  const form = version.form;
  const { base, background, backgrounds, linked } = columns;
  const dataset: Dataset = { ...base, columns: [...base.columns, ...background] };
  let weighting: Weighting | null = null;
  let weightingRefused: MessageKey | null = null;
  if (options.weight) {
    const w = await stratumWeights(db, waveId, backgrounds, options.t, background);
    if ('refused' in w) weightingRefused = w.refused;
    else {
      weighting = w.weighting;
      dataset.weights = w.weights;
    }
  }
  const questionByName = new Map([...questions(form.children)].map((e) => [e.question.name, e]));
  return {
    wave,
    form,
    lang: options.lang,
    complete: counts.find((c) => c.status === 'complete')?.n ?? 0,
    inProgress: counts.find((c) => c.status === 'in_progress')?.n ?? 0,
    dataset,
    weighting,
    weightingRefused,
    linked,
    questionByName,
  };
}

interface Columns {
  base: Dataset;
  background: SingleColumn[];
  backgrounds: Record<string, string>[];
  linked: number;
}

/**
 * The columns of a wave's complete responses, kept for the few waves read last: reading 100,000 jsonb
 * answers takes seconds, the statistics milliseconds, and a researcher moves between the results,
 * crosstab and compare pages of one wave. A fingerprint of the complete responses (count, newest id,
 * latest update) checks the entry on every request, so a new or changed response is never missed.
 */
const CACHE_SIZE = 4;
const cache = new Map<string, { fingerprint: string; columns: Columns }>();

async function cachedColumns(
  db: DbOrTrx,
  waveId: number,
  options: { lang: Locale; t: Translate },
): Promise<Columns> {
  const key = `${waveId}:${options.lang}`;
  const fingerprint = await repo.completeFingerprint(db, waveId);
  const hit = cache.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.columns;
  }
  const form = (await surveys.version(db, (await waveSummary(db, waveId)).versionId)).form;
  const rows = await repo.completeResponses(db, waveId);
  const backgrounds = rows.map((r) => r.background);
  const columns: Columns = {
    base: datasetFromResponses(
      form,
      rows.map((r) => ({ id: String(r.id), answers: r.answers })),
      options.lang,
    ),
    background: await backgroundColumns(db, backgrounds, options),
    backgrounds,
    linked: rows.filter((r) => r.person_id !== null).length,
  };
  cache.delete(key);
  cache.set(key, { fingerprint, columns });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return columns;
}

// ---------------------------------------------------------------- background variables

async function backgroundColumns(
  db: DbOrTrx,
  backgrounds: readonly Record<string, string>[],
  { lang, t }: { lang: Locale; t: Translate },
): Promise<SingleColumn[]> {
  const values = (key: BackgroundKey) => backgrounds.map((b) => (b[key] ? String(b[key]) : null));
  const present = (key: BackgroundKey) => [...new Set(values(key).filter((v): v is string => v !== null))];

  const districtIds = present('district');
  const names = new Map(
    (await districtsByIds(db, districtIds.map(Number).filter(Number.isInteger))).map((d) => [
      String(d.id),
      pick(lang, d.name_ru, d.name_en),
    ]),
  );
  const districts: Category[] = districtIds
    .map((v) => ({ value: v, label: names.get(v) ?? v }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));

  const ages = present('ageGroup');
  const ageGroups: Category[] = [
    ...AGE_GROUPS.filter((a) => ages.includes(a)),
    ...ages.filter((a) => !(AGE_GROUPS as readonly string[]).includes(a)).sort(),
  ].map((a) => ({ value: a, label: a }));

  const channels: Category[] = present('channel')
    .sort()
    .map((c) => {
      const key = `applications.channel.${c}`;
      const label = c === NO_APPLICATION ? t('surveysAnalysis.channel.none') : isMessageKey(key) ? t(key) : c;
      return { value: c, label };
    });

  const categories: Record<BackgroundKey, Category[]> = {
    district: districts,
    ageGroup: ageGroups,
    channel: channels,
  };
  return BACKGROUND_KEYS.map((key) =>
    singleColumn(bgName(key), t(`surveysAnalysis.bg.${key}`), categories[key], values(key)),
  );
}

// ---------------------------------------------------------------- weighting by stratum

async function stratumWeights(
  db: DbOrTrx,
  waveId: number,
  backgrounds: readonly Record<string, string>[],
  t: Translate,
  background: readonly SingleColumn[],
): Promise<{ weights: Float64Array; weighting: Weighting } | { refused: MessageKey }> {
  const [samples, invited] = await Promise.all([
    repo.sampleStrata(db, waveId),
    repo.invitationStrata(db, waveId),
  ]);
  const keys = samples[0]?.strata ?? [];
  if (keys.length === 0 || invited.length === 0) return { refused: 'surveysAnalysis.weight.noSample' };
  const keyOf = (values: Record<string, string>) => {
    const parts = keys.map((k) => values[k]);
    return parts.some((p) => p === undefined || p === '') ? null : JSON.stringify(parts);
  };
  const invitedBy = new Map<string, number>();
  for (const row of invited) {
    const key = keyOf(row.strata);
    if (key !== null) invitedBy.set(key, (invitedBy.get(key) ?? 0) + row.n);
  }
  const respondentsBy = new Map<string, number>();
  for (const b of backgrounds) {
    const key = keyOf(b);
    if (key !== null && invitedBy.has(key)) respondentsBy.set(key, (respondentsBy.get(key) ?? 0) + 1);
  }
  const used = [...invitedBy.keys()].filter((k) => respondentsBy.has(k));
  if (used.length === 0) return { refused: 'surveysAnalysis.weight.noRespondents' };
  const index = new Map(used.map((k, h) => [k, h]));
  const strata = new Int32Array(backgrounds.length);
  let unassigned = 0;
  backgrounds.forEach((b, i) => {
    const key = keyOf(b);
    const h = key === null ? undefined : index.get(key);
    strata[i] = h ?? MISSING;
    if (h === undefined) unassigned++;
  });
  const result = postStratificationWeights(
    strata,
    used.map((k) => invitedBy.get(k)!),
  );
  // Stratum labels in the page language: the background columns know the district names.
  const labelOf = (key: string) => {
    const parts = JSON.parse(key) as string[];
    return parts
      .map((v, j) => {
        const k = keys[j]!;
        const col = background.find((c) => c.name === `${BG_PREFIX}${k}`);
        return col?.categories.find((c) => c.value === v)?.label ?? v;
      })
      .join(' × ');
  };
  return {
    weights: result.weights,
    weighting: {
      keys: keys.map((k) =>
        (BACKGROUND_KEYS as readonly string[]).includes(k)
          ? t(`surveysAnalysis.bg.${k as BackgroundKey}`)
          : k,
      ),
      strata: used.map((k, h) => ({
        label: labelOf(k),
        invited: invitedBy.get(k)!,
        respondents: result.strata[h]!.respondents,
        weight: result.strata[h]!.weight,
      })),
      unassigned,
      empty: [...invitedBy.keys()].filter((k) => !respondentsBy.has(k)).map(labelOf),
      effectiveN: result.effectiveN,
      designEffect: result.designEffect,
    },
  };
}

// ---------------------------------------------------------------- results per question

export interface LikertItem {
  name: string;
  label: string;
  freq: Frequencies;
  likert: LikertSummary;
}

export interface NumericBin {
  key: string;
  label: string;
  count: number;
}

export type Section =
  | { kind: 'single'; name: string; label: string; freq: Frequencies; likert: LikertSummary | null }
  | { kind: 'multiple'; name: string; label: string; freq: MultipleFrequencies }
  | {
      kind: 'numeric';
      name: string;
      label: string;
      desc: Descriptives;
      weightedMean: number | null;
      bins: NumericBin[];
    }
  | { kind: 'matrix'; name: string; label: string; items: LikertItem[]; alpha: Reliability | null }
  | { kind: 'text'; name: string; label: string; answered: number; missing: number };

/** The sections of the results page in form order, without computing them (for the contents list). */
export function outline(a: Analysis): { name: string; label: string }[] {
  const out: { name: string; label: string }[] = [];
  const seen = new Set<string>();
  const byName = new Map(a.dataset.columns.map((c) => [c.name, c]));
  for (const { question, groups } of questions(a.form.children)) {
    const col = byName.get(question.name);
    if (!col) continue;
    const matrix = groups.at(-1)?.matrix ? groups.at(-1)! : null;
    if (matrix) {
      if (seen.has(matrix.name)) continue;
      seen.add(matrix.name);
      out.push({ name: matrix.name, label: textIn(matrix.label, a.lang, a.form) || matrix.name });
    } else out.push({ name: col.name, label: col.label });
  }
  return out;
}

const columnOf = (a: Analysis, name: string) => a.dataset.columns.find((c) => c.name === name);

/** The figures of the named sections (a question's name, or a matrix group's name). */
export function sections(a: Analysis, names: readonly string[]): Section[] {
  const wanted = new Set(names);
  const weights = a.dataset.weights;
  const out: Section[] = [];
  const done = new Set<string>();
  for (const { question, groups } of questions(a.form.children)) {
    const col = columnOf(a, question.name);
    if (!col) continue;
    const matrix = groups.at(-1)?.matrix ? groups.at(-1)! : null;
    if (matrix) {
      if (!wanted.has(matrix.name) || done.has(matrix.name)) continue;
      done.add(matrix.name);
      out.push(matrixSection(a, matrix));
      continue;
    }
    if (!wanted.has(col.name)) continue;
    out.push(sectionOf(col, question, weights));
  }
  return out;
}

function sectionOf(col: Column, question: Question, weights: Float64Array | undefined): Section {
  const options = weights ? { weights } : {};
  switch (col.kind) {
    case 'single':
      return {
        kind: 'single',
        name: col.name,
        label: col.label,
        freq: frequencies(col, options),
        likert: question.likert ? likertSummary(col, options) : null,
      };
    case 'multiple':
      return { kind: 'multiple', name: col.name, label: col.label, freq: multipleFrequencies(col, options) };
    case 'numeric':
      return {
        kind: 'numeric',
        name: col.name,
        label: col.label,
        desc: describe(col.values),
        weightedMean: weights ? weightedMean(col.values, weights) : null,
        bins: binsOf(col, weights),
      };
    case 'text': {
      const answered = col.values.filter((v) => v !== null).length;
      return {
        kind: 'text',
        name: col.name,
        label: col.label,
        answered,
        missing: col.values.length - answered,
      };
    }
  }
}

function matrixSection(a: Analysis, group: Group): Section {
  const weights = a.dataset.weights;
  const options = weights ? { weights } : {};
  const cols = group.children
    .map((q) => columnOf(a, q.name))
    .filter((c): c is SingleColumn => c?.kind === 'single');
  const items = cols.map((c) => ({
    name: c.name,
    label: c.label,
    freq: frequencies(c, options),
    likert: likertSummary(c, options),
  }));
  return {
    kind: 'matrix',
    name: group.name,
    label: textIn(group.label, a.lang, a.form) || group.name,
    items,
    // Alpha is a property of the items' correlations: computed unweighted, as SPSS RELIABILITY does.
    alpha: cols.length >= 2 ? cronbachAlpha(cols.map((c) => scoreColumn(c))) : null,
  };
}

/**
 * Counts of a numeric question: one bar per value when there are at most seven, else about eight
 * equal bins (of whole numbers when every value is whole, labelled "25–31").
 */
export function binsOf(col: NumericColumn, weights?: Float64Array): NumericBin[] {
  const valid: { v: number; w: number }[] = [];
  col.values.forEach((v, i) => {
    if (!Number.isNaN(v)) valid.push({ v, w: weights ? weights[i]! : 1 });
  });
  if (valid.length === 0) return [];
  const distinct = [...new Set(valid.map((x) => x.v))].sort((x, y) => x - y);
  if (distinct.length <= 7)
    return distinct.map((d) => ({
      key: String(d),
      label: String(d),
      count: valid.filter((x) => x.v === d).reduce((s, x) => s + x.w, 0),
    }));
  const min = distinct[0]!;
  const max = distinct.at(-1)!;
  const whole = distinct.every(Number.isInteger);
  const width = whole ? Math.ceil((max - min + 1) / 8) : (max - min) / 8;
  const k = whole ? Math.ceil((max - min + 1) / width) : 8;
  const counts = new Array<number>(k).fill(0);
  for (const x of valid) counts[Math.min(k - 1, Math.floor((x.v - min) / width))]! += x.w;
  const round = (v: number) => Math.round(v * 100) / 100;
  return counts.map((count, j) => {
    const from = min + j * width;
    const to = whole ? Math.min(max, from + width - 1) : j === k - 1 ? max : from + width;
    return {
      key: String(j),
      label: whole && from === to ? String(from) : `${round(from)}–${round(to)}`,
      count,
    };
  });
}

// ---------------------------------------------------------------- crosstab and comparison of groups

export interface Variable {
  name: string;
  label: string;
  background: boolean;
}

/** A background variable nobody has (an anonymous wave) is not offered: its table would be empty. */
const isGrouping = (c: Column | undefined): c is SingleColumn =>
  c?.kind === 'single' && (!c.name.startsWith(BG_PREFIX) || c.categories.length > 0);

/** Single-choice questions and background variables: what a crosstab or a comparison groups by. */
export function categoricalVariables(a: Analysis): Variable[] {
  return a.dataset.columns
    .filter(isGrouping)
    .map((c) => ({ name: c.name, label: c.label, background: c.name.startsWith(BG_PREFIX) }));
}

/** What a comparison may compare: single-choice and numeric questions. */
export function outcomeVariables(a: Analysis): Variable[] {
  return a.dataset.columns
    .filter((c) => (c.kind === 'single' || c.kind === 'numeric') && !c.name.startsWith(BG_PREFIX))
    .map((c) => ({ name: c.name, label: c.label, background: false }));
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, MessageKey> };

export function crosstabOf(a: Analysis, rowName: string, colName: string): Checked<Crosstab> {
  const errors: Record<string, MessageKey> = {};
  const single = (name: string) => {
    const c = columnOf(a, name);
    return isGrouping(c) ? c : undefined;
  };
  if (!rowName) errors.row = 'surveysAnalysis.crosstab.rowMissing';
  else if (!single(rowName)) errors.row = 'surveysAnalysis.crosstab.unknown';
  if (!colName) errors.col = 'surveysAnalysis.crosstab.colMissing';
  else if (!single(colName)) errors.col = 'surveysAnalysis.crosstab.unknown';
  else if (colName === rowName) errors.col = 'surveysAnalysis.crosstab.same';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const [table] = compareGroups(a.dataset, [[rowName, colName]]);
  return { ok: true, value: table! };
}

export interface GroupFigures {
  value: string;
  label: string;
  /** Respondents in the group with an answer (unweighted). */
  n: number;
  mean: number;
  median: number;
  /** Likert outcomes: top-two-box share (0..1) with its Wilson interval. */
  topBox: LikertSummary['topBox'] | null;
  sd: number;
}

export interface Comparison {
  by: { name: string; label: string };
  outcome: { name: string; label: string; kind: 'likert' | 'nominal' | 'numeric' };
  groups: GroupFigures[];
  /** Single-choice outcomes: the groups × answers table with χ² and Cramér's V. */
  crosstab: Crosstab | null;
}

export function compareOf(a: Analysis, byName: string, outcomeName: string): Checked<Comparison> {
  const errors: Record<string, MessageKey> = {};
  const by = columnOf(a, byName);
  const outcome = columnOf(a, outcomeName);
  if (!byName) errors.by = 'surveysAnalysis.compare.byMissing';
  else if (!isGrouping(by)) errors.by = 'surveysAnalysis.crosstab.unknown';
  if (!outcomeName) errors.question = 'surveysAnalysis.compare.questionMissing';
  else if (
    !outcome ||
    outcome.name.startsWith(BG_PREFIX) ||
    (outcome.kind !== 'single' && outcome.kind !== 'numeric')
  )
    errors.question = 'surveysAnalysis.crosstab.unknown';
  else if (outcomeName === byName) errors.question = 'surveysAnalysis.crosstab.same';
  if (Object.keys(errors).length > 0 || by?.kind !== 'single' || !outcome) return { ok: false, errors };
  const weights = a.dataset.weights;
  const likert = outcome.kind === 'single' && (a.questionByName.get(outcome.name)?.question.likert ?? false);
  const kind = outcome.kind === 'numeric' ? 'numeric' : likert ? 'likert' : 'nominal';
  const groups: GroupFigures[] = by.categories.map((cat, g) => {
    const rows: number[] = [];
    for (let i = 0; i < by.codes.length; i++) if (by.codes[i] === g) rows.push(i);
    const w = weights ? Float64Array.from(rows, (i) => weights[i]!) : undefined;
    if (outcome.kind === 'numeric') {
      const values = Float64Array.from(rows, (i) => outcome.values[i]!);
      const d = describe(values);
      return {
        value: cat.value,
        label: cat.label,
        n: d.n,
        mean: w ? weightedMean(values, w) : d.mean,
        median: d.median,
        topBox: null,
        sd: d.sd,
      };
    }
    const sub: SingleColumn = {
      ...(outcome as SingleColumn),
      codes: Int32Array.from(rows, (i) => (outcome as SingleColumn).codes[i]!),
    };
    const s = likertSummary(sub, w ? { weights: w } : {});
    return {
      value: cat.value,
      label: cat.label,
      n: s.n,
      mean: s.mean,
      median: s.median,
      topBox: s.topBox,
      sd: s.sd,
    };
  });
  return {
    ok: true,
    value: {
      by: { name: by.name, label: by.label },
      outcome: { name: outcome.name, label: outcome.label, kind },
      groups,
      crosstab: outcome.kind === 'single' ? compareGroups(a.dataset, [[by.name, outcome.name]])[0]! : null,
    },
  };
}

// ---------------------------------------------------------------- exports of response rows

/** Background columns are named bg_… in files: SPSS and spreadsheets do not like colons. */
export function exportDataset(a: Analysis): Dataset {
  return {
    ...a.dataset,
    columns: a.dataset.columns.map((c) =>
      c.name.startsWith(BG_PREFIX) ? { ...c, name: `bg_${c.name.slice(BG_PREFIX.length)}` } : c,
    ),
  };
}

/**
 * Response rows are personal data when respondents are linked to residents: every staff download of
 * them is audited (aggregated figures are not).
 */
export async function auditExport(
  trx: Trx,
  actor: StaffActor,
  a: Analysis,
  format: string,
  details: Record<string, unknown> = {},
  ip: string | null = null,
): Promise<void> {
  assertAnalyst(actor);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'survey.responses_exported',
    subject: { kind: 'survey_wave', id: a.wave.id },
    ip,
    details: {
      reason: 'survey_analysis',
      format,
      responses: a.dataset.n,
      linked: a.linked,
      weighted: a.weighting !== null,
      ...details,
    },
  });
}
