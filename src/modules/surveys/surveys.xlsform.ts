// XLSForm .xlsx ⇄ the questionnaire model (surveys.form.ts), read and written with exceljs.
//
// Import reads the `survey`, `choices` and `settings` sheets by name (any case) with the column
// names of xlsform.org, language columns as `label::Русский (ru)`. It never stops at the first
// problem: every problem found is returned with its sheet, row, column letter and header, so an
// author fixes the whole file at once. Expressions are parsed (surveys.expr.ts) and their `${name}`
// references checked against the form's names; nothing is imported when anything is wrong.
// Export writes the canonical spelling of everything, so import(export(form)) equals form.
import ExcelJS from 'exceljs';
import type { Params } from '../../platform/i18n/i18n.ts';
import { ExprError, NAME, type ParseOptions, parseExpr, references } from './surveys.expr.ts';
import {
  type Choice,
  type ChoiceList,
  DEFAULT_LANGUAGE,
  type Form,
  type FormNode,
  type FormSettings,
  type Group,
  type Language,
  languageKey,
  nodes,
  QUESTION_TYPES,
  type Question,
  type QuestionType,
  SELECT_TYPES,
  type Translated,
  UNASKED_TYPES,
} from './surveys.form.ts';

export type ProblemCode =
  | 'notXlsx'
  | 'missingSheet'
  | 'missingColumn'
  | 'missingType'
  | 'unknownType'
  | 'missingName'
  | 'badName'
  | 'duplicateName'
  | 'missingLabel'
  | 'selectWithoutList'
  | 'unknownList'
  | 'unbalanced'
  | 'unclosed'
  | 'expression'
  | 'unknownReference'
  | 'badRequired'
  | 'missingCalculation'
  | 'missingListName'
  | 'duplicateChoice';

/** One thing wrong with an uploaded XLSForm, where a person finds it in the spreadsheet. */
export interface FormProblem {
  sheet: string;
  /** Spreadsheet row (1-based); null for a problem of the whole sheet or file. */
  row: number | null;
  /** Column letter ("F"); null when no one cell is at fault. */
  column: string | null;
  /** The column's header as written ("relevant", "label::English (en)"). */
  header: string | null;
  code: ProblemCode;
  /** Details for the message: type, name, list, reason + position + detail of an expression, row. */
  params: Params;
}

export type ImportResult = { ok: true; form: Form } | { ok: false; problems: FormProblem[] };

const TRANSLATABLE_SURVEY = ['label', 'hint', 'required_message', 'constraint_message'] as const;
const PLAIN_SURVEY = [
  'type',
  'name',
  'required',
  'relevant',
  'constraint',
  'appearance',
  'choice_filter',
  'calculation',
  'repeat_count',
] as const;
/** Spellings pyxform also accepts, mapped to the spec's column name. */
const COLUMN_ALIASES: Record<string, string> = {
  'list name': 'list_name',
  'required message': 'required_message',
  'constraint message': 'constraint_message',
  'choice filter': 'choice_filter',
  'repeat count': 'repeat_count',
  calculate: 'calculation',
};
const TYPE_ALIASES: Record<string, string> = { int: 'integer', string: 'text' };
const TRUE_WORDS = new Set(['yes', 'true', 'true()', '1']);
const FALSE_WORDS = new Set(['', 'no', 'false', 'false()', '0']);

// ---------------------------------------------------------------- reading sheets

/** Column number (1-based) → letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
  }
  return '';
}

interface Column {
  index: number;
  letter: string;
  header: string;
  /** Spec column name, lower case ("label"). */
  base: string;
  language: Language | null;
}

interface SheetRow {
  row: number;
  cells: Map<number, string>;
}

interface Sheet {
  name: string;
  columns: Column[];
  rows: SheetRow[];
}

/** `Русский (ru)` → { name: 'Русский', code: 'ru' }; `English` → { name: 'English', code: null }. */
export function parseLanguage(suffix: string): Language {
  const m = /^(.*?)\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\)$/.exec(suffix.trim());
  return m?.[1] ? { name: m[1], code: m[2]! } : { name: suffix.trim(), code: null };
}

