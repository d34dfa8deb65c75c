// The questionnaire designer's operations on the form model: add, change, remove and move questions
// and groups, and define choice lists. Each operation returns a new form (the draft is never changed
// in place) and the draft is checked after every change by writing it as an XLSForm and importing it
// again (checkDraft): the designer and an uploaded file obey exactly the same rules, and a draft is
// always publishable.
import {
  type ChoiceList,
  type Form,
  type FormNode,
  type Group,
  type Language,
  languageKey,
  nodes,
  QUESTION_TYPES,
  type Question,
  type QuestionType,
  SELECT_TYPES,
  type Translated,
} from './surveys.form.ts';
import { exportXlsForm, type FormProblem, importXlsForm } from './surveys.xlsform.ts';

export const DESIGNER_LANGUAGES: Language[] = [
  { name: 'Русский', code: 'ru' },
  { name: 'English', code: 'en' },
];

/** A new, empty questionnaire in Russian and English. */
export function emptyForm(title: string, formId: string, version: string): Form {
  return {
    settings: { title, formId, version, defaultLanguage: 'ru' },
    languages: DESIGNER_LANGUAGES,
    children: [],
    lists: [],
  };
}

/** The languages a draft's texts are edited in: the form's own, else the designer's two. */
export const languagesOf = (form: Form): Language[] =>
  form.languages.length > 0 ? form.languages : DESIGNER_LANGUAGES;

// ---------------------------------------------------------------- finding nodes

interface Place {
  node: FormNode;
  siblings: FormNode[];
  index: number;
  parent: Group | null;
}

function find(list: FormNode[], name: string, parent: Group | null = null): Place | null {
  for (let index = 0; index < list.length; index++) {
    const node = list[index]!;
    if (node.name === name) return { node, siblings: list, index, parent };
    if (node.kind !== 'question') {
      const inner = find(node.children, name, node);
      if (inner) return inner;
    }
  }
  return null;
}

export function findNode(form: Form, name: string): FormNode | null {
  return find(form.children, name)?.node ?? null;
}

/** Groups (and repeats) a new node can go into, in document order. */
export function groupsOf(form: Form): Group[] {
  return [...nodes(form.children)].filter((n): n is Group => n.kind !== 'question');
}

/** The group a node sits in, or null at the top level. */
export function parentOf(form: Form, name: string): Group | null {
  return find(form.children, name)?.parent ?? null;
}

const copy = (form: Form): Form => structuredClone(form);

// ---------------------------------------------------------------- inputs

export interface QuestionInput {
  type: QuestionType;
  name: string;
  label: Translated;
  hint: Translated;
  required: boolean;
  relevant: string;
  constraint: string;
  constraintMessage: Translated;
  appearance: string;
  calculation: string;
  /** Selects: the choice list's name and its choices as lines "name | label ru | label en". */
  listName: string;
  choices: string;
}

export interface GroupInput {
  kind: 'group' | 'repeat';
  name: string;
  label: Translated;
  relevant: string;
  appearance: string;
}

/** Problems of one field of the designer's form, by field name (message keys with params). */
export type DesignerErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

const nonEmpty = (text: Translated): Translated =>
  Object.fromEntries(
    Object.entries(text)
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => [k, v.trim()]),
  );
const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function questionOf(input: QuestionInput): Question {
  const select = SELECT_TYPES.has(input.type);
  const appearance = orNull(input.appearance);
  return {
    kind: 'question',
    type: input.type,
    name: input.name.trim(),
    label: nonEmpty(input.label),
    hint: nonEmpty(input.hint),
    required: input.required,
    requiredMessage: {},
    relevant: orNull(input.relevant),
    constraint: orNull(input.constraint),
    constraintMessage: nonEmpty(input.constraintMessage),
    appearance,
    listName: select ? orNull(input.listName) : null,
    choiceFilter: null,
    calculation: input.type === 'calculate' ? orNull(input.calculation) : null,
    likert: input.type === 'select_one' && appearance === 'likert',
  };
}

/** The editable fields of an existing question, its choice list written out as lines. */
export function inputOf(form: Form, q: Question): QuestionInput {
  const list = q.listName ? form.lists.find((l) => l.name === q.listName) : undefined;
  return {
    type: q.type,
    name: q.name,
    label: q.label,
    hint: q.hint,
    required: q.required,
    relevant: q.relevant ?? '',
    constraint: q.constraint ?? '',
    constraintMessage: q.constraintMessage,
    appearance: q.appearance ?? '',
    calculation: q.calculation ?? '',
    listName: q.listName ?? '',
    choices: list ? choiceLines(form, list) : '',
  };
}

