// The columns of the two tables a district office sends: Russian headers (as offices write them)
// with their English meanings. A header matches ignoring case, spaces, "ё" and the English key.

export type ResidentColumn =
  | 'snils'
  | 'last_name'
  | 'first_name'
  | 'patronymic'
  | 'birth_date'
  | 'sex'
  | 'district'
  | 'settlement'
  | 'address'
  | 'phone'
  | 'email'
  | 'categories'
  | 'disability_group'
  | 'monthly_income';

export type AssignmentColumn = 'snils' | 'measure' | 'amount' | 'start_date' | 'end_date';

export interface ColumnDef<K extends string = string> {
  key: K;
  ru: string;
  en: string;
  required: boolean;
  /** Shown in the template's notes sheet and docs/imports.md. */
  noteRu: string;
  noteEn: string;
}

export const RESIDENT_COLUMNS: ColumnDef<ResidentColumn>[] = [
  {
    key: 'snils',
    ru: 'СНИЛС',
    en: 'SNILS (insurance account number)',
    required: true,
    noteRu: '11 цифр, можно с дефисами и пробелом: 112-233-445 95',
    noteEn: '11 digits, dashes and a space allowed: 112-233-445 95',
  },
  {
    key: 'last_name',
    ru: 'Фамилия',
    en: 'Last name',
    required: true,
    noteRu: 'Обязательно',
    noteEn: 'Required',
  },
  {
    key: 'first_name',
    ru: 'Имя',
    en: 'First name',
    required: true,
    noteRu: 'Обязательно',
    noteEn: 'Required',
  },
  {
    key: 'patronymic',
    ru: 'Отчество',
    en: 'Patronymic',
    required: false,
    noteRu: 'Если есть',
    noteEn: 'If any',
  },
  {
    key: 'birth_date',
    ru: 'Дата рождения',
    en: 'Birth date',
    required: true,
    noteRu: 'ДД.ММ.ГГГГ или ГГГГ-ММ-ДД',
    noteEn: 'DD.MM.YYYY or YYYY-MM-DD',
  },
  { key: 'sex', ru: 'Пол', en: 'Sex', required: true, noteRu: 'М или Ж', noteEn: 'М (male) or Ж (female)' },
  {
    key: 'district',
    ru: 'Код района',
    en: 'District code',
    required: true,
    noteRu: 'Код района (например, volgograd) или его название',
    noteEn: 'District code (e.g. volgograd) or its Russian name',
  },
  {
    key: 'settlement',
    ru: 'Населённый пункт',
    en: 'Settlement',
    required: false,
    noteRu: 'Название населённого пункта района',
    noteEn: 'Name of a settlement of the district, in Russian',
  },
  { key: 'address', ru: 'Адрес', en: 'Address', required: true, noteRu: 'Обязательно', noteEn: 'Required' },
  {
    key: 'phone',
    ru: 'Телефон',
    en: 'Phone',
    required: false,
    noteRu: '+7 и 10 цифр',
    noteEn: '+7 and 10 digits',
  },
  {
    key: 'email',
    ru: 'Электронная почта',
    en: 'Email',
    required: false,
    noteRu: 'Адрес электронной почты',
    noteEn: 'Email address',
  },
  {
    key: 'categories',
    ru: 'Категории',
    en: 'Categories',
    required: false,
    noteRu: 'Коды или названия категорий через запятую: pensioner, disabled…',
    noteEn: 'Category codes or Russian titles, comma separated: pensioner, disabled…',
  },
  {
    key: 'disability_group',
    ru: 'Группа инвалидности',
    en: 'Disability group',
    required: false,
    noteRu: '1, 2 или 3',
    noteEn: '1, 2 or 3',
  },
  {
    key: 'monthly_income',
    ru: 'Доход в месяц',
    en: 'Monthly income',
    required: false,
    noteRu: 'Рубли, например 18 500,50',
    noteEn: 'Roubles, e.g. 18 500,50',
  },
];

export const ASSIGNMENT_COLUMNS: ColumnDef<AssignmentColumn>[] = [
  {
    key: 'snils',
    ru: 'СНИЛС',
    en: 'SNILS of the recipient',
    required: true,
    noteRu: 'Получатель должен быть в реестре или на листе «Получатели»',
    noteEn: 'The recipient must be in the registry or on the «Получатели» (residents) sheet',
  },
  {
    key: 'measure',
    ru: 'Код меры',
    en: 'Measure code',
    required: true,
    noteRu: 'Код меры поддержки из каталога, например VETERAN-EDV',
    noteEn: 'Code of the measure in the catalog, e.g. VETERAN-EDV',
  },
  {
    key: 'amount',
    ru: 'Размер',
    en: 'Amount',
    required: true,
    noteRu: 'Рубли, не меньше нуля',
    noteEn: 'Roubles, not negative',
  },
  {
    key: 'start_date',
    ru: 'Дата начала',
    en: 'Start date',
    required: true,
    noteRu: 'ДД.ММ.ГГГГ или ГГГГ-ММ-ДД',
    noteEn: 'DD.MM.YYYY or YYYY-MM-DD',
  },
  {
    key: 'end_date',
    ru: 'Дата окончания',
    en: 'End date',
    required: false,
    noteRu: 'Пусто — бессрочно',
    noteEn: 'Empty: open-ended',
  },
];

/** Sheet names of the XLSX template (and the names looked for in an uploaded workbook). */
export const SHEETS = { residents: 'Получатели', assignments: 'Назначения', notes: 'Пояснения' } as const;

export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/\s+/g, ' ')
    .replace(/[.:*]+$/, '');
}

export interface HeaderMatch<K extends string> {
  /** Column index in the file → column key. */
  indexOf: Map<K, number>;
  missing: ColumnDef<K>[];
  unknown: string[];
  duplicated: string[];
}

/** Maps a header row to the table's columns: which are present, missing (required) and unknown. */
export function matchHeaders<K extends string>(headers: string[], defs: ColumnDef<K>[]): HeaderMatch<K> {
  const byName = new Map<string, ColumnDef<K>>();
  for (const d of defs) {
    byName.set(normalizeHeader(d.ru), d);
    byName.set(normalizeHeader(d.key), d);
  }
  const indexOf = new Map<K, number>();
  const unknown: string[] = [];
  const duplicated: string[] = [];
  headers.forEach((h, i) => {
    if (h.trim() === '') return;
    const def = byName.get(normalizeHeader(h));
    if (!def) unknown.push(h.trim());
    else if (indexOf.has(def.key)) duplicated.push(h.trim());
    else indexOf.set(def.key, i);
  });
  const missing = defs.filter((d) => d.required && !indexOf.has(d.key));
  return { indexOf, missing, unknown, duplicated };
}
