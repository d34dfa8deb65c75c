// Reading an uploaded file into tables of strings: what it is comes from its bytes, never its name.
// CSV: UTF-8 (with or without BOM) or Windows-1251, separator ";" "," or tab found from the header
// line. XLSX: read with exceljs; the residents sheet and the assignments sheet are found by name
// (the template's «Получатели» and «Назначения»), else the first sheet is the chosen kind's.

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { MessageKey, Params } from '../../platform/i18n/i18n.ts';
import { SHEETS } from './imports.columns.ts';
import type { ImportFormat, ImportKind } from './imports.schema.ts';

export interface RawRow {
  /** The row number a person sees: the spreadsheet's row, or the CSV's line. */
  row: number;
  values: string[];
}

export interface RawTable {
  /** The XLSX sheet's name; null for CSV. */
  sheet: string | null;
  table: 'residents' | 'assignments';
  /** Column letters are shown with XLSX errors ("C"), so a cell can be found at once. */
  letters: boolean;
  headerRow: number;
  headers: string[];
  rows: RawRow[];
}

export interface ParsedFile {
  format: ImportFormat;
  tables: RawTable[];
}

/** Most data rows in one file: a district's whole register fits with room to spare. */
export const MAX_ROWS = 100_000;

/** A problem with the whole file (not one row): shown on the upload form, nothing is stored. */
export class FileProblem extends Error {
  readonly key: MessageKey;
  readonly params: Params;
  constructor(key: MessageKey, params: Params = {}) {
    super(key);
    this.name = 'FileProblem';
    this.key = key;
    this.params = params;
  }
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PDF = Buffer.from('%PDF-', 'latin1');

export function sniffFormat(bytes: Buffer): ImportFormat {
  if (bytes.length === 0) throw new FileProblem('imports.file.empty');
  const starts = (magic: Buffer) => bytes.subarray(0, magic.length).equals(magic);
  if (starts(ZIP)) return 'xlsx';
  if (starts(OLE)) throw new FileProblem('imports.file.oldExcel');
  if (starts(PDF) || bytes.subarray(0, 8192).includes(0)) throw new FileProblem('imports.file.notTable');
  return 'csv';
}

export async function readImportFile(bytes: Buffer, kind: ImportKind): Promise<ParsedFile> {
  const format = sniffFormat(bytes);
  const tables = format === 'csv' ? [readCsv(bytes, kind)] : await readXlsx(bytes, kind);
  const rows = tables.reduce((n, t) => n + t.rows.length, 0);
  if (rows === 0) throw new FileProblem('imports.file.noRows');
  if (rows > MAX_ROWS) throw new FileProblem('imports.file.tooManyRows', { max: MAX_ROWS, rows });
  return { format, tables };
}

// ---------------------------------------------------------------- CSV

/** UTF-8 when the bytes are valid UTF-8; otherwise Windows-1251, the other encoding Excel writes here. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** The separator of the header line: the most frequent of ";", "," and tab outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ';';
  for (const [ch, n] of counts) if (n > (counts.get(best) ?? 0)) best = ch;
  return best;
}

const blank = (values: string[]) => values.every((v) => v.trim() === '');

export function readCsv(bytes: Buffer, kind: ImportKind): RawTable {
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new FileProblem('imports.file.empty');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new FileProblem('imports.file.badCsv', { line: line ?? '?' });
  }
  const first = records.findIndex((r) => !blank(r.record));
  if (first < 0) throw new FileProblem('imports.file.empty');
  const header = records[first]!;
  return {
    sheet: null,
    table: kind,
    letters: false,
    headerRow: header.info.lines,
    headers: header.record.map((h) => h.trim()),
    rows: records
      .slice(first + 1)
      .filter((r) => !blank(r.record))
      .map((r) => ({ row: r.info.lines, values: r.record.map((v) => v.trim()) })),
  };
}

// ---------------------------------------------------------------- XLSX

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** A cell as text: dates as ISO dates, numbers without exponent, rich text and formulas as shown. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : isoDate(value);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function sheetTable(ws: ExcelJS.Worksheet, table: RawTable['table']): RawTable | undefined {
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // row.values is 1-based (index 0 is empty).
    const raw = (row.values as ExcelJS.CellValue[]).slice(1);
    const values = Array.from({ length: raw.length }, (_, i) => cellText(raw[i] ?? null));
    if (!blank(values)) rows.push({ row: rowNumber, values });
  });
  const header = rows.shift();
  if (!header) return undefined;
  return { sheet: ws.name, table, letters: true, headerRow: header.row, headers: header.values, rows };
}

export async function readXlsx(bytes: Buffer, kind: ImportKind): Promise<RawTable[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new FileProblem('imports.file.badXlsx');
  }
  const sheets = workbook.worksheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
  if (sheets.length === 0) throw new FileProblem('imports.file.badXlsx');
  const named = (name: string) => sheets.find((ws) => ws.name.trim().toLowerCase() === name.toLowerCase());
  const tables: RawTable[] = [];
  const main = named(SHEETS[kind]) ?? sheets[0]!;
  const mainTable = sheetTable(main, kind);
  if (mainTable) tables.push(mainTable);
  // A residents workbook may carry the new residents' assignments on a second sheet.
  const extra = kind === 'residents' ? named(SHEETS.assignments) : undefined;
  if (extra && extra !== main) {
    const t = sheetTable(extra, 'assignments');
    if (t && t.rows.length > 0) tables.push(t);
  }
  if (tables.length === 0) throw new FileProblem('imports.file.empty');
  return tables;
}
