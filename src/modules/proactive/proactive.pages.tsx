// Staff pages of proactive work: sweeps and their live progress, proposals to decide, the emergency
// measure flow and mass extensions. GOV.UK patterns: one question per page, check answers, PRG.
import type { ComponentChildren } from 'preact';
import { formatDate, formatMoney, formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  SummaryList,
  Tag,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { SweepStatus } from './proactive.schema.ts';
import type { ProposalView, StoredExplanation } from './proactive.service.ts';

type Titled = { code: string; title_ru: string; title_en: string };
const title = (ctx: PageContext, m: Titled) => pick(ctx.locale, m.title_ru, m.title_en);

// ---------------------------------------------------------------- form parts the platform lacks

interface Choice {
  value: string;
  label: string;
  hint?: string | undefined;
}

/** Radios or checkboxes in a fieldset; the first input carries the field's id for the error summary. */
export function Choices(p: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string;
  type: 'radio' | 'checkbox';
  choices: Choice[];
  checked: string[];
  error?: string | undefined;
  asHeading?: boolean;
}) {
  const describedBy = [p.hint ? `${p.name}-hint` : '', p.error ? `${p.name}-error` : ''].filter(Boolean);
  return (
    <div class={`field${p.error ? ' field--error' : ''}`}>
      <fieldset aria-describedby={describedBy.join(' ') || undefined}>
        <legend class="label">{p.asHeading ? <h1>{p.legend}</h1> : p.legend}</legend>
        {p.hint && (
          <div class="hint" id={`${p.name}-hint`}>
            {p.hint}
          </div>
        )}
        <FieldError ctx={p.ctx} name={p.name} error={p.error} />
        {p.choices.map((c, i) => {
          const id = i === 0 ? p.name : `${p.name}-${i}`;
          return (
            <div class="field" key={c.value}>
              <input
                type={p.type}
                id={id}
                name={p.name}
                value={c.value}
                checked={p.checked.includes(c.value)}
                aria-describedby={c.hint ? `${id}-hint` : undefined}
              />{' '}
              <label for={id}>{c.label}</label>
              {c.hint && (
                <div class="hint" id={`${id}-hint`}>
                  {c.hint}
                </div>
              )}
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

function SelectField(p: {
  ctx: PageContext;
  name: string;
  label: string;
  choices: Choice[];
  value: string;
  error?: string | undefined;
}) {
  return (
    <div class={`field${p.error ? ' field--error' : ''}`}>
      <label class="label" for={p.name}>
        {p.label}
      </label>
      <FieldError ctx={p.ctx} name={p.name} error={p.error} />
      <select id={p.name} name={p.name} aria-describedby={p.error ? `${p.name}-error` : undefined}>
        <option value="">{p.ctx.t('proactive.choose')}</option>
        {p.choices.map((c) => (
          <option key={c.value} value={c.value} selected={c.value === p.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const STATUS_TONE: Record<string, 'blue' | 'green' | 'grey' | 'red'> = {
  queued: 'grey',
  running: 'blue',
  done: 'green',
  failed: 'red',
  draft: 'grey',
  proposed: 'blue',
  published: 'green',
  rejected: 'red',
};

function Status({ ctx, status }: { ctx: PageContext; status: string }) {
  return <Tag tone={STATUS_TONE[status] ?? 'grey'}>{ctx.t(`proactive.status.${status}` as MessageKey)}</Tag>;
}

// ---------------------------------------------------------------- sweeps

export interface SweepRow {
  id: number;
  measure: Titled;
  as_of: string;
  status: SweepStatus;
  total: number;
  processed: number;
  eligible: number;
  proposals_created: number;
  error: string | null;
  created_at: Date;
}

export function SweepsPage(p: {
  ctx: PageContext;
  measures: (Titled & { autoAssignable: boolean })[];
  sweeps: SweepRow[];
  values: { measure: string; as_of: string; auto_assign: boolean };
  errors: FieldErrors;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.sweeps.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{t('proactive.sweeps.title')}</h1>
      <p class="lead">{t('proactive.sweeps.lead')}</p>
      <form method="post" action="/staff/sweeps" novalidate>
        <CsrfField ctx={ctx} />
        <SelectField
          ctx={ctx}
          name="measure"
          label={t('proactive.sweeps.measure')}
          value={p.values.measure}
          error={p.errors.measure}
          choices={p.measures.map((m) => ({ value: m.code, label: `${title(ctx, m)} (${m.code})` }))}
        />
        <TextField
          ctx={ctx}
          name="as_of"
          type="date"
          label={t('proactive.sweeps.asOf')}
          hint={t('proactive.sweeps.asOfHint')}
          value={p.values.as_of}
          error={p.errors.as_of}
          width="half"
        />
        <Choices
          ctx={ctx}
          name="auto_assign"
          type="checkbox"
          legend={t('proactive.sweeps.policy')}
          error={p.errors.auto_assign}
          checked={p.values.auto_assign ? ['yes'] : []}
          choices={[
            {
              value: 'yes',
              label: t('proactive.sweeps.autoAssign'),
              hint: t('proactive.sweeps.autoAssignHint', {
                codes: p.measures
                  .filter((m) => m.autoAssignable)
                  .map((m) => m.code)
                  .join(', '),
              }),
            },
          ]}
        />
        <Button>{t('proactive.sweeps.start')}</Button>
      </form>
      <h2>{t('proactive.sweeps.recent')}</h2>
      {p.sweeps.length === 0 ? (
        <p>{t('proactive.sweeps.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('proactive.sweeps.recent')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('proactive.sweeps.measure')}</th>
              <th scope="col">{t('proactive.sweeps.asOf')}</th>
              <th scope="col">{t('proactive.sweep.status')}</th>
              <th scope="col">{t('proactive.sweep.created')}</th>
            </tr>
          </thead>
          <tbody>
            {p.sweeps.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={`/staff/sweeps/${s.id}`}>{title(ctx, s.measure)}</a>
                </td>
                <td>{formatDate(ctx.locale, s.as_of)}</td>
                <td>
                  <Status ctx={ctx} status={s.status} />
                </td>
                <td>{formatNumber(ctx.locale, s.proposals_created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** Figures of a sweep as shown, in the reader's language; the progress JSON sends the same strings. */
export function sweepDisplay(ctx: PageContext, s: SweepRow, accepted: number) {
  const n = (v: number) => formatNumber(ctx.locale, v);
  return {
    status: ctx.t(`proactive.status.${s.status}` as MessageKey),
    processed: ctx.t('proactive.sweep.ofTotal', { done: n(s.processed), total: n(s.total) }),
    eligible: n(s.eligible),
    created: n(s.proposals_created),
    accepted: n(accepted),
  };
}

export function SweepPage({ ctx, sweep, accepted }: { ctx: PageContext; sweep: SweepRow; accepted: number }) {
  const { t } = ctx;
  const live = sweep.status === 'queued' || sweep.status === 'running';
  const shown = sweepDisplay(ctx, sweep, accepted);
  const heading = t('proactive.sweep.title', { measure: title(ctx, sweep.measure) });
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      {live && (
        // Without JavaScript the page reloads itself; with it, proactive-progress.js updates in place.
        <noscript>
          <meta http-equiv="refresh" content="2" />
        </noscript>
      )}
      <BackLink href="/staff/sweeps">{t('proactive.sweeps.title')}</BackLink>
      <h1>{heading}</h1>
      <div data-sweep-progress={live ? `/staff/sweeps/${sweep.id}/progress.json` : undefined}>
        <p role="status">
          <Tag tone={STATUS_TONE[sweep.status] ?? 'grey'}>
            <span data-field="status">{shown.status}</span>
          </Tag>
        </p>
        {live && <p class="hint">{t('proactive.sweep.refreshing')}</p>}
        <progress
          class="input"
          max={Math.max(sweep.total, 1)}
          value={sweep.processed}
          aria-label={t('proactive.sweep.processed')}
        />
        <SummaryList
          rows={[
            [t('proactive.sweeps.asOf'), formatDate(ctx.locale, sweep.as_of)],
            [t('proactive.sweep.processed'), <span data-field="processed">{shown.processed}</span>],
            [t('proactive.sweep.eligible'), <span data-field="eligible">{shown.eligible}</span>],
            [t('proactive.sweep.created'), <span data-field="created">{shown.created}</span>],
            [t('proactive.sweep.accepted'), <span data-field="accepted">{shown.accepted}</span>],
          ]}
        />
      </div>
      {sweep.status === 'failed' && (
        <div class="notice">
          <h2>{t('proactive.sweep.failed')}</h2>
          <p>{sweep.error}</p>
        </div>
      )}
      {live && (
        <p>
          <a href={`/staff/sweeps/${sweep.id}`}>{t('proactive.sweep.reload')}</a>
        </p>
      )}
      <script src="/assets/proactive-progress.js" defer />
    </Layout>
  );
}

// ---------------------------------------------------------------- proposals

function Why({ ctx, explanation }: { ctx: PageContext; explanation: StoredExplanation }) {
  return (
    <ul class="list">
      {explanation.conditions
        .filter((c) => c.passed)
        .map((c) => (
          <li key={c.id}>{pick(ctx.locale, c.text.ru, c.text.en)}</li>
        ))}
      {explanation.amountText && (
        <li>{pick(ctx.locale, explanation.amountText.ru, explanation.amountText.en)}</li>
      )}
    </ul>
  );
}

const money = (ctx: PageContext, amount: number | null) =>
  amount === null ? ctx.t('proactive.noAmount') : formatMoney(ctx.locale, amount);

export function ProposalsPage(p: {
  ctx: PageContext;
  proposals: ProposalView[];
  total: number;
  page: number;
  pages: number;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.proposals.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('proactive.proposals.title')}</h1>
      <p class="lead">{t('proactive.proposals.lead', { count: p.total })}</p>
      <p class="caption">{t('staff.person.audited')}</p>
      {p.proposals.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">{t('proactive.proposals.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('proactive.proposals.person')}</th>
              <th scope="col">{t('proactive.proposals.measure')}</th>
              <th scope="col">{t('proactive.proposals.amount')}</th>
              <th scope="col">{t('proactive.proposals.why')}</th>
            </tr>
          </thead>
          <tbody>
            {p.proposals.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={`/staff/proposals/${row.id}`}>{row.personName}</a>
                </td>
                <td>{title(ctx, row.measure)}</td>
                <td>{money(ctx, row.amount)}</td>
                <td>
                  <Why ctx={ctx} explanation={row.explanation} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.pages > 1 && (
        <nav aria-label={t('proactive.pagination')}>
          <p>
            {p.page > 1 && <a href={`/staff/proposals?page=${p.page - 1}`}>{t('proactive.previous')}</a>}{' '}
            {t('proactive.pageOf', { page: p.page, pages: p.pages })}{' '}
            {p.page < p.pages && <a href={`/staff/proposals?page=${p.page + 1}`}>{t('proactive.next')}</a>}
          </p>
        </nav>
      )}
    </Layout>
  );
}

export function ProposalPage({
  ctx,
  proposal,
}: {
  ctx: PageContext;
  proposal: ProposalView & { status: string };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.proposal.title')} area="staff">
      <BackLink href="/staff/proposals">{t('proactive.proposals.title')}</BackLink>
      <h1>{t('proactive.proposal.title')}</h1>
      <p class="caption">{t('staff.person.audited')}</p>
      <SummaryList
        rows={[
          [
            t('proactive.proposals.person'),
            <a href={`/staff/persons/${proposal.personId}`}>{proposal.personName}</a>,
          ],
          [t('proactive.proposals.measure'), title(ctx, proposal.measure)],
          [t('proactive.proposals.amount'), money(ctx, proposal.amount)],
          [
            t('proactive.proposal.rule'),
            t('proactive.proposal.version', { version: proposal.explanation.version }),
          ],
          [t('proactive.sweep.status'), <Status ctx={ctx} status={proposal.status} />],
        ]}
      />
      <h2>{t('proactive.proposals.why')}</h2>
      <Why ctx={ctx} explanation={proposal.explanation} />
      {proposal.status === 'open' && (
        <>
          <form method="post" action={`/staff/proposals/${proposal.id}/accept`}>
            <CsrfField ctx={ctx} />
            <Button>{t('proactive.proposal.accept')}</Button>
          </form>
          <p>
            <a href={`/staff/proposals/${proposal.id}/decline`}>{t('proactive.proposal.decline')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

export function DeclinePage(p: { ctx: PageContext; id: number; reason: string; errors: FieldErrors }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.decline.title')} area="staff">
      <BackLink href={`/staff/proposals/${p.id}`}>{t('proactive.proposal.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{t('proactive.decline.title')}</h1>
      <form method="post" action={`/staff/proposals/${p.id}/decline`} novalidate>
        <CsrfField ctx={ctx} />
        <TextArea
          ctx={ctx}
          name="reason"
          label={t('proactive.decline.reason')}
          hint={t('proactive.decline.reasonHint')}
          value={p.reason}
          error={p.errors.reason}
        />
        <Button>{t('proactive.decline.submit')}</Button>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------- one question per page

export interface Question {
  /** Field names and how each is asked. */
  fields: (
    | {
        kind: 'text';
        name: string;
        label: string;
        hint?: string;
        width?: 'full' | 'half' | 'short';
        type?: 'text' | 'date';
        inputMode?: 'numeric';
      }
    | { kind: 'textarea'; name: string; label: string; hint?: string }
    | { kind: 'radio' | 'checkbox'; name: string; label: string; hint?: string; choices: Choice[] }
  )[];
  heading: string;
  caption: string;
}

/** A step of a multi-page flow: the answers so far travel in `state`, this page's in its fields. */
export function QuestionPage(p: {
  ctx: PageContext;
  question: Question;
  action: string;
  back: string;
  state: string;
  values: Record<string, string | string[]>;
  errors: FieldErrors;
}) {
  const { ctx, question } = p;
  const single =
    question.fields.length === 1 &&
    question.fields[0]!.kind !== 'text' &&
    question.fields[0]!.kind !== 'textarea';
  const value = (name: string) => {
    const v = p.values[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  const list = (name: string) => {
    const v = p.values[name];
    return Array.isArray(v) ? v : v ? [v] : [];
  };
  return (
    <Layout ctx={ctx} title={question.heading} area="staff">
      <BackLink href={p.back}>{ctx.t('proactive.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <p class="caption">{question.caption}</p>
      {!single && <h1>{question.heading}</h1>}
      <form method="post" action={p.action} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="state" value={p.state} />
        {question.fields.map((f) =>
          f.kind === 'text' ? (
            <TextField
              key={f.name}
              ctx={ctx}
              name={f.name}
              label={f.label}
              hint={f.hint}
              type={f.type ?? 'text'}
              inputMode={f.inputMode}
              width={f.width}
              value={value(f.name)}
              error={p.errors[f.name]}
            />
          ) : f.kind === 'textarea' ? (
            <TextArea
              key={f.name}
              ctx={ctx}
              name={f.name}
              label={f.label}
              hint={f.hint}
              value={value(f.name)}
              error={p.errors[f.name]}
            />
          ) : (
            <Choices
              key={f.name}
              ctx={ctx}
              name={f.name}
              type={f.kind}
              legend={single ? question.heading : f.label}
              asHeading={single}
              hint={f.hint}
              choices={f.choices}
              checked={list(f.name)}
              error={p.errors[f.name]}
            />
          ),
        )}
        <Button>{ctx.t('form.continue')}</Button>
      </form>
    </Layout>
  );
}

/** Check your answers: each row links back to its question; the button does the thing. */
export function CheckAnswersPage(p: {
  ctx: PageContext;
  heading: string;
  rows: { key: string; value: ComponentChildren; change: string }[];
  action: string;
  state: string;
  submit: string;
  warning?: string;
  back: string;
}) {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.heading} area="staff">
      <BackLink href={p.back}>{ctx.t('proactive.back')}</BackLink>
      <h1>{p.heading}</h1>
      <dl class="summary-list">
        {p.rows.map((r) => (
          <div class="summary-list__row" key={r.key}>
            <dt>{r.key}</dt>
            <dd>{r.value}</dd>
            <dd>
              <a href={r.change}>
                {ctx.t('proactive.change')}
                <span class="visually-hidden"> {r.key}</span>
              </a>
            </dd>
          </div>
        ))}
      </dl>
      {p.warning && <p class="notice">{p.warning}</p>}
      <form method="post" action={p.action}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="state" value={p.state} />
        <Button>{p.submit}</Button>
      </form>
    </Layout>
  );
}

/** A short confirmation or outcome page with one button (or none). */
export function ConfirmPage(p: {
  ctx: PageContext;
  heading: string;
  text: string;
  action?: string;
  submit?: string;
  back: string;
  errors?: FieldErrors;
}) {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.heading} area="staff">
      <BackLink href={p.back}>{ctx.t('proactive.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors ?? {}} />
      <h1>{p.heading}</h1>
      <p>{p.text}</p>
      {p.action && (
        <form method="post" action={p.action}>
          <CsrfField ctx={ctx} />
          <Button>{p.submit}</Button>
        </form>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- emergency measures

export interface EmergencyVersionRow {
  id: number;
  version: number;
  status: string;
  effective_from: string;
  measure: Titled;
}

export function EmergencyIndexPage({ ctx, pending }: { ctx: PageContext; pending: EmergencyVersionRow[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.emergency.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('proactive.emergency.title')}</h1>
      <p class="lead">{t('proactive.emergency.lead')}</p>
      <p>
        <a class="button" href="/staff/emergency/new/template">
          {t('proactive.emergency.start')}
        </a>
      </p>
      <h2>{t('proactive.emergency.pending')}</h2>
      {pending.length === 0 ? (
        <p>{t('proactive.emergency.none')}</p>
      ) : (
        <ul class="list">
          {pending.map((v) => (
            <li key={v.id}>
              <a href={`/staff/emergency/${v.id}`}>
                {title(ctx, v.measure)} ({v.measure.code})
              </a>{' '}
              <Status ctx={ctx} status={v.status} />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface DryRunView {
  asOf: string;
  people: number;
  cost: number;
  periodicity: string;
  byDistrict: { code: string; name_ru: string; name_en: string; people: number; cost: number }[];
  seconds: number;
}

function DryRunTable({ ctx, result }: { ctx: PageContext; result: DryRunView }) {
  const { t, locale } = ctx;
  const costLabel =
    result.periodicity === 'monthly'
      ? t('proactive.emergency.costMonthly')
      : t('proactive.emergency.costOnce');
  return (
    <>
      <SummaryList
        rows={[
          [t('proactive.emergency.people'), formatNumber(locale, result.people)],
          [costLabel, formatMoney(locale, result.cost)],
        ]}
      />
      <table class="table">
        <caption class="visually-hidden">{t('proactive.emergency.dryRunHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('proactive.emergency.district')}</th>
            <th scope="col">{t('proactive.emergency.people')}</th>
            <th scope="col">{costLabel}</th>
          </tr>
        </thead>
        <tbody>
          {result.byDistrict.map((d) => (
            <tr key={d.code}>
              <th scope="row">{pick(locale, d.name_ru, d.name_en)}</th>
              <td>{formatNumber(locale, d.people)}</td>
              <td>{formatMoney(locale, d.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="caption">{t('proactive.emergency.dryRunTime', { seconds: result.seconds.toFixed(1) })}</p>
    </>
  );
}

export function EmergencyPage(p: {
  ctx: PageContext;
  version: { id: number; version: number; status: string; effective_from: string };
  measure: Titled;
  asOf: string;
  dryRun: DryRunView | undefined;
  errors: FieldErrors;
  ownProposal: boolean;
}) {
  const { ctx, version } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title(ctx, p.measure)} area="staff">
      <BackLink href="/staff/emergency">{t('proactive.emergency.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <p class="caption">{t('proactive.emergency.caption')}</p>
      <h1>{title(ctx, p.measure)}</h1>
      <SummaryList
        rows={[
          [t('proactive.emergency.codeLabel'), p.measure.code],
          [
            t('proactive.emergency.rule'),
            t('proactive.emergency.version', {
              version: version.version,
              date: formatDate(ctx.locale, version.effective_from),
            }),
          ],
          [t('proactive.sweep.status'), <Status ctx={ctx} status={version.status} />],
        ]}
      />
      {version.status === 'published' ? (
        <>
          <p>{t('proactive.emergency.publishedText')}</p>
          <p>
            <a class="button" href={`/staff/sweeps?measure=${encodeURIComponent(p.measure.code)}`}>
              {t('proactive.emergency.sweep')}
            </a>
          </p>
        </>
      ) : (
        <>
          <h2>{t('proactive.emergency.dryRunHeading')}</h2>
          <form method="get" action={`/staff/emergency/${version.id}/dry-run`} novalidate>
            <TextField
              ctx={ctx}
              name="as_of"
              type="date"
              label={t('proactive.emergency.dryRunAsOf')}
              value={p.asOf}
              error={p.errors.as_of}
              width="half"
            />
            <Button secondary>{t('proactive.emergency.dryRun')}</Button>
          </form>
          {p.dryRun && <DryRunTable ctx={ctx} result={p.dryRun} />}
          {version.status === 'draft' && (
            <form method="post" action={`/staff/emergency/${version.id}/propose`}>
              <CsrfField ctx={ctx} />
              <Button>{t('proactive.emergency.propose')}</Button>
            </form>
          )}
          {version.status === 'proposed' && (
            <>
              <p class="notice">
                {p.ownProposal ? t('proactive.emergency.ownProposal') : t('proactive.emergency.awaiting')}
              </p>
              <form method="post" action={`/staff/emergency/${version.id}/approve`}>
                <CsrfField ctx={ctx} />
                <span id="approve" />
                <Button>{t('proactive.emergency.approve')}</Button>
              </form>
            </>
          )}
        </>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- mass extensions

export interface ExtensionRow {
  id: number;
  measure_codes: string[];
  months: number;
  reason: string;
  created_at: Date;
  affected: number;
  reverted_at: Date | null;
}

export function ExtensionsPage({ ctx, past }: { ctx: PageContext; past: ExtensionRow[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('proactive.extensions.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('proactive.extensions.title')}</h1>
      <p class="lead">{t('proactive.extensions.lead')}</p>
      <p>
        <a class="button" href="/staff/extensions/new/measures">
          {t('proactive.extensions.start')}
        </a>
      </p>
      <h2>{t('proactive.extensions.past')}</h2>
      {past.length === 0 ? (
        <p>{t('proactive.extensions.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('proactive.extensions.past')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('proactive.extensions.created')}</th>
              <th scope="col">{t('proactive.extensions.measures')}</th>
              <th scope="col">{t('proactive.extensions.months')}</th>
              <th scope="col">{t('proactive.extensions.reason')}</th>
              <th scope="col">{t('proactive.extensions.affected')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('proactive.extensions.revert')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {past.map((x) => (
              <tr key={x.id}>
                <td>{formatDate(locale, x.created_at)}</td>
                <td>{x.measure_codes.join(', ')}</td>
                <td>{formatNumber(locale, x.months)}</td>
                <td>{x.reason}</td>
                <td>{formatNumber(locale, x.affected)}</td>
                <td>
                  {x.reverted_at ? (
                    <Tag tone="grey">{t('proactive.extensions.reverted')}</Tag>
                  ) : (
                    <a href={`/staff/extensions/${x.id}/revert`}>
                      {t('proactive.extensions.revert')}
                      <span class="visually-hidden"> {x.measure_codes.join(', ')}</span>
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
