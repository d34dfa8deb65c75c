// Staff pages of expert interviews: interview guides, code books, interviews (metadata and the
// transcript in numbered paragraphs), coding — one's own codings of every paragraph, a page per
// paragraph to code it (whole or an excerpt), a comparison of coders — and the qualitative analysis.
// Everything works without JavaScript; interviews-coding.js only fills the excerpt from a selection.
import type { ComponentChildren } from 'preact';
import { formatDate, formatNumber, type Locale } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  type Option,
  Radios,
  Select,
  SummaryList,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import {
  type Analysis,
  type Code,
  type CodingView,
  type InterviewView,
  kappaBand,
  MAX_TRANSCRIPT_BYTES,
  type Paragraph,
} from './surveys.interviews.service.ts';
import { BASE } from './surveys.pages.tsx';
import type { GuideTopic } from './surveys.schema.ts';

export const GUIDES = `${BASE}/guides`;
export const CODE_BOOKS = `${BASE}/code-books`;
export const INTERVIEWS = `${BASE}/interviews`;
export const ANALYSIS = `${INTERVIEWS}/analysis`;

export type Values = Record<string, string>;
export interface CodingValues {
  excerpt?: string;
  near?: string;
  memo?: string;
  codes?: string[];
}

const num = (locale: Locale, x: number, digits = 2) =>
  Number.isNaN(x)
    ? '—'
    : new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
        x,
      );

function Page(p: {
  ctx: PageContext;
  title: string;
  back: [string, string];
  errors?: FieldErrors;
  children: ComponentChildren;
}) {
  return (
    <Layout ctx={p.ctx} title={p.title} area="staff">
      <BackLink href={p.back[0]}>{p.back[1]}</BackLink>
      {p.errors && <ErrorSummary ctx={p.ctx} errors={p.errors} />}
      {p.children}
    </Layout>
  );
}

// ---------------------------------------------------------------- guides

