// Checking every row before anything is written. Pure: the registry's answers (districts,
// settlements, measures, the persons and live assignments behind the file's SNILS) come in as
// lookups, so the same check runs for the preview and again inside the write's transaction.
import { type DistrictScope, inScope } from '../../platform/auth/actor.ts';
import type { MessageKey, Params } from '../../platform/i18n/i18n.ts';
import { isValidSnils, normalizeSnils } from '../registry/snils.ts';
import {
  ASSIGNMENT_COLUMNS,
  type AssignmentColumn,
  type ColumnDef,
  matchHeaders,
  RESIDENT_COLUMNS,
  type ResidentColumn,
} from './imports.columns.ts';
import { columnLetter, FileProblem, type RawTable } from './imports.parse.ts';
import type { SampleRow } from './imports.schema.ts';

export interface RowError {
  sheet: string | null;
  row: number | null;
  /** The column as the file names it, with its letter for XLSX: "Дата рождения (E)". */
  column: string | null;
  key: MessageKey;
  params: Params;
}

export interface District {
  id: number;
  code: string;
  name_ru: string;
  name_en: string;
}

export interface Lookups {
  scope: DistrictScope;
  districts: District[];
  /** district id → lower-cased Russian name → settlement. */
  settlements: Map<number, Map<string, { id: number; name_ru: string }>>;
  /** Lower-cased code or Russian title → category code. */
  categories: Map<string, string>;
  /** Measure code → measure. */
  measures: Map<string, { id: number; code: string; title_ru: string; title_en: string }>;
  /** SNILS (11 digits) → the registry's person. */
  persons: Map<string, { id: number; district_id: number }>;
  /** Live (active or suspended) assignments of those persons. */
  liveAssignments: { id: number; person_id: number; measure_id: number; end_date: string | null }[];
  /** Today in the region, for "born in the future". */
  today: string;
}

/** A person as the write stores them; optional columns only when the file has them. */
export interface PersonValues {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  district_id: number;
  settlement_id?: number | null;
  address: string;
  phone?: string | null;
  email?: string | null;
  categories?: string[];
  disability_group?: number | null;
  monthly_income?: number;
}

export interface CheckedPerson {
  sheet: string | null;
  row: number;
  existingId: number | undefined;
  values: PersonValues;
}

export interface CheckedAssignment {
  sheet: string | null;
  row: number;
  snils: string;
  measureId: number;
  amount: number;
  startDate: string;
  endDate: string | null;
}

export interface Checked {
  persons: CheckedPerson[];
  assignments: CheckedAssignment[];
  /** Optional resident columns the file has: only these are written on an update. */
  residentColumns: ResidentColumn[];
  errors: RowError[];
  districtIds: number[];
  totalRows: number;
  sample: SampleRow[];
}

/** Columns that are not data: a row number column is common in offices' files. */
const IGNORED_HEADERS = new Set(['№', '№ п/п', 'n', 'no', '#']);
const SAMPLE_SIZE = 10;
const MAX_TEXT = 300;

// ---------------------------------------------------------------- value parsers

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DOTTED = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;

/** "05.03.1958", "5.3.1958", "1958-03-05" (and an XLSX date, already ISO) → "1958-03-05". */
export function parseDate(raw: string): string | undefined {
  const text = raw.trim().replace(/\s.*$/, '');
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO.exec(text);
  const dotted = DOTTED.exec(text);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dotted) [d, m, y] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/** "1 250,50", "1250.5", "1 250" → 1250.5; anything else (or more than kopecks) → undefined. */
export function parseAmount(raw: string): number | undefined {
  const text = raw
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/(руб\.?|₽|р\.)$/i, '')
    .replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) return undefined;
  return Number(text);
}

export function parseSex(raw: string): 'M' | 'F' | undefined {
  const v = raw.trim().toLowerCase().replace(/\.$/, '');
  if (['м', 'm', 'муж', 'мужской', 'male'].includes(v)) return 'M';
  if (['ж', 'f', 'жен', 'женский', 'female'].includes(v)) return 'F';
  return undefined;
}

/** "+7 (912) 345-67-89", "89123456789" → "+79123456789". */
export function parsePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s()+-]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return `+7${digits.slice(1)}`;
  if (digits.length === 10) return `+7${digits}`;
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------------------------------------------------------------- the check

interface Cells<K extends string> {
  get(key: K): string;
  has(key: K): boolean;
  column(key: K): string;
}

