// Exports of survey responses: CSV and XLSX (labels or codes), and an SPSS-friendly CSV (numeric codes,
// short variable names) with its codebook and SPSS syntax that labels the variables and values.
import type { Writable } from 'node:stream';
import { writeXlsx } from './surveys.export.xlsx.ts';
import type { Column, Dataset, SingleColumn } from './surveys.stats.ts';

export interface ExportOptions {
  /** Answers as choice labels ("Satisfied") or as stored choice names ("4", "web phone"). */
  values: 'labels' | 'codes';
  /** First row: variable names (default) or question labels. */
  header?: 'names' | 'labels';
}

type Cell = string | number | null;

/** Per column, a function giving respondent i's cell; label and code arrays are built once. */
function cellReaders(ds: Dataset, values: ExportOptions['values']): ((i: number) => Cell)[] {
  const readers: ((i: number) => Cell)[] = [];
  if (ds.ids) {
    const ids = ds.ids;
    readers.push((i) => ids[i] ?? null);
  }
  for (const col of ds.columns) readers.push(readerOf(col, values));
  if (ds.weights) {
    const w = ds.weights;
    readers.push((i) => w[i]!);
  }
  return readers;
}

function readerOf(col: Column, values: ExportOptions['values']): (i: number) => Cell {
  switch (col.kind) {
    case 'single': {
      const names = col.categories.map((c) => (values === 'labels' ? c.label : c.value));
      const codes = col.codes;
      return (i) => {
        const c = codes[i]!;
        return c < 0 ? null : names[c]!;
      };
    }
    case 'multiple': {
      const names = col.categories.map((c) => (values === 'labels' ? c.label : c.value));
      // XLSForm stores select_multiple as space-separated names; labels may contain spaces, so "; ".
      const sep = values === 'labels' ? '; ' : ' ';
      const k = names.length;
      return (i) => {
        if (!col.answered[i]) return null;
        const out: string[] = [];
        for (let j = 0; j < k; j++) if (col.selected[i * k + j]) out.push(names[j]!);
        return out.join(sep);
      };
    }
    case 'numeric':
      return (i) => {
        const v = col.values[i]!;
        return Number.isNaN(v) ? null : v;
      };
    case 'text':
      return (i) => col.values[i] ?? null;
  }
}

function headerOf(ds: Dataset, header: ExportOptions['header']): string[] {
  const out: string[] = [];
  if (ds.ids) out.push('id');
  for (const c of ds.columns) out.push(header === 'labels' ? c.label : c.name);
  if (ds.weights) out.push('weight');
  return out;
}

/**
 * RFC 4180 field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe: answers are typed by the public (OWASP "CSV injection"). Numbers are left alone.
 */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV lines (CRLF-terminated, header first), generated one by one so a large export streams. */
export function* responsesCsvLines(ds: Dataset, options: ExportOptions): Generator<string> {
  yield `${headerOf(ds, options.header).map(csvField).join(',')}\r\n`;
  const readers = cellReaders(ds, options.values);
  for (let i = 0; i < ds.n; i++) {
    let line = '';
    for (let r = 0; r < readers.length; r++) line += (r ? ',' : '') + csvField(readers[r]!(i));
    yield `${line}\r\n`;
  }
}

/** The whole CSV with a UTF-8 byte order mark, so Excel reads Cyrillic correctly. */
export function responsesCsv(ds: Dataset, options: ExportOptions): string {
  return `\uFEFF${[...responsesCsvLines(ds, options)].join('')}`;
}

/**
 * Responses as XLSX, streamed: a "Responses" sheet (header row, then one row per respondent, numbers as
 * numbers, missing answers as empty cells) and a "Codebook" sheet. Ends `stream`.
 */
export async function writeResponsesXlsx(
  ds: Dataset,
  stream: Writable,
  options: ExportOptions,
): Promise<void> {
  const readers = cellReaders(ds, options.values);
  function* rows(): Generator<Cell[]> {
    yield headerOf(ds, options.header);
    const row: Cell[] = new Array(readers.length);
    for (let i = 0; i < ds.n; i++) {
      for (let r = 0; r < readers.length; r++) row[r] = readers[r]!(i);
      yield row;
    }
  }
  const codebook = [
    ['variable', 'label', 'type', 'value labels', 'question'],
    ...spssVariables(ds).map((v) => [
      v.variable,
      v.label,
      v.type,
      formatValueLabels(v.valueLabels),
      v.question,
    ]),
  ];
  await writeXlsx(stream, [
    { name: 'Responses', rows: rows() },
    { name: 'Codebook', rows: codebook },
  ]);
}

// ------------------------------------------------------------------ SPSS-friendly export

export interface CodebookEntry {
  /** A valid SPSS variable name: letter first, letters, digits and _ only, at most 32 characters, unique. */
  variable: string;
  label: string;
  type: 'numeric' | 'string';
  /** Numeric code → label (empty for numeric and string questions). */
  valueLabels: { code: number; label: string }[];
  /** The question it comes from. */
  question: string;
}

// SPSS's reserved words cannot be variable names.
const RESERVED = new Set(['ALL', 'AND', 'BY', 'EQ', 'GE', 'GT', 'LE', 'LT', 'NE', 'NOT', 'OR', 'TO', 'WITH']);
const MAX_NAME = 32;

