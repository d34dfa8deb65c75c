// The PDF report of a wave: the wave's figures, then per question its frequency table with a drawn bar
// in each row (vector rectangles: the platform's PDF letters cannot embed SVG, and a bar per table row
// reads as well as a chart), descriptives, Likert summaries and Cronbach's alpha. A tagged PDF (H1, H2,
// P, Table/TR/TH/TD; bars and rules are artifacts, since the figures beside them say the same) on A4
// with DejaVu Sans embedded, opened by src/platform/pdf/pdf.ts (whose letter blocks have no multi-column table).
import type { Locale, Translate } from '../../platform/i18n/i18n.ts';
import { openTaggedPdf } from '../../platform/pdf/pdf.ts';
import { ci, fmt, num, pct } from './surveys.analysis.pages.tsx';
import type { Analysis, Section } from './surveys.analysis.service.ts';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const MM = 72 / 25.4;
const MARGINS = { top: 18 * MM, bottom: 22 * MM, left: 18 * MM, right: 15 * MM };
const BODY = 9.5;
const TEXT = '#000000';
const MUTED = '#404040';
const RULE = '#8c8c8c';
const BAR = '#1d70b8';
const BAR_TRACK = '#e8f1f8';

interface Ctx {
  doc: Doc;
  root: Struct;
  left: number;
  width: number;
  locale: Locale;
  t: Translate;
}

function artifact(doc: Doc, draw: () => void) {
  doc.markContent('Artifact', { type: 'Layout' });
  doc.save();
  draw();
  doc.restore();
  doc.endMarkedContent();
}

function ensureSpace(c: Ctx, height: number) {
  const { doc } = c;
  if (doc.y + height > doc.page.maxY() && doc.y > doc.page.margins.top + 1) doc.addPage();
}

function heading(c: Ctx, text: string, level: 'H1' | 'H2', size: number) {
  const { doc, root, left, width } = c;
  doc.font('bold').fontSize(size);
  // Keep a heading with the table header and a few rows that follow it.
  ensureSpace(c, doc.heightOfString(text, { width }) + 100);
  doc.y += level === 'H2' ? 6 : 0;
  root.add(
    doc.struct(level, {}, () => {
      doc.font('bold').fontSize(size).fillColor(TEXT).text(text, left, doc.y, { width });
    }),
  );
  doc.y += 4;
}

function paragraph(c: Ctx, text: string) {
  const { doc, root, left, width } = c;
  doc.font('regular').fontSize(BODY);
  ensureSpace(c, doc.heightOfString(text, { width }) + 4);
  root.add(
    doc.struct('P', {}, () => {
      doc.font('regular').fontSize(BODY).fillColor(TEXT).text(text, left, doc.y, { width });
    }),
  );
  doc.y += 4;
}

interface Column {
  head: string;
  /** Share of the width. */
  share: number;
  align?: 'left' | 'right';
}

/**
 * A table: header row, body rows whose first cell is a row header. `bars[i]` (0..1), when given, is
 * drawn in the last column of row i. Rows never split across pages; the header repeats on a new page.
 */
function table(c: Ctx, columns: Column[], rows: string[][], bars?: (number | null)[]) {
  const { doc, root, left, width } = c;
  const pad = 3;
  const xs: number[] = [];
  let x = left;
  for (const col of columns) {
    xs.push(x);
    x += col.share * width;
  }
  const widths = columns.map((col) => col.share * width - 2 * pad);
  const heightOf = (cells: string[], font: 'regular' | 'bold') =>
    Math.max(
      ...cells.map((s, j) =>
        doc
          .font(font)
          .fontSize(BODY)
          .heightOfString(s || ' ', { width: widths[j]! }),
      ),
    ) +
    2 * pad;
  const t = doc.struct('Table');
  root.add(t);
  const headRow = () => {
    const h = heightOf(
      columns.map((col) => col.head),
      'bold',
    );
    ensureSpace(c, h + 2 * heightOf(rows[0] ?? [''], 'regular'));
    const y = doc.y;
    const tr = doc.struct('TR');
    t.add(tr);
    columns.forEach((col, j) => {
      tr.add(
        doc.struct('TH', { scope: 'Column' } as PDFKit.Mixins.StructureElementOptions, () => {
          doc
            .font('bold')
            .fontSize(BODY)
            .fillColor(TEXT)
            .text(col.head || ' ', xs[j]! + pad, y + pad, { width: widths[j]!, align: col.align ?? 'left' });
        }),
      );
    });
    tr.end();
    doc.y = y + h;
    artifact(doc, () =>
      doc
        .lineWidth(0.75)
        .strokeColor(TEXT)
        .moveTo(left, doc.y)
        .lineTo(left + width, doc.y)
        .stroke(),
    );
  };
  headRow();
  rows.forEach((cells, i) => {
    const h = heightOf(cells, 'regular');
    if (doc.y + h > doc.page.maxY()) {
      doc.addPage();
      headRow();
    }
    const y = doc.y;
    const tr = doc.struct('TR');
    t.add(tr);
    cells.forEach((cell, j) => {
      tr.add(
        doc.struct(
          j === 0 ? 'TH' : 'TD',
          (j === 0 ? { scope: 'Row' } : {}) as PDFKit.Mixins.StructureElementOptions,
          () => {
            doc
              .font('regular')
              .fontSize(BODY)
              .fillColor(TEXT)
              .text(cell || ' ', xs[j]! + pad, y + pad, {
                width: widths[j]!,
                align: columns[j]!.align ?? 'left',
              });
          },
        ),
      );
    });
    tr.end();
    const bar = bars?.[i];
    if (bar !== undefined && bar !== null && Number.isFinite(bar)) {
      const j = columns.length - 1;
      const bx = xs[j]! + pad;
      const bw = widths[j]!;
      const bh = Math.min(8, h - 2 * pad);
      artifact(doc, () => {
        doc.rect(bx, y + pad + 1, bw, bh).fill(BAR_TRACK);
        if (bar > 0) doc.rect(bx, y + pad + 1, Math.max(0.5, bw * Math.min(1, bar)), bh).fill(BAR);
      });
    }
    doc.y = y + h;
    artifact(doc, () =>
      doc
        .lineWidth(0.4)
        .strokeColor(RULE)
        .moveTo(left, doc.y)
        .lineTo(left + width, doc.y)
        .stroke(),
    );
  });
  t.end();
  doc.x = left;
  doc.y += 6;
}