function languageHeader(base: string, lang: Language): string {
  if (lang.code === null && lang.name === DEFAULT_LANGUAGE.name) return base;
  return `${base}::${lang.code ? `${lang.name} (${lang.code})` : lang.name}`;
}

function readSheet(ws: ExcelJS.Worksheet): Sheet {
  const columns: Column[] = [];
  const header = ws.getRow(1);
  header.eachCell({ includeEmpty: false }, (cell, index) => {
    const text = cellText(cell.value);
    if (!text) return;
    const [rawBase = '', ...rest] = text.split('::');
    const lower = rawBase.trim().toLowerCase();
    const base = COLUMN_ALIASES[lower] ?? lower;
    columns.push({
      index,
      letter: columnLetter(index),
      header: text,
      base: rest.length > 0 || base !== lower || isKnownColumn(base) ? base : text,
      language: rest.length > 0 ? parseLanguage(rest.join('::')) : null,
    });
  });
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<number, string>();
    for (const col of columns) {
      const text = cellText(row.getCell(col.index).value);
      if (text) cells.set(col.index, text);
    }
    if (cells.size > 0) rows.push({ row: rowNumber, cells });
  });
  return { name: ws.name, columns, rows };
}

function isKnownColumn(base: string): boolean {
  return (
    (TRANSLATABLE_SURVEY as readonly string[]).includes(base) ||
    (PLAIN_SURVEY as readonly string[]).includes(base) ||
    ['list_name', 'form_title', 'form_id', 'version', 'default_language'].includes(base)
  );
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((ws) => ws.name.trim().toLowerCase() === name);
}

// ---------------------------------------------------------------- import

/** Reads an XLSForm workbook into the model, or every problem found in it. */
export async function importXlsForm(bytes: Buffer | Uint8Array): Promise<ImportResult> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's Buffer type predates Node's generic Buffer.
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    return fail([{ sheet: '', row: null, column: null, header: null, code: 'notXlsx', params: {} }]);
  }
  const surveyWs = findSheet(wb, 'survey');
  if (!surveyWs)
    return fail([
      { sheet: 'survey', row: null, column: null, header: null, code: 'missingSheet', params: {} },
    ]);
  const choicesWs = findSheet(wb, 'choices');
  const settingsWs = findSheet(wb, 'settings');
  return new Importer(
    readSheet(surveyWs),
    choicesWs ? readSheet(choicesWs) : null,
    settingsWs ? readSheet(settingsWs) : null,
  ).run();
}

function fail(problems: FormProblem[]): ImportResult {
  return { ok: false, problems };
}

interface PendingExpr {
  sheet: Sheet;
  row: number;
  column: Column;
  source: string;
  options: ParseOptions;
}

class Importer {
  readonly problems: FormProblem[] = [];
  readonly languages: Language[] = [];
  readonly names = new Map<string, number>();
  readonly expressions: PendingExpr[] = [];
  readonly selects: { row: number; column: Column; listName: string }[] = [];

  readonly survey: Sheet;
  readonly choices: Sheet | null;
  readonly settings: Sheet | null;

  constructor(survey: Sheet, choices: Sheet | null, settings: Sheet | null) {
    this.survey = survey;
    this.choices = choices;
    this.settings = settings;
  }

