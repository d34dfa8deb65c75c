// The staff side of personal reception: the offices, finding a resident to book for, the booked
// appointment, an office's schedule and desks, and the reception day (check-in, call next, served).
import type { ComponentChildren } from 'preact';
import { pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SummaryList,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Application } from '../applications/applications.service.ts';
import { Input, Radios, Select } from '../applications/applications.staff.pages.tsx';
import type { Office } from '../geography/geography.service.ts';
import { PersonSearch } from '../registry/registry.find.pages.tsx';
import type { PersonBrief } from '../registry/registry.find.ts';
import { fullName, type PersonName } from '../registry/registry.service.ts';
import { formatDay, formatWhen, officeAddress, officeName, StatusTag } from './reception.book.pages.tsx';
import type { ScheduleDays } from './reception.schema.ts';
import type { Appointment } from './reception.service.ts';
import { regionClock, WEEKDAYS } from './reception.slots.ts';

type Values = Record<string, string>;
export type Names = Map<number, PersonName>;
type MeasureRef = { id: number; code: string; title_ru: string; title_en: string };

const title = (ctx: PageContext, m: { title_ru: string; title_en: string } | undefined) =>
  m ? pick(ctx.locale, m.title_ru, m.title_en) : '';
const nameOf = (names: Names, id: number) => {
  const n = names.get(id);
  return n ? fullName(n) : '';
};

function PostButton(p: {
  ctx: PageContext;
  action: string;
  version?: number;
  fields?: Values;
  secondary?: boolean;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={p.action} class="inline-form" novalidate>
      <CsrfField ctx={p.ctx} />
      {p.version !== undefined && <input type="hidden" name="version" value={String(p.version)} />}
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button secondary={p.secondary}>{p.children}</Button>
    </form>
  );
}

// ------------------------------------------------------------ home