export function GuidesPage(p: {
  ctx: PageContext;
  list: { id: number; title: string; purpose: string; created_at: Date }[];
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.guides.title')}
      back={[INTERVIEWS, t('surveys.interviews.title')]}
    >
      <h1>{t('surveys.interviews.guides.title')}</h1>
      <p class="lead">{t('surveys.interviews.guides.lead')}</p>
      <p>
        <a class="button" href={`${GUIDES}/new`}>
          {t('surveys.interviews.guides.new')}
        </a>
      </p>
      {p.list.length === 0 ? (
        <p>{t('surveys.interviews.guides.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('surveys.interviews.guides.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.interviews.field.title')}</th>
              <th scope="col">{t('surveys.interviews.guides.purpose')}</th>
              <th scope="col">{t('surveys.interviews.created')}</th>
            </tr>
          </thead>
          <tbody>
            {p.list.map((g) => (
              <tr key={g.id}>
                <td>
                  <a href={`${GUIDES}/${g.id}`}>{g.title}</a>
                </td>
                <td>{g.purpose || '—'}</td>
                <td>{formatDate(ctx.locale, g.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function NewGuidePage(p: { ctx: PageContext; values: Values; errors: FieldErrors }) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.guides.new')}
      back={[GUIDES, t('surveys.interviews.guides.title')]}
      errors={errors}
    >
      <h1>{t('surveys.interviews.guides.new')}</h1>
      <form method="post" action={GUIDES} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.interviews.field.title')}
          value={values.title}
          error={errors.title}
        />
        <TextArea
          ctx={ctx}
          name="purpose"
          label={t('surveys.interviews.guides.purpose')}
          value={values.purpose ?? ''}
          rows={2}
        />
        <TextArea
          ctx={ctx}
          name="topics"
          label={t('surveys.interviews.guides.outline')}
          hint={t('surveys.interviews.guides.outlineHint')}
          value={values.topics ?? ''}
          error={errors.topics}
          rows={14}
        />
        <Button>{t('surveys.interviews.guides.save')}</Button>
      </form>
    </Page>
  );
}

export function GuidePage(p: {
  ctx: PageContext;
  guide: { id: number; title: string; purpose: string; topics: GuideTopic[]; createdAt: Date };
}) {
  const { ctx, guide } = p;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={guide.title} back={[GUIDES, t('surveys.interviews.guides.title')]}>
      <p class="caption">{t('surveys.interviews.guides.caption')}</p>
      <h1>{guide.title}</h1>
      {guide.purpose && <p class="lead">{guide.purpose}</p>}
      {guide.topics.map((topic, i) => (
        <section key={i}>
          <h2>{topic.title}</h2>
          <ol>
            {topic.questions.map((q, j) => (
              <li key={j}>
                {q.text}
                {q.probes.length > 0 && (
                  <ul class="hint">
                    {q.probes.map((probe, k) => (
                      <li key={k}>{probe}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </Page>
  );
}

// ---------------------------------------------------------------- code books

export function CodeBooksPage(p: {
  ctx: PageContext;
  list: { id: number; title: string; codes: number; createdAt: Date }[];
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.books.title')}
      back={[INTERVIEWS, t('surveys.interviews.title')]}
    >
      <h1>{t('surveys.interviews.books.title')}</h1>
      <p class="lead">{t('surveys.interviews.books.lead')}</p>
      <p>
        <a class="button" href={`${CODE_BOOKS}/new`}>
          {t('surveys.interviews.books.new')}
        </a>
      </p>
      {p.list.length === 0 ? (
        <p>{t('surveys.interviews.books.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('surveys.interviews.books.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.interviews.field.title')}</th>
              <th scope="col">{t('surveys.interviews.books.codes')}</th>
              <th scope="col">{t('surveys.interviews.created')}</th>
            </tr>
          </thead>
          <tbody>
            {p.list.map((b) => (
              <tr key={b.id}>
                <td>
                  <a href={`${CODE_BOOKS}/${b.id}`}>{b.title}</a>
                </td>
                <td>{formatNumber(ctx.locale, b.codes)}</td>
                <td>{formatDate(ctx.locale, b.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function NewCodeBookPage(p: { ctx: PageContext; values: Values; errors: FieldErrors }) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.books.new')}
      back={[CODE_BOOKS, t('surveys.interviews.books.title')]}
      errors={errors}
    >
      <h1>{t('surveys.interviews.books.new')}</h1>
      <form method="post" action={CODE_BOOKS} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.interviews.field.title')}
          value={values.title}
          error={errors.title}
        />
        <TextArea
          ctx={ctx}
          name="codes"
          label={t('surveys.interviews.books.codes')}
          hint={t('surveys.interviews.books.codesHint')}
          value={values.codes ?? ''}
          error={errors.codes}
          rows={10}
        />
        <Button>{t('surveys.interviews.books.save')}</Button>
      </form>
    </Page>
  );
}

export function CodeBookPage(p: {
  ctx: PageContext;
  book: { id: number; title: string; codes: Code[] };
  values: Values;
  errors: FieldErrors;
  added?: number | undefined;
}) {
  const { ctx, book, values, errors } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={book.title}
      back={[CODE_BOOKS, t('surveys.interviews.books.title')]}
      errors={errors}
    >
      <p class="caption">{t('surveys.interviews.books.caption')}</p>
      <h1>{book.title}</h1>
      {p.added !== undefined && (
        <div class="notice" role="status">
          {t('surveys.interviews.books.added', { count: p.added })}
        </div>
      )}
      <table class="table">
        <caption>{t('surveys.interviews.books.codesCount', { count: book.codes.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveys.interviews.books.code')}</th>
            <th scope="col">{t('surveys.interviews.books.description')}</th>
          </tr>
        </thead>
        <tbody>
          {book.codes.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{c.description || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('surveys.interviews.books.addTitle')}</h2>
      <form method="post" action={`${CODE_BOOKS}/${book.id}/codes`} novalidate>
        <CsrfField ctx={ctx} />
        <TextArea
          ctx={ctx}
          name="codes"
          label={t('surveys.interviews.books.newCodes')}
          hint={t('surveys.interviews.books.codesHint')}
          value={values.codes ?? ''}
          error={errors.codes}
          rows={5}
        />
        <Button>{t('surveys.interviews.books.add')}</Button>
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------- interviews

export function InterviewsPage(p: {
  ctx: PageContext;
  list: {
    id: number;
    title: string;
    expertGroup: string;
    expertRole: string;
    interviewedOn: string;
    coders: number;
  }[];
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('surveys.interviews.title')} back={[BASE, t('surveys.page.title')]}>
      <h1>{t('surveys.interviews.title')}</h1>
      <p class="lead">{t('surveys.interviews.lead')}</p>
      <p>
        <a class="button" href={`${INTERVIEWS}/new`}>
          {t('surveys.interviews.new')}
        </a>
      </p>
      <ul class="list">
        <li>
          <a href={ANALYSIS}>{t('surveys.interviews.analysis.title')}</a>
        </li>
        <li>
          <a href={CODE_BOOKS}>{t('surveys.interviews.books.title')}</a>
        </li>
        <li>
          <a href={GUIDES}>{t('surveys.interviews.guides.title')}</a>
        </li>
      </ul>
      {p.list.length === 0 ? (
        <p>{t('surveys.interviews.none')}</p>
      ) : (
        <table class="table">
          <caption>{t('surveys.interviews.listCaption', { count: p.list.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.interviews.field.title')}</th>
              <th scope="col">{t('surveys.interviews.field.expertGroup')}</th>
              <th scope="col">{t('surveys.interviews.field.expertRole')}</th>
              <th scope="col">{t('surveys.interviews.field.date')}</th>
              <th scope="col">{t('surveys.interviews.coders')}</th>
            </tr>
          </thead>
          <tbody>
            {p.list.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`${INTERVIEWS}/${i.id}`}>{i.title}</a>
                </td>
                <td>{i.expertGroup}</td>
                <td>{i.expertRole}</td>
                <td>{formatDate(ctx.locale, i.interviewedOn)}</td>
                <td>{formatNumber(ctx.locale, i.coders)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function NewInterviewPage(p: {
  ctx: PageContext;
  values: Values;
  errors: FieldErrors;
  guides: Option[];
  codeBooks: Option[];
  districts: Option[];
  groups: string[];
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const v = (name: string) => values[name] ?? '';
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.new')}
      back={[INTERVIEWS, t('surveys.interviews.title')]}
      errors={errors}
    >
      <h1>{t('surveys.interviews.new')}</h1>
      {p.codeBooks.length === 0 && (
        <div class="notice">
          <p>
            {t('surveys.interviews.needCodeBook')}{' '}
            <a href={`${CODE_BOOKS}/new`}>{t('surveys.interviews.books.new')}</a>
          </p>
        </div>
      )}
      <form method="post" action={INTERVIEWS} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.interviews.field.title')}
          hint={t('surveys.interviews.field.titleHint')}
          value={v('title')}
          error={errors.title}
        />
        <Select
          ctx={ctx}
          name="code_book"
          label={t('surveys.interviews.field.codeBook')}
          value={v('code_book')}
          options={p.codeBooks}
          error={errors.code_book}
          empty={t('surveys.interviews.choose')}
        />
        <Select
          ctx={ctx}
          name="guide"
          label={t('surveys.interviews.field.guide')}
          value={v('guide')}
          options={p.guides}
          error={errors.guide}
          empty={t('surveys.interviews.noGuide')}
        />
        <TextField
          ctx={ctx}
          name="expert_role"
          label={t('surveys.interviews.field.expertRole')}
          hint={t('surveys.interviews.field.expertRoleHint')}
          value={v('expert_role')}
          error={errors.expert_role}
        />
        <TextField
          ctx={ctx}
          name="expert_group"
          label={t('surveys.interviews.field.expertGroup')}
          hint={
            p.groups.length > 0
              ? t('surveys.interviews.field.expertGroupKnown', {
                  groups: p.groups.map((g) => `«${g}»`).join(', '),
                })
              : t('surveys.interviews.field.expertGroupHint')
          }
          value={v('expert_group')}
          error={errors.expert_group}
        />
        <Select
          ctx={ctx}
          name="district"
          label={t('surveys.interviews.field.district')}
          value={v('district')}
          options={p.districts}
          error={errors.district}
          empty={t('surveys.interviews.noDistrict')}
        />
        <TextField
          ctx={ctx}
          name="interviewed_on"
          type="date"
          width="half"
          label={t('surveys.interviews.field.date')}
          value={v('interviewed_on')}
          error={errors.interviewed_on}
        />
        <TextField
          ctx={ctx}
          name="interviewer"
          label={t('surveys.interviews.field.interviewer')}
          value={v('interviewer')}
          error={errors.interviewer}
        />
        <TextField
          ctx={ctx}
          name="duration"
          width="short"
          inputMode="numeric"
          label={t('surveys.interviews.field.duration')}
          value={v('duration')}
          error={errors.duration}
        />
        <h2>{t('surveys.interviews.field.transcript')}</h2>
        <p class="hint">{t('surveys.interviews.field.transcriptLead')}</p>
        <TextArea
          ctx={ctx}
          name="transcript"
          label={t('surveys.interviews.field.paste')}
          hint={t('surveys.interviews.field.pasteHint')}
          value={v('transcript')}
          error={errors.transcript}
          rows={12}
        />
        <FileField
          ctx={ctx}
          name="file"
          label={t('surveys.interviews.field.file')}
          hint={t('surveys.interviews.field.fileHint', { size: MAX_TRANSCRIPT_BYTES / 1024 / 1024 })}
          error={errors.file}
          accept=".txt,text/plain"
        />
        <Button>{t('surveys.interviews.save')}</Button>
      </form>
    </Page>
  );
}

function Metadata({ ctx, iv }: { ctx: PageContext; iv: InterviewView }) {
  const { t } = ctx;
  return (
    <SummaryList
      rows={[
        [t('surveys.interviews.field.expertRole'), iv.expertRole],
        [t('surveys.interviews.field.expertGroup'), iv.expertGroup],
        [
          t('surveys.interviews.field.district'),
          iv.district ? (ctx.locale === 'ru' ? iv.district.ru : iv.district.en) : '—',
        ],
        [t('surveys.interviews.field.date'), formatDate(ctx.locale, iv.interviewedOn)],
        [t('surveys.interviews.field.interviewer'), iv.interviewer],
        [
          t('surveys.interviews.field.duration'),
          iv.durationMinutes === null ? '—' : t('surveys.interviews.minutes', { count: iv.durationMinutes }),
        ],
        [
          t('surveys.interviews.field.guide'),
          iv.guide ? <a href={`${GUIDES}/${iv.guide.id}`}>{iv.guide.title}</a> : '—',
        ],
        [
          t('surveys.interviews.field.codeBook'),
          <a href={`${CODE_BOOKS}/${iv.codeBook.id}`}>{iv.codeBook.title}</a>,
        ],
        [t('surveys.interviews.paragraphs'), formatNumber(ctx.locale, iv.paragraphs.length)],
      ]}
    />
  );
}

export function InterviewPage(p: { ctx: PageContext; iv: InterviewView }) {
  const { ctx, iv } = p;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={iv.title} back={[INTERVIEWS, t('surveys.interviews.title')]}>
      <p class="caption">{t('surveys.interviews.caption')}</p>
      <h1>{iv.title}</h1>
      <Metadata ctx={ctx} iv={iv} />
      <p>
        <a class="button" href={`${INTERVIEWS}/${iv.id}/code`}>
          {t('surveys.interviews.code')}
        </a>{' '}
        <a href={`${INTERVIEWS}/${iv.id}/compare`}>{t('surveys.interviews.compare')}</a>
      </p>
      <h2>{t('surveys.interviews.field.transcript')}</h2>
      <ol class="transcript">
        {iv.paragraphs.map((para) => (
          <li key={para.number} id={`p${para.number}`} value={para.number}>
            {para.text}
          </li>
        ))}
      </ol>
    </Page>
  );
}

/** The paragraph's text with the parts covered by codings marked. */
function Marked({ para, codings }: { para: Paragraph; codings: readonly CodingView[] }) {
  const cuts = new Set([para.start, para.end]);
  for (const c of codings) {
    cuts.add(Math.max(para.start, Math.min(para.end, c.start)));
    cuts.add(Math.max(para.start, Math.min(para.end, c.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: ComponentChildren[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const text = para.text.slice(a - para.start, b - para.start);
    const covered = codings.some((c) => c.start <= a && b <= c.end);
    parts.push(covered ? <mark key={a}>{text}</mark> : text);
  }
  return <>{parts}</>;
}

function CodingItem({
  ctx,
  iv,
  c,
  removable,
}: {
  ctx: PageContext;
  iv: { id: number };
  c: CodingView;
  removable: boolean;
}) {
  const { t } = ctx;
  return (
    <li>
      <strong>{c.code}</strong>
      {c.wholeParagraph ? ` — ${t('surveys.interviews.wholeParagraph')}` : <> — «{c.text}»</>}
      {c.memo && <div class="hint">{t('surveys.interviews.memoShown', { memo: c.memo })}</div>}
      {removable && ' '}
      {removable && (
        <form method="post" action={`${INTERVIEWS}/${iv.id}/codings/${c.id}/delete`} class="inline-form">
          <CsrfField ctx={ctx} />
          <button type="submit" class="link-button">
            {t('surveys.interviews.remove')}
            <span class="visually-hidden">
              {' '}
              {t('surveys.interviews.removeWhat', { code: c.code, paragraph: c.paragraph })}
            </span>
          </button>
        </form>
      )}
    </li>
  );
}

/** The coder's own view: every paragraph with their codings and a link to code it. */
export function CodingPage(p: { ctx: PageContext; iv: InterviewView; mine: CodingView[]; coder: string }) {
  const { ctx, iv, mine } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.codingTitle', { title: iv.title })}
      back={[`${INTERVIEWS}/${iv.id}`, iv.title]}
    >
      <p class="caption">{iv.title}</p>
      <h1>{t('surveys.interviews.code')}</h1>
      <p class="lead">{t('surveys.interviews.codingLead', { coder: p.coder })}</p>
      <p>
        <a href={`${INTERVIEWS}/${iv.id}/compare`}>{t('surveys.interviews.compare')}</a>
      </p>
      <p>{t('surveys.interviews.myCodings', { count: mine.length })}</p>
      <ol class="transcript">
        {iv.paragraphs.map((para) => {
          const here = mine.filter((c) => c.paragraph === para.number);
          return (
            <li key={para.number} id={`p${para.number}`} value={para.number}>
              <p>
                <Marked para={para} codings={here} />
              </p>
              {here.length > 0 && (
                <ul class="list">
                  {here.map((c) => (
                    <CodingItem key={c.id} ctx={ctx} iv={iv} c={c} removable={true} />
                  ))}
                </ul>
              )}
              <p>
                <a href={`${INTERVIEWS}/${iv.id}/code/${para.number}`}>
                  {t('surveys.interviews.codeParagraph', { number: para.number })}
                </a>
              </p>
            </li>
          );
        })}
      </ol>
    </Page>
  );
}

/** Coding one paragraph: the whole of it or an excerpt, with one or more codes and a memo. */
export function CodeParagraphPage(p: {
  ctx: PageContext;
  iv: InterviewView;
  para: Paragraph;
  codes: Code[];
  mine: CodingView[];
  values: CodingValues;
  errors: FieldErrors;
}) {
  const { ctx, iv, para, values, errors } = p;
  const { t } = ctx;
  const back = `${INTERVIEWS}/${iv.id}/code#p${para.number}`;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.codeParagraph', { number: para.number })}
      back={[back, t('surveys.interviews.code')]}
      errors={errors}
    >
      <p class="caption">{iv.title}</p>
      <h1>{t('surveys.interviews.codeParagraph', { number: para.number })}</h1>
      <blockquote class="notice" data-paragraph={String(para.number)}>
        <Marked para={para} codings={p.mine} />
      </blockquote>
      {p.mine.length > 0 && (
        <>
          <h2>{t('surveys.interviews.alreadyHere')}</h2>
          <ul class="list">
            {p.mine.map((c) => (
              <CodingItem key={c.id} ctx={ctx} iv={iv} c={c} removable={true} />
            ))}
          </ul>
        </>
      )}
      <form method="post" action={`${INTERVIEWS}/${iv.id}/code/${para.number}`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="near" id="near" value={values.near ?? ''} />
        <TextArea
          ctx={ctx}
          name="excerpt"
          label={t('surveys.interviews.excerpt')}
          hint={t('surveys.interviews.excerptHint')}
          value={values.excerpt ?? ''}
          error={errors.excerpt}
          rows={3}
        />
        <Radios
          ctx={ctx}
          type="checkbox"
          name="codes"
          legend={t('surveys.interviews.codes')}
          choices={p.codes.map((c) => ({
            value: String(c.id),
            label: c.name,
            hint: c.description || undefined,
          }))}
          checked={values.codes ?? []}
          error={errors.codes}
        />
        <TextArea
          ctx={ctx}
          name="memo"
          label={t('surveys.interviews.memo')}
          hint={t('surveys.interviews.memoHint')}
          value={values.memo ?? ''}
          error={errors.memo}
          rows={2}
        />
        <Button>{t('surveys.interviews.saveCoding')}</Button>
      </form>
      <script src="/assets/interviews-coding.js" defer />
    </Page>
  );
}

/** Every coder's codings side by side, paragraph by paragraph, with their agreement on this interview. */
export function ComparePage(p: {
  ctx: PageContext;
  iv: InterviewView;
  coders: { id: number; name: string }[];
  all: CodingView[];
  agreement: { a: string; b: string; kappa: number; observed: number; n: number }[];
}) {
  const { ctx, iv, coders, all } = p;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.compareTitle', { title: iv.title })}
      back={[`${INTERVIEWS}/${iv.id}/code`, t('surveys.interviews.code')]}
    >
      <p class="caption">{iv.title}</p>
      <h1>{t('surveys.interviews.compare')}</h1>
      {coders.length === 0 ? (
        <p>{t('surveys.interviews.noCodings')}</p>
      ) : (
        <>
          {p.agreement.length > 0 && (
            <table class="table">
              <caption>{t('surveys.interviews.compareAgreement')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('surveys.interviews.analysis.pair')}</th>
                  <th scope="col">{t('surveys.interviews.analysis.kappa')}</th>
                  <th scope="col">{t('surveys.interviews.analysis.observed')}</th>
                  <th scope="col">{t('surveys.interviews.analysis.decisions')}</th>
                </tr>
              </thead>
              <tbody>
                {p.agreement.map((a) => (
                  <tr key={`${a.a}-${a.b}`}>
                    <td>
                      {a.a} — {a.b}
                    </td>
                    <td>{num(ctx.locale, a.kappa)}</td>
                    <td>{num(ctx.locale, a.observed)}</td>
                    <td>{formatNumber(ctx.locale, a.n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <table class="table">
            <caption>{t('surveys.interviews.compareCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.interviews.paragraph')}</th>
                {coders.map((c) => (
                  <th scope="col" key={c.id}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {iv.paragraphs.map((para) => (
                <tr key={para.number}>
                  <th scope="row">
                    {para.number}.{' '}
                    <span class="hint">
                      {para.text.length > 160 ? `${para.text.slice(0, 160)}…` : para.text}
                    </span>
                  </th>
                  {coders.map((c) => {
                    const here = all.filter((x) => x.coderId === c.id && x.paragraph === para.number);
                    return (
                      <td key={c.id}>
                        {here.length === 0 ? (
                          '—'
                        ) : (
                          <ul class="list">
                            {here.map((x) => (
                              <CodingItem key={x.id} ctx={ctx} iv={iv} c={x} removable={false} />
                            ))}
                          </ul>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}

// ---------------------------------------------------------------- analysis

export function AnalysisPage(p: {
  ctx: PageContext;
  filter: { book: string; group: string; coder: string };
  books: Option[];
  groups: string[];
  coderOptions: Option[];
  data: Analysis;
  csvHref: string;
}) {
  const { ctx, data } = p;
  const { t } = ctx;
  const f = data.frequencies;
  const names = new Map(data.coders.map((c) => [c.id, c.name]));
  const titles = new Map(data.interviews.map((i) => [String(i.id), i.title]));
  return (
    <Page
      ctx={ctx}
      title={t('surveys.interviews.analysis.title')}
      back={[INTERVIEWS, t('surveys.interviews.title')]}
    >
      <h1>{t('surveys.interviews.analysis.title')}</h1>
      <form method="get" action={ANALYSIS}>
        <Select
          ctx={ctx}
          name="book"
          label={t('surveys.interviews.field.codeBook')}
          value={p.filter.book}
          options={p.books}
          empty={t('surveys.interviews.analysis.allBooks')}
        />
        <Select
          ctx={ctx}
          name="group"
          label={t('surveys.interviews.field.expertGroup')}
          value={p.filter.group}
          options={p.groups.map((g) => ({ value: g, label: g }))}
          empty={t('surveys.interviews.analysis.allGroups')}
        />
        <Select
          ctx={ctx}
          name="coder"
          label={t('surveys.interviews.analysis.coder')}
          hint={t('surveys.interviews.analysis.coderHint')}
          value={p.filter.coder}
          options={p.coderOptions}
          empty={t('surveys.interviews.analysis.allCoders')}
        />
        <Button secondary>{t('surveys.interviews.analysis.show')}</Button>
      </form>
      <p>
        <a href={p.csvHref}>{t('surveys.interviews.analysis.csv')}</a>
      </p>
      {f.codes.length === 0 ? (
        <p>{t('surveys.interviews.analysis.none')}</p>
      ) : (
        <>
          <h2>{t('surveys.interviews.analysis.frequencies')}</h2>
          <table class="table" id="frequencies">
            <caption>{t('surveys.interviews.analysis.byCodeCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.interviews.books.code')}</th>
                <th scope="col">{t('surveys.interviews.analysis.excerpts')}</th>
                <th scope="col">{t('surveys.interviews.analysis.interviews')}</th>
                {f.groups.map((g) => (
                  <th scope="col" key={g}>
                    {g}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {f.byCode.map((c) => (
                <tr key={c.code}>
                  <th scope="row">{c.code}</th>
                  <td>{formatNumber(ctx.locale, c.total.excerpts)}</td>
                  <td>{formatNumber(ctx.locale, c.total.interviews)}</td>
                  {f.groups.map((g) => (
                    <td key={g}>
                      {t('surveys.interviews.analysis.inGroup', {
                        excerpts: c.byGroup[g]!.excerpts,
                        interviews: c.byGroup[g]!.interviews,
                      })}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>

          <table class="table" id="by-interview">
            <caption>{t('surveys.interviews.analysis.byInterviewCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.interviews.analysis.interview')}</th>
                <th scope="col">{t('surveys.interviews.field.expertGroup')}</th>
                {f.codes.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {f.byInterview.map((row) => (
                <tr key={row.interviewId}>
                  <th scope="row">
                    <a href={`${INTERVIEWS}/${row.interviewId}`}>
                      {titles.get(row.interviewId) ?? row.interviewId}
                    </a>
                  </th>
                  <td>{row.group}</td>
                  {f.codes.map((c) => (
                    <td key={c}>{formatNumber(ctx.locale, row.counts[c] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t('surveys.interviews.analysis.coOccurrence')}</h2>
          <table class="table" id="co-occurrence">
            <caption>{t('surveys.interviews.analysis.coOccurrenceCaption')}</caption>
            <thead>
              <tr>
                <td />
                {data.coOccurrence.codes.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.coOccurrence.codes.map((c, i) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  {data.coOccurrence.matrix[i]!.map((x, j) => (
                    <td key={j}>{formatNumber(ctx.locale, x)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t('surveys.interviews.analysis.agreement')}</h2>
          <p class="hint">{t('surveys.interviews.analysis.agreementHint')}</p>
          {data.agreement.length === 0 ? (
            <p>{t('surveys.interviews.analysis.noPairs')}</p>
          ) : (
            data.agreement.map((a) => {
              const pair = `${names.get(a.coderA)} — ${names.get(a.coderB)}`;
              const band = kappaBand(a.pooled.kappa);
              return (
                <table class="table agreement" key={`${a.coderA}-${a.coderB}`}>
                  <caption>
                    {t('surveys.interviews.analysis.pairCaption', {
                      pair,
                      count: a.interviews.length,
                      units: a.units,
                    })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('surveys.interviews.books.code')}</th>
                      <th scope="col">{t('surveys.interviews.analysis.kappa')}</th>
                      <th scope="col">{t('surveys.interviews.analysis.observed')}</th>
                      <th scope="col">{t('surveys.interviews.analysis.expected')}</th>
                      <th scope="col">{t('surveys.interviews.analysis.reading')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.byCode.map((k) => {
                      const b = kappaBand(k.kappa);
                      return (
                        <tr key={k.code}>
                          <th scope="row">{k.code}</th>
                          <td>{num(ctx.locale, k.kappa)}</td>
                          <td>{num(ctx.locale, k.observed)}</td>
                          <td>{num(ctx.locale, k.expected)}</td>
                          <td>{b ? t(b) : t('surveys.interviews.kappa.undefined')}</td>
                        </tr>
                      );
                    })}
                    <tr>
                      <th scope="row">{t('surveys.interviews.analysis.pooled')}</th>
                      <td>{num(ctx.locale, a.pooled.kappa)}</td>
                      <td>{num(ctx.locale, a.pooled.observed)}</td>
                      <td>{num(ctx.locale, a.pooled.expected)}</td>
                      <td>{band ? t(band) : t('surveys.interviews.kappa.undefined')}</td>
                    </tr>
                  </tbody>
                </table>
              );
            })
          )}

          <h2>{t('surveys.interviews.analysis.excerptsTitle')}</h2>
          {data.excerpts.map((g) => (
            <section key={g.code}>
              <h3>
                {g.code}{' '}
                <span class="hint">
                  ({t('surveys.interviews.analysis.excerptCount', { count: g.excerpts.length })})
                </span>
              </h3>
              <ul class="list">
                {g.excerpts.map((e, i) => (
                  <li key={i}>
                    «{e.text}»{' '}
                    <span class="hint">
                      —{' '}
                      <a href={`${INTERVIEWS}/${e.interviewId}#p${e.paragraph}`}>
                        {t('surveys.interviews.analysis.where', { title: e.title, paragraph: e.paragraph })}
                      </a>
                      , {e.coders.join(', ')}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </Page>
  );
}
