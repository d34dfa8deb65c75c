// Field visits of the district's mobile team: the list, planning a visit (date, route, settlements),
// and a visit's page: the residents signed up by phone, in order, and the applications registered.
import { formatDate, pick } from '../../platform/i18n/i18n.ts';
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
import { Area, Input, Radios, Select } from '../applications/applications.staff.pages.tsx';
import type { Settlement } from '../geography/geography.service.ts';
import { fullName } from '../registry/registry.service.ts';
import type { SignupStatus } from './reception.schema.ts';
import type { visitForStaff, visitsFor } from './reception.service.ts';
import { type Names, ServedActions } from './reception.staff.pages.tsx';

type Values = Record<string, string>;
type District = { id: number; name_ru: string; name_en: string };
type MeasureRef = { id: number; code: string; title_ru: string; title_en: string };

const SIGNUP_TONE: Record<SignupStatus, string> = {
  signed_up: 'blue',
  registered: 'green',
  no_show: 'red',
  cancelled: 'grey',
};

export function VisitsPage(p: {
  ctx: PageContext;
  visits: Awaited<ReturnType<typeof visitsFor>>;
  districts: Map<number, District>;
  settlements: Map<number, Settlement>;
  canPlan: boolean;
}) {
  const { ctx } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('reception.visits.title')} area="staff">
      <BackLink href="/staff/reception">{t('reception.staff.title')}</BackLink>
      <h1>{t('reception.visits.title')}</h1>
      <p class="lead">{t('reception.visits.lead')}</p>
      {p.canPlan && (
        <p>
          <a class="button" href="/staff/reception/visits/new">
            {t('reception.visits.plan')}
          </a>
        </p>
      )}
      {p.visits.length === 0 ? (
        <p>{t('reception.visits.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('reception.visits.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reception.visit.date')}</th>
              <th scope="col">{t('reception.field.district')}</th>
              <th scope="col">{t('reception.visit.settlements')}</th>
              <th scope="col">{t('reception.visit.signups')}</th>
            </tr>
          </thead>
          <tbody>
            {p.visits.map((v) => {
              const d = p.districts.get(v.district_id);
              return (
                <tr key={v.id}>
                  <td>
                    <a href={`/staff/reception/visits/${v.id}`}>{formatDate(locale, v.visit_on)}</a>
                  </td>
                  <td>{d ? pick(locale, d.name_ru, d.name_en) : ''}</td>
                  <td>
                    {v.settlement_ids
                      .map((id) => p.settlements.get(id))
                      .filter((s): s is Settlement => s !== undefined)
                      .map((s) => pick(locale, s.name_ru, s.name_en))
                      .join(', ')}
                  </td>
                  <td>{Number(v.signups ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function NewVisitPage(p: {
  ctx: PageContext;
  districts: District[];
  district: District | undefined;
  settlements: Settlement[];
  values: Values;
  checked: string[];
  errors: FieldErrors;
}) {
  const { ctx, values, errors } = p;
  const { t, locale } = ctx;
  const heading = t('reception.visit.new');
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href="/staff/reception/visits">{t('reception.visits.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{heading}</h1>
      {!p.district || p.districts.length > 1 ? (
        <form method="get" action="/staff/reception/visits/new" novalidate>
          <Select
            ctx={ctx}
            id="district"
            name="district"
            label={t('reception.field.district')}
            choices={p.districts.map((d) => ({
              value: String(d.id),
              label: pick(locale, d.name_ru, d.name_en),
            }))}
            value={p.district ? String(p.district.id) : ''}
            error={p.district ? undefined : errors.district}
          />
          <Button secondary>{t('reception.visit.chooseDistrict')}</Button>
        </form>
      ) : null}
      {p.district && (
        <form method="post" action="/staff/reception/visits" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="district" value={String(p.district.id)} />
          <p>
            <strong>{t('reception.field.district')}:</strong>{' '}
            {pick(locale, p.district.name_ru, p.district.name_en)}
          </p>
          <Input
            ctx={ctx}
            id="visit_on"
            name="visit_on"
            type="date"
            label={t('reception.visit.date')}
            value={values.visit_on}
            error={errors.visit_on}
            width="half"
          />
          <Radios
            ctx={ctx}
            id="settlements"
            name="settlements"
            type="checkbox"
            legend={t('reception.visit.settlements')}
            hint={t('reception.visit.settlementsHint')}
            choices={p.settlements.map((s) => ({
              value: String(s.id),
              label: `${pick(locale, s.name_ru, s.name_en)}${s.is_remote ? ` (${t('reception.visit.remote')})` : ''}`,
            }))}
            checked={p.checked}
            error={errors.settlements}
          />
          <Area
            ctx={ctx}
            id="route"
            name="route"
            label={t('reception.visit.route')}
            hint={t('reception.visit.routeHint')}
            value={values.route}
            error={errors.route}
          />
          <Area
            ctx={ctx}
            id="team_note"
            name="team_note"
            label={t('reception.visit.team')}
            value={values.team_note}
            error={errors.team_note}
          />
          <Button>{t('reception.visit.save')}</Button>
        </form>
      )}
    </Layout>
  );
}

type VisitView = Awaited<ReturnType<typeof visitForStaff>>;

export function VisitPage(p: {
  ctx: PageContext;
  view: VisitView;
  district: District | undefined;
  measures: MeasureRef[];
  applications: Map<number, Application[]>;
  values: Values;
  errors: FieldErrors;
  notice?: string | undefined;
}) {
  const { ctx, view, values, errors } = p;
  const { visit } = view;
  const { t, locale } = ctx;
  const heading = t('reception.visit.title', { date: formatDate(locale, visit.visit_on) });
  const settlementName = (id: number) => {
    const s = view.settlements.find((x) => x.id === id);
    return s ? pick(locale, s.name_ru, s.name_en) : '';
  };
  const names: Names = view.names;
  const base = `/staff/reception/visits/${visit.id}`;
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href="/staff/reception/visits">{t('reception.visits.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{heading}</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <SummaryList
        rows={[
          [
            t('reception.field.district'),
            p.district ? pick(locale, p.district.name_ru, p.district.name_en) : '',
          ],
          [
            t('reception.visit.settlements'),
            view.settlements.map((s) => pick(locale, s.name_ru, s.name_en)).join(', '),
          ],
          [t('reception.visit.route'), <span class="timeline__text">{visit.route}</span>],
          [t('reception.visit.team'), visit.team_note || '—'],
        ]}
      />
      <h2>{t('reception.visit.signups')}</h2>
      {view.signups.length === 0 ? (
        <p>{t('reception.visit.noSignups')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('reception.visit.signups')}</caption>
          <thead>
            <tr>
              <th scope="col">№</th>
              <th scope="col">{t('reception.field.time')}</th>
              <th scope="col">{t('reception.field.person')}</th>
              <th scope="col">{t('reception.visit.settlement')}</th>
              <th scope="col">{t('reception.field.measure')}</th>
              <th scope="col">{t('reception.field.status')}</th>
              <th scope="col">{t('reception.day.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {view.signups.map((s) => {
              const n = names.get(s.person_id);
              const name = n ? fullName(n) : '';
              const measure = view.measures.get(s.measure_id);
              return (
                <tr key={s.id}>
                  <td>{s.position}</td>
                  <td>{s.at_time ?? '—'}</td>
                  <td>{name}</td>
                  <td>{settlementName(s.settlement_id)}</td>
                  <td>{measure ? pick(locale, measure.title_ru, measure.title_en) : ''}</td>
                  <td>
                    <strong class={`tag tag--${SIGNUP_TONE[s.status]}`}>
                      {t(`reception.signup.status.${s.status}`)}
                    </strong>
                  </td>
                  <td>
                    {(s.status === 'signed_up' || s.status === 'registered') && (
                      <ServedActions
                        ctx={ctx}
                        appointment={s}
                        measureCode={measure?.code ?? ''}
                        name={name}
                        applications={p.applications.get(s.person_id) ?? []}
                        error={errors[`application-${s.id}`]}
                        action={`${base}/signups/${s.id}/application`}
                        fieldId={`application-${s.id}`}
                      />
                    )}
                    {s.status === 'signed_up' && (
                      <form
                        method="post"
                        action={`${base}/signups/${s.id}/status`}
                        class="inline-form"
                        novalidate
                      >
                        <CsrfField ctx={ctx} />
                        <input type="hidden" name="version" value={String(s.version)} />
                        <input type="hidden" name="status" value="no_show" />
                        <Button secondary>
                          {t('reception.day.noShow')}
                          <span class="visually-hidden"> {name}</span>
                        </Button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>{t('reception.signup.add')}</h2>
      <p>{t('reception.signup.lead')}</p>
      <form method="post" action={`${base}/signups`} novalidate>
        <CsrfField ctx={ctx} />
        <Input
          ctx={ctx}
          id="snils"
          name="snils"
          label={t('person.snils')}
          hint={t('reception.find.snilsHint')}
          value={values.snils}
          error={errors.snils}
          inputMode="numeric"
          width="half"
        />
        <Select
          ctx={ctx}
          id="settlement"
          name="settlement"
          label={t('reception.visit.settlement')}
          choices={view.settlements.map((s) => ({
            value: String(s.id),
            label: pick(locale, s.name_ru, s.name_en),
          }))}
          value={values.settlement ?? ''}
          error={errors.settlement}
          placeholder={t('reception.choose')}
        />
        <Select
          ctx={ctx}
          id="measure"
          name="measure"
          label={t('reception.field.measure')}
          choices={p.measures.map((m) => ({
            value: String(m.id),
            label: pick(locale, m.title_ru, m.title_en),
          }))}
          value={values.measure ?? ''}
          error={errors.measure}
          placeholder={t('reception.choose')}
        />
        <Input
          ctx={ctx}
          id="at_time"
          name="at_time"
          label={t('reception.signup.time')}
          hint={t('reception.signup.timeHint')}
          value={values.at_time}
          error={errors.at_time}
          width="short"
        />
        <Button>{t('reception.signup.submit')}</Button>
      </form>
    </Layout>
  );
}
