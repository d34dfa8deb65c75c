// Registering an application at the counter: find the person (SNILS, or name and date of birth) or
// add them to the registry, choose the measure and how the application came in, then the details.
import { formatDate, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  ErrorSummary,
  type FieldErrors,
  SummaryList,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { MeasureForApplication } from '../catalog/catalog.service.ts';
import { PersonSearch } from '../registry/registry.find.pages.tsx';
import type { PersonBrief } from '../registry/registry.find.ts';
import { fullName } from '../registry/registry.service.ts';
import { formatSnils } from '../registry/snils.ts';
import { CaseForm, Input, Radios, Select } from './applications.staff.pages.tsx';

type Values = Record<string, string>;

export type { PersonBrief };

export const COUNTER_CHANNELS = ['in_person', 'mfc', 'post'] as const;
export type CounterChannel = (typeof COUNTER_CHANNELS)[number];

function Caption({ ctx }: { ctx: PageContext }) {
  return <p class="caption">{ctx.t('applications.staff.new.title')}</p>;
}

export function FindPersonPage(p: {
  ctx: PageContext;
  errors: FieldErrors;
  values: Values;
  results?: PersonBrief[] | undefined;
}) {
  const { ctx, errors, values } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.staff.find.title')} area="staff">
      <BackLink href="/staff/applications">{t('applications.staff.queue.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Caption ctx={ctx} />
      <h1>{t('applications.staff.find.title')}</h1>
      <PersonSearch
        ctx={ctx}
        action="/staff/applications/new"
        next="/staff/applications/new/"
        values={values}
        errors={errors}
        results={p.results}
      />
      <h2>{t('applications.staff.find.notInRegistry')}</h2>
      <p>
        <a href="/staff/applications/new/person">{t('applications.staff.person.title')}</a>
      </p>
    </Layout>
  );
}

export function CreatePersonPage(p: {
  ctx: PageContext;
  errors: FieldErrors;
  values: Values;
  districts: { id: number; name_ru: string; name_en: string }[];
}) {
  const { ctx, errors, values } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.staff.person.title')} area="staff">
      <BackLink href="/staff/applications/new">{t('applications.staff.find.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Caption ctx={ctx} />
      <h1>{t('applications.staff.person.title')}</h1>
      <p>{t('applications.staff.person.lead')}</p>
      <CaseForm ctx={ctx} action="/staff/applications/new/person">
        <Input
          ctx={ctx}
          id="snils"
          name="snils"
          label={t('person.snils')}
          hint={t('applications.staff.find.snilsHint')}
          value={values.snils}
          error={errors.snils}
          inputMode="numeric"
          width="half"
        />
        <Input
          ctx={ctx}
          id="last_name"
          name="last_name"
          label={t('applications.staff.person.lastName')}
          value={values.last_name}
          error={errors.last_name}
          width="half"
        />
        <Input
          ctx={ctx}
          id="first_name"
          name="first_name"
          label={t('applications.staff.person.firstName')}
          value={values.first_name}
          error={errors.first_name}
          width="half"
        />
        <Input
          ctx={ctx}
          id="patronymic"
          name="patronymic"
          label={t('applications.staff.person.patronymic')}
          hint={t('applications.staff.person.patronymicHint')}
          value={values.patronymic}
          error={errors.patronymic}
          width="half"
        />
        <Input
          ctx={ctx}
          id="birth_date"
          name="birth_date"
          type="date"
          label={t('person.birthDate')}
          value={values.birth_date}
          error={errors.birth_date}
          width="half"
        />
        <Radios
          ctx={ctx}
          id="sex"
          name="sex"
          legend={t('person.sex')}
          checked={[values.sex ?? '']}
          error={errors.sex}
          choices={[
            { value: 'F', label: t('person.sex.F') },
            { value: 'M', label: t('person.sex.M') },
          ]}
        />
        <Select
          ctx={ctx}
          id="district"
          name="district"
          label={t('person.district')}
          placeholder={p.districts.length > 1 ? t('applications.staff.choose') : undefined}
          choices={p.districts.map((d) => ({
            value: String(d.id),
            label: pick(locale, d.name_ru, d.name_en),
          }))}
          value={values.district ?? ''}
          error={errors.district}
        />
        <Input
          ctx={ctx}
          id="address"
          name="address"
          label={t('person.address')}
          hint={t('applications.staff.person.addressHint')}
          value={values.address}
          error={errors.address}
        />
        <Input
          ctx={ctx}
          id="phone"
          name="phone"
          type="tel"
          label={t('applications.staff.person.phoneOptional')}
          value={values.phone}
          error={errors.phone}
          width="half"
        />
        <Button>{t('applications.staff.person.submit')}</Button>
      </CaseForm>
    </Layout>
  );
}

function PersonSummary({ ctx, person }: { ctx: PageContext; person: PersonBrief }) {
  const { t, locale } = ctx;
  return (
    <SummaryList
      rows={[
        [t('person.name'), fullName(person)],
        [t('person.snils'), formatSnils(person.snils)],
        [t('person.birthDate'), formatDate(locale, person.birth_date)],
        [t('person.address'), person.address],
      ]}
    />
  );
}

export function ChooseMeasurePage(p: {
  ctx: PageContext;
  person: PersonBrief;
  measures: { code: string; title_ru: string; title_en: string }[];
  values: Values;
  errors: FieldErrors;
}) {
  const { ctx, errors, values, person } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.staff.measureStep.title')} area="staff">
      <BackLink href="/staff/applications/new">{t('applications.staff.find.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Caption ctx={ctx} />
      <h1>{t('applications.staff.measureStep.title')}</h1>
      <PersonSummary ctx={ctx} person={person} />
      <CaseForm ctx={ctx} action={`/staff/applications/new/${person.id}`}>
        <Select
          ctx={ctx}
          id="measure"
          name="measure"
          label={t('applications.staff.measure')}
          hint={t('applications.staff.measureStep.measureHint')}
          placeholder={t('applications.staff.choose')}
          choices={p.measures.map((m) => ({ value: m.code, label: pick(locale, m.title_ru, m.title_en) }))}
          value={values.measure ?? ''}
          error={errors.measure}
        />
        <Radios
          ctx={ctx}
          id="channel"
          name="channel"
          legend={t('applications.staff.measureStep.channel')}
          checked={[values.channel ?? 'in_person']}
          error={errors.channel}
          choices={COUNTER_CHANNELS.map((c) => ({ value: c, label: t(`applications.channel.${c}`) }))}
        />
        <Button>{t('form.continue')}</Button>
      </CaseForm>
    </Layout>
  );
}

export function DetailsPage(p: {
  ctx: PageContext;
  person: PersonBrief;
  measure: MeasureForApplication;
  channel: CounterChannel;
  needsPayment: boolean;
  idempotencyKey: string;
  values: Values;
  errors: FieldErrors;
}) {
  const { ctx, errors, values, person, measure } = p;
  const { t, locale } = ctx;
  const back = `/staff/applications/new/${person.id}?measure=${encodeURIComponent(measure.code)}&channel=${p.channel}`;
  return (
    <Layout ctx={ctx} title={t('applications.staff.details.title')} area="staff">
      <BackLink href={back}>{t('applications.staff.measureStep.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Caption ctx={ctx} />
      <h1>{t('applications.staff.details.title')}</h1>
      <SummaryList
        rows={[
          [t('person.name'), fullName(person)],
          [t('person.snils'), formatSnils(person.snils)],
          [t('applications.staff.measure'), pick(locale, measure.title_ru, measure.title_en)],
          [t('applications.staff.channel'), t(`applications.channel.${p.channel}`)],
          [
            t('applications.staff.details.deadline'),
            t('applications.staff.details.deadlineDays', { count: measure.decision_days }),
          ],
        ]}
      />
      <p>
        <a href={back}>{t('applications.staff.details.change')}</a>
      </p>
      <CaseForm ctx={ctx} action={`/staff/applications/new/${person.id}/details`}>
        <input type="hidden" name="measure" value={measure.code} />
        <input type="hidden" name="channel" value={p.channel} />
        <input type="hidden" name="key" value={p.idempotencyKey} />
        <h2>{t('applications.staff.details.contact')}</h2>
        <Input
          ctx={ctx}
          id="phone"
          name="phone"
          type="tel"
          label={t('person.phone')}
          value={values.phone}
          error={errors.phone}
          width="half"
        />
        <Input
          ctx={ctx}
          id="email"
          name="email"
          type="email"
          label={t('person.email')}
          hint={t('applications.staff.details.contactHint')}
          value={values.email}
          error={errors.email}
          width="half"
        />
        {p.needsPayment && (
          <>
            <h2>{t('applications.staff.details.payment')}</h2>
            <Radios
              ctx={ctx}
              id="method"
              name="method"
              legend={t('applications.staff.details.method')}
              checked={[values.method ?? '']}
              error={errors.method}
              choices={[
                { value: 'bank', label: t('applications.staff.details.bank') },
                { value: 'post', label: t('applications.staff.details.post') },
              ]}
            />
            <Input
              ctx={ctx}
              id="bik"
              name="bik"
              label={t('applications.staff.details.bik')}
              hint={t('applications.staff.details.bankOnly')}
              value={values.bik}
              error={errors.bik}
              inputMode="numeric"
              width="half"
            />
            <Input
              ctx={ctx}
              id="account"
              name="account"
              label={t('applications.staff.details.account')}
              hint={t('applications.staff.details.bankOnly')}
              value={values.account}
              error={errors.account}
              inputMode="numeric"
            />
          </>
        )}
        <Radios
          ctx={ctx}
          id="emergency"
          name="emergency"
          type="checkbox"
          legend={t('applications.staff.details.priority')}
          checked={values.emergency === 'yes' ? ['yes'] : []}
          choices={[
            {
              value: 'yes',
              label: t('applications.staff.details.emergency'),
              hint: t('applications.staff.details.emergencyHint'),
            },
          ]}
        />
        <Button>{t('applications.staff.details.submit')}</Button>
      </CaseForm>
    </Layout>
  );
}