  run(): ImportResult {
    for (const sheet of [this.survey, this.choices]) {
      for (const col of sheet?.columns ?? []) {
        if (!['label', 'hint', 'required_message', 'constraint_message'].includes(col.base)) continue;
        const lang = col.language ?? DEFAULT_LANGUAGE;
        if (!this.languages.some((l) => languageKey(l) === languageKey(lang))) this.languages.push(lang);
      }
    }
    const children = this.readSurvey();
    const lists = this.readChoices();
    for (const s of this.selects) {
      if (!lists.some((l) => l.name === s.listName))
        this.problem(this.survey, s.row, s.column, 'unknownList', { list: s.listName });
    }
    for (const e of this.expressions) this.checkExpression(e);
    const settings = this.readSettings();
    if (this.problems.length > 0) {
      const order = (p: FormProblem) => ['', 'survey', 'choices', 'settings'].indexOf(p.sheet.toLowerCase());
      this.problems.sort((a, b) => order(a) - order(b) || (a.row ?? 0) - (b.row ?? 0));
      return fail(this.problems);
    }
    return { ok: true, form: { settings, languages: this.languages, children, lists } };
  }

  problem(sheet: Sheet, row: number | null, column: Column | null, code: ProblemCode, params: Params = {}) {
    this.problems.push({
      sheet: sheet.name,
      row,
      column: column?.letter ?? null,
      header: column?.header ?? null,
      code,
      params,
    });
  }

  column(sheet: Sheet, base: string): Column | undefined {
    return sheet.columns.find((c) => c.base === base && c.language === null);
  }

  text(sheet: Sheet, r: SheetRow, base: string): string {
    const col = this.column(sheet, base);
    return col ? (r.cells.get(col.index) ?? '') : '';
  }

  translated(sheet: Sheet, r: SheetRow, base: string): Translated {
    const out: Translated = {};
    for (const col of sheet.columns) {
      if (col.base !== base) continue;
      const value = r.cells.get(col.index);
      if (value) out[languageKey(col.language ?? DEFAULT_LANGUAGE)] = value;
    }
    return out;
  }

  /** The first column of a kind, for pointing at it (a translated label points at its first language). */
  anyColumn(sheet: Sheet, base: string): Column | null {
    return sheet.columns.find((c) => c.base === base) ?? null;
  }

  expression(sheet: Sheet, r: SheetRow, base: string, options: ParseOptions = {}): string | null {
    const col = this.column(sheet, base);
    const source = col ? r.cells.get(col.index) : undefined;
    if (!col || !source) return null;
    this.expressions.push({ sheet, row: r.row, column: col, source, options });
    return source;
  }

  checkExpression(e: PendingExpr) {
    try {
      const tree = parseExpr(e.source, e.options);
      for (const ref of references(tree)) {
        if (!this.names.has(ref.name))
          this.problem(e.sheet, e.row, e.column, 'unknownReference', { name: ref.name, position: ref.pos });
      }
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      this.problem(e.sheet, e.row, e.column, 'expression', {
        reason: err.reason,
        position: err.position,
        detail: err.detail,
        expression: e.source,
      });
    }
  }

