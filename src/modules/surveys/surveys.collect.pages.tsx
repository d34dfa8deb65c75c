// Pages of collection: the portal's survey pages (/s/<token>: start, one page per group, check your
// answers, done, closed), the staff pages of waves (create, wave page with link, QR code and counts)
// and interviewer mode (/staff/fieldwork). The question pages are the same for both channels.
import type { ComponentChildren } from 'preact';
import { formatDate } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Radios,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Answers } from './surveys.answers.ts';
import type { Page, SummarySection } from './surveys.fill.ts';
import { PageFields } from './surveys.fill.tsx';
import { type Form, type Question, textIn } from './surveys.form.ts';
import type { Wave, WaveCounts } from './surveys.waves.service.ts';

type Area = 'portal' | 'staff';

// ---------------------------------------------------------------- a survey's pages (both channels)

export interface FillTarget {
  area: Area;
  /** Where the pages live: /s/<token> or /staff/fieldwork/interviews/<id>. */
  base: string;
  /** The title shown above every page (the wave's). */
  title: string;
  /** The portal's "continue later" link (anonymous and invited respondents), absolute. */
  resumeLink?: string | null | undefined;
  /** Interviewer mode: who is interviewed, for the caption. */
  respondent?: string | undefined;
}

function ResumeNote({ ctx, link }: { ctx: PageContext; link: string | null | undefined }) {
  if (!link) return null;
  return (
    <div class="notice" id="continue-later">
      <h2>{ctx.t('surveys.collect.resume.title')}</h2>
      <p>{ctx.t('surveys.collect.resume.text')}</p>
      <p>
        <a href={link}>{link}</a>
      </p>
    </div>
  );
}

export function FillPage(p: {
  ctx: PageContext;
  target: FillTarget;
  form: Form;
  page: Page;
  /** Position among the pages, 1-based, and their count. */
  number: number;
  total: number;
  answers: Answers;
  errors: FieldErrors;
  previous: number | null;
  today?: string | undefined;
  extra?: Record<string, number>;
}) {
  const { ctx, target, page, form } = p;
  const { t } = ctx;
  const heading = page.group ? textIn(page.group.label, ctx.locale, form) || page.group.name : target.title;
  return (
    <Layout ctx={ctx} title={heading} area={target.area}>
      {p.previous !== null && (
        <BackLink href={`${target.base}/p/${p.previous}`}>{t('surveys.collect.fill.back')}</BackLink>
      )}
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <span class="caption">
        {target.title} · {t('surveys.collect.fill.pageOf', { number: p.number, total: p.total })}
        {target.respondent ? ` · ${target.respondent}` : ''}
      </span>
      <h1>{heading}</h1>
      {page.group && textIn(page.group.hint, ctx.locale, form) && (
        <p class="hint">{textIn(page.group.hint, ctx.locale, form)}</p>
      )}
      <form method="post" action={`${target.base}/p/${page.index}`} novalidate>
        <CsrfField ctx={ctx} />
        <PageFields
          ctx={ctx}
          form={form}
          page={page}
          answers={p.answers}
          errors={p.errors}
          lang={ctx.locale}
          today={p.today}
          extra={p.extra ?? {}}
        />
        <button type="submit" class="button" name="_action" value="next">
          {t('surveys.collect.fill.continue')}
        </button>
      </form>
      <ResumeNote ctx={ctx} link={target.resumeLink} />
    </Layout>
  );
}