/** A frequency table: answer, count, a percentage, its interval and a bar; then the totals' rows. */
function frequencyTable(
  c: Ctx,
  percent: { head: string; share: number },
  weighted: boolean,
  /** The count the percentages are of: no bars when it is zero. */
  base: number,
  rows: Array<{
    label: string;
    count: number;
    percent: number;
    ci: Parameters<typeof ci>[1];
  }>,
  totals: Array<[label: string, n: number]>,
) {
  const { t, locale } = c;
  table(
    c,
    [
      { head: t('surveysAnalysis.freq.answer'), share: 0.47 - percent.share },
      { head: t('surveysAnalysis.freq.count'), share: 0.1, align: 'right' },
      { head: percent.head, share: percent.share, align: 'right' },
      { head: t('surveysAnalysis.freq.ci'), share: 0.18, align: 'right' },
      { head: t('surveysAnalysis.report.bar'), share: 0.25 },
    ],
    [
      ...rows.map((r) => [
        r.label,
        num(locale, r.count, weighted),
        pct(locale, r.percent),
        ci(locale, r.ci),
        '',
      ]),
      ...totals.map(([label, n]) => [label, num(locale, n, weighted), '', '', '']),
    ],
    rows.map((r) => (base > 0 ? r.percent / 100 : null)),
  );
}