  readSurvey(): FormNode[] {
    const sheet = this.survey;
    const typeCol = this.column(sheet, 'type');
    const nameCol = this.column(sheet, 'name');
    if (!typeCol) this.problem(sheet, 1, null, 'missingColumn', { column: 'type' });
    if (!nameCol) this.problem(sheet, 1, null, 'missingColumn', { column: 'name' });
    if (!typeCol || !nameCol) return [];

    const root: FormNode[] = [];
    const stack: { group: Group; row: number }[] = [];
    const container = () => stack.at(-1)?.group.children ?? root;

    for (const r of sheet.rows) {
      // Canonical spelling: "begin_group" → "begin group", "select one x" → "select_one x", "int" → "integer".
      const rawType = this.text(sheet, r, 'type')
        .replace(/\s+/g, ' ')
        .replace(/^(begin|end)_(group|repeat)$/i, '$1 $2')
        .replace(/^select (one|multiple) /i, 'select_$1 ');
      const [head = '', ...rest] = rawType.split(' ');
      const type = TYPE_ALIASES[head.toLowerCase()] ?? head.toLowerCase();
      const lowerType = rawType.toLowerCase();

      if (!rawType) {
        if (this.text(sheet, r, 'name') || Object.keys(this.translated(sheet, r, 'label')).length > 0)
          this.problem(sheet, r.row, typeCol, 'missingType');
        continue;
      }
      if (lowerType === 'end group' || lowerType === 'end repeat') {
        const kind = lowerType === 'end repeat' ? 'repeat' : 'group';
        const open = stack.at(-1);
        if (!open || open.group.kind !== kind) {
          this.problem(sheet, r.row, typeCol, 'unbalanced', {
            type: `end ${kind}`,
            open: open ? `begin ${open.group.kind}` : '',
            row: open?.row ?? 0,
          });
          continue;
        }
        stack.pop();
        this.refineMatrix(open.group);
        continue;
      }

      const name = this.text(sheet, r, 'name');
      if (!name) this.problem(sheet, r.row, nameCol, 'missingName');
      else if (!NAME.test(name)) this.problem(sheet, r.row, nameCol, 'badName', { name });
      else if (this.names.has(name))
        this.problem(sheet, r.row, nameCol, 'duplicateName', { name, row: this.names.get(name)! });
      else this.names.set(name, r.row);

      const label = this.translated(sheet, r, 'label');
      const hint = this.translated(sheet, r, 'hint');
      const relevant = this.expression(sheet, r, 'relevant');
      const appearance = this.text(sheet, r, 'appearance') || null;

      const beginMatch = /^begin (group|repeat)$/.exec(lowerType);
      if (beginMatch) {
        const group: Group = {
          kind: beginMatch[1] as 'group' | 'repeat',
          name,
          label,
          hint,
          relevant,
          appearance,
          repeatCount: beginMatch[1] === 'repeat' ? this.expression(sheet, r, 'repeat_count') : null,
          matrix: null,
          children: [],
        };
        container().push(group);
        stack.push({ group, row: r.row });
        continue;
      }

      let qType: QuestionType;
      let listName: string | null = null;
      if (type === 'select_one' || type === 'select_multiple') {
        qType = type;
        // The word after the type, in its own case: list names are case-sensitive.
        listName = rest[0] ?? null;
        if (!listName) this.problem(sheet, r.row, typeCol, 'selectWithoutList', { type });
        else this.selects.push({ row: r.row, column: typeCol, listName });
      } else if ((QUESTION_TYPES as readonly string[]).includes(type) && rest.length === 0) {
        qType = type as QuestionType;
      } else {
        this.problem(sheet, r.row, typeCol, 'unknownType', { type: rawType });
        continue;
      }

      if (!UNASKED_TYPES.has(qType) && Object.keys(label).length === 0)
        this.problem(sheet, r.row, this.anyColumn(sheet, 'label'), 'missingLabel', { name });

      const requiredText = this.text(sheet, r, 'required').toLowerCase();
      if (!TRUE_WORDS.has(requiredText) && !FALSE_WORDS.has(requiredText))
        this.problem(sheet, r.row, this.column(sheet, 'required') ?? null, 'badRequired', {
          value: requiredText,
        });

      const calculation = this.expression(sheet, r, 'calculation');
      if (qType === 'calculate' && !calculation)
        this.problem(sheet, r.row, this.column(sheet, 'calculation') ?? null, 'missingCalculation', { name });

      const question: Question = {
        kind: 'question',
        type: qType,
        name,
        label,
        hint,
        required: TRUE_WORDS.has(requiredText),
        requiredMessage: this.translated(sheet, r, 'required_message'),
        relevant,
        constraint: this.expression(sheet, r, 'constraint'),
        constraintMessage: this.translated(sheet, r, 'constraint_message'),
        appearance,
        listName,
        choiceFilter: SELECT_TYPES.has(qType)
          ? this.expression(sheet, r, 'choice_filter', { fields: true })
          : null,
        calculation,
        likert: qType === 'select_one' && /(^|\s)likert(\s|$)/.test(appearance ?? ''),
      };
      container().push(question);
    }
    for (const open of stack)
      this.problem(sheet, open.row, typeCol, 'unclosed', {
        type: `begin ${open.group.kind}`,
        name: open.group.name,
      });
    return root;
  }