function headerProblems(table: RawTable, defs: ColumnDef[]) {
  const headers = table.headers.map((h) => (IGNORED_HEADERS.has(h.trim().toLowerCase()) ? '' : h));
  const match = matchHeaders(headers, defs);
  if (match.missing.length > 0 || match.unknown.length > 0 || match.duplicated.length > 0) {
    // The other kind's file, chosen by mistake: say so rather than list every column.
    const other = table.table === 'residents' ? ASSIGNMENT_COLUMNS : RESIDENT_COLUMNS;
    const theirs = matchHeaders(headers, other as ColumnDef[]);
    if (theirs.missing.length === 0 && theirs.unknown.length === 0)
      throw new FileProblem(
        table.table === 'residents' ? 'imports.file.looksLikeAssignments' : 'imports.file.looksLikeResidents',
      );
    const none = '—';
    throw new FileProblem(table.sheet ? 'imports.file.headersOnSheet' : 'imports.file.headers', {
      sheet: table.sheet ?? '',
      missing: match.missing.map((d) => d.ru).join(', ') || none,
      unknown: [...match.unknown, ...match.duplicated].join(', ') || none,
    });
  }
  return match.indexOf;
}

function cellsOf<K extends string>(table: RawTable, indexOf: Map<K, number>, values: string[]): Cells<K> {
  return {
    get: (key) => {
      const i = indexOf.get(key);
      return i === undefined ? '' : (values[i] ?? '').trim();
    },
    has: (key) => indexOf.has(key),
    column: (key) => {
      const i = indexOf.get(key) ?? 0;
      const name = table.headers[i] ?? key;
      return table.letters ? `${name} (${columnLetter(i)})` : name;
    },
  };
}

