// Parts the staff pages of applications share: form controls whose id differs from their name (a
// case page has many small forms, each field needs its own id for the error summary), the state,
// priority and deadline of a case as tags, and names for the people involved.
import type { ComponentChildren } from 'preact';
import { addWorkingDays } from '../../platform/calendar/calendar.service.ts';
import { formatDate, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { type Choice, describedBy, FieldShell, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import type { ApplicationState } from './applications.schema.ts';
import type { Application } from './applications.service.ts';
import { DECIDED_STATES, daysLeft, REGISTRATION_DAYS, urgencyOf } from './applications.states.ts';

export type Titles = Map<string, { ru: string; en: string }>;
export type Names = Map<number, string>;

export type { Choice } from '../../platform/ui/components.tsx';

/** A text input whose id (for the error summary) may differ from its name. */
export function Input(p: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'date' | 'tel' | 'email';
  width?: 'full' | 'half' | 'short';
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  autocomplete?: string;
}) {
  return (
    <FieldShell ctx={p.ctx} name={p.id} label={p.label} hint={p.hint} error={p.error}>
      <input
        class={`input input--${p.width ?? 'full'}`}
        id={p.id}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value ?? ''}
        inputMode={p.inputMode}
        autocomplete={p.autocomplete ?? 'off'}
        spellcheck={false}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      />
    </FieldShell>
  );
}

export function Area(p: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  rows?: number;
}) {
  return (
    <FieldShell ctx={p.ctx} name={p.id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        id={p.id}
        name={p.name}
        rows={p.rows ?? 3}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        value={p.value ?? ''}
      />
    </FieldShell>
  );
}

export function Select(p: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  choices: Choice[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The empty first option's text; none when the list always has a value. */
  placeholder?: string;
}) {
  return (
    <FieldShell ctx={p.ctx} name={p.id} label={p.label} hint={p.hint} error={p.error}>
      <select
        id={p.id}
        name={p.name}
        class="input"
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      >
        {p.placeholder !== undefined && <option value="">{p.placeholder}</option>}
        {p.choices.map((c) => (
          <option key={c.value} value={c.value} selected={c.value === p.value}>
            {c.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export { Radios } from '../../platform/ui/components.tsx';

/** A form with its CSRF token and the case version it was made on. */
export function CaseForm(p: {
  ctx: PageContext;
  action: string;
  version?: number;
  multipart?: boolean;
  children: ComponentChildren;
}) {
  return (
    <form
      method="post"
      action={p.action}
      novalidate
      enctype={p.multipart ? 'multipart/form-data' : undefined}
    >
      <input type="hidden" name="_csrf" value={p.ctx.csrfToken} />
      {p.version !== undefined && <input type="hidden" name="version" value={String(p.version)} />}
      {p.children}
    </form>
  );
}

// ---------------------------------------------------------------- a case at a glance

const STATE_TONE: Record<ApplicationState, 'blue' | 'green' | 'grey' | 'red'> = {
  draft: 'grey',
  submitted: 'blue',
  registered: 'blue',
  waiting_resident: 'grey',
  waiting_interagency: 'grey',
  under_review: 'blue',
  approved: 'green',
  refused: 'red',
  suspended: 'grey',
  withdrawn: 'grey',
};

export function StateTag({ ctx, state }: { ctx: PageContext; state: ApplicationState }) {
  return <Tag tone={STATE_TONE[state]}>{ctx.t(`applications.state.${state}` as MessageKey)}</Tag>;
}

/** Why a case is served first: 'emergency' or a recipient category. */
export function reasonText(ctx: PageContext, titles: Titles, reason: string): string {
  if (reason === 'emergency') return ctx.t('applications.priority.emergency');
  const title = titles.get(reason);
  return title ? pick(ctx.locale, title.ru, title.en) : reason;
}

export function PriorityTags({
  ctx,
  reasons,
  titles,
}: {
  ctx: PageContext;
  reasons: string[];
  titles: Titles;
}) {
  if (reasons.length === 0) return <>{ctx.t('applications.staff.priority.none')}</>;
  return (
    <>
      <Tag tone="red">{ctx.t('applications.priority')}</Tag>{' '}
      {reasons.map((r) => reasonText(ctx, titles, r)).join(', ')}
    </>
  );
}

/** The day a submitted (not yet registered) case must be registered by. */
export function registrationDue(app: Pick<Application, 'submitted_at'>): string | undefined {
  return app.submitted_at ? addWorkingDays(regionToday(app.submitted_at), REGISTRATION_DAYS) : undefined;
}

/** The deadline with the working days left, overdue or the clock stopped, marked in words and colour. */
export function Deadline({
  ctx,
  app,
  today,
}: {
  ctx: PageContext;
  app: Pick<Application, 'state' | 'deadline_on' | 'submitted_at'>;
  today: string;
}) {
  const { t, locale } = ctx;
  if (!app.deadline_on) {
    const due = registrationDue(app);
    return <span>{due ? t('applications.staff.registerBy', { date: formatDate(locale, due) }) : '—'}</span>;
  }
  const date = formatDate(locale, app.deadline_on);
  if ((DECIDED_STATES as readonly string[]).includes(app.state) || app.state === 'withdrawn')
    return <>{date}</>;
  const urgency = urgencyOf(app, today);
  const left = daysLeft(app.deadline_on, today);
  const tone =
    urgency === 'overdue' ? 'red' : urgency === 'paused' ? 'grey' : urgency === 'due_soon' ? 'blue' : 'green';
  const words =
    urgency === 'paused'
      ? t('applications.urgency.paused')
      : left < 0
        ? t('applications.daysOverdue', { count: -left })
        : t('applications.daysLeft', { count: left });
  return (
    <>
      {date} <Tag tone={tone}>{words}</Tag>
    </>
  );
}

export const nameOf = (names: Names, id: number | null, none = '—') =>
  id === null ? none : (names.get(id) ?? none);

const timeFormats = {
  ru: new Intl.DateTimeFormat('ru-RU', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Volgograd',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Volgograd',
  }),
};
export const formatTime = (ctx: PageContext, d: Date) => timeFormats[ctx.locale].format(d);
