// From stored responses of one questionnaire version to the columns the statistics engine reads.
import type { Answers } from './surveys.answers.ts';
import { type Form, findList, type Question, questions, textIn } from './surveys.form.ts';
import {
  type Category,
  type Column,
  type Dataset,
  multipleColumn,
  numericColumn,
  singleColumn,
} from './surveys.stats.ts';

export interface StoredResponse {
  id: string;
  answers: Answers;
}

/** The choices of a select question as categories, labels in `lang`. */
export function categoriesOf(form: Form, q: Question, lang: string): Category[] {
  const list = q.listName ? findList(form, q.listName) : undefined;
  if (!list) throw new Error(`${q.name}: choice list "${q.listName}" is not in the form`);
  return list.choices.map((c) => ({ value: c.name, label: textIn(c.label, lang, form) }));
}

const scalar = (a: Answers[string]) => (Array.isArray(a) && typeof a[0] === 'object' ? undefined : a);

/**
 * One column per question in form order, labels in `lang`. Notes are left out, and so are questions
 * inside repeats (one respondent has many instances: they are another table, not a column).
 * integer/decimal become numeric columns, selects coded columns, everything else (text, date,
 * calculate, start/end/today) text columns.
 */
export function datasetFromResponses(
  form: Form,
  responses: readonly StoredResponse[],
  lang: string,
): Dataset {
  const columns: Column[] = [];
  for (const { question: q, groups } of questions(form.children)) {
    if (q.type === 'note' || groups.some((g) => g.kind === 'repeat')) continue;
    const label = textIn(q.label, lang, form) || q.name;
    const raw = responses.map((r) => scalar(r.answers[q.name]));
    switch (q.type) {
      case 'select_one':
        columns.push(
          singleColumn(
            q.name,
            label,
            categoriesOf(form, q, lang),
            raw.map((a) => (a === null || a === undefined ? null : String(a))),
          ),
        );
        break;
      case 'select_multiple':
        columns.push(
          multipleColumn(
            q.name,
            label,
            categoriesOf(form, q, lang),
            raw.map((a) =>
              a === null || a === undefined ? null : Array.isArray(a) ? (a as string[]) : String(a),
            ),
          ),
        );
        break;
      case 'integer':
      case 'decimal':
        columns.push(
          numericColumn(
            q.name,
            label,
            raw.map((a) => (a === null || a === undefined || a === '' ? null : Number(a))),
          ),
        );
        break;
      default:
        columns.push({
          kind: 'text',
          name: q.name,
          label,
          values: raw.map((a) =>
            a === null || a === undefined || a === '' ? null : Array.isArray(a) ? a.join(' ') : String(a),
          ),
        });
    }
  }
  return { n: responses.length, ids: responses.map((r) => r.id), columns };
}