/** Checks the whole file against the registry's answers; never throws for a row, only for headers. */
export function checkFile(tables: RawTable[], look: Lookups): Checked {
  const errors: RowError[] = [];
  const persons: CheckedPerson[] = [];
  const assignments: CheckedAssignment[] = [];
  const sample: SampleRow[] = [];
  const districtIds = new Set<number>();
  let residentColumns: ResidentColumn[] = [];
  let totalRows = 0;
  let assignmentSamples = 0;
  const districtByKey = new Map<string, District>();
  for (const d of look.districts) {
    districtByKey.set(d.code.toLowerCase(), d);
    districtByKey.set(d.name_ru.toLowerCase().replaceAll('ё', 'е'), d);
  }
  const districtById = new Map(look.districts.map((d) => [d.id, d]));
  const liveByKey = new Map<string, Lookups['liveAssignments']>();
  for (const a of look.liveAssignments) {
    const key = `${a.person_id}:${a.measure_id}`;
    liveByKey.set(key, [...(liveByKey.get(key) ?? []), a]);
  }
  const districtName = (id: number) => districtById.get(id)?.name_ru ?? String(id);
  /** SNILS of the residents sheet → its row and district, for the assignments sheet. */
  const inFile = new Map<string, { row: number; sheet: string | null; districtId: number | undefined }>();

  // Residents first: the assignments sheet may name persons the residents sheet adds.
  const ordered = [...tables].sort((a, b) => (a.table === b.table ? 0 : a.table === 'residents' ? -1 : 1));
  for (const table of ordered) {
    totalRows += table.rows.length;
    if (table.table === 'residents') {
      const indexOf = headerProblems(table, RESIDENT_COLUMNS);
      residentColumns = RESIDENT_COLUMNS.filter((c) => !c.required && indexOf.has(c.key)).map((c) => c.key);
      for (const raw of table.rows) {
        const cells = cellsOf(table, indexOf, raw.values);
        const rowErrors: RowError[] = [];
        const fail = (key: ResidentColumn, message: MessageKey, params: Params = {}) =>
          rowErrors.push({
            sheet: table.sheet,
            row: raw.row,
            column: cells.column(key),
            key: message,
            params,
          });
        const text = (key: ResidentColumn, required: boolean): string | null => {
          const v = cells.get(key).replace(/\s+/g, ' ');
          if (v === '') {
            if (required) fail(key, 'imports.row.required');
            return null;
          }
          if (v.length > MAX_TEXT) fail(key, 'imports.row.tooLong', { max: MAX_TEXT });
          return v;
        };

        const snils = checkSnils(cells.get('snils'), (m) => fail('snils', m));
        if (snils) {
          const first = inFile.get(snils);
          if (first) fail('snils', 'imports.row.snilsDuplicate', { first: first.row });
        }
        const lastName = text('last_name', true);
        const firstName = text('first_name', true);
        const patronymic = text('patronymic', false);
        const address = text('address', true);

        let birthDate: string | undefined;
        const rawBirth = cells.get('birth_date');
        if (rawBirth === '') fail('birth_date', 'imports.row.required');
        else {
          birthDate = parseDate(rawBirth);
          if (!birthDate) fail('birth_date', 'imports.row.date');
          else if (birthDate > look.today) fail('birth_date', 'imports.row.birthFuture');
          else if (birthDate < '1900-01-01') fail('birth_date', 'imports.row.birthTooOld');
        }

        const rawSex = cells.get('sex');
        const sex = parseSex(rawSex);
        if (rawSex === '') fail('sex', 'imports.row.required');
        else if (!sex) fail('sex', 'imports.row.sex', { value: rawSex });

        let district: District | undefined;
        const rawDistrict = cells.get('district');
        if (rawDistrict === '') fail('district', 'imports.row.required');
        else {
          district = districtByKey.get(rawDistrict.toLowerCase().replaceAll('ё', 'е'));
          if (!district) fail('district', 'imports.row.district', { value: rawDistrict });
          else if (!inScope(look.scope, district.id)) {
            fail('district', 'imports.row.districtScope', { district: district.name_ru });
            district = undefined;
          }
        }

        let settlementId: number | null | undefined;
        if (cells.has('settlement')) {
          const rawSettlement = cells.get('settlement');
          settlementId = null;
          if (rawSettlement !== '' && district) {
            const found = look.settlements
              .get(district.id)
              ?.get(rawSettlement.toLowerCase().replaceAll('ё', 'е'));
            if (!found)
              fail('settlement', 'imports.row.settlement', {
                value: rawSettlement,
                district: district.name_ru,
              });
            else settlementId = found.id;
          }
        }

        let phone: string | null | undefined;
        if (cells.has('phone')) {
          const raw = cells.get('phone');
          phone = raw === '' ? null : (parsePhone(raw) ?? null);
          if (raw !== '' && phone === null) fail('phone', 'imports.row.phone');
        }
        let email: string | null | undefined;
        if (cells.has('email')) {
          const raw = cells.get('email');
          email = raw === '' ? null : raw.toLowerCase();
          if (email && (!EMAIL.test(email) || email.length > 200)) fail('email', 'imports.row.email');
        }
        let categories: string[] | undefined;
        if (cells.has('categories')) {
          categories = [];
          for (const part of cells
            .get('categories')
            .split(/[,;]/)
            .map((s) => s.trim())
            .filter(Boolean)) {
            const code = look.categories.get(part.toLowerCase().replaceAll('ё', 'е'));
            if (!code) fail('categories', 'imports.row.category', { value: part });
            else if (!categories.includes(code)) categories.push(code);
          }
        }
        let disability: number | null | undefined;
        if (cells.has('disability_group')) {
          const raw = cells.get('disability_group').replace(/\s*(группа|гр\.?)$/i, '');
          disability = raw === '' ? null : Number(raw);
          if (raw !== '' && !['1', '2', '3', 'I', 'II', 'III'].includes(raw.toUpperCase()))
            fail('disability_group', 'imports.row.disability');
          else if (raw !== '') disability = { I: 1, II: 2, III: 3 }[raw.toUpperCase()] ?? Number(raw);
        }
        let income: number | undefined;
        if (cells.has('monthly_income')) {
          const raw = cells.get('monthly_income');
          income = raw === '' ? 0 : parseAmount(raw);
          if (income === undefined) fail('monthly_income', 'imports.row.amount');
        }

        // Updating someone registered in another district is moving them: both must be the actor's.
        const existing = snils ? look.persons.get(snils) : undefined;
        if (existing && !inScope(look.scope, existing.district_id))
          fail('snils', 'imports.row.personScope', { district: districtName(existing.district_id) });

        if (snils && !inFile.has(snils))
          inFile.set(snils, { row: raw.row, sheet: table.sheet, districtId: district?.id });
        errors.push(...rowErrors);
        if (rowErrors.length > 0 || !snils || !district || !birthDate || !sex) continue;
        districtIds.add(district.id);
        const values: PersonValues = {
          snils,
          last_name: lastName ?? '',
          first_name: firstName ?? '',
          patronymic,
          birth_date: birthDate,
          sex,
          district_id: district.id,
          address: address ?? '',
        };
        if (settlementId !== undefined) values.settlement_id = settlementId;
        if (phone !== undefined) values.phone = phone;
        if (email !== undefined) values.email = email;
        if (categories !== undefined) values.categories = categories;
        if (disability !== undefined) values.disability_group = disability;
        if (income !== undefined) values.monthly_income = income;
        persons.push({ sheet: table.sheet, row: raw.row, existingId: existing?.id, values });
        if (sample.length < SAMPLE_SIZE) {
          const settlement =
            settlementId != null
              ? [...(look.settlements.get(district.id)?.values() ?? [])].find((s) => s.id === settlementId)
              : undefined;
          sample.push({
            sheet: table.sheet,
            row: raw.row,
            table: 'residents',
            isNew: existing === undefined,
            cells: {
              snils,
              name: [values.last_name, values.first_name, values.patronymic].filter(Boolean).join(' '),
              birth_date: birthDate,
              sex,
              district_ru: district.name_ru,
              district_en: district.name_en,
              settlement: settlement?.name_ru ?? '',
              address: values.address,
            },
          });
        }
      }
    } else {
      const indexOf = headerProblems(table, ASSIGNMENT_COLUMNS);
      const seen = new Map<string, { row: number; startDate: string; endDate: string | null }[]>();
      for (const raw of table.rows) {
        const cells = cellsOf(table, indexOf, raw.values);
        const rowErrors: RowError[] = [];
        const fail = (key: AssignmentColumn, message: MessageKey, params: Params = {}) =>
          rowErrors.push({
            sheet: table.sheet,
            row: raw.row,
            column: cells.column(key),
            key: message,
            params,
          });

        const snils = checkSnils(cells.get('snils'), (m) => fail('snils', m));
        let personDistrict: number | undefined;
        let personId: number | undefined;
        if (snils) {
          const fromFile = inFile.get(snils);
          const existing = look.persons.get(snils);
          personId = existing?.id;
          if (fromFile) personDistrict = fromFile.districtId;
          else if (existing) {
            personDistrict = existing.district_id;
            if (!inScope(look.scope, existing.district_id))
              fail('snils', 'imports.row.personScope', { district: districtName(existing.district_id) });
          } else fail('snils', 'imports.row.personMissing');
        }

        const rawMeasure = cells.get('measure');
        const measure = look.measures.get(rawMeasure.toUpperCase());
        if (rawMeasure === '') fail('measure', 'imports.row.required');
        else if (!measure) fail('measure', 'imports.row.measure', { value: rawMeasure });

        const rawAmount = cells.get('amount');
        const amount = parseAmount(rawAmount);
        if (rawAmount === '') fail('amount', 'imports.row.required');
        else if (amount === undefined) fail('amount', 'imports.row.amount');

        const rawStart = cells.get('start_date');
        const startDate = parseDate(rawStart);
        if (rawStart === '') fail('start_date', 'imports.row.required');
        else if (!startDate) fail('start_date', 'imports.row.date');
        const rawEnd = cells.get('end_date');
        const endDate = rawEnd === '' ? null : parseDate(rawEnd);
        if (endDate === undefined) fail('end_date', 'imports.row.date');
        else if (endDate && startDate && endDate < startDate) fail('end_date', 'imports.row.endBeforeStart');

        if (snils && measure && startDate && endDate !== undefined) {
          // The registry's rule (createAssignment): one live assignment of a measure at a time.
          const live =
            personId === undefined
              ? undefined
              : liveByKey
                  .get(`${personId}:${measure.id}`)
                  ?.find((a) => a.end_date === null || a.end_date >= startDate);
          if (live) fail('measure', 'imports.row.assignmentExists', { id: live.id });
          const key = `${snils}:${measure.id}`;
          const earlier = (seen.get(key) ?? []).find(
            (s) =>
              (s.endDate === null || s.endDate >= startDate) && (endDate === null || endDate >= s.startDate),
          );
          if (earlier) fail('measure', 'imports.row.assignmentDuplicate', { first: earlier.row });
          seen.set(key, [...(seen.get(key) ?? []), { row: raw.row, startDate, endDate }]);
        }

        errors.push(...rowErrors);
        if (rowErrors.length > 0 || !snils || !measure || amount === undefined || !startDate) continue;
        if (endDate === undefined) continue;
        if (personDistrict !== undefined) districtIds.add(personDistrict);
        assignments.push({
          sheet: table.sheet,
          row: raw.row,
          snils,
          measureId: measure.id,
          amount,
          startDate,
          endDate,
        });
        if (assignmentSamples++ < SAMPLE_SIZE) {
          sample.push({
            sheet: table.sheet,
            row: raw.row,
            table: 'assignments',
            isNew: true,
            cells: {
              snils,
              measure: measure.code,
              measure_ru: measure.title_ru,
              measure_en: measure.title_en,
              amount: String(amount),
              start_date: startDate,
              end_date: endDate ?? '',
            },
          });
        }
      }
    }
  }
  return { persons, assignments, residentColumns, errors, districtIds: [...districtIds], totalRows, sample };
}

function checkSnils(raw: string, fail: (key: MessageKey) => void): string | undefined {
  if (raw === '') {
    fail('imports.row.required');
    return undefined;
  }
  // A SNILS typed into a number cell loses its leading zeros.
  const digits = normalizeSnils(/^\d{9,10}$/.test(raw) ? raw.padStart(11, '0') : raw);
  if (!digits) {
    fail('imports.row.snilsFormat');
    return undefined;
  }
  if (!isValidSnils(digits)) {
    fail('imports.row.snilsChecksum');
    return undefined;
  }
  return digits;
}
