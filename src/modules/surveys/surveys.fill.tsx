// The fields of one page of a questionnaire, server-rendered, working without JavaScript: text and
// number inputs, dates, radios and checkboxes in fieldsets, a matrix of Likert items as a table of
// radios (each radio labelled with its row and column), groups as fieldsets, repeats with "add
// another" / "remove" buttons and a hidden count. Shared by the portal and interviewer mode.

import { describedBy, FieldError, Radios, TextArea, TextField } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import type { Answers } from './surveys.answers.ts';
import {
  choicesFor,
  countField,
  fieldName,
  instancePrefix,
  instancesToShow,
  isShown,
  type Page,
} from './surveys.fill.ts';
import { type Form, type FormNode, findList, type Group, type Question, textIn } from './surveys.form.ts';

export interface FieldsProps {
  ctx: PageContext;
  form: Form;
  page: Page;
  /** The answers shown: saved ones, or what was just posted when the page has errors. */
  answers: Answers;
  /** Problems by field name, as text. */
  errors: Record<string, string>;
  /** The form's language key to show (the reader's locale). */
  lang: string;
  today?: string | undefined;
  /** Repeats: one more empty instance ("add another"), by repeat name. */
  extra?: Record<string, number>;
}

const valueText = (a: unknown): string =>
  a === undefined || a === null ? '' : Array.isArray(a) ? a.join(' ') : String(a);

export function PageFields(p: FieldsProps) {
  return <Nodes {...p} list={p.page.nodes} groups={[]} scope={p.answers} instance={null} prefix="" />;
}

interface NodesProps extends FieldsProps {
  list: readonly FormNode[];
  groups: readonly Group[];
  scope: Answers;
  instance: Answers | null;
  prefix: string;
}

function Nodes(p: NodesProps) {
  return (
    <>
      {p.list.map((node) => {
        if (!isShown(p.form, p.page, node, p.groups, p.answers, p.instance, p.today)) return null;
        if (node.kind === 'question') return <QuestionField key={node.name} {...p} q={node} />;
        if (node.kind === 'repeat') return <Repeat key={node.name} {...p} repeat={node} />;
        if (node.matrix) return <Matrix key={node.name} {...p} group={node} />;
        // The page's own group: its label is the page's heading, its children the fields.
        if (p.page.group === node && p.groups.length === 0)
          return <Nodes key={node.name} {...p} list={node.children} groups={[...p.groups, node]} />;
        return (
          <fieldset key={node.name} class="fieldset">
            <legend class="label">{textIn(node.label, p.lang, p.form) || node.name}</legend>
            <Nodes {...p} list={node.children} groups={[...p.groups, node]} />
          </fieldset>
        );
      })}
    </>
  );
}

function QuestionField(p: NodesProps & { q: Question }) {
  const { ctx, form, q, lang } = p;
  const name = fieldName(p.prefix, q.name);
  const label = textIn(q.label, lang, form) || q.name;
  const hint = textIn(q.hint, lang, form) || undefined;
  const error = p.errors[name];
  const value = p.scope[q.name];
  switch (q.type) {
    case 'note':
      return (
        <div class="note">
          <p>{label}</p>
          {hint && <p class="hint">{hint}</p>}
        </div>
      );
    case 'select_one':
    case 'select_multiple': {
      const choices = choicesFor(form, q, p.answers, p.instance, p.page, p.today).map((c) => ({
        value: c.name,
        label: textIn(c.label, lang, form) || c.name,
      }));
      return (
        <Radios
          ctx={ctx}
          name={name}
          legend={label}
          hint={hint}
          choices={choices}
          checked={
            Array.isArray(value) ? (value as string[]) : value === undefined ? undefined : String(value)
          }
          type={q.type === 'select_multiple' ? 'checkbox' : 'radio'}
          error={error}
        />
      );
    }
    case 'text':
      return q.appearance?.includes('multiline') ? (
        <TextArea ctx={ctx} name={name} label={label} hint={hint} value={valueText(value)} error={error} />
      ) : (
        <TextField ctx={ctx} name={name} label={label} hint={hint} value={valueText(value)} error={error} />
      );
    case 'integer':
    case 'decimal':
      return (
        <TextField
          ctx={ctx}
          name={name}
          label={label}
          hint={hint}
          value={valueText(value)}
          error={error}
          inputMode={q.type === 'integer' ? 'numeric' : 'text'}
          width="short"
        />
      );
    case 'date':
      return (
        <TextField
          ctx={ctx}
          name={name}
          label={label}
          hint={hint ?? ctx.t('surveys.collect.fill.dateHint')}
          value={valueText(value)}
          error={error}
          type="date"
          width="half"
        />
      );
    default:
      return null;
  }
}

