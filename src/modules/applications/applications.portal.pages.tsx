// The resident's side of applications: the start page, one question per page (contact, payment,
// documents), check your answers, the confirmation, "My applications", a case's page, withdrawal and
// an appeal. Plain forms only: every page works without JavaScript, uploads included.
import type { ComponentChildren } from 'preact';
import { formatDate, formatMoney, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  FileField,
  SummaryList,
  Tag,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { MeasureForApplication } from '../catalog/catalog.service.ts';
import { fullName } from '../registry/registry.pages.tsx';
import type { personForResident } from '../registry/registry.service.ts';
import { formatSnils } from '../registry/snils.ts';
import type { ApplicationAnswers, ApplicationState } from './applications.schema.ts';
import type { Appeal, Application, ApplicationDocument, ApplicationEvent } from './applications.service.ts';
import {
  APPEAL_DECISION_DAYS,
  appealOpenUntil,
  canTake,
  daysLeft,
  isRefusalGround,
  REFUSAL_GROUNDS,
} from './applications.states.ts';

type Person = Awaited<ReturnType<typeof personForResident>>['person'];
type Doc = MeasureForApplication['documents'][number];
export type Step = 'contact' | 'payment' | 'documents' | 'check';

const base = (id: number) => `/me/applications/${id}`;
const title = (ctx: PageContext, m: Pick<MeasureForApplication, 'title_ru' | 'title_en'>) =>
  pick(ctx.locale, m.title_ru, m.title_en);
const docTitle = (ctx: PageContext, d: Pick<Doc, 'title_ru' | 'title_en'>) =>
  pick(ctx.locale, d.title_ru, d.title_en);

/** Megabytes for the "up to N MB" texts. */
export const megabytes = (bytes: number) => Math.max(1, Math.round(bytes / 1024 / 1024));

function RequestedList({ ctx, docs }: { ctx: PageContext; docs: Doc[] }) {
  if (docs.length === 0) return null;
  return (
    <>
      <h2>{ctx.t('apply.start.weRequest')}</h2>
      <p>{ctx.t('apply.start.weRequestText')}</p>
      <ul class="list">
        {docs.map((d) => (
          <li key={d.id}>
            {ctx.t('apply.requestedFrom', {
              document: docTitle(ctx, d),
              agency: d.interagency_agency ? ctx.t(`agency.${d.interagency_agency}`) : '',
            })}
          </li>
        ))}
      </ul>
    </>
  );
}

// ------------------------------------------------------------ start

export function StartPage(p: {
  ctx: PageContext;
  measure: MeasureForApplication;
  online: boolean;
  toUpload: Doc[];
  weRequest: Doc[];
  needsPayment: boolean;
  limitBytes: number;
}) {
  const { ctx, measure: m } = p;
  const { t } = ctx;
  const measureTitle = title(ctx, m);
  if (!p.online)
    return (
      <Layout ctx={ctx} title={t('apply.start.notOnline')} area="portal">
        <BackLink href={`/measures/${m.code}`}>{measureTitle}</BackLink>
        <p class="caption">{measureTitle}</p>
        <h1>{t('apply.start.notOnline')}</h1>
        <p>{t('apply.start.inPerson')}</p>
        <p>
          <a href={`/measures/${m.code}`}>{t('apply.start.measurePage')}</a>
        </p>
      </Layout>
    );
  const heading = t('apply.start.title', { measure: measureTitle });
  return (
    <Layout ctx={ctx} title={heading} area="portal">
      <BackLink href={`/measures/${m.code}`}>{measureTitle}</BackLink>
      <h1>{heading}</h1>
      <p class="lead">{t('apply.start.lead')}</p>
      <h2>{t('apply.start.need')}</h2>
      <ul class="list">
        <li>{t('apply.start.needContact')}</li>
        {p.needsPayment && <li>{t('apply.start.needBank')}</li>}
        {p.toUpload.length > 0 && <li>{t('apply.start.needFiles', { limit: megabytes(p.limitBytes) })}</li>}
      </ul>
      <h2>{t('apply.start.upload')}</h2>
      {p.toUpload.length === 0 ? (
        <p>{t('apply.start.uploadNone')}</p>
      ) : (
        <ul class="list">
          {p.toUpload.map((d) => (
            <li key={d.id}>{docTitle(ctx, d)}</li>
          ))}
        </ul>
      )}
      <RequestedList ctx={ctx} docs={p.weRequest} />
      <h2>{t('apply.start.time')}</h2>
      <p>{t('apply.start.timeText', { count: m.decision_days })}</p>
      {ctx.actor.kind === 'resident' ? (
        <form method="post" action="/me/applications">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="measure" value={m.code} />
          <Button>{t('apply.start.button')}</Button>
        </form>
      ) : (
        <>
          <p>{t('apply.start.signIn')}</p>
          <p>
            <a class="button" href={`/sign-in?return=${encodeURIComponent(`/measures/${m.code}/apply`)}`}>
              {t('apply.start.button')}
            </a>
          </p>
        </>
      )}
      <p class="caption">{t('apply.start.draft')}</p>
    </Layout>
  );
}

// ------------------------------------------------------------ steps

interface StepProps {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
  back: string;
  /** Came from "check your answers": saving goes back there. */
  fromCheck: boolean;
  errors?: FieldErrors;
}

function StepPage(p: StepProps & { heading: string; children: ComponentChildren }) {
  return (
    <Layout ctx={p.ctx} title={p.heading} area="portal">
      <BackLink href={p.back}>{p.ctx.t('apply.back')}</BackLink>
      <ErrorSummary ctx={p.ctx} errors={p.errors ?? {}} />
      <p class="caption">{title(p.ctx, p.measure)}</p>
      {p.children}
    </Layout>
  );
}

function ReturnField({ fromCheck }: { fromCheck: boolean }) {
  return fromCheck ? <input type="hidden" name="return" value="check" /> : null;
}

export function ContactPage(p: StepProps & { values: { phone?: string; email?: string } }) {
  const { ctx, errors = {} } = p;
  const { t } = ctx;
  return (
    <StepPage {...p} heading={t('apply.contact.title')}>
      <h1>{t('apply.contact.title')}</h1>
      <p>{t('apply.contact.hint')}</p>
      <form method="post" action={`${base(p.app.id)}/contact`} novalidate>
        <CsrfField ctx={ctx} />
        <ReturnField fromCheck={p.fromCheck} />
        <TextField
          ctx={ctx}
          name="phone"
          type="tel"
          label={t('apply.contact.phone')}
          hint={t('apply.contact.phoneHint')}
          autocomplete="tel"
          width="half"
          value={p.values.phone}
          error={errors.phone}
        />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t('apply.contact.email')}
          autocomplete="email"
          value={p.values.email}
          error={errors.email}
        />
        <Button>{t('apply.save')}</Button>
      </form>
    </StepPage>
  );
}