export function choiceLines(form: Form, list: ChoiceList): string {
  const langs = languagesOf(form);
  return list.choices
    .map((c) => [c.name, ...langs.map((l) => c.label[languageKey(l)] ?? '')].join(' | '))
    .join('\n');
}

/**
 * Choice lines "name | label in the 1st language | label in the 2nd …" → choices; a line with a bad
 * name, a repeated name or no label is an error naming the line.
 */
export function parseChoices(
  text: string,
  langs: readonly Language[],
): { ok: true; choices: ChoiceList['choices'] } | { ok: false; line: number; reason: string } {
  const choices: ChoiceList['choices'] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const [name = '', ...labels] = raw.split('|').map((s) => s.trim());
    if (!/^[\p{L}\p{N}_.-]+$/u.test(name)) return { ok: false, line: i + 1, reason: 'choiceName' };
    if (seen.has(name)) return { ok: false, line: i + 1, reason: 'choiceDuplicate' };
    seen.add(name);
    const label: Translated = {};
    langs.forEach((l, k) => {
      const text = labels[k] ?? '';
      if (text) label[languageKey(l)] = text;
    });
    if (Object.keys(label).length === 0) return { ok: false, line: i + 1, reason: 'choiceLabel' };
    choices.push({ name, label, properties: {} });
  }
  return { ok: true, choices };
}

// ---------------------------------------------------------------- operations

export type Outcome = { ok: true; form: Form } | { ok: false; errors: DesignerErrors };

/** A select's list defined (or redefined) by the question's lines; an existing list is kept when none are given. */
function withList(form: Form, input: QuestionInput): Outcome {
  if (!SELECT_TYPES.has(input.type)) return { ok: true, form };
  const name = input.listName.trim();
  if (!/^[\p{L}_][\p{L}\p{N}_.-]*$/u.test(name))
    return { ok: false, errors: { listName: { key: 'surveys.designer.error.listName' } } };
  if (input.choices.trim() === '') {
    if (form.lists.some((l) => l.name === name)) return { ok: true, form };
    return { ok: false, errors: { choices: { key: 'surveys.designer.error.choicesMissing' } } };
  }
  const parsed = parseChoices(input.choices, languagesOf(form));
  if (!parsed.ok)
    return {
      ok: false,
      errors: { choices: { key: `surveys.designer.error.${parsed.reason}`, params: { line: parsed.line } } },
    };
  const lists = form.lists.filter((l) => l.name !== name);
  lists.push({ name, choices: parsed.choices });
  return { ok: true, form: { ...form, lists } };
}

/** Adds a question at the end of a group (or of the form). */
export function addQuestion(form: Form, input: QuestionInput, into: string | null): Outcome {
  if (!(QUESTION_TYPES as readonly string[]).includes(input.type))
    return { ok: false, errors: { type: { key: 'surveys.designer.error.type' } } };
  if (findNode(form, input.name.trim()))
    return { ok: false, errors: { name: { key: 'surveys.designer.error.nameTaken' } } };
  const listed = withList(copy(form), input);
  if (!listed.ok) return listed;
  return insert(listed.form, questionOf(input), into);
}

export function addGroup(form: Form, input: GroupInput, into: string | null): Outcome {
  if (findNode(form, input.name.trim()))
    return { ok: false, errors: { name: { key: 'surveys.designer.error.nameTaken' } } };
  const group: Group = {
    kind: input.kind,
    name: input.name.trim(),
    label: nonEmpty(input.label),
    hint: {},
    relevant: orNull(input.relevant),
    appearance: orNull(input.appearance),
    repeatCount: null,
    matrix: null,
    children: [],
  };
  return insert(copy(form), group, into);
}

function insert(form: Form, node: FormNode, into: string | null): Outcome {
  if (into === null) {
    form.children.push(node);
    return { ok: true, form };
  }
  const place = find(form.children, into);
  if (!place || place.node.kind === 'question')
    return { ok: false, errors: { into: { key: 'surveys.designer.error.into' } } };
  place.node.children.push(node);
  return { ok: true, form };
}

