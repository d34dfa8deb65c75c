// Staff pages of the analysis of a wave: results per question (frequencies, multiple response,
// descriptives, Likert summaries and Cronbach's alpha, a bar chart each), the crosstab with χ² and
// Cramér's V, the comparison of groups, and the links to the exports and the PDF report. Every page is
// a GET form (works without JavaScript, a view is a link); charts are server-rendered SVG with a title,
// a description and the table they draw.
import { barSvg, type ChartSeries } from '../../platform/charts/charts.tsx';
import type { Locale, MessageKey } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  ErrorSummary,
  type FieldErrors,
  FieldShell,
  Radios,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type {
  Comparison,
  LikertItem,
  Section,
  Variable,
  WaveSummary,
  Weighting,
} from './surveys.analysis.service.ts';
import type { Crosstab, Interval } from './surveys.stats.ts';

export const WAVES = '/staff/surveys/waves';

// ---------------------------------------------------------------- number formats (pages and PDF)

const TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

export function fmt(locale: Locale, v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(TAGS[locale], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}

/** A percentage (0..100): "40,0 %" in Russian, "40.0%" in English. */
export function pct(locale: Locale, v: number): string {
  if (!Number.isFinite(v)) return '—';
  return locale === 'ru' ? `${fmt(locale, v)} %` : `${fmt(locale, v)}%`;
}

/** Counts are whole numbers unless weighted. */
export function num(locale: Locale, v: number, weighted = false): string {
  return fmt(locale, v, weighted && !Number.isInteger(v) ? 1 : 0);
}

/** A Wilson interval of a proportion (0..1) in percent: "32,1–48,0". */
export function ci(locale: Locale, i: Interval): string {
  if (!Number.isFinite(i.lower)) return '—';
  return `${fmt(locale, 100 * i.lower)}–${fmt(locale, 100 * i.upper)}`;
}

export function pValue(locale: Locale, p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? `< ${fmt(locale, 0.001, 3)}` : fmt(locale, p, 3);
}

const chartId = (name: string, i: number) => `chart-${i}-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
const anchor = (name: string) => `q-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

// ---------------------------------------------------------------- shared pieces

function Figure(p: {
  ctx: PageContext;
  id: string;
  title: string;
  desc: string;
  series: ChartSeries[];
  percent: boolean;
  children?: preact.ComponentChildren;
}) {
  const { locale } = p.ctx;
  const has = p.series.some((s) => s.points.some((x) => x.value !== null && Number.isFinite(x.value)));
  return (
    <figure class="chart" id={p.id}>
      <figcaption class="chart__caption">{p.title}</figcaption>
      {has ? (
        <div
          class="chart__svg"
          dangerouslySetInnerHTML={{
            __html: barSvg({
              id: p.id,
              title: p.title,
              desc: p.desc,
              series: p.series,
              format: (v) => (p.percent ? pct(locale, v) : fmt(locale, v, Number.isInteger(v) ? 0 : 1)),
              text: { noData: '', showTable: '', category: '', missing: '—' },
            }),
          }}
        />
      ) : (
        <p class="chart__empty">{p.ctx.t('surveysAnalysis.noAnswers')}</p>
      )}
      {p.children}
    </figure>
  );
}

/** The header of every analysis page: back to the wave, the wave's name, the tabs. */
function Header(p: { ctx: PageContext; wave: WaveSummary; title: string; current: string; query: string }) {
  const { t } = p.ctx;
  const base = `${WAVES}/${p.wave.id}`;
  const tabs = [
    ['results', t('surveysAnalysis.nav.results')],
    ['crosstab', t('surveysAnalysis.nav.crosstab')],
    ['compare', t('surveysAnalysis.nav.compare')],
  ] as const;
  return (
    <>
      <BackLink href={base}>{t('surveysAnalysis.back')}</BackLink>
      <p class="caption">
        {p.wave.questionnaireTitle} · {t('surveysAnalysis.version', { number: p.wave.versionNumber })}
      </p>
      <h1>{p.title}</h1>
      <nav aria-label={t('surveysAnalysis.nav.label')}>
        <ul class="list">
          {tabs.map(([path, label]) => (
            <li key={path}>
              {path === p.current ? (
                <strong aria-current="page">{label}</strong>
              ) : (
                <a href={`${base}/${path}${p.query}`}>{label}</a>
              )}
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

function WeightNote(p: { ctx: PageContext; weighting: Weighting | null; refused: string | null }) {
  const { t, locale } = p.ctx;
  const w = p.weighting;
  if (!w)
    return (
      <p class="notice" id="weighting">
        {t('surveysAnalysis.weight.unweighted')}
        {p.refused ? ` ${p.refused}` : ''}
      </p>
    );
  return (
    <div class="notice" id="weighting">
      <p>
        {t('surveysAnalysis.weight.weighted', {
          keys: w.keys.join(' × '),
          effective: fmt(locale, w.effectiveN, 1),
          deff: fmt(locale, w.designEffect, 2),
        })}
      </p>
      {w.unassigned > 0 && <p>{t('surveysAnalysis.weight.unassigned', { count: w.unassigned })}</p>}
      {w.empty.length > 0 && <p>{t('surveysAnalysis.weight.empty', { strata: w.empty.join('; ') })}</p>}
      <details>
        <summary>{t('surveysAnalysis.weight.table')}</summary>
        <table class="table">
          <caption class="visually-hidden">{t('surveysAnalysis.weight.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveysAnalysis.weight.stratum')}</th>
              <th scope="col">{t('surveysAnalysis.weight.invited')}</th>
              <th scope="col">{t('surveysAnalysis.weight.respondents')}</th>
              <th scope="col">{t('surveysAnalysis.weight.weight')}</th>
            </tr>
          </thead>
          <tbody>
            {w.strata.map((s) => (
              <tr key={s.label}>
                <th scope="row">{s.label}</th>
                <td>{num(locale, s.invited)}</td>
                <td>{num(locale, s.respondents)}</td>
                <td>{fmt(locale, s.weight, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

function WeightChoice({ ctx, value }: { ctx: PageContext; value: string }) {
  const { t } = ctx;
  return (
    <Radios
      ctx={ctx}
      name="weight"
      legend={t('surveysAnalysis.weight.legend')}
      choices={[
        { value: '', label: t('surveysAnalysis.weight.none') },
        { value: 'stratum', label: t('surveysAnalysis.weight.stratumChoice') },
      ]}
      checked={value}
    />
  );
}

function VariableSelect(p: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  variables: Variable[];
  error?: string | undefined;
}) {
  const { t } = p.ctx;
  const questions = p.variables.filter((v) => !v.background);
  const background = p.variables.filter((v) => v.background);
  return (
    <FieldShell ctx={p.ctx} name={p.name} label={p.label} error={p.error}>
      <select
        class="input input--half"
        id={p.name}
        name={p.name}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${p.name}-error` : undefined}
      >
        <option value="" selected={p.value === ''}>
          {t('surveysAnalysis.choose')}
        </option>
        {questions.length > 0 && (
          <optgroup label={t('surveysAnalysis.questions')}>
            {questions.map((v) => (
              <option key={v.name} value={v.name} selected={v.name === p.value}>
                {v.label} ({v.name})
              </option>
            ))}
          </optgroup>
        )}
        {background.length > 0 && (
          <optgroup label={t('surveysAnalysis.background')}>
            {background.map((v) => (
              <option key={v.name} value={v.name} selected={v.name === p.value}>
                {v.label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </FieldShell>
  );
}

// ---------------------------------------------------------------- results

export interface ResultsModel {
  wave: WaveSummary;
  complete: number;
  inProgress: number;
  weighting: Weighting | null;
  weightRefused: string | null;
  weight: string;
  outline: { name: string; label: string; page: number }[];
  sections: Section[];
  page: number;
  pages: number;
  errors: FieldErrors;
}

interface FrequencyRow {
  value: string;
  label: string;
  count: number;
  /** The table's two percentages, in the order of `percentHeads`. */
  percents: [number, number];
  ci: Parameters<typeof ci>[1];
}

/** Answers with count, two percentages and an interval; then total rows (a percentage left out is an empty cell). */
function FrequencyTable(p: {
  ctx: PageContext;
  name: string;
  weighted: boolean;
  percentHeads: [string, string];
  rows: FrequencyRow[];
  totals: Array<{ label: string; n: number; percents?: [number?, number?] }>;
}) {
  const { t, locale } = p.ctx;
  const cell = (v: number | undefined) => (v === undefined ? <td /> : <td>{pct(locale, v)}</td>);
  return (
    <table class="table">
      <caption>{t('surveysAnalysis.freq.caption', { name: p.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('surveysAnalysis.freq.answer')}</th>
          <th scope="col">{t('surveysAnalysis.freq.count')}</th>
          <th scope="col">{p.percentHeads[0]}</th>
          <th scope="col">{p.percentHeads[1]}</th>
          <th scope="col">{t('surveysAnalysis.freq.ci')}</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr key={r.value}>
            <th scope="row">{r.label}</th>
            <td>{num(locale, r.count, p.weighted)}</td>
            <td>{pct(locale, r.percents[0])}</td>
            <td>{pct(locale, r.percents[1])}</td>
            <td>{ci(locale, r.ci)}</td>
          </tr>
        ))}
        {p.totals.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{num(locale, row.n, p.weighted)}</td>
            {cell(row.percents?.[0])}
            {cell(row.percents?.[1])}
            <td />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The frequency table of a single-choice question: % of all answers and % of valid ones. */
function SingleFrequencyTable({ ctx, s }: { ctx: PageContext; s: Extract<Section, { kind: 'single' }> }) {
  const { t } = ctx;
  const f = s.freq;
  const share = (n: number, of: number) => (of > 0 ? (100 * n) / of : Number.NaN);
  return (
    <FrequencyTable
      ctx={ctx}
      name={s.name}
      weighted={f.weighted}
      percentHeads={[t('surveysAnalysis.freq.percent'), t('surveysAnalysis.freq.validPercent')]}
      rows={f.rows.map((r) => ({ ...r, percents: [r.percent, r.validPercent] }))}
      totals={[
        {
          label: t('surveysAnalysis.freq.valid'),
          n: f.valid,
          percents: [share(f.valid, f.total), f.valid > 0 ? 100 : Number.NaN],
        },
        { label: t('surveysAnalysis.freq.missing'), n: f.missing, percents: [share(f.missing, f.total)] },
      ]}
    />
  );
}

function LikertRow({ ctx, item, first }: { ctx: PageContext; item: LikertItem; first: string }) {
  const { locale } = ctx;
  const l = item.likert;
  return (
    <tr>
      <th scope="row">{first}</th>
      <td>{num(locale, l.n)}</td>
      <td>{fmt(locale, l.mean, 2)}</td>
      <td>{fmt(locale, l.sd, 2)}</td>
      <td>{fmt(locale, l.median, 1)}</td>
      <td>{pct(locale, 100 * l.topBox.estimate)}</td>
      <td>{ci(locale, l.topBox)}</td>
    </tr>
  );
}

function LikertTable({ ctx, items, caption }: { ctx: PageContext; items: LikertItem[]; caption: string }) {
  const { t } = ctx;
  return (
    <table class="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('surveysAnalysis.likert.item')}</th>
          <th scope="col">n</th>
          <th scope="col">{t('surveysAnalysis.likert.mean')}</th>
          <th scope="col">{t('surveysAnalysis.likert.sd')}</th>
          <th scope="col">{t('surveysAnalysis.likert.median')}</th>
          <th scope="col">{t('surveysAnalysis.likert.top2')}</th>
          <th scope="col">{t('surveysAnalysis.freq.ci')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <LikertRow key={i.name} ctx={ctx} item={i} first={i.label} />
        ))}
      </tbody>
    </table>
  );
}

function SectionView({ ctx, s, index }: { ctx: PageContext; s: Section; index: number }) {
  const { t, locale } = ctx;
  const id = chartId(s.name, index);
  const heading = (
    <h2 id={anchor(s.name)}>
      {s.label} <span class="hint">({s.name})</span>
    </h2>
  );
  switch (s.kind) {
    case 'single': {
      const f = s.freq;
      const top = [...f.rows].sort((a, b) => b.count - a.count)[0];
      return (
        <section aria-labelledby={anchor(s.name)}>
          {heading}
          <Figure
            ctx={ctx}
            id={id}
            title={t('surveysAnalysis.chart.valid', { label: s.label })}
            desc={
              top && f.valid > 0
                ? t('surveysAnalysis.chart.descTop', {
                    label: top.label,
                    value: pct(locale, top.validPercent),
                    n: num(locale, f.valid, f.weighted),
                  })
                : t('surveysAnalysis.noAnswers')
            }
            series={[
              {
                name: t('surveysAnalysis.freq.validPercent'),
                points: f.rows.map((r) => ({
                  key: r.value,
                  label: r.label,
                  value: f.valid > 0 ? r.validPercent : null,
                })),
              },
            ]}
            percent
          >
            <SingleFrequencyTable ctx={ctx} s={s} />
          </Figure>
          {s.likert && (
            <LikertTable
              ctx={ctx}
              caption={t('surveysAnalysis.likert.caption')}
              items={[{ name: s.name, label: s.label, freq: s.freq, likert: s.likert }]}
            />
          )}
        </section>
      );
    }
    case 'multiple': {
      const f = s.freq;
      return (
        <section aria-labelledby={anchor(s.name)}>
          {heading}
          <p>{t('surveysAnalysis.multiple.note')}</p>
          <Figure
            ctx={ctx}
            id={id}
            title={t('surveysAnalysis.chart.respondents', { label: s.label })}
            desc={t('surveysAnalysis.chart.descMultiple', { n: num(locale, f.respondents, f.weighted) })}
            series={[
              {
                name: t('surveysAnalysis.multiple.ofRespondents'),
                points: f.rows.map((r) => ({
                  key: r.value,
                  label: r.label,
                  value: f.respondents > 0 ? r.percentOfRespondents : null,
                })),
              },
            ]}
            percent
          >
            <FrequencyTable
              ctx={ctx}
              name={s.name}
              weighted={f.weighted}
              percentHeads={[
                t('surveysAnalysis.multiple.ofRespondents'),
                t('surveysAnalysis.multiple.ofResponses'),
              ]}
              rows={f.rows.map((r) => ({ ...r, percents: [r.percentOfRespondents, r.percentOfResponses] }))}
              totals={[
                { label: t('surveysAnalysis.multiple.respondents'), n: f.respondents },
                { label: t('surveysAnalysis.freq.missing'), n: f.missing },
              ]}
            />
          </Figure>
        </section>
      );
    }
    case 'numeric': {
      const d = s.desc;
      const rows: [string, string][] = [
        [t('surveysAnalysis.desc.n'), num(locale, d.n)],
        [t('surveysAnalysis.freq.missing'), num(locale, d.missing)],
        [t('surveysAnalysis.likert.mean'), fmt(locale, d.mean, 2)],
        ...(s.weightedMean !== null
          ? [[t('surveysAnalysis.desc.weightedMean'), fmt(locale, s.weightedMean, 2)] as [string, string]]
          : []),
        [t('surveysAnalysis.likert.sd'), fmt(locale, d.sd, 2)],
        [t('surveysAnalysis.desc.min'), fmt(locale, d.min, 2)],
        [t('surveysAnalysis.desc.q1'), fmt(locale, d.q1, 2)],
        [t('surveysAnalysis.likert.median'), fmt(locale, d.median, 2)],
        [t('surveysAnalysis.desc.q3'), fmt(locale, d.q3, 2)],
        [t('surveysAnalysis.desc.max'), fmt(locale, d.max, 2)],
      ];
      return (
        <section aria-labelledby={anchor(s.name)}>
          {heading}
          <table class="table">
            <caption>{t('surveysAnalysis.desc.caption', { name: s.name })}</caption>
            <tbody>
              {rows.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Figure
            ctx={ctx}
            id={id}
            title={t('surveysAnalysis.chart.distribution', { label: s.label })}
            desc={t('surveysAnalysis.chart.descNumeric', {
              n: num(locale, d.n),
              mean: fmt(locale, d.mean, 2),
              median: fmt(locale, d.median, 2),
            })}
            series={[
              {
                name: t('surveysAnalysis.freq.count'),
                points: s.bins.map((b) => ({ key: b.key, label: b.label, value: b.count })),
              },
            ]}
            percent={false}
          />
        </section>
      );
    }
    case 'matrix': {
      const a = s.alpha;
      return (
        <section aria-labelledby={anchor(s.name)}>
          {heading}
          <Figure
            ctx={ctx}
            id={id}
            title={t('surveysAnalysis.chart.top2', { label: s.label })}
            desc={t('surveysAnalysis.chart.descMatrix', { k: s.items.length })}
            series={[
              {
                name: t('surveysAnalysis.likert.top2'),
                points: s.items.map((i) => ({
                  key: i.name,
                  label: i.label,
                  value: i.likert.n > 0 ? 100 * i.likert.topBox.estimate : null,
                })),
              },
            ]}
            percent
          >
            <LikertTable ctx={ctx} caption={t('surveysAnalysis.likert.caption')} items={s.items} />
          </Figure>
          {a && (
            <p id={`alpha-${anchor(s.name)}`}>
              {t('surveysAnalysis.alpha', {
                alpha: fmt(locale, a.alpha, 3),
                k: a.k,
                n: a.n,
                excluded: a.excluded,
              })}
            </p>
          )}
          {a && a.k > 2 && (
            <details>
              <summary>{t('surveysAnalysis.alphaIfDeleted')}</summary>
              <ul>
                {s.items.map((i, j) => (
                  <li key={i.name}>
                    {i.label}: {fmt(locale, a.alphaIfDeleted[j]!, 3)}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <details>
            <summary>{t('surveysAnalysis.matrix.distribution')}</summary>
            {s.items.map((i) => (
              <SingleFrequencyTable
                key={i.name}
                ctx={ctx}
                s={{ kind: 'single', name: i.name, label: i.label, freq: i.freq, likert: null }}
              />
            ))}
          </details>
        </section>
      );
    }
    case 'text':
      return (
        <section aria-labelledby={anchor(s.name)}>
          {heading}
          <p>
            {t('surveysAnalysis.text.counts', {
              answered: num(locale, s.answered),
              missing: num(locale, s.missing),
            })}
          </p>
        </section>
      );
  }
}

export function ResultsPage({ ctx, m }: { ctx: PageContext; m: ResultsModel }) {
  const { t, locale } = ctx;
  const base = `${WAVES}/${m.wave.id}`;
  const weightQuery = m.weighting ? '?weight=stratum' : '';
  const pageLink = (page: number) =>
    withQuery(`${base}/results`, {
      weight: m.weight || undefined,
      page: page > 1 ? String(page) : undefined,
    });
  const exp = (path: string, values?: string) =>
    withQuery(`${base}/export/${path}`, { values, weight: m.weighting ? 'stratum' : undefined });
  return (
    <Layout ctx={ctx} title={t('surveysAnalysis.results.title', { wave: m.wave.title })} area="staff">
      <Header
        ctx={ctx}
        wave={m.wave}
        title={t('surveysAnalysis.results.title', { wave: m.wave.title })}
        current="results"
        query={weightQuery}
      />
      <ErrorSummary ctx={ctx} errors={m.errors} />
      <p class="lead" id="counts">
        {t('surveysAnalysis.results.counts', {
          complete: num(locale, m.complete),
          inProgress: num(locale, m.inProgress),
        })}
      </p>
      <form method="get" action={`${base}/results`} novalidate>
        <WeightChoice ctx={ctx} value={m.weight} />
        <button type="submit" class="button button--secondary">
          {t('surveysAnalysis.apply')}
        </button>
      </form>
      <WeightNote ctx={ctx} weighting={m.weighting} refused={m.weightRefused} />
      <h2>{t('surveysAnalysis.exports.title')}</h2>
      <p>{t('surveysAnalysis.exports.audited')}</p>
      <ul class="list" id="exports">
        <li>
          <a href={exp('responses.csv', 'labels')}>{t('surveysAnalysis.exports.csvLabels')}</a>
        </li>
        <li>
          <a href={exp('responses.csv', 'codes')}>{t('surveysAnalysis.exports.csvCodes')}</a>
        </li>
        <li>
          <a href={exp('responses.xlsx', 'labels')}>{t('surveysAnalysis.exports.xlsxLabels')}</a>
        </li>
        <li>
          <a href={exp('responses.xlsx', 'codes')}>{t('surveysAnalysis.exports.xlsxCodes')}</a>
        </li>
        <li>
          <a href={exp('spss.csv')}>{t('surveysAnalysis.exports.spss')}</a>
        </li>
        <li>
          <a href={exp('codebook.csv')}>{t('surveysAnalysis.exports.codebook')}</a>
        </li>
        <li>
          <a href={exp('syntax.sps')}>{t('surveysAnalysis.exports.syntax')}</a>
        </li>
        <li>
          <a href={withQuery(`${base}/report.pdf`, { weight: m.weighting ? 'stratum' : undefined })}>
            {t('surveysAnalysis.exports.pdf')}
          </a>
        </li>
      </ul>
      {m.complete === 0 ? (
        <p>{t('surveysAnalysis.results.none')}</p>
      ) : (
        <>
          <nav aria-labelledby="contents-heading">
            <h2 id="contents-heading">{t('surveysAnalysis.results.contents')}</h2>
            <ol class="list">
              {m.outline.map((o) => (
                <li key={o.name}>
                  <a href={`${o.page === m.page ? '' : pageLink(o.page)}#${anchor(o.name)}`}>{o.label}</a>
                </li>
              ))}
            </ol>
          </nav>
          {m.sections.map((s, i) => (
            <SectionView key={s.name} ctx={ctx} s={s} index={i} />
          ))}
          {m.pages > 1 && (
            <nav aria-label={t('surveysAnalysis.results.pagination')}>
              <p>{t('surveysAnalysis.results.pageOf', { page: m.page, pages: m.pages })}</p>
              <ul class="list">
                {m.page > 1 && (
                  <li>
                    <a href={pageLink(m.page - 1)} rel="prev">
                      {t('surveysAnalysis.results.prev')}
                    </a>
                  </li>
                )}
                {m.page < m.pages && (
                  <li>
                    <a href={pageLink(m.page + 1)} rel="next">
                      {t('surveysAnalysis.results.next')}
                    </a>
                  </li>
                )}
              </ul>
            </nav>
          )}
        </>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- crosstab

function CrosstabTable({ ctx, x }: { ctx: PageContext; x: Crosstab }) {
  const { t, locale } = ctx;
  const C = x.col.categories.length;
  const w = x.weighted;
  return (
    <table class="table" id="crosstab">
      <caption>{t('surveysAnalysis.crosstab.caption', { row: x.row.label, col: x.col.label })}</caption>
      <thead>
        <tr>
          <td />
          {x.col.categories.map((c) => (
            <th scope="col" key={c.value}>
              {c.label}
            </th>
          ))}
          <th scope="col">{t('surveysAnalysis.crosstab.total')}</th>
        </tr>
      </thead>
      <tbody>
        {x.row.categories.map((r, i) => (
          <tr key={r.value}>
            <th scope="row">{r.label}</th>
            {x.col.categories.map((c, j) => (
              <td key={c.value}>
                {num(locale, x.counts[i * C + j]!, w)}
                <br />
                <span class="hint">
                  {pct(locale, x.rowPercent[i * C + j]!)} · {pct(locale, x.colPercent[i * C + j]!)}
                </span>
              </td>
            ))}
            <td>
              {num(locale, x.rowTotals[i]!, w)}
              <br />
              <span class="hint">
                {pct(locale, x.total > 0 ? (100 * x.rowTotals[i]!) / x.total : Number.NaN)}
              </span>
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('surveysAnalysis.crosstab.total')}</th>
          {x.col.categories.map((c, j) => (
            <td key={c.value}>
              {num(locale, x.colTotals[j]!, w)}
              <br />
              <span class="hint">
                {pct(locale, x.total > 0 ? (100 * x.colTotals[j]!) / x.total : Number.NaN)}
              </span>
            </td>
          ))}
          <td>{num(locale, x.total, w)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function ChiSquareList({ ctx, x }: { ctx: PageContext; x: Crosstab }) {
  const { t, locale } = ctx;
  const c = x.chiSquare;
  const rows: [string, string][] = [
    [t('surveysAnalysis.chi.statistic'), fmt(locale, c.statistic, 3)],
    [t('surveysAnalysis.chi.df'), String(c.df)],
    [t('surveysAnalysis.chi.p'), pValue(locale, c.p)],
    [t('surveysAnalysis.chi.v'), fmt(locale, c.cramersV, 3)],
    [t('surveysAnalysis.chi.n'), num(locale, x.unweightedN)],
    [t('surveysAnalysis.chi.missing'), num(locale, x.missing)],
  ];
  return (
    <>
      <dl class="summary-list" id="chi-square">
        {rows.map(([k, v]) => (
          <div class="summary-list__row" key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {c.warning && (
        <p class="notice">
          {t('surveysAnalysis.chi.warning', { share: pct(locale, 100 * c.lowExpectedShare) })}
        </p>
      )}
      {x.weighted && <p class="hint">{t('surveysAnalysis.chi.weighted', { n: fmt(locale, c.n, 1) })}</p>}
    </>
  );
}

function crosstabSeries(x: Crosstab): ChartSeries[] {
  const C = x.col.categories.length;
  return x.col.categories.map((c, j) => ({
    name: c.label,
    points: x.row.categories.map((r, i) => ({
      key: r.value,
      label: r.label,
      value: x.rowTotals[i]! > 0 ? x.rowPercent[i * C + j]! : null,
    })),
  }));
}

export interface CrosstabModel {
  wave: WaveSummary;
  variables: Variable[];
  row: string;
  col: string;
  weight: string;
  weighting: Weighting | null;
  weightRefused: string | null;
  errors: FieldErrors;
  table: Crosstab | null;
}

/** The top of the crosstab and compare pages: header, errors, lead and the GET form choosing two
 *  variables (labels and messages under surveysAnalysis.<page>.<field name>). */
function TwoVariableForm(p: {
  ctx: PageContext;
  m: {
    wave: CrosstabModel['wave'];
    weighting: CrosstabModel['weighting'];
    weight: CrosstabModel['weight'];
    errors: FieldErrors;
  };
  title: string;
  page: 'crosstab' | 'compare';
  first: { name: string; value: string; variables: CrosstabModel['variables'] };
  second: { name: string; value: string; variables: CrosstabModel['variables'] };
}) {
  const { ctx, m } = p;
  const { t } = ctx;
  return (
    <>
      <Header
        ctx={ctx}
        wave={m.wave}
        title={p.title}
        current={p.page}
        query={m.weighting ? '?weight=stratum' : ''}
      />
      <ErrorSummary ctx={ctx} errors={m.errors} />
      <p class="lead">{t(`surveysAnalysis.${p.page}.lead`)}</p>
      <form method="get" action={`${WAVES}/${m.wave.id}/${p.page}`} novalidate>
        {[p.first, p.second].map((v) => (
          <VariableSelect
            key={v.name}
            ctx={ctx}
            name={v.name}
            label={t(`surveysAnalysis.${p.page}.${v.name}` as MessageKey)}
            value={v.value}
            variables={v.variables}
            error={m.errors[v.name]}
          />
        ))}
        <WeightChoice ctx={ctx} value={m.weight} />
        <button type="submit" class="button">
          {t(`surveysAnalysis.${p.page}.show`)}
        </button>
      </form>
    </>
  );
}

export function CrosstabPage({ ctx, m }: { ctx: PageContext; m: CrosstabModel }) {
  const { t } = ctx;
  const title = t('surveysAnalysis.crosstab.title', { wave: m.wave.title });
  return (
    <Layout ctx={ctx} title={title} area="staff">
      <TwoVariableForm
        ctx={ctx}
        m={m}
        title={title}
        page="crosstab"
        first={{ name: 'row', value: m.row, variables: m.variables }}
        second={{ name: 'col', value: m.col, variables: m.variables }}
      />
      {m.table && (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">
            {m.table.row.label} × {m.table.col.label}
          </h2>
          <WeightNote ctx={ctx} weighting={m.weighting} refused={m.weightRefused} />
          <p class="hint">{t('surveysAnalysis.crosstab.cellHint')}</p>
          <CrosstabTable ctx={ctx} x={m.table} />
          <ChiSquareList ctx={ctx} x={m.table} />
          <Figure
            ctx={ctx}
            id="crosstab-chart"
            title={t('surveysAnalysis.crosstab.chart', { row: m.table.row.label, col: m.table.col.label })}
            desc={t('surveysAnalysis.crosstab.chartDesc', { row: m.table.row.label, col: m.table.col.label })}
            series={crosstabSeries(m.table)}
            percent
          />
        </section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- comparison of groups

export interface CompareModel {
  wave: WaveSummary;
  groupings: Variable[];
  outcomes: Variable[];
  by: string;
  question: string;
  weight: string;
  weighting: Weighting | null;
  weightRefused: string | null;
  errors: FieldErrors;
  result: Comparison | null;
}

export function ComparePage({ ctx, m }: { ctx: PageContext; m: CompareModel }) {
  const { t, locale } = ctx;
  const title = t('surveysAnalysis.compare.title', { wave: m.wave.title });
  const r = m.result;
  return (
    <Layout ctx={ctx} title={title} area="staff">
      <TwoVariableForm
        ctx={ctx}
        m={m}
        title={title}
        page="compare"
        first={{ name: 'by', value: m.by, variables: m.groupings }}
        second={{ name: 'question', value: m.question, variables: m.outcomes }}
      />
      {r && (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">
            {r.outcome.label} · {r.by.label}
          </h2>
          <WeightNote ctx={ctx} weighting={m.weighting} refused={m.weightRefused} />
          {r.outcome.kind !== 'nominal' && (
            <table class="table" id="groups">
              <caption>{t('surveysAnalysis.compare.caption', { by: r.by.label })}</caption>
              <thead>
                <tr>
                  <th scope="col">{r.by.label}</th>
                  <th scope="col">n</th>
                  <th scope="col">{t('surveysAnalysis.likert.mean')}</th>
                  <th scope="col">{t('surveysAnalysis.likert.sd')}</th>
                  <th scope="col">{t('surveysAnalysis.likert.median')}</th>
                  {r.outcome.kind === 'likert' && <th scope="col">{t('surveysAnalysis.likert.top2')}</th>}
                  {r.outcome.kind === 'likert' && <th scope="col">{t('surveysAnalysis.freq.ci')}</th>}
                </tr>
              </thead>
              <tbody>
                {r.groups.map((g) => (
                  <tr key={g.value}>
                    <th scope="row">{g.label}</th>
                    <td>{num(locale, g.n)}</td>
                    <td>{fmt(locale, g.mean, 2)}</td>
                    <td>{fmt(locale, g.sd, 2)}</td>
                    <td>{fmt(locale, g.median, 1)}</td>
                    {g.topBox && <td>{pct(locale, 100 * g.topBox.estimate)}</td>}
                    {g.topBox && <td>{ci(locale, g.topBox)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.outcome.kind === 'nominal' && r.crosstab ? (
            <Figure
              ctx={ctx}
              id="compare-chart"
              title={t('surveysAnalysis.crosstab.chart', { row: r.by.label, col: r.outcome.label })}
              desc={t('surveysAnalysis.crosstab.chartDesc', { row: r.by.label, col: r.outcome.label })}
              series={crosstabSeries(r.crosstab)}
              percent
            />
          ) : (
            <Figure
              ctx={ctx}
              id="compare-chart"
              title={
                r.outcome.kind === 'likert'
                  ? t('surveysAnalysis.compare.chartTop2', { label: r.outcome.label, by: r.by.label })
                  : t('surveysAnalysis.compare.chartMean', { label: r.outcome.label, by: r.by.label })
              }
              desc={t('surveysAnalysis.compare.chartDesc', { k: r.groups.length })}
              series={[
                {
                  name:
                    r.outcome.kind === 'likert'
                      ? t('surveysAnalysis.likert.top2')
                      : t('surveysAnalysis.likert.mean'),
                  points: r.groups.map((g) => ({
                    key: g.value,
                    label: g.label,
                    value: g.n === 0 ? null : g.topBox ? 100 * g.topBox.estimate : g.mean,
                  })),
                },
              ]}
              percent={r.outcome.kind === 'likert'}
            />
          )}
          {r.crosstab && (
            <>
              <h3>{t('surveysAnalysis.compare.test')}</h3>
              <p class="hint">{t('surveysAnalysis.crosstab.cellHint')}</p>
              <CrosstabTable ctx={ctx} x={r.crosstab} />
              <ChiSquareList ctx={ctx} x={r.crosstab} />
            </>
          )}
        </section>
      )}
    </Layout>
  );
}
