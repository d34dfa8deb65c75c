// The resident's appointments: the list (upcoming and past), an appointment's page (also the
// confirmation after booking, with the calendar file), and cancelling.
import { pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Office } from '../geography/geography.service.ts';
import { formatWhen, officeAddress, officeName, StatusTag } from './reception.book.pages.tsx';
import type { Appointment } from './reception.service.ts';

export type Titles = Map<number, { title_ru: string; title_en: string }>;
export type Offices = Map<number, Office>;

const measureTitle = (ctx: PageContext, titles: Titles, id: number) => {
  const m = titles.get(id);
  return m ? pick(ctx.locale, m.title_ru, m.title_en) : '';
};

function AppointmentTable(p: {
  ctx: PageContext;
  caption: string;
  rows: Appointment[];
  titles: Titles;
  offices: Offices;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <table class="table">
      <caption class="visually-hidden">{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reception.field.when')}</th>
          <th scope="col">{t('reception.field.office')}</th>
          <th scope="col">{t('reception.field.measure')}</th>
          <th scope="col">{t('reception.field.status')}</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((a) => {
          const office = p.offices.get(a.office_id);
          return (
            <tr key={a.id}>
              <td>
                <a href={`/me/appointments/${a.id}`}>{formatWhen(ctx, a.starts_at)}</a>
              </td>
              <td>{office ? officeName(ctx, office) : ''}</td>
              <td>{measureTitle(ctx, p.titles, a.measure_id)}</td>
              <td>
                <StatusTag ctx={ctx} status={a.status} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function MyAppointmentsPage(p: {
  ctx: PageContext;
  upcoming: Appointment[];
  past: Appointment[];
  titles: Titles;
  offices: Offices;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reception.my.title')} area="portal">
      <BackLink href="/me">{t('reception.my.back')}</BackLink>
      <h1>{t('reception.my.title')}</h1>
      <p class="lead">{t('reception.my.lead')}</p>
      <p>
        <a class="button" href="/me/appointments/new">
          {t('reception.my.book')}
        </a>
      </p>
      <h2>{t('reception.my.upcoming')}</h2>
      {p.upcoming.length === 0 ? (
        <p>{t('reception.my.none')}</p>
      ) : (
        <AppointmentTable
          ctx={ctx}
          caption={t('reception.my.upcoming')}
          rows={p.upcoming}
          titles={p.titles}
          offices={p.offices}
        />
      )}
      {p.past.length > 0 && (
        <>
          <h2>{t('reception.my.past')}</h2>
          <AppointmentTable
            ctx={ctx}
            caption={t('reception.my.past')}
            rows={p.past}
            titles={p.titles}
            offices={p.offices}
          />
        </>
      )}
    </Layout>
  );
}

export function AppointmentPage(p: {
  ctx: PageContext;
  appointment: Appointment;
  office: Office;
  measure: string;
  notice?: 'booked' | 'moved' | 'cancelled' | undefined;
  errors?: FieldErrors;
}) {
  const { ctx, appointment: a, office } = p;
  const { t } = ctx;
  const when = formatWhen(ctx, a.starts_at);
  const booked = a.status === 'booked';
  const title = p.notice === 'booked' ? t('reception.appointment.booked') : t('reception.appointment.title');
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <BackLink href="/me/appointments">{t('reception.my.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors ?? {}} />
      {p.notice === 'booked' || p.notice === 'moved' ? (
        <div class="panel">
          <h1 class="panel__title">
            {p.notice === 'booked' ? t('reception.appointment.booked') : t('reception.appointment.moved')}
          </h1>
          <p class="panel__number">{when}</p>
        </div>
      ) : (
        <h1>{title}</h1>
      )}
      {p.notice === 'cancelled' && <p class="notice">{t('reception.appointment.cancelled')}</p>}
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{t('reception.field.when')}</dt>
          <dd>{when}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('reception.field.office')}</dt>
          <dd>{officeName(ctx, office)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('reception.field.address')}</dt>
          <dd>{officeAddress(ctx, office)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('reception.field.phone')}</dt>
          <dd>{office.phone}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('reception.field.measure')}</dt>
          <dd>{p.measure}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('reception.field.status')}</dt>
          <dd>
            <StatusTag ctx={ctx} status={a.status} />
            {a.ticket ? ` ${t('reception.field.ticket')}: ${a.ticket}` : ''}
          </dd>
        </div>
      </dl>
      {booked && (
        <>
          <p>{t('reception.appointment.bring')}</p>
          <p>{t('reception.appointment.reminder')}</p>
          <p>
            <a href={`/me/appointments/${a.id}/calendar.ics`} download={`appointment-${a.id}.ics`}>
              {t('reception.appointment.ics')}
            </a>
          </p>
          <h2>{t('reception.appointment.change')}</h2>
          <ul class="list">
            <li>
              <a href={`/me/appointments/${a.id}/move`}>{t('reception.appointment.move')}</a>
            </li>
            <li>
              <a href={`/me/appointments/${a.id}/cancel`}>{t('reception.appointment.cancel')}</a>
            </li>
          </ul>
        </>
      )}
    </Layout>
  );
}

export function CancelPage(p: {
  ctx: PageContext;
  appointment: Appointment;
  office: Office;
  errors?: FieldErrors;
}) {
  const { ctx, appointment: a } = p;
  const { t } = ctx;
  const title = t('reception.cancel.title');
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <BackLink href={`/me/appointments/${a.id}`}>{t('reception.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors ?? {}} />
      <h1>{title}</h1>
      <p>
        {t('reception.cancel.text', {
          when: formatWhen(ctx, a.starts_at),
          office: officeName(ctx, p.office),
        })}
      </p>
      <form method="post" action={`/me/appointments/${a.id}/cancel`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(a.version)} />
        <Button>{t('reception.cancel.confirm')}</Button>
      </form>
      <p>
        <a href={`/me/appointments/${a.id}`}>{t('reception.cancel.keep')}</a>
      </p>
    </Layout>
  );
}