/** Replaces a question (its name may change: references to the old name must then be changed by hand, and the check says where). */
export function changeQuestion(form: Form, name: string, input: QuestionInput): Outcome {
  const next = copy(form);
  const place = find(next.children, name);
  if (place?.node.kind !== 'question')
    return { ok: false, errors: { name: { key: 'surveys.designer.error.unknown' } } };
  if (input.name.trim() !== name && findNode(next, input.name.trim()))
    return { ok: false, errors: { name: { key: 'surveys.designer.error.nameTaken' } } };
  const listed = withList(next, input);
  if (!listed.ok) return listed;
  const again = find(listed.form.children, name)!;
  again.siblings[again.index] = questionOf(input);
  return { ok: true, form: dropUnusedLists(listed.form) };
}

export function changeGroup(form: Form, name: string, input: GroupInput): Outcome {
  const next = copy(form);
  const place = find(next.children, name);
  if (!place || place.node.kind === 'question')
    return { ok: false, errors: { name: { key: 'surveys.designer.error.unknown' } } };
  if (input.name.trim() !== name && findNode(next, input.name.trim()))
    return { ok: false, errors: { name: { key: 'surveys.designer.error.nameTaken' } } };
  const group = place.node;
  group.kind = input.kind;
  group.name = input.name.trim();
  group.label = nonEmpty(input.label);
  group.relevant = orNull(input.relevant);
  group.appearance = orNull(input.appearance);
  return { ok: true, form: next };
}

/** Removes a question or a group with everything in it; lists no question uses any more go too. */
export function removeNode(form: Form, name: string): Form {
  const next = copy(form);
  const place = find(next.children, name);
  if (!place) return next;
  place.siblings.splice(place.index, 1);
  return dropUnusedLists(next);
}

/** Moves a node one place up or down among its siblings (a no-op at either end). */
export function moveNode(form: Form, name: string, direction: 'up' | 'down'): Form {
  const next = copy(form);
  const place = find(next.children, name);
  if (!place) return next;
  const to = place.index + (direction === 'up' ? -1 : 1);
  if (to < 0 || to >= place.siblings.length) return next;
  [place.siblings[place.index], place.siblings[to]] = [place.siblings[to]!, place.siblings[place.index]!];
  return next;
}

function dropUnusedLists(form: Form): Form {
  const used = new Set(
    [...nodes(form.children)].flatMap((n) => (n.kind === 'question' && n.listName ? [n.listName] : [])),
  );
  return { ...form, lists: form.lists.filter((l) => used.has(l.name)) };
}

export function setSettings(form: Form, s: { title: string; version: string }): Form {
  return { ...copy(form), settings: { ...form.settings, title: s.title.trim(), version: orNull(s.version) } };
}

// ---------------------------------------------------------------- the check

export interface DraftProblem {
  /** The question or group the problem is in (null: the whole form). */
  name: string | null;
  problem: FormProblem;
}

/** Spreadsheet row of each node when the form is written by exportXlsForm (row 1 is the header). */
function rowNames(form: Form): Map<number, string> {
  const rows = new Map<number, string>();
  let row = 2;
  const walk = (list: readonly FormNode[]) => {
    for (const n of list) {
      rows.set(row++, n.name);
      if (n.kind !== 'question') {
        walk(n.children);
        rows.set(row++, n.name);
      }
    }
  };
  walk(form.children);
  return rows;
}

/**
 * Writes the draft as an XLSForm and imports it again: no problems means it publishes as it is; each
 * problem names the question (or group) it is in. Also returns the workbook to publish.
 */
export async function checkDraft(
  form: Form,
): Promise<{ problems: DraftProblem[]; xlsx: Buffer; form: Form | null }> {
  const xlsx = await exportXlsForm(form);
  const imported = await importXlsForm(xlsx);
  if (imported.ok) return { problems: [], xlsx, form: imported.form };
  const rows = rowNames(form);
  return {
    xlsx,
    form: null,
    problems: imported.problems.map((problem) => ({
      name: problem.sheet === 'survey' && problem.row !== null ? (rows.get(problem.row) ?? null) : null,
      problem,
    })),
  };
}

/** An empty form cannot be published: the check reports it like the import would an empty survey sheet. */
export const isEmptyForm = (form: Form) => form.children.length === 0;
