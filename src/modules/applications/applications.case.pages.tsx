// The case page: the application, what the rules engine says, the person and household, documents,
// notes, appeals and the history of every step. Each action is a small form carrying the version
// of the case the specialist saw, so a change made meanwhile by someone else is never overwritten.
import { formatDate, formatMoney, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  ErrorSummary,
  type FieldErrors,
  SummaryList,
  Tag,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { MeasureForApplication } from '../catalog/catalog.service.ts';
import { PersonDetails } from '../registry/registry.pages.tsx';
import { fullName, type PersonRecordForStaff } from '../registry/registry.service.ts';
import type { Evaluation } from '../rules/rules.service.ts';
import type { StaffMember } from '../staff/staff.service.ts';
import {
  AppealsSection,
  DocumentsSection,
  HistorySection,
  NotesSection,
} from './applications.case.parts.tsx';
import type { Appeal, Application, ApplicationDocument, ApplicationEvent } from './applications.service.ts';
import {
  Area,
  CaseForm,
  Deadline,
  type Names,
  nameOf,
  PriorityTags,
  Radios,
  Select,
  StateTag,
  type Titles,
} from './applications.staff.pages.tsx';
import {
  type CaseAction,
  DECIDED_STATES,
  isRefusalGround,
  OPEN_STATES,
  REFUSAL_GROUNDS,
  staffActions,
} from './applications.states.ts';

export type Values = Record<string, string>;

export interface CaseView {
  app: Application;
  measure: MeasureForApplication;
  record: PersonRecordForStaff;
  documents: ApplicationDocument[];
  events: ApplicationEvent[];
  appeals: Appeal[];
  /** The rules engine's evaluation; undefined when the measure has no rules, 'error' when they failed. */
  support: Evaluation | undefined | 'error';
  names: Names;
  assignable: StaffMember[];
  titles: Titles;
  today: string;
}

export interface CaseProps {
  ctx: PageContext;
  view: CaseView;
  errors: FieldErrors;
  values: Values;
  /** Specialists, district heads, administrators act; analysts read. */
  canWork: boolean;
  /** The district head (and administrator) assigns anyone; a specialist only takes a free case. */
  canAssignOthers: boolean;
  appealKey: string;
}

export const caseTitle = (ctx: PageContext, app: Pick<Application, 'number' | 'id'>) =>
  ctx.t('applications.staff.case.title', { number: app.number ?? String(app.id) });

export function CasePage(p: CaseProps) {
  const { ctx, view } = p;
  const { app, measure } = view;
  const { t, locale } = ctx;
  const open = (OPEN_STATES as readonly string[]).includes(app.state);
  return (
    <Layout ctx={ctx} title={caseTitle(ctx, app)} area="staff">
      <BackLink href="/staff/applications">{t('applications.staff.queue.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <p class="caption">{pick(locale, measure.title_ru, measure.title_en)}</p>
      <h1>{caseTitle(ctx, app)}</h1>
      <p>
        <StateTag ctx={ctx} state={app.state} />
      </p>
      <CaseSummary {...p} />
      {p.canWork && open && <Assignment {...p} />}
      {app.decision && <DecisionSection {...p} />}
      <RulesSection ctx={ctx} support={view.support} />
      {p.canWork && staffActions(app.state).length > 0 && <Actions {...p} />}
      <h2 id="papers">{t('applications.staff.papers')}</h2>
      <ul class="list">
        <li>
          <a href={`/staff/applications/${app.id}/letters/application.pdf`}>
            {t('applications.staff.papers.application')}
          </a>
        </li>
        <li>
          <a href={`/staff/applications/${app.id}/letters/receipt.pdf`}>
            {t('applications.staff.papers.receipt')}
          </a>
        </li>
        {(DECIDED_STATES as readonly string[]).includes(app.state) && (
          <li>
            <a href={`/staff/applications/${app.id}/letters/decision.pdf`}>
              {t('applications.staff.papers.decision')}
            </a>
          </li>
        )}
      </ul>
      <PersonSection ctx={ctx} view={view} />
      <DocumentsSection {...p} />
      <NotesSection {...p} />
      <AppealsSection {...p} />
      <HistorySection {...p} />
    </Layout>
  );
}

function CaseSummary({ ctx, view }: CaseProps) {
  const { app, record, titles, names, today } = view;
  const { t, locale } = ctx;
  const date = (d: string | null) => (d ? formatDate(locale, d) : '—');
  const payment = app.answers.payment;
  const rows: [string, preact.ComponentChildren][] = [
    [t('applications.staff.number'), app.number ?? '—'],
    [
      t('applications.staff.applicant'),
      <a key="p" href={`/staff/registry/persons/${record.person.id}`}>
        {fullName(record.person)}
      </a>,
    ],
    [t('applications.staff.channel'), t(`applications.channel.${app.channel}`)],
    [t('applications.staff.submitted'), app.submitted_at ? formatDate(locale, app.submitted_at) : '—'],
    [t('applications.staff.registered'), date(app.registered_on)],
    [t('applications.staff.deadline'), <Deadline key="d" ctx={ctx} app={app} today={today} />],
  ];
  if (app.paused_days > 0)
    rows.push([t('applications.staff.pausedDays'), t('applications.staff.days', { count: app.paused_days })]);
  if (app.state === 'waiting_interagency' && app.interagency_due_on)
    rows.push([t('applications.staff.interagencyDue'), date(app.interagency_due_on)]);
  rows.push(
    [
      t('applications.staff.priority'),
      <PriorityTags key="r" ctx={ctx} reasons={app.priority_reasons} titles={titles} />,
    ],
    [t('applications.staff.assignee'), nameOf(names, app.assignee_id, t('applications.staff.unassigned'))],
    [t('person.phone'), app.answers.phone ?? '—'],
    [t('person.email'), app.answers.email ?? '—'],
  );
  if (payment)
    rows.push([
      t('applications.staff.details.payment'),
      payment.method === 'bank'
        ? t('applications.staff.paymentBank', { account: payment.account, bik: payment.bik })
        : t('applications.staff.details.post'),
    ]);
  return <SummaryList rows={rows} />;
}

function Assignment({ ctx, view, errors, canAssignOthers }: CaseProps) {
  const { t } = ctx;
  const { app } = view;
  const action = `/staff/applications/${app.id}/assign`;
  if (canAssignOthers)
    return (
      <CaseForm ctx={ctx} action={action} version={app.version}>
        <Select
          ctx={ctx}
          id="assign-assignee"
          name="assignee"
          label={t('applications.staff.assign.label')}
          placeholder={app.assignee_id === null ? t('applications.staff.choose') : undefined}
          choices={view.assignable.map((s) => ({
            value: String(s.id),
            label: `${s.fullName} (${t(`staff.role.${s.role}`)})`,
          }))}
          value={app.assignee_id === null ? '' : String(app.assignee_id)}
          error={errors['assign-assignee']}
        />
        <Button secondary>{t('applications.staff.assign.submit')}</Button>
      </CaseForm>
    );
  if (app.assignee_id !== null || ctx.actor.kind !== 'staff') return null;
  return (
    <CaseForm ctx={ctx} action={action} version={app.version}>
      <input type="hidden" name="assignee" value={String(ctx.actor.userId)} />
      <Button secondary>{t('applications.staff.assign.take')}</Button>
    </CaseForm>
  );
}

/** Actions whose form needs a text: what to ask for, why, or the reasons for a decision. */
const NOTE_LABEL: Partial<Record<CaseAction, MessageKey>> = {
  request_documents: 'applications.staff.action.request_documents.note',
  suspend: 'applications.staff.action.suspend.note',
  refuse: 'applications.staff.action.refuse.note',
  approve: 'applications.staff.action.approve.note',
};

function Actions(p: CaseProps) {
  const { ctx, view, errors, values } = p;
  const { app, support } = view;
  const { t, locale } = ctx;
  const id = (a: CaseAction, f: string) => `${a}-${f}`;
  const againstRules = support !== undefined && support !== 'error' && !support.eligible;
  return (
    <>
      <h2 id="actions" tabIndex={-1}>
        {t('applications.staff.actions')}
      </h2>
      {staffActions(app.state).map((a) => {
        const noteLabel = NOTE_LABEL[a];
        const hint =
          a === 'approve'
            ? t(
                againstRules
                  ? 'applications.staff.action.approve.required'
                  : 'applications.staff.action.approve.hint',
              )
            : t(`applications.staff.action.${a}.hint` as MessageKey);
        return (
          <section key={a} class="outcome" aria-labelledby={`${a}-heading`}>
            <h3 id={`${a}-heading`}>{t(`applications.staff.action.${a}` as MessageKey)}</h3>
            <CaseForm ctx={ctx} action={`/staff/applications/${app.id}/actions/${a}`} version={app.version}>
              {a === 'refuse' && (
                <Radios
                  ctx={ctx}
                  id={id(a, 'ground')}
                  name="ground"
                  legend={t('applications.staff.action.refuse.ground')}
                  checked={[values[id(a, 'ground')] ?? '']}
                  error={errors[id(a, 'ground')]}
                  choices={Object.entries(REFUSAL_GROUNDS).map(([value, g]) => ({
                    value,
                    label: pick(locale, g.ru, g.en),
                  }))}
                />
              )}
              {noteLabel ? (
                <Area
                  ctx={ctx}
                  id={id(a, 'note')}
                  name="note"
                  label={t(noteLabel)}
                  hint={hint}
                  value={values[id(a, 'note')]}
                  error={errors[id(a, 'note')]}
                />
              ) : (
                <p class="hint">{hint}</p>
              )}
              <Button secondary={a !== 'approve' && a !== 'start_review' && a !== 'register'}>
                {t(`applications.staff.action.${a}.submit` as MessageKey)}
              </Button>
            </CaseForm>
          </section>
        );
      })}
    </>
  );
}

function DecisionSection({ ctx, view }: CaseProps) {
  const { t, locale } = ctx;
  const d = view.app.decision!;
  const rows: [string, string][] = [
    [t('applications.staff.decision.outcome'), t(`applications.state.${d.outcome}`)],
    [t('applications.staff.decision.on'), formatDate(locale, d.on)],
    [t('applications.staff.decision.by'), d.decidedBy],
  ];
  if (d.outcome === 'approved') {
    rows.push([t('applications.staff.decision.amount'), formatMoney(locale, d.amount ?? 0)]);
    if (d.startDate) rows.push([t('applications.staff.decision.start'), formatDate(locale, d.startDate)]);
  }
  if (d.ground && isRefusalGround(d.ground)) {
    const g = REFUSAL_GROUNDS[d.ground];
    rows.push([t('applications.staff.decision.ground'), pick(locale, g.ru, g.en)]);
  }
  if (d.note) rows.push([t('applications.staff.decision.note'), d.note]);
  if (d.onAppeal) rows.push([t('applications.staff.decision.onAppeal'), t('applications.staff.yes')]);
  return (
    <>
      <h2 id="decision">{t('applications.staff.decision')}</h2>
      <SummaryList rows={rows} />
    </>
  );
}

function RulesSection({ ctx, support }: { ctx: PageContext; support: CaseView['support'] }) {
  const { t, locale } = ctx;
  return (
    <>
      <h2 id="rules">{t('applications.staff.rules')}</h2>
      {support === undefined ? (
        <p>{t('applications.staff.rules.none')}</p>
      ) : support === 'error' ? (
        <p>{t('applications.staff.rules.error')}</p>
      ) : (
        <>
          <p>
            <Tag tone={support.eligible ? 'green' : 'red'}>
              {t(
                support.eligible
                  ? 'applications.staff.rules.eligible'
                  : 'applications.staff.rules.notEligible',
              )}
            </Tag>{' '}
            {support.eligible &&
              support.amount !== null &&
              t('applications.staff.rules.amount', { amount: formatMoney(locale, support.amount) })}
          </p>
          <ul class="conditions">
            {support.conditions.map((c) => (
              <li key={c.id} class={c.passed ? 'conditions__met' : 'conditions__unmet'}>
                <span aria-hidden="true">{c.passed ? '✓' : '✗'} </span>
                <span class="visually-hidden">
                  {t(c.passed ? 'applications.staff.rules.met' : 'applications.staff.rules.notMet')}{' '}
                </span>
                {pick(locale, c.text.ru, c.text.en)}
              </li>
            ))}
          </ul>
          {support.amountText && (
            <p class="hint">{pick(locale, support.amountText.ru, support.amountText.en)}</p>
          )}
          <p class="caption">{t('applications.staff.rules.version', { version: support.version })}</p>
        </>
      )}
    </>
  );
}

function PersonSection({ ctx, view }: { ctx: PageContext; view: CaseView }) {
  const { t, locale } = ctx;
  const { record } = view;
  const current = record.assignments.filter((a) => a.status !== 'ended');
  return (
    <>
      <h2 id="person">{t('applications.staff.person')}</h2>
      <p class="caption">{t('registry.view.audited')}</p>
      <PersonDetails
        ctx={ctx}
        person={record.person}
        household={record.household}
        categoryTitles={view.titles}
      />
      <h3>{t('applications.staff.person.assignments')}</h3>
      {current.length === 0 ? (
        <p>{t('registry.assignments.none')}</p>
      ) : (
        <ul class="list">
          {current.map((a) => (
            <li key={a.id}>
              {pick(locale, a.measure_title_ru, a.measure_title_en) || a.measure_code} —{' '}
              {formatMoney(locale, a.amount)},{' '}
              {t('registry.period.from', { start: formatDate(locale, a.start_date) })} (
              {t(`registry.status.${a.status}`)})
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/staff/registry/persons/${record.person.id}`}>{t('staff.person.fullRecord')}</a>
      </p>
    </>
  );
}
