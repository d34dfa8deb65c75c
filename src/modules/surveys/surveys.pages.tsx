// Staff pages of questionnaires (/staff/surveys): the list with the XLSForm upload form and, when an
// upload is refused, the table of its problems by sheet, row and column; one page per questionnaire
// with its versions (each downloadable as XLSForm) and the questions of the latest version.
import { formatDate, type MessageKey } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { WavesSection } from './surveys.collect.pages.tsx';
import { type FormNode, type Translated, textIn } from './surveys.form.ts';
import type { QuestionnaireVersion, QuestionnaireView } from './surveys.service.ts';
import type { Wave } from './surveys.waves.service.ts';

export const BASE = '/staff/surveys';

export interface ListedQuestionnaire {
  id: number;
  formId: string | null;
  title: string;
  latestNumber: number;
  latestAt: Date;
}

export interface ProblemRow {
  where: string;
  sheet: string;
  row: number | null;
  column: string | null;
  reason: string;
}

export function SurveysPage(p: {
  ctx: PageContext;
  list: ListedQuestionnaire[];
  errors: FieldErrors;
  problems: ProblemRow[];
  limitMb: number;
}) {
  const { ctx, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.page.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('surveys.page.title')}</h1>
      <p class="lead">{t('surveys.page.lead')}</p>
      <p>
        <a href={`${BASE}/designer/new`}>{t('surveys.designer.link')}</a>
      </p>
      <ul class="list">
        <li>
          <a href={`${BASE}/interviews`}>{t('surveys.interviews.title')}</a>
        </li>
        <li>
          <a href={`${BASE}/code-books`}>{t('surveys.interviews.books.title')}</a>
        </li>
        <li>
          <a href={`${BASE}/guides`}>{t('surveys.interviews.guides.title')}</a>
        </li>
      </ul>
      {p.problems.length > 0 && (
        <table class="table" id="problems">
          <caption>{t('surveys.page.problems', { count: p.problems.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.page.sheet')}</th>
              <th scope="col">{t('surveys.page.row')}</th>
              <th scope="col">{t('surveys.page.column')}</th>
              <th scope="col">{t('surveys.page.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {p.problems.map((row, i) => (
              <tr key={i}>
                <td>{row.sheet}</td>
                <td>{row.row ?? '—'}</td>
                <td>{row.column ?? '—'}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={BASE} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <FileField
          ctx={ctx}
          name="file"
          label={t('surveys.page.file')}
          hint={t('surveys.page.fileHint', { size: p.limitMb })}
          error={errors.file}
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        />
        <button type="submit" class="button">
          {t('surveys.page.upload')}
        </button>
      </form>
      <h2>{t('surveys.page.list')}</h2>
      {p.list.length === 0 ? (
        <p>{t('surveys.page.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('surveys.page.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.page.name')}</th>
              <th scope="col">{t('surveys.page.formId')}</th>
              <th scope="col">{t('surveys.page.version')}</th>
              <th scope="col">{t('surveys.page.uploaded')}</th>
            </tr>
          </thead>
          <tbody>
            {p.list.map((q) => (
              <tr key={q.id}>
                <td>
                  <a href={`${BASE}/${q.id}`}>{q.title}</a>
                </td>
                <td>{q.formId ?? '—'}</td>
                <td>{q.latestNumber}</td>
                <td>{formatDate(ctx.locale, q.latestAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const label = (ctx: PageContext, text: Translated) => textIn(text, ctx.locale);

function Outline({ ctx, nodes }: { ctx: PageContext; nodes: readonly FormNode[] }) {
  return (
    <ul>
      {nodes.map((n) =>
        n.kind === 'question' ? (
          <li key={n.name}>
            <code>{n.name}</code> — {label(ctx, n.label) || ctx.t(`surveys.type.${n.type}` as MessageKey)}{' '}
            <span class="hint">
              ({ctx.t(`surveys.type.${n.type}` as MessageKey)}
              {n.likert ? ', Likert' : ''})
            </span>
          </li>
        ) : (
          <li key={n.name}>
            <strong>{label(ctx, n.label) || n.name}</strong>{' '}
            <span class="hint">
              (
              {ctx.t(
                n.kind === 'repeat'
                  ? 'surveys.type.repeat'
                  : n.matrix
                    ? 'surveys.type.matrix'
                    : 'surveys.type.group',
              )}
              )
            </span>
            <Outline ctx={ctx} nodes={n.children} />
          </li>
        ),
      )}
    </ul>
  );
}

export function QuestionnairePage(p: {
  ctx: PageContext;
  q: QuestionnaireView;
  versions: QuestionnaireVersion[];
  waves?: Wave[];
}) {
  const { ctx, q } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={q.title} area="staff">
      <BackLink href={BASE}>{t('surveys.page.title')}</BackLink>
      <h1>{q.title}</h1>
      <form method="post" action={`${BASE}/${q.id}/designer`} class="inline-form">
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button--secondary">
          {t('surveys.designer.open')}
        </button>
      </form>
      <table class="table">
        <caption>{t('surveys.page.versions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveys.page.version')}</th>
            <th scope="col">{t('surveys.page.formVersion')}</th>
            <th scope="col">{t('surveys.page.uploaded')}</th>
            <th scope="col">{t('surveys.page.download')}</th>
          </tr>
        </thead>
        <tbody>
          {p.versions.map((v) => (
            <tr key={v.id}>
              <td>{v.number}</td>
              <td>{v.formVersion ?? '—'}</td>
              <td>{formatDate(ctx.locale, v.createdAt)}</td>
              <td>
                <a href={`${BASE}/versions/${v.id}/form.xlsx`}>
                  {t('surveys.page.downloadVersion', { number: v.number })}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <WavesSection ctx={ctx} questionnaireId={q.id} waves={p.waves ?? []} />
      <h2>{t('surveys.page.questions', { number: q.latest.number })}</h2>
      <Outline ctx={ctx} nodes={q.latest.form.children} />
    </Layout>
  );
}