export function PaymentPage(p: StepProps & { values: { method?: string; bik?: string; account?: string } }) {
  const { ctx, errors = {}, values } = p;
  const { t } = ctx;
  const described = [errors.method ? 'method-error' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <StepPage {...p} heading={t('apply.payment.title')}>
      <form method="post" action={`${base(p.app.id)}/payment`} novalidate>
        <CsrfField ctx={ctx} />
        <ReturnField fromCheck={p.fromCheck} />
        <div class={`field${errors.method ? ' field--error' : ''}`}>
          <fieldset class="fieldset" aria-describedby={described}>
            <legend class="fieldset__legend">
              <h1>{t('apply.payment.title')}</h1>
            </legend>
            <FieldError ctx={ctx} name="method" error={errors.method} />
            <div class="choice">
              <input
                type="radio"
                id="method"
                name="method"
                value="bank"
                checked={values.method === 'bank'}
                aria-describedby="method-bank-hint"
              />
              <label for="method">{t('apply.payment.bank')}</label>
            </div>
            {/* The bank's fields follow their option and stay visible: the reveal needs no script. */}
            <div class="conditional">
              <p class="hint" id="method-bank-hint">
                {t('apply.payment.bankHint')}
              </p>
              <TextField
                ctx={ctx}
                name="bik"
                label={t('apply.payment.bik')}
                hint={t('apply.payment.bikHint')}
                inputMode="numeric"
                width="short"
                value={values.bik}
                error={errors.bik}
              />
              <TextField
                ctx={ctx}
                name="account"
                label={t('apply.payment.account')}
                hint={t('apply.payment.accountHint')}
                inputMode="numeric"
                width="half"
                value={values.account}
                error={errors.account}
              />
            </div>
            <div class="choice">
              <input
                type="radio"
                id="method-post"
                name="method"
                value="post"
                checked={values.method === 'post'}
                aria-describedby="method-post-hint"
              />
              <label for="method-post">{t('apply.payment.post')}</label>
            </div>
            <p class="hint" id="method-post-hint">
              {t('apply.payment.postHint')}
            </p>
          </fieldset>
        </div>
        <Button>{t('apply.save')}</Button>
      </form>
    </StepPage>
  );
}