/**
 * Likert items sharing one choice list as a table: rows are items, columns choices. Each radio has a
 * hidden label "item — choice", so it reads fully on its own; the first radio of a row carries the id
 * the error summary links to.
 */
function Matrix(p: NodesProps & { group: Group }) {
  const { form, group, lang, ctx } = p;
  const choices = findList(form, group.matrix?.listName ?? '')?.choices ?? [];
  const rows = group.children.filter(
    (n): n is Question =>
      n.kind === 'question' && isShown(form, p.page, n, [...p.groups, group], p.answers, p.instance, p.today),
  );
  const title = textIn(group.label, lang, form) || group.name;
  const hint = textIn(group.hint, lang, form);
  return (
    <fieldset class="fieldset matrix">
      <legend class="label">{title}</legend>
      {hint && <div class="hint">{hint}</div>}
      <div class="table-scroll">
        <table class="table matrix__table">
          <thead>
            <tr>
              <td />
              {choices.map((c) => (
                <th scope="col" key={c.name}>
                  {textIn(c.label, lang, form) || c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((q) => {
              const name = fieldName(p.prefix, q.name);
              const label = textIn(q.label, lang, form) || q.name;
              const error = p.errors[name];
              const checked = valueText(p.scope[q.name]);
              return (
                <tr key={q.name} class={error ? 'field--error' : undefined}>
                  <th scope="row" id={`${name}-row`}>
                    {label}
                    <FieldError ctx={ctx} name={name} error={error} />
                  </th>
                  {choices.map((c, i) => {
                    const id = i === 0 ? name : `${name}-${i}`;
                    return (
                      <td key={c.name}>
                        <input
                          type="radio"
                          id={id}
                          name={name}
                          value={c.name}
                          checked={checked === c.name}
                          aria-describedby={describedBy(name, undefined, error)}
                        />
                        <label for={id} class="visually-hidden">
                          {`${label} — ${textIn(c.label, lang, form) || c.name}`}
                        </label>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}

/** A repeat: its instances (fixed count, or as many as answered plus "add another"), numbered. */
function Repeat(p: NodesProps & { repeat: Group }) {
  const { repeat, form, lang, ctx } = p;
  const instances = instancesToShow(form, repeat, p.scope, p.answers, p.extra?.[repeat.name] ?? 0, p.today);
  const title = textIn(repeat.label, lang, form) || repeat.name;
  const fixed = repeat.repeatCount !== null && repeat.repeatCount.trim() !== '';
  return (
    <div class="repeat">
      <input type="hidden" name={countField(p.prefix, repeat.name)} value={String(instances.length)} />
      {instances.map((inst, i) => {
        const prefix = instancePrefix(p.prefix, repeat.name, i);
        return (
          <fieldset class="fieldset" key={prefix}>
            <legend class="label">{`${title} ${i + 1}`}</legend>
            <Nodes {...p} list={repeat.children} groups={[]} scope={inst} instance={inst} prefix={prefix} />
            {!fixed && instances.length > 1 && (
              <button
                type="submit"
                class="button button--secondary"
                name="_action"
                value={`remove:${repeat.name}:${i}`}
              >
                {ctx.t('surveys.collect.fill.remove', { title, number: i + 1 })}
              </button>
            )}
          </fieldset>
        );
      })}
      {!fixed && (
        <button type="submit" class="button button--secondary" name="_action" value={`add:${repeat.name}`}>
          {ctx.t('surveys.collect.fill.addAnother')}
        </button>
      )}
    </div>
  );
}