function section(c: Ctx, s: Section) {
  const { t, locale } = c;
  heading(c, `${s.label} (${s.name})`, 'H2', 11.5);
  switch (s.kind) {
    case 'single': {
      const f = s.freq;
      frequencyTable(
        c,
        { head: t('surveysAnalysis.freq.validPercent'), share: 0.13 },
        f.weighted,
        f.valid,
        f.rows.map((r) => ({ ...r, percent: r.validPercent })),
        [
          [t('surveysAnalysis.freq.valid'), f.valid],
          [t('surveysAnalysis.freq.missing'), f.missing],
        ],
      );
      if (s.likert)
        paragraph(
          c,
          `${t('surveysAnalysis.likert.mean')}: ${fmt(locale, s.likert.mean, 2)}; ${t('surveysAnalysis.likert.median')}: ${fmt(locale, s.likert.median, 1)}; ${t('surveysAnalysis.likert.top2')}: ${pct(locale, 100 * s.likert.topBox.estimate)} (${ci(locale, s.likert.topBox)}).`,
        );
      break;
    }
    case 'multiple': {
      const f = s.freq;
      paragraph(c, t('surveysAnalysis.multiple.note'));
      frequencyTable(
        c,
        { head: t('surveysAnalysis.multiple.ofRespondents'), share: 0.17 },
        f.weighted,
        f.respondents,
        f.rows.map((r) => ({ ...r, percent: r.percentOfRespondents })),
        [
          [t('surveysAnalysis.multiple.respondents'), f.respondents],
          [t('surveysAnalysis.freq.missing'), f.missing],
        ],
      );
      break;
    }
    case 'numeric': {
      const d = s.desc;
      paragraph(
        c,
        [
          `${t('surveysAnalysis.desc.n')}: ${num(locale, d.n)}`,
          `${t('surveysAnalysis.freq.missing')}: ${num(locale, d.missing)}`,
          `${t('surveysAnalysis.likert.mean')}: ${fmt(locale, d.mean, 2)}`,
          ...(s.weightedMean !== null
            ? [`${t('surveysAnalysis.desc.weightedMean')}: ${fmt(locale, s.weightedMean, 2)}`]
            : []),
          `${t('surveysAnalysis.likert.sd')}: ${fmt(locale, d.sd, 2)}`,
          `${t('surveysAnalysis.desc.min')}: ${fmt(locale, d.min, 2)}`,
          `${t('surveysAnalysis.desc.q1')}: ${fmt(locale, d.q1, 2)}`,
          `${t('surveysAnalysis.likert.median')}: ${fmt(locale, d.median, 2)}`,
          `${t('surveysAnalysis.desc.q3')}: ${fmt(locale, d.q3, 2)}`,
          `${t('surveysAnalysis.desc.max')}: ${fmt(locale, d.max, 2)}`,
        ].join('; '),
      );
      const max = Math.max(0, ...s.bins.map((b) => b.count));
      if (s.bins.length > 0)
        table(
          c,
          [
            { head: t('surveysAnalysis.freq.answer'), share: 0.34 },
            { head: t('surveysAnalysis.freq.count'), share: 0.16, align: 'right' },
            { head: t('surveysAnalysis.report.bar'), share: 0.5 },
          ],
          s.bins.map((b) => [b.label, num(locale, b.count, s.weightedMean !== null), '']),
          s.bins.map((b) => (max > 0 ? b.count / max : null)),
        );
      break;
    }
    case 'matrix': {
      table(
        c,
        [
          { head: t('surveysAnalysis.likert.item'), share: 0.32 },
          { head: 'n', share: 0.08, align: 'right' },
          { head: t('surveysAnalysis.likert.mean'), share: 0.1, align: 'right' },
          { head: t('surveysAnalysis.likert.median'), share: 0.1, align: 'right' },
          { head: t('surveysAnalysis.likert.top2'), share: 0.15, align: 'right' },
          { head: t('surveysAnalysis.report.bar'), share: 0.25 },
        ],
        s.items.map((i) => [
          i.label,
          num(locale, i.likert.n),
          fmt(locale, i.likert.mean, 2),
          fmt(locale, i.likert.median, 1),
          pct(locale, 100 * i.likert.topBox.estimate),
          '',
        ]),
        s.items.map((i) => (i.likert.n > 0 ? i.likert.topBox.estimate : null)),
      );
      if (s.alpha)
        paragraph(
          c,
          t('surveysAnalysis.alpha', {
            alpha: fmt(locale, s.alpha.alpha, 3),
            k: s.alpha.k,
            n: s.alpha.n,
            excluded: s.alpha.excluded,
          }),
        );
      break;
    }
    case 'text':
      paragraph(
        c,
        t('surveysAnalysis.text.counts', {
          answered: num(locale, s.answered),
          missing: num(locale, s.missing),
        }),
      );
      break;
  }
}

/** The report of a wave's results (all questions), in the page language. */
export async function renderReport(
  a: Analysis,
  allSections: Section[],
  t: Translate,
  options: { now?: Date } = {},
): Promise<Buffer> {
  const locale = a.lang;
  const title = t('surveysAnalysis.report.title', { wave: a.wave.title });
  const pdf = openTaggedPdf({
    lang: locale,
    title,
    author: t('surveysAnalysis.report.issuer'),
    now: options.now,
    margins: MARGINS,
    fontSize: BODY,
  });
  const { doc, root } = pdf;
  const c: Ctx = { doc, root, left: pdf.left, width: pdf.width, locale, t };
  paragraph(c, t('surveysAnalysis.report.issuer'));
  heading(c, title, 'H1', 15);
  const w = a.weighting;
  table(
    c,
    [
      { head: '', share: 0.4 },
      { head: '', share: 0.6 },
    ],
    [
      [
        t('surveysAnalysis.report.questionnaire'),
        `${a.wave.questionnaireTitle}, ${t('surveysAnalysis.version', { number: a.wave.versionNumber })}`,
      ],
      [t('surveysAnalysis.report.period'), `${a.wave.opensOn} — ${a.wave.closesOn}`],
      [t('surveysAnalysis.report.complete'), num(locale, a.complete)],
      [t('surveysAnalysis.report.inProgress'), num(locale, a.inProgress)],
      [
        t('surveysAnalysis.report.weighting'),
        w
          ? t('surveysAnalysis.report.weighted', {
              keys: w.keys.join(' × '),
              effective: fmt(locale, w.effectiveN, 1),
            })
          : t('surveysAnalysis.report.unweighted'),
      ],
    ],
  );
  for (const s of allSections) section(c, s);
  root.end();
  // Footer: small print and page numbers on every page, as pagination artifacts.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottom + 12;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('regular').fontSize(7.5).fillColor(MUTED);
    doc.text(t('surveysAnalysis.report.footer'), c.left, y, { width: c.width - 100, lineBreak: false });
    doc.text(`${i + 1} / ${range.count}`, c.left + c.width - 90, y, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  return await pdf.finish();
}