export const fileFieldId = (measureDocumentId: number) => `file-${measureDocumentId}`;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

function FileInput(p: { ctx: PageContext; id: string; label: string; hint?: string; error?: string }) {
  return (
    <FileField
      ctx={p.ctx}
      name="file"
      id={p.id}
      label={p.label}
      hint={p.hint}
      error={p.error}
      accept={ACCEPT}
    />
  );
}

function RemoveButton({ ctx, app, doc }: { ctx: PageContext; app: Application; doc: ApplicationDocument }) {
  return (
    <form method="post" action={`${base(app.id)}/documents/${doc.id}/remove`} class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class="link-button">
        {ctx.t('apply.documents.remove')}
        <span class="visually-hidden"> {doc.filename}</span>
      </button>
    </form>
  );
}

export function DocumentsPage(
  p: StepProps & {
    toUpload: Doc[];
    weRequest: Doc[];
    documents: ApplicationDocument[];
    limitBytes: number;
  },
) {
  const { ctx, app, errors = {} } = p;
  const { t } = ctx;
  return (
    <StepPage {...p} heading={t('apply.documents.title')}>
      <h1>{t('apply.documents.title')}</h1>
      <p>{t('apply.documents.lead', { limit: megabytes(p.limitBytes) })}</p>
      {p.toUpload.map((d) => {
        const id = fileFieldId(d.id);
        const mine = p.documents.filter((x) => x.measure_document_id === d.id);
        return (
          <section key={d.id} aria-labelledby={`doc-${d.id}`}>
            <h2 id={`doc-${d.id}`}>{docTitle(ctx, d)}</h2>
            {mine.length === 0 ? (
              <p>{t('apply.documents.none')}</p>
            ) : (
              <ul class="list">
                {mine.map((x) => (
                  <li key={x.id}>
                    {t('apply.documents.uploaded')} <strong>{x.filename}</strong>{' '}
                    <RemoveButton ctx={ctx} app={app} doc={x} />
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={`${base(app.id)}/documents`} enctype="multipart/form-data">
              <CsrfField ctx={ctx} />
              <input type="hidden" name="measure_document_id" value={String(d.id)} />
              <FileInput
                ctx={ctx}
                id={id}
                label={mine.length ? t('apply.documents.another') : t('apply.documents.file')}
                error={errors[id]}
              />
              <Button secondary>{t('apply.documents.upload')}</Button>
            </form>
          </section>
        );
      })}
      <RequestedList ctx={ctx} docs={p.weRequest} />
      <form method="post" action={`${base(app.id)}/documents/done`}>
        <CsrfField ctx={ctx} />
        <ReturnField fromCheck={p.fromCheck} />
        <Button>{t('form.continue')}</Button>
      </form>
    </StepPage>
  );
}

// ------------------------------------------------------------ check your answers

function ActionRows({ rows }: { rows: [string, ComponentChildren, ComponentChildren?][] }) {
  return (
    <dl class="summary-list">
      {rows.map(([key, value, action]) => (
        <div class="summary-list__row" key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
          {action && <dd class="summary-list__actions">{action}</dd>}
        </div>
      ))}
    </dl>
  );
}

function ChangeLink({ ctx, href, what }: { ctx: PageContext; href: string; what: string }) {
  return (
    <a href={href}>
      {ctx.t('apply.check.change')}
      <span class="visually-hidden"> {what}</span>
    </a>
  );
}

export function paymentText(ctx: PageContext, payment: ApplicationAnswers['payment']): string {
  if (!payment) return ctx.t('apply.check.notGiven');
  return payment.method === 'bank'
    ? ctx.t('apply.check.paymentBank', { account: payment.account, bik: payment.bik })
    : ctx.t('apply.check.paymentPost');
}

export function CheckPage(p: {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
  person: Person;
  needsPayment: boolean;
  toUpload: Doc[];
  weRequest: Doc[];
  documents: ApplicationDocument[];
  back: string;
  errors?: FieldErrors;
}) {
  const { ctx, app, person, errors = {} } = p;
  const { t, locale } = ctx;
  const a = app.answers;
  const change = (step: Step) => `${base(app.id)}/${step}?change=1`;
  const notGiven = t('apply.check.notGiven');
  const place = [
    pick(locale, person.district_ru, person.district_en),
    person.settlement_ru && pick(locale, person.settlement_ru, person.settlement_en ?? ''),
  ]
    .filter(Boolean)
    .join(', ');
  const answerRows: [string, ComponentChildren, ComponentChildren][] = [
    [
      t('apply.contact.phone'),
      a.phone ?? notGiven,
      <ChangeLink ctx={ctx} href={change('contact')} what={t('apply.contact.phone')} />,
    ],
    [
      t('apply.contact.email'),
      a.email ?? notGiven,
      <ChangeLink ctx={ctx} href={change('contact')} what={t('apply.contact.email')} />,
    ],
  ];
  if (p.needsPayment)
    answerRows.push([
      t('apply.check.payment'),
      paymentText(ctx, a.payment),
      <ChangeLink ctx={ctx} href={change('payment')} what={t('apply.check.payment')} />,
    ]);
  const docRows: [string, ComponentChildren, ComponentChildren][] = p.toUpload.map((d) => [
    docTitle(ctx, d),
    p.documents
      .filter((x) => x.measure_document_id === d.id)
      .map((x) => x.filename)
      .join(', '),
    <ChangeLink ctx={ctx} href={change('documents')} what={docTitle(ctx, d)} />,
  ]);
  const heading = t('apply.check.title');
  return (
    <Layout ctx={ctx} title={heading} area="portal">
      <BackLink href={p.back}>{t('apply.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">{title(ctx, p.measure)}</p>
      <h1>{heading}</h1>
      <h2>{t('apply.check.person')}</h2>
      <SummaryList
        rows={[
          [t('person.name'), fullName(person)],
          [t('person.snils'), formatSnils(person.snils)],
          [t('person.birthDate'), formatDate(locale, person.birth_date)],
          [t('person.address'), person.address],
          [t('person.district'), place],
        ]}
      />
      <p class="notice">{t('apply.check.personNote')}</p>
      <h2>{t('apply.check.answers')}</h2>
      <ActionRows rows={answerRows} />
      <h2>{t('apply.check.documents')}</h2>
      {docRows.length ? <ActionRows rows={docRows} /> : <p>{t('apply.check.noDocuments')}</p>}
      <RequestedList ctx={ctx} docs={p.weRequest} />
      <form method="post" action={`${base(app.id)}/check`}>
        <CsrfField ctx={ctx} />
        <h2>{t('apply.check.declaration')}</h2>
        <div class={`field${errors.declared ? ' field--error' : ''}`}>
          <FieldError ctx={ctx} name="declared" error={errors.declared} />
          <div class="choice">
            <input
              type="checkbox"
              id="declared"
              name="declared"
              value="yes"
              aria-invalid={errors.declared ? 'true' : undefined}
              aria-describedby={errors.declared ? 'declared-error' : undefined}
            />
            <label for="declared">{t('apply.check.declare')}</label>
          </div>
        </div>
        <Button>{t('apply.check.send')}</Button>
      </form>
    </Layout>
  );
}

export function SentPage({
  ctx,
  app,
  measure,
}: {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apply.sent.title')} area="portal">
      <div class="panel">
        <h1 class="panel__title">{t('apply.sent.title')}</h1>
        <p>
          {t('apply.sent.number')}
          <br />
          <strong class="panel__number">{app.number}</strong>
        </p>
      </div>
      <p>{title(ctx, measure)}</p>
      <h2>{t('apply.sent.next')}</h2>
      <p>{t('apply.sent.nextText', { count: measure.decision_days })}</p>
      <p>{t('apply.sent.messages')}</p>
      <p>
        <a href={base(app.id)}>{t('apply.my.open')}</a>
      </p>
      <p>
        <a href="/me/applications">{t('apply.sent.my')}</a>
      </p>
    </Layout>
  );
}

// ------------------------------------------------------------ my applications

const TONE: Record<ApplicationState, 'blue' | 'green' | 'grey' | 'red'> = {
  draft: 'grey',
  submitted: 'blue',
  registered: 'blue',
  waiting_resident: 'red',
  waiting_interagency: 'blue',
  under_review: 'blue',
  approved: 'green',
  refused: 'red',
  suspended: 'grey',
  withdrawn: 'grey',
};

export function StateTag({ ctx, state }: { ctx: PageContext; state: ApplicationState }) {
  return <Tag tone={TONE[state]}>{ctx.t(`applications.state.${state}`)}</Tag>;
}

/** The deadline as a date with the working days left, or how it will be set. */
export function deadlineText(ctx: PageContext, app: Application, today: string): string | undefined {
  const { t, locale } = ctx;
  if (app.state === 'draft') return undefined;
  if (!app.deadline_on)
    return app.state === 'submitted'
      ? t('apply.deadline.afterRegistration', { count: app.decision_days })
      : undefined;
  if (['approved', 'refused', 'withdrawn'].includes(app.state)) return formatDate(locale, app.deadline_on);
  if (app.state === 'waiting_resident')
    return `${formatDate(locale, app.deadline_on)} (${t('apply.deadline.paused')})`;
  const left = daysLeft(app.deadline_on, today);
  const days =
    left >= 0 ? t('applications.daysLeft', { count: left }) : t('applications.daysOverdue', { count: -left });
  return t('apply.deadline.withDays', { date: formatDate(locale, app.deadline_on), days });
}

/** What happens next, in plain words, for the state the case is in. */
export function nextText(ctx: PageContext, app: Application, today: string): string {
  const { t, locale } = ctx;
  const due = app.deadline_on ? formatDate(locale, app.deadline_on) : '';
  switch (app.state) {
    case 'refused': {
      const until = app.decision ? appealOpenUntil(app.decision.on) : today;
      return t(today <= until ? 'apply.next.refused' : 'apply.next.refusedLate', {
        date: formatDate(locale, until),
      });
    }
    case 'registered':
    case 'under_review':
    case 'waiting_interagency':
      return t(`apply.next.${app.state}`, { date: due });
    default:
      return t(`apply.next.${app.state}`);
  }
}

export interface ListedApplication {
  app: Application;
  measure: { code: string; title_ru: string; title_en: string };
  /** Drafts: where "Continue" leads. */
  continueAt?: string;
}

export function MyApplicationsPage({
  ctx,
  items,
  today,
}: {
  ctx: PageContext;
  items: ListedApplication[];
  today: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apply.my.title')} area="portal">
      <h1>{t('apply.my.title')}</h1>
      {items.length === 0 && <p>{t('apply.my.empty')}</p>}
      {items.map(({ app, measure, continueAt }) => {
        const deadline = deadlineText(ctx, app, today);
        return (
          <section class="outcome" key={app.id} aria-labelledby={`app-${app.id}`}>
            <h2 id={`app-${app.id}`}>
              <a href={continueAt ?? base(app.id)}>{title(ctx, measure)}</a>
            </h2>
            <SummaryList
              rows={[
                [t('apply.my.number'), app.number ?? t('apply.my.notSent')],
                [t('apply.my.status'), <StateTag ctx={ctx} state={app.state} />],
                ...(deadline ? [[t('apply.my.deadline'), deadline] as [string, string]] : []),
                [t('apply.my.next'), nextText(ctx, app, today)],
              ]}
            />
            {continueAt && (
              <p>
                <a href={continueAt}>
                  {t('apply.my.continue')}
                  <span class="visually-hidden">: {title(ctx, measure)}</span>
                </a>
              </p>
            )}
          </section>
        );
      })}
      <p>
        <a href="/">{t('apply.my.find')}</a>
      </p>
    </Layout>
  );
}

// ------------------------------------------------------------ a case

const EVENT_TEXT: Record<string, MessageKey> = {
  submitted: 'apply.event.submitted',
  registered: 'apply.event.registered',
  register: 'apply.event.register',
  request_documents: 'apply.event.request_documents',
  documents_received: 'apply.event.documents_received',
  start_review: 'apply.event.start_review',
  approve: 'apply.event.approve',
  approved_on_appeal: 'apply.event.approved_on_appeal',
  refuse: 'apply.event.refuse',
  suspend: 'apply.event.suspend',
  resume: 'apply.event.resume',
  withdrawn: 'apply.event.withdrawn',
  message: 'apply.event.message',
  document_added: 'apply.event.document_added',
  appeal_filed: 'apply.event.appeal_filed',
  appeal_upheld: 'apply.event.appeal_upheld',
  appeal_dismissed: 'apply.event.appeal_dismissed',
};

function groundText(ctx: PageContext, ground: unknown): string | undefined {
  if (typeof ground !== 'string' || !isRefusalGround(ground)) return undefined;
  const g = REFUSAL_GROUNDS[ground];
  return pick(ctx.locale, g.ru, g.en);
}

/** What the resident reads under an event: the specialist's words, the ground, the document. */
function eventDetail(ctx: PageContext, e: ApplicationEvent): string | undefined {
  const d = e.details as Record<string, unknown>;
  const text = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : undefined);
  switch (e.kind) {
    case 'message':
      return text('text');
    case 'refuse':
      return [groundText(ctx, d.ground), text('note')].filter(Boolean).join('. ') || undefined;
    case 'document_added':
      return text('title');
    case 'appeal_filed':
      return text('grounds');
    default:
      return text('note');
  }
}

function Timeline({ ctx, events }: { ctx: PageContext; events: ApplicationEvent[] }) {
  const { t, locale } = ctx;
  return (
    <ol class="list timeline">
      {[...events].reverse().map((e) => {
        const detail = eventDetail(ctx, e);
        const key = EVENT_TEXT[e.kind] ?? 'apply.event.other';
        return (
          <li key={e.id}>
            <strong>{t(key)}</strong>
            {key === 'apply.event.other' && e.to_state && (
              <> : {t(`applications.state.${e.to_state as ApplicationState}`)}</>
            )}
            <br />
            <span class="caption">{formatDate(locale, e.at)}</span>
            {detail && <p class="timeline__text">{detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}

function AppealSummary({
  ctx,
  app,
  appeal,
  today,
}: {
  ctx: PageContext;
  app: Application;
  appeal: Appeal;
  today: string;
}) {
  const { t, locale } = ctx;
  const left = daysLeft(appeal.deadline_on, today);
  const due =
    appeal.state === 'registered'
      ? t('apply.deadline.withDays', {
          date: formatDate(locale, appeal.deadline_on),
          days:
            left >= 0
              ? t('applications.daysLeft', { count: left })
              : t('applications.daysOverdue', { count: -left }),
        })
      : formatDate(locale, appeal.deadline_on);
  return (
    <section aria-labelledby={`appeal-${appeal.id}`}>
      <h2 id={`appeal-${appeal.id}`}>{t('apply.detail.appeals')}</h2>
      <SummaryList
        rows={[
          [t('apply.detail.appealFiled'), formatDate(locale, appeal.registered_on)],
          [
            t('apply.detail.appealState'),
            <Tag tone={appeal.state === 'upheld' ? 'green' : appeal.state === 'dismissed' ? 'red' : 'blue'}>
              {t(`applications.appeal.state.${appeal.state}`)}
            </Tag>,
          ],
          [t('apply.detail.appealLevel'), t(`applications.appeal.level.${appeal.level}`)],
          [t('apply.detail.appealDeadline'), due],
          ...(appeal.outcome_note
            ? [[t('apply.detail.appealOutcome'), appeal.outcome_note] as [string, string]]
            : []),
        ]}
      />
      {appeal.state !== 'registered' && (
        <p>
          <a href={`${base(app.id)}/appeals/${appeal.id}/letter.pdf`}>{t('apply.detail.appealLetter')}</a>
        </p>
      )}
    </section>
  );
}

export function DetailPage(p: {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
  documents: ApplicationDocument[];
  events: ApplicationEvent[];
  appeals: Appeal[];
  today: string;
  limitBytes: number;
  errors?: FieldErrors;
  values?: { title?: string };
}) {
  const { ctx, app, today, errors = {} } = p;
  const { t, locale } = ctx;
  const heading = title(ctx, p.measure);
  const deadline = deadlineText(ctx, app, today);
  const d = app.decision;
  const requests = p.events.filter((e) => e.kind === 'request_documents');
  const lastRequest = requests.at(-1);
  const requestNote = lastRequest ? eventDetail(ctx, lastRequest) : undefined;
  const appealUntil = d && app.state === 'refused' ? appealOpenUntil(d.on) : undefined;
  const canAppeal =
    appealUntil !== undefined && today <= appealUntil && !p.appeals.some((a) => a.state === 'registered');
  return (
    <Layout ctx={ctx} title={heading} area="portal">
      <BackLink href="/me/applications">{t('apply.my.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">{t('apply.detail.caption', { number: app.number ?? '' })}</p>
      <h1>{heading}</h1>
      <SummaryList
        rows={[
          [t('apply.my.status'), <StateTag ctx={ctx} state={app.state} />],
          ...(app.submitted_at
            ? [[t('apply.detail.sentOn'), formatDate(locale, app.submitted_at)] as [string, string]]
            : []),
          [t('apply.detail.channel'), t(`applications.channel.${app.channel}`)],
          ...(deadline ? [[t('apply.my.deadline'), deadline] as [string, string]] : []),
          [t('apply.my.next'), nextText(ctx, app, today)],
        ]}
      />

      {app.state === 'waiting_resident' && (
        <section aria-labelledby="requested">
          <h2 id="requested">{t('apply.detail.requested')}</h2>
          {requestNote && (
            <>
              <p>{t('apply.detail.requestedText')}</p>
              <p class="notice">{requestNote}</p>
            </>
          )}
          <form method="post" action={`${base(app.id)}/documents`} enctype="multipart/form-data">
            <CsrfField ctx={ctx} />
            <TextField
              ctx={ctx}
              name="title"
              label={t('apply.documents.title.field')}
              hint={t('apply.documents.title.hint')}
              value={p.values?.title}
              error={errors.title}
            />
            <FileInput
              ctx={ctx}
              id="file"
              label={t('apply.detail.uploadHere')}
              hint={t('apply.documents.lead', { limit: megabytes(p.limitBytes) })}
              error={errors.file}
            />
            <Button>{t('apply.documents.upload')}</Button>
          </form>
        </section>
      )}

      {d && (
        <section aria-labelledby="decision">
          <h2 id="decision">{t('apply.detail.decision')}</h2>
          {d.outcome === 'approved' ? (
            <p>
              {t('apply.detail.approvedText', { date: formatDate(locale, d.startDate ?? d.on) })}
              {d.amount ? ` ${t('apply.detail.amount', { amount: formatMoney(locale, d.amount) })}` : ''}
            </p>
          ) : (
            <p>{t('apply.detail.refusedText', { ground: groundText(ctx, d.ground) ?? '' })}</p>
          )}
          {d.note && <p>{d.note}</p>}
          <p>
            <a href={`${base(app.id)}/letter.pdf`}>{t('apply.detail.letter')}</a>
          </p>
          {appealUntil && canAppeal && (
            <>
              <p>{t('apply.detail.appealUntil', { date: formatDate(locale, appealUntil) })}</p>
              <p>
                <a class="button" href={`${base(app.id)}/appeal`}>
                  {t('apply.detail.appeal')}
                </a>
              </p>
            </>
          )}
        </section>
      )}

      {p.appeals.map((a) => (
        <AppealSummary key={a.id} ctx={ctx} app={app} appeal={a} today={today} />
      ))}

      <h2>{t('apply.detail.documents')}</h2>
      {p.documents.length === 0 ? (
        <p>{t('apply.detail.noDocuments')}</p>
      ) : (
        <ul class="list">
          {p.documents.map((x) => (
            <li key={x.id}>
              {x.title}: <a href={`/me/documents/${x.id}`}>{x.filename}</a>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('apply.detail.history')}</h2>
      <Timeline ctx={ctx} events={p.events} />

      {canTake('withdraw', app.state) && (
        <p>
          <a href={`${base(app.id)}/withdraw`}>{t('apply.detail.withdraw')}</a>
        </p>
      )}
    </Layout>
  );
}

export function WithdrawPage(p: {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
  errors?: FieldErrors;
}) {
  const { ctx, app, errors = {} } = p;
  const { t } = ctx;
  const possible = canTake('withdraw', app.state);
  return (
    <Layout ctx={ctx} title={t('apply.withdraw.title')} area="portal">
      <BackLink href={base(app.id)}>{t('apply.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('apply.withdraw.title')}</h1>
      {possible ? (
        <>
          <p>{t('apply.withdraw.text', { number: app.number ?? '', measure: title(ctx, p.measure) })}</p>
          <form method="post" action={`${base(app.id)}/withdraw`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(app.version)} />
            <button type="submit" class="button" id="withdraw">
              {t('apply.withdraw.confirm')}
            </button>
          </form>
        </>
      ) : (
        <p id="withdraw">{t('apply.withdraw.late')}</p>
      )}
      <p>
        <a href={base(app.id)}>{t('apply.withdraw.cancel')}</a>
      </p>
    </Layout>
  );
}

export function AppealPage(p: {
  ctx: PageContext;
  app: Application;
  measure: MeasureForApplication;
  idempotencyKey: string;
  grounds: string;
  errors?: FieldErrors;
}) {
  const { ctx, app, errors = {} } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apply.appeal.title')} area="portal">
      <BackLink href={base(app.id)}>{t('apply.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">
        {t('apply.detail.caption', { number: app.number ?? '' })}: {title(ctx, p.measure)}
      </p>
      <h1>{t('apply.appeal.title')}</h1>
      <p>{t('apply.appeal.lead', { days: APPEAL_DECISION_DAYS })}</p>
      <form method="post" action={`${base(app.id)}/appeal`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="key" value={p.idempotencyKey} />
        <TextArea
          ctx={ctx}
          name="grounds"
          label={t('apply.appeal.grounds')}
          hint={t('apply.appeal.groundsHint')}
          rows={8}
          value={p.grounds}
          error={errors.grounds}
        />
        <Button>{t('apply.appeal.send')}</Button>
      </form>
    </Layout>
  );
}