function spssName(raw: string, taken: Set<string>): string {
  let base = raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `v${base}`;
  base = base.slice(0, MAX_NAME).replace(/_+$/, '') || 'v';
  if (RESERVED.has(base.toUpperCase())) base = `${base}_`;
  let name = base;
  for (let k = 2; taken.has(name.toUpperCase()); k++) {
    const suffix = `_${k}`;
    name = base.slice(0, MAX_NAME - suffix.length) + suffix;
  }
  taken.add(name.toUpperCase());
  return name;
}

/** The numeric code of each category: the choice names when all are integers (Likert 1–5), else 1..k. */
export function numericCodes(col: Pick<SingleColumn, 'categories'>): number[] {
  const integers = col.categories.every((c) => /^-?\d+$/.test(c.value));
  return col.categories.map((c, i) => (integers ? Number(c.value) : i + 1));
}

/** Variables of the SPSS export: one per question, one 0/1 variable per option of a multiple choice. */
export function spssVariables(ds: Dataset): CodebookEntry[] {
  const taken = new Set<string>();
  const out: CodebookEntry[] = [];
  if (ds.ids)
    out.push({
      variable: spssName('id', taken),
      label: 'Respondent',
      type: 'string',
      valueLabels: [],
      question: '',
    });
  for (const col of ds.columns) {
    if (col.kind === 'multiple') {
      col.categories.forEach((cat) => {
        out.push({
          variable: spssName(`${col.name}_${cat.value}`, taken),
          label: `${col.label}: ${cat.label}`,
          type: 'numeric',
          valueLabels: [
            { code: 0, label: 'not selected' },
            { code: 1, label: 'selected' },
          ],
          question: col.name,
        });
      });
      continue;
    }
    const codes = col.kind === 'single' ? numericCodes(col) : [];
    out.push({
      variable: spssName(col.name, taken),
      label: col.label,
      type: col.kind === 'text' ? 'string' : 'numeric',
      valueLabels:
        col.kind === 'single' ? col.categories.map((c, j) => ({ code: codes[j]!, label: c.label })) : [],
      question: col.name,
    });
  }
  if (ds.weights)
    out.push({
      variable: spssName('weight', taken),
      label: 'Weight',
      type: 'numeric',
      valueLabels: [],
      question: '',
    });
  return out;
}

function formatValueLabels(labels: CodebookEntry['valueLabels']): string {
  return labels.map((l) => `${l.code}=${l.label}`).join('; ');
}

/** SPSS-friendly CSV: numeric codes, empty cells for missing (system-missing in SPSS), one header row. */
export function* spssCsvLines(ds: Dataset): Generator<string> {
  const vars = spssVariables(ds);
  yield `${vars.map((v) => v.variable).join(',')}\r\n`;
  const readers: ((i: number) => Cell)[] = [];
  if (ds.ids) {
    const ids = ds.ids;
    readers.push((i) => ids[i] ?? null);
  }
  for (const col of ds.columns) {
    if (col.kind === 'single') {
      const codes = numericCodes(col);
      readers.push((i) => (col.codes[i]! < 0 ? null : codes[col.codes[i]!]!));
    } else if (col.kind === 'multiple') {
      const k = col.categories.length;
      for (let j = 0; j < k; j++) readers.push((i) => (col.answered[i] ? col.selected[i * k + j]! : null));
    } else readers.push(readerOf(col, 'codes'));
  }
  if (ds.weights) {
    const w = ds.weights;
    readers.push((i) => w[i]!);
  }
  for (let i = 0; i < ds.n; i++) {
    let line = '';
    for (let r = 0; r < readers.length; r++) line += (r ? ',' : '') + csvField(readers[r]!(i));
    yield `${line}\r\n`;
  }
}

export function spssCsv(ds: Dataset): string {
  return [...spssCsvLines(ds)].join('');
}

/** The codebook as CSV: variable, label, type, value labels ("1=Yes; 2=No"), question. */
export function codebookCsv(ds: Dataset): string {
  const lines = [['variable', 'label', 'type', 'value labels', 'question'].join(',')];
  for (const v of spssVariables(ds))
    lines.push(
      [v.variable, v.label, v.type, formatValueLabels(v.valueLabels), v.question].map(csvField).join(','),
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const spssString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * SPSS syntax that reads the SPSS-friendly CSV (UTF-8) and applies variable and value labels; PSPP runs
 * it too. `file` is the CSV's path as the researcher will have it.
 */
export function spssSyntax(ds: Dataset, file = 'responses.csv'): string {
  const vars = spssVariables(ds);
  const width = (v: CodebookEntry) => (v.type === 'string' ? 'A255' : 'F8.2');
  const out = [
    'SET UNICODE=ON.',
    `GET DATA /TYPE=TXT /FILE=${spssString(file)} /ENCODING='UTF8' /DELIMITERS=","`,
    `  /QUALIFIER='"' /ARRANGEMENT=DELIMITED /FIRSTCASE=2`,
    `  /VARIABLES=${vars.map((v) => `${v.variable} ${width(v)}`).join(' ')}.`,
    'VARIABLE LABELS',
    `${vars.map((v) => `  ${v.variable} ${spssString(v.label)}`).join('\n')}.`,
  ];
  for (const v of vars)
    if (v.valueLabels.length > 0)
      out.push(
        `VALUE LABELS ${v.variable} ${v.valueLabels.map((l) => `${l.code} ${spssString(l.label)}`).join(' ')}.`,
      );
  out.push('EXECUTE.');
  return `${out.join('\n')}\n`;
}