  /** A table-list / field-list group of select_one questions from one list is a matrix of Likert items. */
  refineMatrix(group: Group) {
    if (group.kind !== 'group' || !/(^|\s)(table-list|field-list)(\s|$)/.test(group.appearance ?? '')) return;
    const items = group.children;
    const first = items[0];
    if (first?.kind !== 'question' || first.type !== 'select_one' || !first.listName) return;
    const same = items.every(
      (n) => n.kind === 'question' && n.type === 'select_one' && n.listName === first.listName,
    );
    if (!same) return;
    group.matrix = { listName: first.listName };
    for (const n of items) if (n.kind === 'question') n.likert = true;
  }

  readChoices(): ChoiceList[] {
    const sheet = this.choices;
    if (!sheet) return [];
    const listCol = this.column(sheet, 'list_name');
    const nameCol = this.column(sheet, 'name');
    if (!listCol) this.problem(sheet, 1, null, 'missingColumn', { column: 'list_name' });
    if (!nameCol) this.problem(sheet, 1, null, 'missingColumn', { column: 'name' });
    if (!listCol || !nameCol) return [];
    const extra = sheet.columns.filter(
      (c) => c.language === null && !['list_name', 'name', 'label'].includes(c.base),
    );
    const lists: ChoiceList[] = [];
    const seen = new Map<string, number>();
    for (const r of sheet.rows) {
      const listName = r.cells.get(listCol.index) ?? '';
      const name = r.cells.get(nameCol.index) ?? '';
      if (!listName) {
        this.problem(sheet, r.row, listCol, 'missingListName');
        continue;
      }
      if (!name) {
        this.problem(sheet, r.row, nameCol, 'missingName');
        continue;
      }
      const key = `${listName}\u0000${name}`;
      if (seen.has(key)) {
        this.problem(sheet, r.row, nameCol, 'duplicateChoice', { name, list: listName, row: seen.get(key)! });
        continue;
      }
      seen.set(key, r.row);
      const label = this.translated(sheet, r, 'label');
      if (Object.keys(label).length === 0)
        this.problem(sheet, r.row, this.anyColumn(sheet, 'label'), 'missingLabel', { name });
      const properties: Record<string, string> = {};
      for (const c of extra) {
        const v = r.cells.get(c.index);
        if (v) properties[c.header] = v;
      }
      const choice: Choice = { name, label, properties };
      let list = lists.find((l) => l.name === listName);
      if (!list) {
        list = { name: listName, choices: [] };
        lists.push(list);
      }
      list.choices.push(choice);
    }
    return lists;
  }

  readSettings(): FormSettings {
    const settings: FormSettings = { title: null, formId: null, version: null, defaultLanguage: null };
    const sheet = this.settings;
    const r = sheet?.rows[0];
    if (!sheet || !r) return settings;
    settings.title = this.text(sheet, r, 'form_title') || null;
    settings.formId = this.text(sheet, r, 'form_id') || null;
    settings.version = this.text(sheet, r, 'version') || null;
    const lang = this.text(sheet, r, 'default_language');
    if (lang) {
      // 'Русский (ru)', 'ru' and 'Русский' all name the language of the `label::Русский (ru)` columns.
      const named = parseLanguage(lang);
      const match = this.languages.find(
        (l) =>
          (named.code !== null && l.code === named.code) || l.name === named.name || l.code === named.name,
      );
      settings.defaultLanguage = match ? languageKey(match) : languageKey(named);
    }
    return settings;
  }
}

// ---------------------------------------------------------------- export

