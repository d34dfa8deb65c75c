// Pages of the questionnaire designer: a new questionnaire (title and form_id), the draft's outline
// with a small form per action (change, move, remove — each works without JavaScript and names the
// revision it was made on), the question and group forms, and publishing.

import type { ComponentChildren } from 'preact';
import { formatDate, type MessageKey } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Radios,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Draft } from './surveys.designer.service.ts';
import type { GroupInput, QuestionInput } from './surveys.designer.ts';
import {
  type FormNode,
  type Language,
  languageKey,
  QUESTION_TYPES,
  type Translated,
  textIn,
} from './surveys.form.ts';
import { BASE } from './surveys.pages.tsx';

export const draftUrl = (id: number) => `${BASE}/drafts/${id}`;

const langName = (l: Language) => l.name;

export function NewDraftPage(p: {
  ctx: PageContext;
  values: { title: string; formId: string };
  errors: FieldErrors;
}) {
  const { ctx, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.designer.new.title')} area="staff">
      <BackLink href={BASE}>{t('surveys.page.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('surveys.designer.new.title')}</h1>
      <p class="lead">{t('surveys.designer.new.lead')}</p>
      <form method="post" action={`${BASE}/designer`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.designer.field.title')}
          value={p.values.title}
          error={errors.title}
        />
        <TextField
          ctx={ctx}
          name="formId"
          label={t('surveys.designer.field.formId')}
          hint={t('surveys.designer.field.formIdHint')}
          value={p.values.formId}
          error={errors.formId}
          width="half"
        />
        <button type="submit" class="button">
          {t('surveys.designer.create')}
        </button>
      </form>
    </Layout>
  );
}

function Revision({ draft }: { draft: Draft }) {
  return <input type="hidden" name="revision" value={String(draft.revision)} />;
}

/** A one-button form posting an action on the draft (move, remove, publish, discard). */
function ActionForm(p: {
  ctx: PageContext;
  draft: Draft;
  action: string;
  label: string;
  title?: string;
  secondary?: boolean;
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={p.action} class="inline-form">
      <CsrfField ctx={p.ctx} />
      <Revision draft={p.draft} />
      {Object.entries(p.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={p.secondary ? 'button button--secondary' : 'button'} aria-label={p.title}>
        {p.label}
      </button>
    </form>
  );
}

function typeText(ctx: PageContext, n: FormNode): string {
  if (n.kind === 'question')
    return ctx.t(`surveys.type.${n.type}` as MessageKey) + (n.likert ? ', Likert' : '');
  return ctx.t(
    n.kind === 'repeat' ? 'surveys.type.repeat' : n.matrix ? 'surveys.type.matrix' : 'surveys.type.group',
  );
}

function OutlineRows(p: { ctx: PageContext; draft: Draft; list: readonly FormNode[]; depth: number }) {
  const { ctx, draft } = p;
  const { t } = ctx;
  const base = draftUrl(draft.id);
  return (
    <>
      {p.list.map((n, i) => {
        const at = `${base}/nodes/${encodeURIComponent(n.name)}`;
        return [
          <tr key={n.name}>
            <td>
              {p.depth > 0 && <span aria-hidden="true">{' '.repeat(p.depth - 1)}↳ </span>}
              <code>{n.name}</code>
            </td>
            <td>{textIn(n.label, ctx.locale, draft.form) || '—'}</td>
            <td>{typeText(ctx, n)}</td>
            <td class="actions">
              <a href={at} aria-label={t('surveys.designer.changeNamed', { name: n.name })}>
                {t('surveys.designer.change')}
              </a>{' '}
              {i > 0 && (
                <ActionForm
                  ctx={ctx}
                  draft={draft}
                  action={`${at}/move`}
                  fields={{ direction: 'up' }}
                  label={t('surveys.designer.up')}
                  title={t('surveys.designer.upNamed', { name: n.name })}
                  secondary
                />
              )}
              {i < p.list.length - 1 && (
                <ActionForm
                  ctx={ctx}
                  draft={draft}
                  action={`${at}/move`}
                  fields={{ direction: 'down' }}
                  label={t('surveys.designer.down')}
                  title={t('surveys.designer.downNamed', { name: n.name })}
                  secondary
                />
              )}
              <ActionForm
                ctx={ctx}
                draft={draft}
                action={`${at}/remove`}
                label={t('surveys.designer.remove')}
                title={t('surveys.designer.removeNamed', { name: n.name })}
                secondary
              />
            </td>
          </tr>,
          n.kind !== 'question' ? (
            <OutlineRows
              key={`${n.name}/children`}
              ctx={ctx}
              draft={draft}
              list={n.children}
              depth={p.depth + 1}
            />
          ) : null,
        ];
      })}
    </>
  );
}

export interface ProblemLine {
  id: string;
  text: string;
}

export function DraftPage(p: {
  ctx: PageContext;
  draft: Draft;
  questionnaireTitle: string | null;
  errors: FieldErrors;
  problems: ProblemLine[];
  notice: string | null;
}) {
  const { ctx, draft, errors } = p;
  const { t } = ctx;
  const base = draftUrl(draft.id);
  const title = draft.form.settings.title ?? draft.form.settings.formId ?? '';
  return (
    <Layout ctx={ctx} title={t('surveys.designer.draft.title', { title })} area="staff">
      <BackLink href={draft.questionnaireId ? `${BASE}/${draft.questionnaireId}` : BASE}>
        {p.questionnaireTitle ?? t('surveys.page.title')}
      </BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      {p.notice && (
        <div class="notice" role="status">
          {p.notice}
        </div>
      )}
      <h1>{t('surveys.designer.draft.title', { title })}</h1>
      <p>
        {draft.questionnaireId === null
          ? t('surveys.designer.draft.new')
          : t('surveys.designer.draft.of', { title: p.questionnaireTitle ?? '' })}{' '}
        {t('surveys.designer.draft.revision', {
          revision: draft.revision,
          when: formatDate(ctx.locale, draft.updatedAt),
        })}
      </p>
      {p.problems.length > 0 ? (
        <div id="problems">
          <h2>{t('surveys.designer.problems')}</h2>
          <ul>
            {p.problems.map((line) => (
              <li key={line.id}>{line.text}</li>
            ))}
          </ul>
        </div>
      ) : (
        errors.problems && (
          <p id="problems" class="field-error">
            {errors.problems}
          </p>
        )
      )}
      <h2>{t('surveys.designer.outline')}</h2>
      {draft.form.children.length === 0 ? (
        <p>{t('surveys.designer.draft.empty')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('surveys.designer.outline')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.designer.col.name')}</th>
              <th scope="col">{t('surveys.designer.col.label')}</th>
              <th scope="col">{t('surveys.designer.col.type')}</th>
              <th scope="col">{t('surveys.designer.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            <OutlineRows ctx={ctx} draft={draft} list={draft.form.children} depth={0} />
          </tbody>
        </table>
      )}
      <p>
        <a class="button" href={`${base}/add?kind=question`}>
          {t('surveys.designer.addQuestion')}
        </a>{' '}
        <a class="button button--secondary" href={`${base}/add?kind=group`}>
          {t('surveys.designer.addGroup')}
        </a>
      </p>
      <p>
        <a href={`${base}/form.xlsx`}>{t('surveys.designer.download')}</a>
      </p>
      <h2>{t('surveys.designer.settings')}</h2>
      <form method="post" action={`${base}/settings`} novalidate>
        <CsrfField ctx={ctx} />
        <Revision draft={draft} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.designer.field.title')}
          value={draft.form.settings.title ?? ''}
          error={errors.title}
        />
        <TextField
          ctx={ctx}
          name="version"
          label={t('surveys.designer.field.version')}
          hint={t('surveys.designer.field.versionHint')}
          value={draft.form.settings.version ?? ''}
          width="half"
        />
        <button type="submit" class="button button--secondary">
          {t('surveys.designer.save')}
        </button>
      </form>
      <h2 id="publish">{t('surveys.designer.publish')}</h2>
      <p>{t('surveys.designer.publishLead')}</p>
      <ActionForm ctx={ctx} draft={draft} action={`${base}/publish`} label={t('surveys.designer.publish')} />{' '}
      <ActionForm
        ctx={ctx}
        draft={draft}
        action={`${base}/discard`}
        label={t('surveys.designer.discard')}
        secondary
      />
    </Layout>
  );
}

function TranslatedFields(p: {
  ctx: PageContext;
  name: string;
  label: (lang: string) => string;
  langs: Language[];
  values: Record<string, string>;
  errors: FieldErrors;
  area?: boolean;
}) {
  return (
    <>
      {p.langs.map((l) => {
        const field = `${p.name}_${languageKey(l)}`;
        return p.area ? (
          <TextArea
            key={field}
            ctx={p.ctx}
            name={field}
            label={p.label(langName(l))}
            value={p.values[languageKey(l)] ?? ''}
            error={p.errors[field]}
            rows={2}
          />
        ) : (
          <TextField
            key={field}
            ctx={p.ctx}
            name={field}
            label={p.label(langName(l))}
            value={p.values[languageKey(l)] ?? ''}
            error={p.errors[field]}
          />
        );
      })}
    </>
  );
}

function IntoField(p: {
  ctx: PageContext;
  groups: { name: string; label: string }[];
  value: string;
  error?: string;
}) {
  if (p.groups.length === 0) return null;
  return (
    <Radios
      ctx={p.ctx}
      name="into"
      legend={p.ctx.t('surveys.designer.field.into')}
      choices={[
        { value: '', label: p.ctx.t('surveys.designer.field.top') },
        ...p.groups.map((g) => ({ value: g.name, label: `${g.label} (${g.name})` })),
      ]}
      checked={p.value}
      error={p.error}
    />
  );
}

interface NodeFormProps {
  ctx: PageContext;
  draft: Draft;
  /** The node's current name when changing one; null when adding. */
  editing: string | null;
  into: string;
  groups: { name: string; label: string }[];
  langs: Language[];
  errors: FieldErrors;
}

/** What the question and group forms share: the page, the form posting with its revision, the name
 *  and texts, and (when adding) where the new node goes. */
function NodeForm(
  p: NodeFormProps & {
    kind: 'question' | 'group';
    input: { name: string; label: Translated };
    children: ComponentChildren;
    before: ComponentChildren;
  },
) {
  const { ctx, draft, errors } = p;
  const { t } = ctx;
  const heading = p.editing
    ? t(`surveys.designer.${p.kind}.edit`, { name: p.editing })
    : t(`surveys.designer.${p.kind}.new`);
  const action = p.editing
    ? `${draftUrl(draft.id)}/nodes/${encodeURIComponent(p.editing)}`
    : `${draftUrl(draft.id)}/add`;
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href={draftUrl(draft.id)}>
        {t('surveys.designer.draft.title', { title: draft.form.settings.title ?? '' })}
      </BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{heading}</h1>
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Revision draft={draft} />
        {p.before}
        <TextField
          ctx={ctx}
          name="name"
          label={t('surveys.designer.field.name')}
          hint={t('surveys.designer.field.nameHint')}
          value={p.input.name}
          error={errors.name}
          width="half"
        />
        <TranslatedFields
          ctx={ctx}
          name="label"
          label={(lang) => t('surveys.designer.field.label', { lang })}
          langs={p.langs}
          values={p.input.label}
          errors={errors}
          area
        />
        {p.children}
        {p.editing === null && <IntoField ctx={ctx} groups={p.groups} value={p.into} error={errors.into} />}
        <button type="submit" class="button">
          {t('surveys.designer.save')}
        </button>
      </form>
    </Layout>
  );
}

export function QuestionFormPage(p: NodeFormProps & { input: QuestionInput }) {
  const { ctx, errors, input } = p;
  const { t } = ctx;
  return (
    <NodeForm
      {...p}
      kind="question"
      before={
        <>
          <input type="hidden" name="kind" value="question" />
          <Radios
            ctx={ctx}
            name="type"
            legend={t('surveys.designer.field.type')}
            choices={QUESTION_TYPES.map((type) => ({
              value: type,
              label: t(`surveys.type.${type}` as MessageKey),
            }))}
            checked={input.type}
            error={errors.type}
          />
        </>
      }
    >
      <TranslatedFields
        ctx={ctx}
        name="hint"
        label={(lang) => t('surveys.designer.field.hint', { lang })}
        langs={p.langs}
        values={input.hint}
        errors={errors}
      />
      <Radios
        ctx={ctx}
        name="required"
        type="checkbox"
        legend={t('surveys.designer.field.required')}
        choices={[{ value: 'yes', label: t('surveys.designer.field.requiredYes') }]}
        checked={input.required ? 'yes' : undefined}
      />
      <ConditionFields ctx={ctx} relevant={input.relevant} appearance={input.appearance} errors={errors} />
      <TextField
        ctx={ctx}
        name="constraint"
        label={t('surveys.designer.field.constraint')}
        hint={t('surveys.designer.field.constraintHint')}
        value={input.constraint}
        error={errors.constraint}
      />
      <TranslatedFields
        ctx={ctx}
        name="constraintMessage"
        label={(lang) => t('surveys.designer.field.constraintMessage', { lang })}
        langs={p.langs}
        values={input.constraintMessage}
        errors={errors}
      />
      <TextField
        ctx={ctx}
        name="calculation"
        label={t('surveys.designer.field.calculation')}
        value={input.calculation}
        error={errors.calculation}
      />
      <TextField
        ctx={ctx}
        name="listName"
        label={t('surveys.designer.field.listName')}
        hint={t('surveys.designer.field.listNameHint')}
        value={input.listName}
        error={errors.listName}
        width="half"
      />
      <TextArea
        ctx={ctx}
        name="choices"
        label={t('surveys.designer.field.choices')}
        hint={t('surveys.designer.field.choicesHint')}
        value={input.choices}
        error={errors.choices}
        rows={6}
      />
    </NodeForm>
  );
}

/** When a question or group is asked (relevant) and how it looks (appearance). */
function ConditionFields(p: { ctx: PageContext; relevant: string; appearance: string; errors: FieldErrors }) {
  const { t } = p.ctx;
  return (
    <>
      <TextField
        ctx={p.ctx}
        name="relevant"
        label={t('surveys.designer.field.relevant')}
        hint={t('surveys.designer.field.relevantHint')}
        value={p.relevant}
        error={p.errors.relevant}
      />
      <TextField
        ctx={p.ctx}
        name="appearance"
        label={t('surveys.designer.field.appearance')}
        hint={t('surveys.designer.field.appearanceHint')}
        value={p.appearance}
        error={p.errors.appearance}
        width="half"
      />
    </>
  );
}

export function GroupFormPage(p: NodeFormProps & { input: GroupInput }) {
  const { ctx, errors, input } = p;
  const { t } = ctx;
  return (
    <NodeForm
      {...p}
      kind="group"
      before={
        <Radios
          ctx={ctx}
          name="kind"
          legend={t('surveys.designer.field.kind')}
          choices={[
            { value: 'group', label: t('surveys.designer.kind.group') },
            { value: 'repeat', label: t('surveys.designer.kind.repeat') },
          ]}
          checked={input.kind}
          error={errors.kind}
        />
      }
    >
      <ConditionFields ctx={ctx} relevant={input.relevant} appearance={input.appearance} errors={errors} />
    </NodeForm>
  );
}
