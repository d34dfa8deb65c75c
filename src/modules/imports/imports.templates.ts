// Downloadable templates: the headers of each table, as CSV (UTF-8 with BOM, so Excel opens it in
// the right encoding; ";" as Russian Excel writes it) and as XLSX with a notes sheet that explains
// every column in Russian and English. The notes sheet is never read back on upload.
import ExcelJS from 'exceljs';
import { ASSIGNMENT_COLUMNS, type ColumnDef, RESIDENT_COLUMNS, SHEETS } from './imports.columns.ts';
import type { ImportKind } from './imports.schema.ts';

export const TEMPLATE_NAMES = [
  'residents.csv',
  'residents.xlsx',
  'assignments.csv',
  'assignments.xlsx',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const columnsOf = (kind: ImportKind) => (kind === 'residents' ? RESIDENT_COLUMNS : ASSIGNMENT_COLUMNS);

export function csvTemplate(kind: ImportKind): Buffer {
  return Buffer.from(
    `\uFEFF${columnsOf(kind)
      .map((c) => c.ru)
      .join(';')}\r\n`,
    'utf8',
  );
}

function addTable(workbook: ExcelJS.Workbook, name: string, defs: ColumnDef[]): void {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow(defs.map((c) => c.ru));
  sheet.getRow(1).font = { bold: true };
  defs.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(14, c.ru.length + 4);
    // SNILS and dates as text, so Excel keeps leading zeros and does not reformat them.
    column.numFmt = '@';
  });
}

export async function xlsxTemplate(kind: ImportKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Opora';
  addTable(workbook, SHEETS[kind], columnsOf(kind));
  if (kind === 'residents') addTable(workbook, SHEETS.assignments, ASSIGNMENT_COLUMNS);
  const notes = workbook.addWorksheet(SHEETS.notes);
  notes.addRow(['Лист / Sheet', 'Столбец', 'Column', 'Обязательный / Required', 'Пояснение', 'Note']);
  notes.getRow(1).font = { bold: true };
  const tables: [string, ColumnDef[]][] =
    kind === 'residents'
      ? [
          [SHEETS.residents, RESIDENT_COLUMNS],
          [SHEETS.assignments, ASSIGNMENT_COLUMNS],
        ]
      : [[SHEETS.assignments, ASSIGNMENT_COLUMNS]];
  for (const [sheet, defs] of tables)
    for (const c of defs)
      notes.addRow([sheet, c.ru, c.en, c.required ? 'да / yes' : 'нет / no', c.noteRu, c.noteEn]);
  [16, 22, 30, 22, 50, 50].forEach((w, i) => {
    notes.getColumn(i + 1).width = w;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function template(name: TemplateName): Promise<{ bytes: Buffer; type: string }> {
  const [kind, ext] = name.split('.') as [ImportKind, 'csv' | 'xlsx'];
  return ext === 'csv'
    ? { bytes: csvTemplate(kind), type: 'text/csv; charset=utf-8' }
    : {
        bytes: await xlsxTemplate(kind),
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      };
}