/** Writes the model as an XLSForm workbook (survey, choices, settings). */
export async function exportXlsForm(form: Form): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const all = [...nodes(form.children)];
  const questionsOnly = all.filter((n): n is Question => n.kind === 'question');
  const groups = all.filter((n): n is Group => n.kind !== 'question');
  const langs = form.languages.length > 0 ? form.languages : [DEFAULT_LANGUAGE];

  const used = (pick: (n: FormNode) => unknown) =>
    all.some((n) => {
      const v = pick(n);
      return (
        v !== null &&
        v !== undefined &&
        v !== false &&
        !(typeof v === 'object' && Object.keys(v).length === 0)
      );
    });
  const q = <T>(n: FormNode, f: (q: Question) => T) => (n.kind === 'question' ? f(n) : null);

  type Col = { header: string; value: (n: FormNode) => string };
  const translatedCols = (base: string, pick: (n: FormNode) => Translated | null, always = false): Col[] =>
    always || used(pick)
      ? langs.map((lang) => ({
          header: languageHeader(base, lang),
          value: (n: FormNode) => pick(n)?.[languageKey(lang)] ?? '',
        }))
      : [];
  const plainCol = (header: string, pick: (n: FormNode) => string | null): Col[] =>
    used(pick) ? [{ header, value: (n) => pick(n) ?? '' }] : [];

  const cols: Col[] = [
    {
      header: 'type',
      value: (n) =>
        n.kind !== 'question' ? `begin ${n.kind}` : n.listName ? `${n.type} ${n.listName}` : n.type,
    },
    { header: 'name', value: (n) => n.name },
    ...translatedCols('label', (n) => n.label, true),
    ...translatedCols('hint', (n) => n.hint),
    ...(questionsOnly.some((x) => x.required)
      ? [{ header: 'required', value: (n: FormNode) => (q(n, (x) => x.required) ? 'yes' : '') }]
      : []),
    ...translatedCols('required_message', (n) => q(n, (x) => x.requiredMessage)),
    ...plainCol('relevant', (n) => n.relevant),
    ...plainCol('constraint', (n) => q(n, (x) => x.constraint)),
    ...translatedCols('constraint_message', (n) => q(n, (x) => x.constraintMessage)),
    ...plainCol('appearance', (n) => n.appearance),
    ...plainCol('choice_filter', (n) => q(n, (x) => x.choiceFilter)),
    ...plainCol('calculation', (n) => q(n, (x) => x.calculation)),
    ...(groups.some((g) => g.repeatCount)
      ? plainCol('repeat_count', (n) => (n.kind === 'repeat' ? n.repeatCount : null))
      : []),
  ];

  const survey = wb.addWorksheet('survey');
  survey.addRow(cols.map((c) => c.header));
  const writeNodes = (list: readonly FormNode[]) => {
    for (const n of list) {
      survey.addRow(cols.map((c) => c.value(n)));
      if (n.kind !== 'question') {
        writeNodes(n.children);
        survey.addRow([`end ${n.kind}`]);
      }
    }
  };
  writeNodes(form.children);

  const choices = wb.addWorksheet('choices');
  const propertyHeaders = [
    ...new Set(form.lists.flatMap((l) => l.choices.flatMap((c) => Object.keys(c.properties)))),
  ];
  choices.addRow(['list_name', 'name', ...langs.map((l) => languageHeader('label', l)), ...propertyHeaders]);
  for (const list of form.lists)
    for (const c of list.choices)
      choices.addRow([
        list.name,
        c.name,
        ...langs.map((l) => c.label[languageKey(l)] ?? ''),
        ...propertyHeaders.map((h) => c.properties[h] ?? ''),
      ]);

  const s = form.settings;
  if (s.title || s.formId || s.version || s.defaultLanguage) {
    const settings = wb.addWorksheet('settings');
    const lang = form.languages.find((l) => languageKey(l) === s.defaultLanguage);
    settings.addRow(['form_title', 'form_id', 'version', 'default_language']);
    settings.addRow([
      s.title ?? '',
      s.formId ?? '',
      s.version ?? '',
      lang ? (lang.code ? `${lang.name} (${lang.code})` : lang.name) : (s.defaultLanguage ?? ''),
    ]);
  }
  // Strings stay strings: a version "2" or a choice name "01" must not come back as a number.
  for (const ws of wb.worksheets)
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.numFmt = '@';
      }),
    );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