export function ReceptionHomePage(p: {
  ctx: PageContext;
  offices: Office[];
  canSchedule: boolean;
  today: string;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reception.staff.title')} area="staff">
      <BackLink href="/staff">{t('reception.staff.home')}</BackLink>
      <h1>{t('reception.staff.title')}</h1>
      <ul class="list">
        <li>
          <a href="/staff/reception/book">{t('reception.staff.bookLink')}</a>
        </li>
        <li>
          <a href="/staff/reception/visits">{t('reception.visits.title')}</a>
        </li>
      </ul>
      <h2>{t('reception.staff.offices')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('reception.staff.offices')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reception.field.office')}</th>
            <th scope="col">{t('reception.field.district')}</th>
            <th scope="col">{t('reception.staff.pages')}</th>
          </tr>
        </thead>
        <tbody>
          {p.offices.map((o) => (
            <tr key={o.id}>
              <td>
                {officeName(ctx, o)}
                <div class="hint">{officeAddress(ctx, o)}</div>
              </td>
              <td>{pick(ctx.locale, o.district_ru, o.district_en)}</td>
              <td>
                <ul class="list">
                  <li>
                    <a href={`/staff/reception/offices/${o.id}/day?date=${p.today}`}>
                      {t('reception.day.link')}
                      <span class="visually-hidden"> {officeName(ctx, o)}</span>
                    </a>
                  </li>
                  {p.canSchedule && (
                    <li>
                      <a href={`/staff/reception/offices/${o.id}/schedule`}>
                        {t('reception.schedule.link')}
                        <span class="visually-hidden"> {officeName(ctx, o)}</span>
                      </a>
                    </li>
                  )}
                  <li>
                    <a href={`/offices/${o.id}/queue`}>
                      {t('reception.queue.link')}
                      <span class="visually-hidden"> {officeName(ctx, o)}</span>
                    </a>
                  </li>
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

// ------------------------------------------------------------ finding the resident

export type { PersonBrief };

/** Find a person by SNILS or by name and date of birth; `next` is the path a found person's id is appended to. */
export function FindPersonPage(p: {
  ctx: PageContext;
  title: string;
  action: string;
  next: string;
  back: string;
  errors: FieldErrors;
  values: Values;
  results?: PersonBrief[] | undefined;
}) {
  const { ctx, errors, values } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={p.title} area="staff">
      <BackLink href={p.back}>{t('reception.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{p.title}</h1>
      <PersonSearch
        ctx={ctx}
        action={p.action}
        next={p.next}
        values={values}
        errors={errors}
        results={p.results}
      />
    </Layout>
  );
}

export function StaffBookedPage(p: {
  ctx: PageContext;
  appointment: Appointment;
  office: Office;
  person: string;
  measure: string;
}) {
  const { ctx, appointment: a, office } = p;
  const { t } = ctx;
  const heading = t('reception.staff.booked');
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <div class="panel">
        <h1 class="panel__title">{heading}</h1>
        <p class="panel__number">{formatWhen(ctx, a.starts_at)}</p>
      </div>
      <SummaryList
        rows={[
          [t('reception.field.person'), p.person],
          [t('reception.field.office'), `${officeName(ctx, office)}, ${officeAddress(ctx, office)}`],
          [t('reception.field.measure'), p.measure],
          [t('reception.field.channel'), t(`reception.channel.${a.channel}`)],
          [t('reception.field.status'), <StatusTag ctx={ctx} status={a.status} />],
        ]}
      />
      <p>{t('reception.staff.bookedTell')}</p>
      <ul class="list">
        <li>
          <a href={`/staff/reception/offices/${a.office_id}/day?date=${a.day}`}>{t('reception.day.link')}</a>
        </li>
        <li>
          <a href="/staff/reception/book">{t('reception.staff.bookAnother')}</a>
        </li>
      </ul>
    </Layout>
  );
}

// ------------------------------------------------------------ schedule

export const hoursText = (d: ScheduleDays[keyof ScheduleDays]) => (d ? `${d.open}–${d.close}` : '');
export const breaksText = (d: ScheduleDays[keyof ScheduleDays]) =>
  d ? d.breaks.map(([a, b]) => `${a}–${b}`).join(', ') : '';

export function SchedulePage(p: {
  ctx: PageContext;
  office: Office;
  days: ScheduleDays;
  values: Values;
  version: number;
  desks: { id: number; name: string; measure_ids: number[] }[];
  lengths: Map<number, number>;
  measures: MeasureRef[];
  openSlots: number;
  errors: FieldErrors;
  saved?: boolean;
}) {
  const { ctx, office, errors, values } = p;
  const { t } = ctx;
  const heading = t('reception.schedule.title');
  const base = `/staff/reception/offices/${office.id}`;
  const byId = new Map(p.measures.map((m) => [m.id, m]));
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href="/staff/reception">{t('reception.staff.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <span class="caption">{officeName(ctx, office)}</span>
      <h1>{heading}</h1>
      {p.saved && <p class="notice">{t('reception.schedule.saved')}</p>}
      <p>{t('reception.schedule.lead', { count: p.openSlots })}</p>
      <form method="post" action={`${base}/schedule`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(p.version)} />
        <h2>{t('reception.schedule.hours')}</h2>
        <p class="hint">{t('reception.schedule.hoursHint')}</p>
        {WEEKDAYS.map((wd) => (
          <fieldset class="fieldset" key={wd}>
            <legend class="label">{t(`reception.weekday.${wd}`)}</legend>
            <Input
              ctx={ctx}
              id={`day${wd}`}
              name={`hours_${wd}`}
              label={t('reception.schedule.open')}
              value={values[`hours_${wd}`]}
              error={errors[`day${wd}`]}
              width="half"
            />
            <Input
              ctx={ctx}
              id={`breaks${wd}`}
              name={`breaks_${wd}`}
              label={t('reception.schedule.breaks')}
              value={values[`breaks_${wd}`]}
              width="half"
            />
          </fieldset>
        ))}
        <h2>{t('reception.schedule.settings')}</h2>
        <Input
          ctx={ctx}
          id="slot_minutes"
          name="slot_minutes"
          label={t('reception.schedule.minutes')}
          hint={t('reception.schedule.minutesHint')}
          value={values.slot_minutes}
          error={errors.slot_minutes}
          inputMode="numeric"
          width="short"
        />
        <Input
          ctx={ctx}
          id="priority_share"
          name="priority_share"
          label={t('reception.schedule.share')}
          hint={t('reception.schedule.shareHint')}
          value={values.priority_share}
          error={errors.priority_share}
          inputMode="numeric"
          width="short"
        />
        <Input
          ctx={ctx}
          id="days_ahead"
          name="days_ahead"
          label={t('reception.schedule.daysAhead')}
          value={values.days_ahead}
          error={errors.days_ahead}
          inputMode="numeric"
          width="short"
        />
        <Button>{t('reception.schedule.save')}</Button>
      </form>

      <h2>{t('reception.desk.title')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('reception.desk.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reception.desk.name')}</th>
            <th scope="col">{t('reception.desk.measures')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('reception.desk.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.desks.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>
                {d.measure_ids.length === 0
                  ? t('reception.desk.all')
                  : d.measure_ids.map((id) => title(ctx, byId.get(id))).join('; ')}
              </td>
              <td>
                <PostButton ctx={ctx} action={`${base}/desks/${d.id}/remove`} secondary>
                  {t('reception.desk.remove')}
                  <span class="visually-hidden"> {d.name}</span>
                </PostButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${base}/desks`} novalidate>
        <CsrfField ctx={ctx} />
        <h3>{t('reception.desk.add')}</h3>
        <Input
          ctx={ctx}
          id="desk_name"
          name="desk_name"
          label={t('reception.desk.name')}
          value={values.desk_name}
          error={errors.desk_name}
          width="half"
        />
        <Radios
          ctx={ctx}
          id="desk_measures"
          name="desk_measures"
          type="checkbox"
          legend={t('reception.desk.measures')}
          hint={t('reception.desk.measuresHint')}
          choices={p.measures.map((m) => ({ value: String(m.id), label: title(ctx, m) }))}
          checked={[]}
          error={errors.desk_measures}
        />
        <Button secondary>{t('reception.desk.addButton')}</Button>
      </form>

      <h2>{t('reception.length.title')}</h2>
      <form method="post" action={`${base}/lengths`} novalidate>
        <CsrfField ctx={ctx} />
        <p class="hint">{t('reception.length.hint')}</p>
        {p.measures.map((m) => (
          <Input
            key={m.id}
            ctx={ctx}
            id={`length_${m.id}`}
            name={`length_${m.id}`}
            label={title(ctx, m)}
            value={values[`length_${m.id}`] ?? (p.lengths.has(m.id) ? String(p.lengths.get(m.id)) : '')}
            error={errors[`length_${m.id}`]}
            inputMode="numeric"
            width="short"
          />
        ))}
        <Button secondary>{t('reception.length.save')}</Button>
      </form>
    </Layout>
  );
}

// ------------------------------------------------------------ reception day

export function DayPage(p: {
  ctx: PageContext;
  office: Office;
  day: string;
  today: string;
  appointments: Appointment[];
  names: Names;
  measures: Map<number, MeasureRef>;
  desks: { id: number; name: string }[];
  applications: Map<number, Application[]>;
  notice?: string | undefined;
  errors: FieldErrors;
}) {
  const { ctx, office, day } = p;
  const { t } = ctx;
  const heading = t('reception.day.title', { day: formatDay(ctx, day) });
  const base = `/staff/reception/offices/${office.id}`;
  const isToday = day === p.today;
  const deskName = new Map(p.desks.map((d) => [d.id, d.name]));
  const waiting = p.appointments.filter((a) => a.status === 'checked_in').length;
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href="/staff/reception">{t('reception.staff.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <span class="caption">{officeName(ctx, office)}</span>
      <h1>{heading}</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <form method="get" action={`${base}/day`} novalidate>
        <Input
          ctx={ctx}
          id="date"
          name="date"
          type="date"
          label={t('reception.day.date')}
          value={day}
          width="half"
        />
        <Button secondary>{t('reception.day.show')}</Button>
      </form>
      <p>
        <a href={`/offices/${office.id}/queue`}>{t('reception.queue.link')}</a>
      </p>
      {isToday && (
        <>
          <h2>{t('reception.day.desks')}</h2>
          <p>{t('reception.day.waiting', { count: waiting })}</p>
          <ul class="list">
            {p.desks.map((d) => {
              const current = p.appointments.find((a) => a.status === 'called' && a.desk_id === d.id);
              return (
                <li key={d.id}>
                  <PostButton ctx={ctx} action={`${base}/desks/${d.id}/call-next`}>
                    {t('reception.day.callNext', { desk: d.name })}
                  </PostButton>{' '}
                  {current &&
                    t('reception.day.atDesk', {
                      ticket: current.ticket ?? '',
                      name: nameOf(p.names, current.person_id),
                    })}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h2>{t('reception.day.list')}</h2>
      {p.appointments.length === 0 ? (
        <p>{t('reception.day.empty')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('reception.day.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reception.field.time')}</th>
              <th scope="col">{t('reception.field.ticket')}</th>
              <th scope="col">{t('reception.field.person')}</th>
              <th scope="col">{t('reception.field.measure')}</th>
              <th scope="col">{t('reception.field.status')}</th>
              <th scope="col">{t('reception.day.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {p.appointments.map((a) => {
              const name = nameOf(p.names, a.person_id);
              const who = <span class="visually-hidden"> {name}</span>;
              const measure = p.measures.get(a.measure_id);
              const actions = `/staff/reception/appointments/${a.id}`;
              return (
                <tr key={a.id}>
                  <td>{regionClock(a.starts_at).time}</td>
                  <td>{a.ticket ?? '—'}</td>
                  <td>
                    {name}
                    {a.priority && (
                      <div>
                        <strong class="tag tag--red">{t('reception.priority')}</strong>
                      </div>
                    )}
                  </td>
                  <td>{title(ctx, measure)}</td>
                  <td>
                    <StatusTag ctx={ctx} status={a.status} />
                    {a.desk_id && a.status !== 'served' ? <div>{deskName.get(a.desk_id)}</div> : null}
                  </td>
                  <td>
                    {a.status === 'booked' && isToday && (
                      <PostButton ctx={ctx} action={`${actions}/check-in`} version={a.version}>
                        {t('reception.day.checkIn')}
                        {who}
                      </PostButton>
                    )}
                    {(a.status === 'called' || a.status === 'checked_in') && (
                      <PostButton ctx={ctx} action={`${actions}/served`} version={a.version}>
                        {t('reception.day.served')}
                        {who}
                      </PostButton>
                    )}
                    {(a.status === 'booked' || a.status === 'checked_in' || a.status === 'called') && (
                      <PostButton ctx={ctx} action={`${actions}/no-show`} version={a.version} secondary>
                        {t('reception.day.noShow')}
                        {who}
                      </PostButton>
                    )}
                    {a.status === 'served' && (
                      <ServedActions
                        ctx={ctx}
                        appointment={a}
                        measureCode={measure?.code ?? ''}
                        name={name}
                        applications={p.applications.get(a.person_id) ?? []}
                        error={p.errors[`application-${a.id}`]}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** After "served": the link into the counter flow for this person, and attaching what it registered. */
export function ServedActions(p: {
  ctx: PageContext;
  appointment: { id: number; person_id: number; application_id: number | null; version: number };
  measureCode: string;
  name: string;
  applications: Application[];
  error?: string | undefined;
  /** Where the attach form posts; the appointment's by default. */
  action?: string;
  fieldId?: string;
}) {
  const { ctx, appointment: a } = p;
  const { t } = ctx;
  if (a.application_id)
    return (
      <a href={`/staff/applications/${a.application_id}`}>
        {t('reception.attach.open', {
          number: p.applications.find((x) => x.id === a.application_id)?.number ?? String(a.application_id),
        })}
      </a>
    );
  const id = p.fieldId ?? `application-${a.id}`;
  const choices = p.applications
    .filter((x) => x.state !== 'draft')
    .map((x) => ({ value: String(x.id), label: `№ ${x.number ?? x.id}` }));
  return (
    <>
      <p>
        <a
          href={`/staff/applications/new/${a.person_id}?measure=${encodeURIComponent(p.measureCode)}&channel=in_person`}
        >
          {t('reception.attach.register')}
          <span class="visually-hidden"> {p.name}</span>
        </a>
      </p>
      {choices.length > 0 && (
        <form
          method="post"
          action={p.action ?? `/staff/reception/appointments/${a.id}/application`}
          novalidate
        >
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(a.version)} />
          <Select
            ctx={ctx}
            id={id}
            name="application"
            label={t('reception.attach.label', { name: p.name })}
            choices={choices}
            value=""
            error={p.error}
          />
          <Button secondary>{t('reception.attach.submit')}</Button>
        </form>
      )}
    </>
  );
}
