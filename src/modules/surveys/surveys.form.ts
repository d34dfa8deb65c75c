// The questionnaire model: what an XLSForm (the form standard of ODK and KoboToolbox, xlsform.org)
// says, typed. Import (surveys.xlsform.ts) builds it, the database keeps it as jsonb per version,
// collection and analysis read it. Every field is always present (null / {} / [] when the form says
// nothing), so a stored form compares equal to the same form imported again.

/** The question types a questionnaire may use; anything else in the `type` column is an import error. */
export const QUESTION_TYPES = [
  'integer',
  'decimal',
  'text',
  'select_one',
  'select_multiple',
  'date',
  'note',
  'calculate',
  // Metadata filled in by the collecting software, never asked (KoboToolbox puts them in every form).
  'start',
  'end',
  'today',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Types that never show a question to the respondent, so they need no label. */
export const UNASKED_TYPES: ReadonlySet<QuestionType> = new Set(['calculate', 'start', 'end', 'today']);
export const SELECT_TYPES: ReadonlySet<QuestionType> = new Set(['select_one', 'select_multiple']);

/**
 * A language of the form, from a column suffix: `label::Русский (ru)` is { name: 'Русский', code: 'ru' }.
 * A plain `label` column is the language { name: 'default', code: null } (pyxform's name for it).
 */
export interface Language {
  name: string;
  code: string | null;
}

/** The key a translation is stored under: the language code, else its name ('default' for plain columns). */
export const languageKey = (lang: Language): string => lang.code ?? lang.name;
export const DEFAULT_LANGUAGE: Language = { name: 'default', code: null };

/** Text by language key ('ru', 'en', 'default'); a language with no text for the field is absent. */
export type Translated = Record<string, string>;

export interface Question {
  kind: 'question';
  type: QuestionType;
  name: string;
  label: Translated;
  hint: Translated;
  required: boolean;
  requiredMessage: Translated;
  /** XPath subset (surveys.expr.ts): the question is asked only when this is true. */
  relevant: string | null;
  /** XPath subset with `.` for the answer: an answer is accepted only when this is true. */
  constraint: string | null;
  constraintMessage: Translated;
  appearance: string | null;
  /** Selects: the choices list name (the word after `select_one` in the type column). */
  listName: string | null;
  /** Selects: filters the list by the choices' extra columns (cascading selects). */
  choiceFilter: string | null;
  /** `calculate`: the value; other types: not used. */
  calculation: string | null;
  /** A select_one read as a Likert item: `likert` appearance, or an item of a matrix group. */
  likert: boolean;
}

export interface Group {
  kind: 'group' | 'repeat';
  name: string;
  label: Translated;
  hint: Translated;
  relevant: string | null;
  appearance: string | null;
  /** Repeats: how many times (an expression or a number), when fixed by the form. */
  repeatCount: string | null;
  /**
   * A matrix (grid) of Likert items: a `table-list` or `field-list` group whose questions are all
   * select_one from one list. Rows are the questions, columns the list's choices.
   */
  matrix: { listName: string } | null;
  children: FormNode[];
}

export type FormNode = Question | Group;

export interface Choice {
  name: string;
  label: Translated;
  /** Other columns of the choices sheet (the keys choice_filter expressions refer to), by header. */
  properties: Record<string, string>;
}

export interface ChoiceList {
  name: string;
  choices: Choice[];
}

export interface FormSettings {
  title: string | null;
  formId: string | null;
  version: string | null;
  /** Language key of the default language, when the settings sheet names one. */
  defaultLanguage: string | null;
}

export interface Form {
  settings: FormSettings;
  /** Languages in order of first appearance in the columns. */
  languages: Language[];
  children: FormNode[];
  lists: ChoiceList[];
}

// ---------------------------------------------------------------- helpers for readers of the model

/** Every question in document order, with the names of the groups around it (outermost first). */
export function* questions(
  nodes: readonly FormNode[],
  path: readonly Group[] = [],
): Generator<{ question: Question; groups: readonly Group[] }> {
  for (const node of nodes) {
    if (node.kind === 'question') yield { question: node, groups: path };
    else yield* questions(node.children, [...path, node]);
  }
}

/** Every node (questions, groups, repeats) in document order. */
export function* nodes(list: readonly FormNode[]): Generator<FormNode> {
  for (const node of list) {
    yield node;
    if (node.kind !== 'question') yield* nodes(node.children);
  }
}

export function findList(form: Form, name: string): ChoiceList | undefined {
  return form.lists.find((l) => l.name === name);
}

/** The text in the wanted language, else the default language's, else any — a form may be half translated. */
export function textIn(text: Translated, lang: string, form?: Form): string {
  return (
    text[lang] ??
    (form?.settings.defaultLanguage ? text[form.settings.defaultLanguage] : undefined) ??
    text.default ??
    Object.values(text)[0] ??
    ''
  );
}
