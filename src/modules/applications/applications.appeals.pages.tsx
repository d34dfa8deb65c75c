// Appeals for the staff who decide them: the list of open appeals at the reader's level, and one
// appeal with the refusal it is against and the decision form.
import { formatDate, pick } from '../../platform/i18n/i18n.ts';
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
import { fullName, type PersonName } from '../registry/registry.service.ts';
import type { Appeal, Application } from './applications.service.ts';
import { Area, CaseForm, type Names, nameOf, Radios } from './applications.staff.pages.tsx';
import { daysLeft, isRefusalGround, REFUSAL_GROUNDS } from './applications.states.ts';

function AppealDeadline({ ctx, appeal, today }: { ctx: PageContext; appeal: Appeal; today: string }) {
  const { t, locale } = ctx;
  const date = formatDate(locale, appeal.deadline_on);
  if (appeal.state !== 'registered') return <>{date}</>;
  const left = daysLeft(appeal.deadline_on, today);
  return (
    <>
      {date}{' '}
      <Tag tone={left < 0 ? 'red' : left <= 2 ? 'blue' : 'green'}>
        {left < 0
          ? t('applications.daysOverdue', { count: -left })
          : t('applications.daysLeft', { count: left })}
      </Tag>
    </>
  );
}

export function AppealsPage(p: {
  ctx: PageContext;
  appeals: Appeal[];
  applications: Map<number, Pick<Application, 'id' | 'number'>>;
  persons: Map<number, PersonName>;
  today: string;
}) {
  const { ctx } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.staff.appeals.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('applications.staff.appeals.title')}</h1>
      <p class="lead">{t('applications.staff.appeals.lead')}</p>
      {p.appeals.length === 0 ? (
        <p>{t('applications.staff.appeals.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('applications.staff.appeals.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('applications.staff.appeal.filed')}</th>
              <th scope="col">{t('applications.staff.applicant')}</th>
              <th scope="col">{t('applications.staff.number')}</th>
              <th scope="col">{t('applications.staff.appeal.level')}</th>
              <th scope="col">{t('applications.staff.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {p.appeals.map((a) => {
              const person = p.persons.get(a.person_id);
              const app = p.applications.get(a.application_id);
              return (
                <tr key={a.id}>
                  <td>
                    <a href={`/staff/appeals/${a.id}`}>
                      {t('applications.staff.appeal.of', { date: formatDate(locale, a.registered_on) })}
                    </a>
                  </td>
                  <td>{person ? fullName(person) : '—'}</td>
                  <td>{app?.number ?? a.application_id}</td>
                  <td>{t(`applications.appeal.level.${a.level}`)}</td>
                  <td>
                    <AppealDeadline ctx={ctx} appeal={a} today={p.today} />
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

export interface Refusal {
  on: string;
  ground: string | undefined;
  note: string;
  by: string;
}

export function AppealPage(p: {
  ctx: PageContext;
  appeal: Appeal;
  app: Application;
  measureTitle: { ru: string; en: string };
  person: PersonName | undefined;
  refusal: Refusal | undefined;
  names: Names;
  canDecide: boolean;
  today: string;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { ctx, appeal, app, refusal, errors, values } = p;
  const { t, locale } = ctx;
  const title = t('applications.staff.appeal.title', { number: app.number ?? String(app.id) });
  const ground =
    refusal?.ground && isRefusalGround(refusal.ground) ? REFUSAL_GROUNDS[refusal.ground] : undefined;
  return (
    <Layout ctx={ctx} title={title} area="staff">
      <BackLink href="/staff/appeals">{t('applications.staff.appeals.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">{pick(locale, p.measureTitle.ru, p.measureTitle.en)}</p>
      <h1>{title}</h1>
      <SummaryList
        rows={[
          [t('applications.staff.applicant'), p.person ? fullName(p.person) : '—'],
          [
            t('applications.staff.appeal.case'),
            <a key="c" href={`/staff/applications/${app.id}`}>
              {app.number ?? app.id}
            </a>,
          ],
          [t('applications.staff.state'), t(`applications.appeal.state.${appeal.state}`)],
          [t('applications.staff.appeal.level'), t(`applications.appeal.level.${appeal.level}`)],
          [t('applications.staff.channel'), t(`applications.channel.${appeal.channel}`)],
          [t('applications.staff.appeal.filed'), formatDate(locale, appeal.registered_on)],
          [
            t('applications.staff.deadline'),
            <AppealDeadline key="d" ctx={ctx} appeal={appeal} today={p.today} />,
          ],
          [t('applications.staff.appeal.grounds'), appeal.grounds],
        ]}
      />
      <h2>{t('applications.staff.appeal.refusal')}</h2>
      {refusal ? (
        <SummaryList
          rows={[
            [t('applications.staff.decision.on'), formatDate(locale, refusal.on)],
            [t('applications.staff.decision.by'), refusal.by],
            [t('applications.staff.decision.ground'), ground ? pick(locale, ground.ru, ground.en) : '—'],
            [t('applications.staff.decision.note'), refusal.note || '—'],
          ]}
        />
      ) : (
        <p>—</p>
      )}
      {appeal.state !== 'registered' ? (
        <>
          <h2>{t('applications.staff.appeal.outcome')}</h2>
          <SummaryList
            rows={[
              [t('applications.staff.appeal.outcome'), t(`applications.appeal.state.${appeal.state}`)],
              [t('applications.staff.decision.by'), nameOf(p.names, appeal.decided_by)],
              [t('applications.staff.decision.note'), appeal.outcome_note ?? '—'],
            ]}
          />
          <p>
            <a href={`/staff/appeals/${appeal.id}/letter.pdf`}>{t('applications.staff.appeal.letter')}</a>
          </p>
        </>
      ) : p.canDecide ? (
        <>
          <h2 id="decide">{t('applications.staff.appeal.decide')}</h2>
          <CaseForm ctx={ctx} action={`/staff/appeals/${appeal.id}/decision`} version={appeal.version}>
            <Radios
              ctx={ctx}
              id="outcome"
              name="outcome"
              legend={t('applications.staff.appeal.outcome')}
              checked={[values.outcome ?? '']}
              error={errors.outcome}
              choices={[
                {
                  value: 'upheld',
                  label: t('applications.staff.appeal.upheld'),
                  hint: t('applications.staff.appeal.upheldHint'),
                },
                { value: 'dismissed', label: t('applications.staff.appeal.dismissed') },
              ]}
            />
            <Area
              ctx={ctx}
              id="note"
              name="note"
              label={t('applications.staff.appeal.note')}
              hint={t('applications.staff.appeal.noteHint')}
              value={values.note}
              error={errors.note}
              rows={5}
            />
            <Button>{t('applications.staff.appeal.decideSubmit')}</Button>
          </CaseForm>
        </>
      ) : (
        <p>
          {t(
            appeal.level === 'ministry'
              ? 'applications.staff.appeal.byMinistry'
              : 'applications.staff.appeal.byHead',
          )}
        </p>
      )}
    </Layout>
  );
}