export function CheckAnswersPage(p: {
  ctx: PageContext;
  target: FillTarget;
  sections: SummarySection[];
  previous: number | null;
  errors: FieldErrors;
}) {
  const { ctx, target } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.collect.check.title')} area={target.area}>
      {p.previous !== null && (
        <BackLink href={`${target.base}/p/${p.previous}`}>{t('surveys.collect.fill.back')}</BackLink>
      )}
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <span class="caption">{target.title}</span>
      <h1>{t('surveys.collect.check.title')}</h1>
      {p.sections.map((s) => (
        <section key={s.page}>
          {s.title && <h2>{s.title}</h2>}
          <dl class="summary-list">
            {s.rows.map((r) => (
              <div class="summary-list__row" key={r.field}>
                <dt>{r.label}</dt>
                <dd>{r.value || <span class="hint">{t('surveys.collect.check.notAnswered')}</span>}</dd>
                <dd class="summary-list__actions">
                  <a href={`${target.base}/p/${s.page}#${r.field}`}>
                    {t('surveys.collect.check.change')}
                    <span class="visually-hidden"> {r.label}</span>
                  </a>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <h2>{t('surveys.collect.check.sendTitle')}</h2>
      <p>
        {t(
          target.area === 'staff' ? 'surveys.collect.check.sendTextStaff' : 'surveys.collect.check.sendText',
        )}
      </p>
      <form method="post" action={`${target.base}/submit`} novalidate>
        <CsrfField ctx={ctx} />
        <Button>{t('surveys.collect.check.send')}</Button>
      </form>
      <ResumeNote ctx={ctx} link={target.resumeLink} />
    </Layout>
  );
}

export function DonePage(p: { ctx: PageContext; area: Area; title: string; back?: string }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.collect.done.title')} area={p.area}>
      <div class="panel">
        <h1>{t('surveys.collect.done.title')}</h1>
        <p>{p.title}</p>
      </div>
      <p>{t(p.area === 'staff' ? 'surveys.collect.done.textStaff' : 'surveys.collect.done.text')}</p>
      {p.back && (
        <p>
          <a href={p.back}>{t('surveys.collect.fieldwork.title')}</a>
        </p>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- the portal's start and refusals

export function StartPage(p: {
  ctx: PageContext;
  wave: Wave;
  title: string;
  minutes: number;
  questions: number;
  /** Continue an unfinished response instead of starting one. */
  continueAt: string | null;
  /** A linked wave and nobody known: explain how to take part. */
  needsIdentity: boolean;
}) {
  const { ctx, wave } = p;
  const { t } = ctx;
  const base = `/s/${wave.token}`;
  return (
    <Layout ctx={ctx} title={p.title} area="portal">
      <h1>{p.title}</h1>
      <ul>
        <li>{t('surveys.collect.start.minutes', { count: p.minutes })}</li>
        <li>{t('surveys.collect.start.questions', { count: p.questions })}</li>
        <li>{t('surveys.collect.start.until', { date: formatDate(ctx.locale, wave.closesOn) })}</li>
      </ul>
      <h2>{t('surveys.collect.start.privacyTitle')}</h2>
      <p>
        {t(wave.mode === 'anonymous' ? 'surveys.collect.start.anonymous' : 'surveys.collect.start.linked')}
      </p>
      <p>{t('surveys.collect.start.privacy')}</p>
      <p>{t('surveys.collect.start.noJs')}</p>
      {p.needsIdentity ? (
        <div class="notice">
          <p>{t('surveys.collect.start.needsIdentity')}</p>
          <p>
            <a href={`/sign-in?return=${encodeURIComponent(base)}`}>{t('surveys.collect.start.signIn')}</a>
          </p>
        </div>
      ) : p.continueAt ? (
        <p>
          <a class="button" href={p.continueAt}>
            {t('surveys.collect.start.continue')}
          </a>
        </p>
      ) : (
        <form method="post" action={`${base}/start`} novalidate>
          <CsrfField ctx={ctx} />
          <Button>{t('surveys.collect.start.start')}</Button>
        </form>
      )}
    </Layout>
  );
}

/** Not open yet, closed, or not for this visitor: said plainly, with the dates. */
export function RefusalPage(p: {
  ctx: PageContext;
  title: string;
  heading: string;
  text: string;
  area?: Area;
  children?: ComponentChildren;
}) {
  return (
    <Layout ctx={p.ctx} title={p.heading} area={p.area ?? 'portal'}>
      <span class="caption">{p.title}</span>
      <h1>{p.heading}</h1>
      <p>{p.text}</p>
      {p.children}
    </Layout>
  );
}

// ---------------------------------------------------------------- staff: waves

export const SURVEYS = '/staff/surveys';

export interface WaveFormValues {
  title: string;
  mode: string;
  opensOn: string;
  closesOn: string;
  satisfactionQuestion: string;
}

export function WaveNewPage(p: {
  ctx: PageContext;
  questionnaireId: number;
  questionnaireTitle: string;
  versionNumber: number;
  candidates: Question[];
  form: Form;
  values: WaveFormValues;
  errors: FieldErrors;
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.collect.wave.newTitle')} area="staff">
      <BackLink href={`${SURVEYS}/${p.questionnaireId}`}>{p.questionnaireTitle}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <span class="caption">
        {p.questionnaireTitle} · {t('surveys.collect.wave.version', { number: p.versionNumber })}
      </span>
      <h1>{t('surveys.collect.wave.newTitle')}</h1>
      <form method="post" action={`${SURVEYS}/${p.questionnaireId}/waves`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('surveys.collect.wave.title')}
          value={values.title}
          error={errors.title}
        />
        <Radios
          ctx={ctx}
          name="mode"
          legend={t('surveys.collect.wave.mode')}
          choices={[
            {
              value: 'anonymous',
              label: t('surveys.collect.wave.modeAnonymous'),
              hint: t('surveys.collect.wave.modeAnonymousHint'),
            },
            {
              value: 'linked',
              label: t('surveys.collect.wave.modeLinked'),
              hint: t('surveys.collect.wave.modeLinkedHint'),
            },
          ]}
          checked={values.mode || undefined}
          error={errors.mode}
        />
        <TextField
          ctx={ctx}
          name="opensOn"
          type="date"
          width="half"
          label={t('surveys.collect.wave.opensOn')}
          hint={t('surveys.collect.fill.dateHint')}
          value={values.opensOn}
          error={errors.opensOn}
        />
        <TextField
          ctx={ctx}
          name="closesOn"
          type="date"
          width="half"
          label={t('surveys.collect.wave.closesOn')}
          hint={t('surveys.collect.fill.dateHint')}
          value={values.closesOn}
          error={errors.closesOn}
        />
        <Radios
          ctx={ctx}
          name="satisfactionQuestion"
          legend={t('surveys.collect.wave.satisfaction')}
          hint={t('surveys.collect.wave.satisfactionHint')}
          choices={[
            { value: '', label: t('surveys.collect.wave.satisfactionNone') },
            ...p.candidates.map((q) => ({
              value: q.name,
              label: `${textIn(q.label, ctx.locale, p.form) || q.name} (${q.name})`,
            })),
          ]}
          checked={values.satisfactionQuestion}
          error={errors.satisfactionQuestion}
        />
        <Button>{t('surveys.collect.wave.create')}</Button>
      </form>
    </Layout>
  );
}

export function WavePage(p: {
  ctx: PageContext;
  wave: Wave;
  questionnaireTitle: string;
  link: string;
  qrSvg: string;
  counts: WaveCounts;
  state: 'notYetOpen' | 'open' | 'closed';
}) {
  const { ctx, wave, counts } = p;
  const { t } = ctx;
  const base = `${SURVEYS}/waves/${wave.id}`;
  return (
    <Layout ctx={ctx} title={wave.title} area="staff">
      <BackLink href={`${SURVEYS}/${wave.questionnaireId}`}>{p.questionnaireTitle}</BackLink>
      <span class="caption">{p.questionnaireTitle}</span>
      <h1>{wave.title}</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{t('surveys.collect.wave.mode')}</dt>
          <dd>
            {t(
              wave.mode === 'anonymous'
                ? 'surveys.collect.wave.modeAnonymous'
                : 'surveys.collect.wave.modeLinked',
            )}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('surveys.collect.wave.dates')}</dt>
          <dd>
            {formatDate(ctx.locale, wave.opensOn)} — {formatDate(ctx.locale, wave.closesOn)} (
            {t(`surveys.collect.wave.state.${p.state}`)})
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('surveys.collect.wave.satisfaction')}</dt>
          <dd>{wave.satisfactionQuestion ?? t('surveys.collect.wave.satisfactionNone')}</dd>
        </div>
      </dl>
      <h2>{t('surveys.collect.wave.linkTitle')}</h2>
      <p>
        {t(
          wave.mode === 'anonymous' ? 'surveys.collect.wave.linkText' : 'surveys.collect.wave.linkTextLinked',
        )}
      </p>
      <p>
        <a href={p.link} id="public-link">
          {p.link}
        </a>
      </p>
      <figure class="qr">
        {/* The SVG is generated by the qrcode library from the link alone: no user text inside. */}
        <div
          role="img"
          aria-label={t('surveys.collect.wave.qrAlt', { link: p.link })}
          dangerouslySetInnerHTML={{ __html: p.qrSvg }}
        />
        <figcaption>
          <a href={`${base}/qr.svg`} download={`survey-${wave.id}-qr.svg`}>
            {t('surveys.collect.wave.qrDownload')}
          </a>
        </figcaption>
      </figure>
      <h2>{t('surveys.collect.wave.countsTitle')}</h2>
      <table class="table" id="counts">
        <caption class="visually-hidden">{t('surveys.collect.wave.countsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveys.collect.wave.channel')}</th>
            <th scope="col">{t('surveys.collect.wave.started')}</th>
            <th scope="col">{t('surveys.collect.wave.complete')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('surveys.collect.wave.channelPortal')}</th>
            <td>{counts.byChannel.portal.started}</td>
            <td>{counts.byChannel.portal.complete}</td>
          </tr>
          <tr>
            <th scope="row">{t('surveys.collect.wave.channelInterviewer')}</th>
            <td>{counts.byChannel.interviewer.started}</td>
            <td>{counts.byChannel.interviewer.complete}</td>
          </tr>
          <tr>
            <th scope="row">{t('surveys.collect.wave.total')}</th>
            <td>{counts.started}</td>
            <td>{counts.complete}</td>
          </tr>
        </tbody>
      </table>
      <h2>{t('surveys.collect.wave.next')}</h2>
      <ul>
        <li>
          <a href={`${base}/sample`}>{t('surveys.collect.wave.sample')}</a>
        </li>
        {wave.mode === 'linked' && (
          <li>
            <a href={`${base}/invitations`}>{t('surveys.invitations.title')}</a>
          </li>
        )}
        <li>
          <a href={`${base}/results`}>{t('surveys.collect.wave.results')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** The questionnaire page's list of waves (rendered inside surveys.pages.tsx). */
export function WavesSection({
  ctx,
  questionnaireId,
  waves,
}: {
  ctx: PageContext;
  questionnaireId: number;
  waves: Wave[];
}) {
  const { t } = ctx;
  return (
    <section id="waves">
      <h2>{t('surveys.collect.wave.listTitle')}</h2>
      {waves.length === 0 ? (
        <p>{t('surveys.collect.wave.none')}</p>
      ) : (
        <ul>
          {waves.map((w) => (
            <li key={w.id}>
              <a href={`${SURVEYS}/waves/${w.id}`}>{w.title}</a> — {formatDate(ctx.locale, w.opensOn)} —{' '}
              {formatDate(ctx.locale, w.closesOn)} (
              {t(
                w.mode === 'anonymous'
                  ? 'surveys.collect.wave.modeAnonymous'
                  : 'surveys.collect.wave.modeLinked',
              )}
              )
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button button--secondary" href={`${SURVEYS}/${questionnaireId}/waves/new`}>
          {t('surveys.collect.wave.createLink')}
        </a>
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- interviewer mode

export const FIELDWORK = '/staff/fieldwork';

export function FieldworkPage(p: {
  ctx: PageContext;
  waves: Wave[];
  unfinished: { id: number; title: string; personId: number | null; updatedAt: Date }[];
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.collect.fieldwork.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('surveys.collect.fieldwork.title')}</h1>
      <p class="lead">{t('surveys.collect.fieldwork.lead')}</p>
      <h2>{t('surveys.collect.fieldwork.unfinished')}</h2>
      {p.unfinished.length === 0 ? (
        <p>{t('surveys.collect.fieldwork.noUnfinished')}</p>
      ) : (
        <ul id="unfinished">
          {p.unfinished.map((r) => (
            <li key={r.id}>
              <a href={`${FIELDWORK}/interviews/${r.id}`}>
                {t('surveys.collect.fieldwork.resume', { title: r.title, number: r.id })}
              </a>{' '}
              <span class="hint">({formatDate(ctx.locale, r.updatedAt)})</span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('surveys.collect.fieldwork.open')}</h2>
      {p.waves.length === 0 ? (
        <p>{t('surveys.collect.fieldwork.noWaves')}</p>
      ) : (
        <ul id="open-waves">
          {p.waves.map((w) => (
            <li key={w.id}>
              <a href={`${FIELDWORK}/waves/${w.id}`}>{w.title}</a>{' '}
              <span class="hint">
                (
                {t(
                  w.mode === 'anonymous'
                    ? 'surveys.collect.wave.modeAnonymous'
                    : 'surveys.collect.wave.modeLinked',
                )}
                , {t('surveys.collect.start.until', { date: formatDate(ctx.locale, w.closesOn) })})
              </span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function InterviewStartPage(p: { ctx: PageContext; wave: Wave; snils: string; errors: FieldErrors }) {
  const { ctx, wave, errors } = p;
  const { t } = ctx;
  const action = `${FIELDWORK}/waves/${wave.id}/start`;
  return (
    <Layout ctx={ctx} title={wave.title} area="staff">
      <BackLink href={FIELDWORK}>{t('surveys.collect.fieldwork.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <span class="caption">{t('surveys.collect.fieldwork.title')}</span>
      <h1>{wave.title}</h1>
      {wave.mode === 'linked' ? (
        <>
          <p>{t('surveys.collect.fieldwork.linkedText')}</p>
          <form method="post" action={action} novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              ctx={ctx}
              name="snils"
              label={t('surveys.collect.fieldwork.snils')}
              hint={t('surveys.collect.fieldwork.snilsHint')}
              value={p.snils}
              error={errors.snils}
              inputMode="numeric"
              width="half"
              autocomplete="off"
            />
            <Button>{t('surveys.collect.fieldwork.startLinked')}</Button>
          </form>
        </>
      ) : (
        <>
          <p>{t('surveys.collect.fieldwork.anonymousText')}</p>
          <form method="post" action={action} novalidate>
            <CsrfField ctx={ctx} />
            <Button>{t('surveys.collect.fieldwork.startAnonymous')}</Button>
          </form>
        </>
      )}
    </Layout>
  );
}
