// The staff view of a registry record: the person and household, assignments with the rule version
// that decided them, recent accruals, and what changed when.
import { formatDate, formatMoney, type Locale, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import { BackLink, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { AssignmentWithMeasure } from './assignments.service.ts';
import type { ChangeEntry } from './history.service.ts';
import { fullName, PersonDetails } from './registry.pages.tsx';
import type { PersonRecordForStaff } from './registry.service.ts';

interface Props {
  ctx: PageContext;
  record: PersonRecordForStaff;
  categoryTitles: Map<string, { ru: string; en: string }>;
}

type Versions = PersonRecordForStaff['versions'];

const STATUS_TONE = { active: 'green', suspended: 'grey', ended: 'red' } as const;

export function RegistryRecordPage({ ctx, record, categoryTitles }: Props) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('registry.view.title')}: ${fullName(record.person)}`} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <p class="caption">{t('registry.view.title')}</p>
      <h1>{fullName(record.person)}</h1>
      <p class="caption">{t('registry.view.audited')}</p>
      <PersonDetails
        ctx={ctx}
        person={record.person}
        household={record.household}
        categoryTitles={categoryTitles}
      />
      <Assignments ctx={ctx} rows={record.assignments} versions={record.versions} />
      <Ledger ctx={ctx} record={record} />
      <History ctx={ctx} rows={record.history} assignments={record.assignments} />
    </Layout>
  );
}

function ruleText(ctx: PageContext, versions: Versions, id: number | null): string {
  const v = id === null ? undefined : versions.get(id);
  if (!v) return ctx.t('registry.rule.none');
  return ctx.t('registry.rule.version', {
    measure: v.measureCode,
    version: v.version,
    from: formatDate(ctx.locale, v.effectiveFrom),
  });
}

function period(ctx: PageContext, start: string, end: string | null): string {
  const date = (d: string) => formatDate(ctx.locale, d);
  return end
    ? ctx.t('registry.period.range', { start: date(start), end: date(end) })
    : ctx.t('registry.period.from', { start: date(start) });
}

function Assignments(p: { ctx: PageContext; rows: AssignmentWithMeasure[]; versions: Versions }) {
  const { t, locale } = p.ctx;
  return (
    <>
      <h2>{t('registry.assignments.title')}</h2>
      {p.rows.length === 0 ? (
        <p>{t('registry.assignments.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('registry.assignments.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.assignments.measure')}</th>
              <th scope="col">{t('registry.assignments.status')}</th>
              <th scope="col">{t('registry.assignments.amount')}</th>
              <th scope="col">{t('registry.assignments.period')}</th>
              <th scope="col">{t('registry.assignments.basis')}</th>
              <th scope="col">{t('registry.assignments.rule')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((a) => (
              <tr key={a.id}>
                <td>{pick(locale, a.measure_title_ru, a.measure_title_en) || a.measure_code}</td>
                <td>
                  <Tag tone={STATUS_TONE[a.status]}>{t(`registry.status.${a.status}`)}</Tag>
                </td>
                <td>{formatMoney(locale, a.amount)}</td>
                <td>{period(p.ctx, a.start_date, a.end_date)}</td>
                <td>{t(`registry.basis.${a.basis}`)}</td>
                <td>{ruleText(p.ctx, p.versions, a.rule_version_id)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const monthNames = {
  ru: new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const month = (locale: Locale, period: string) => monthNames[locale].format(new Date(`${period}T00:00:00Z`));

function Ledger({ ctx, record }: { ctx: PageContext; record: PersonRecordForStaff }) {
  const { t, locale } = ctx;
  const measureOf = new Map(
    record.assignments.map((a) => [
      a.id,
      pick(locale, a.measure_title_ru, a.measure_title_en) || a.measure_code,
    ]),
  );
  return (
    <>
      <h2>{t('registry.ledger.title')}</h2>
      {record.ledger.length === 0 ? (
        <p>{t('registry.ledger.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('registry.ledger.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.ledger.month')}</th>
              <th scope="col">{t('registry.assignments.measure')}</th>
              <th scope="col">{t('registry.ledger.kind')}</th>
              <th scope="col">{t('registry.ledger.amount')}</th>
              <th scope="col">{t('registry.assignments.rule')}</th>
              <th scope="col">{t('registry.ledger.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {record.ledger.map((e) => (
              <tr key={e.id}>
                <td>{month(locale, e.period)}</td>
                <td>{measureOf.get(e.assignment_id)}</td>
                <td>{t(`registry.ledger.kind.${e.kind}`)}</td>
                <td>{formatMoney(locale, e.amount)}</td>
                <td>{ruleText(ctx, record.versions, e.rule_version_id)}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const MONEY_FIELDS = new Set(['monthly_income', 'amount']);
const DATE_FIELDS = new Set(['birth_date', 'start_date', 'end_date']);

function value(ctx: PageContext, field: string, v: unknown): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return ctx.t('person.none');
  if (MONEY_FIELDS.has(field) && typeof v === 'number') return formatMoney(ctx.locale, v);
  if (DATE_FIELDS.has(field) && typeof v === 'string') return formatDate(ctx.locale, v);
  if (field === 'status' && typeof v === 'string') return ctx.t(`registry.status.${v}` as MessageKey);
  if (field === 'relationship' && typeof v === 'string')
    return ctx.t(`person.relationship.${v}` as MessageKey);
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function fieldName(ctx: PageContext, field: string): string {
  const key = `registry.field.${field}`;
  return key in FIELD_KEYS ? ctx.t(key as MessageKey) : field;
}
const FIELD_KEYS = Object.fromEntries(
  [
    'last_name',
    'first_name',
    'patronymic',
    'birth_date',
    'sex',
    'snils',
    'address',
    'phone',
    'email',
    'preferred_channel',
    'district_id',
    'settlement_id',
    'categories',
    'disability_group',
    'monthly_income',
    'household_id',
    'relationship',
    'status',
    'amount',
    'start_date',
    'end_date',
    'basis',
    'rule_version_id',
    'parameters',
  ].map((f) => [`registry.field.${f}`, true]),
);

function History(p: { ctx: PageContext; rows: ChangeEntry[]; assignments: AssignmentWithMeasure[] }) {
  const { t, locale } = p.ctx;
  const what = (h: ChangeEntry) => {
    if (h.table !== 'assignments') return t(`registry.history.${h.table}`);
    const a = p.assignments.find((x) => x.id === h.rowId);
    return t('registry.history.assignments', {
      measure: a ? pick(locale, a.measure_title_ru, a.measure_title_en) || a.measure_code : `#${h.rowId}`,
    });
  };
  const when = (d: Date) =>
    new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Volgograd',
    }).format(d);
  return (
    <>
      <h2>{t('registry.history.title')}</h2>
      {p.rows.length === 0 ? (
        <p>{t('registry.history.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('registry.history.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('registry.history.when')}</th>
              <th scope="col">{t('registry.history.record')}</th>
              <th scope="col">{t('registry.history.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((h) => (
              <tr key={`${h.table}-${h.rowId}-${h.at.getTime()}`}>
                <td>{when(h.at)}</td>
                <td>{what(h)}</td>
                <td>
                  {h.operation === 'DELETE' ? (
                    t('registry.history.deleted')
                  ) : (
                    <ul class="list">
                      {h.changes.map((c) => (
                        <li key={c.field}>
                          {t('registry.history.change', {
                            field: fieldName(p.ctx, c.field),
                            from: value(p.ctx, c.field, c.from),
                            to: value(p.ctx, c.field, c.to),
                          })}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
