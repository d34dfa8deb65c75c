// Staff pages of informing campaigns: the list, the target-group builder (a GET form with a "Count"
// button), the message with its SMS and email preview, the schedule, check answers, and the
// campaign's figures. Every page works without JavaScript; the group builder shows counts only.
import type { ComponentChildren } from 'preact';
import { formatDate, formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  CsrfField,
  describedBy,
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
import type { CampaignStatus } from './campaigns.schema.ts';
import {
  type Campaign,
  type Delivery,
  type FilterChoices,
  formatRegionTime,
  MAX_BODY,
  RELATIONS,
  type SmsLength,
} from './campaigns.service.ts';

/** The flow's answers so far: the group builder's, the message's and the schedule's fields. */
export type Draft = Record<string, string | string[]>;

const one = (d: Draft, k: string) => {
  const v = d[k];
  return typeof v === 'string' ? v : '';
};
const many = (d: Draft, k: string) => {
  const v = d[k];
  return Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : [];
};

const TONE: Record<CampaignStatus, 'blue' | 'green' | 'grey' | 'red'> = {
  draft: 'grey',
  scheduled: 'blue',
  running: 'blue',
  done: 'green',
  cancelled: 'red',
};

function Status({ ctx, status }: { ctx: PageContext; status: CampaignStatus }) {
  return <Tag tone={TONE[status]}>{ctx.t(`campaigns.status.${status}` as MessageKey)}</Tag>;
}

function SubmitButton(p: {
  name?: string;
  value?: string;
  secondary?: boolean;
  children: ComponentChildren;
}) {
  return (
    <button
      type="submit"
      name={p.name}
      value={p.value}
      class={p.secondary ? 'button button--secondary' : 'button'}
    >
      {p.children}
    </button>
  );
}

interface Choice {
  value: string;
  label: string;
  hint?: string | undefined;
}

/** Radios or checkboxes in a fieldset; the first input carries the field's id for the error summary. */
function Choices(p: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string | undefined;
  type: 'radio' | 'checkbox';
  choices: Choice[];
  checked: string[];
  error?: string | undefined;
  columns?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <div class={`field${p.error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(p.name, p.hint, p.error)}>
        <legend class="fieldset__legend">{p.legend}</legend>
        {p.hint && (
          <div class="hint" id={`${p.name}-hint`}>
            {p.hint}
          </div>
        )}
        <FieldError ctx={p.ctx} name={p.name} error={p.error} />
        <div class={p.columns ? 'campaign-choices' : undefined}>
          {p.choices.map((c, i) => {
            const id = i === 0 ? p.name : `${p.name}-${i}`;
            return (
              <div key={c.value}>
                <div class="choice">
                  <input
                    type={p.type}
                    id={id}
                    name={p.name}
                    value={c.value}
                    checked={p.checked.includes(c.value)}
                    aria-describedby={c.hint ? `${id}-hint` : undefined}
                  />
                  <label for={id}>{c.label}</label>
                </div>
                {c.hint && (
                  <div class="hint campaign-choice-hint" id={`${id}-hint`}>
                    {c.hint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {p.children}
      </fieldset>
    </div>
  );
}

// ---------------------------------------------------------------- the list

export function ListPage({ ctx, campaigns }: { ctx: PageContext; campaigns: Campaign[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('campaigns.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('campaigns.title')}</h1>
      <p class="lead">{t('campaigns.lead')}</p>
      <p>
        <a class="button" href="/staff/campaigns/new">
          {t('campaigns.new')}
        </a>
      </p>
      {campaigns.length === 0 ? (
        <p>{t('campaigns.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('campaigns.list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.list.name')}</th>
              <th scope="col">{t('campaigns.list.status')}</th>
              <th scope="col">{t('campaigns.list.scheduled')}</th>
              <th scope="col">{t('campaigns.list.recipients')}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`/staff/campaigns/${c.id}`}>{c.title}</a>
                </td>
                <td>
                  <Status ctx={ctx} status={c.status} />
                </td>
                <td>{formatRegionTime(ctx.locale, c.scheduled_at)}</td>
                <td>{formatNumber(ctx.locale, c.recipients)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- the target group

export interface Counted {
  count: number;
  asOf: string;
  sweepAsOf: string | null;
}

export function GroupPage(p: {
  ctx: PageContext;
  choices: FilterChoices;
  regionWide: boolean;
  values: Draft;
  /** The rest of the flow's answers (message, schedule), carried through unchanged. */
  state: string;
  fromCheck: boolean;
  errors: FieldErrors;
  counted: Counted | null;
  /** Offer the link to start a sweep (the "eligible" relation has none to rest on). */
  offerSweep: boolean;
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const relation = one(values, 'relation') || 'any';
  return (
    <Layout ctx={ctx} title={t('campaigns.group.title')} area="staff">
      <BackLink href={p.fromCheck ? `/staff/campaigns/new/check?state=${p.state}` : '/staff/campaigns'}>
        {t('campaigns.back')}
      </BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('campaigns.group.title')}</h1>
      <p>{t('campaigns.group.lead')}</p>
      {p.counted && (
        <div
          class={errors.group ? 'notice campaign-count campaign-count--empty' : 'notice campaign-count'}
          id="group"
          tabIndex={-1}
        >
          <h2 class="campaign-count__label">{t('campaigns.group.size')}</h2>
          <p class="campaign-count__number" role="status">
            {t('campaigns.residents', { count: p.counted.count })}
          </p>
          {errors.group && <p class="field-error">{errors.group}</p>}
          <p class="hint">
            {t('campaigns.group.countedOn', { date: formatDate(ctx.locale, p.counted.asOf) })}
            {p.counted.sweepAsOf &&
              ` ${t('campaigns.group.sweep', { date: formatDate(ctx.locale, p.counted.sweepAsOf) })}`}
          </p>
        </div>
      )}
      <form method="get" action="/staff/campaigns/new" novalidate>
        {p.state && <input type="hidden" name="state" value={p.state} />}
        {p.fromCheck && <input type="hidden" name="from" value="check" />}
        <Choices
          ctx={ctx}
          name="districts"
          type="checkbox"
          columns
          legend={t('campaigns.group.districts')}
          hint={t(p.regionWide ? 'campaigns.group.districtsHintAll' : 'campaigns.group.districtsHintOwn')}
          error={errors.districts}
          checked={many(values, 'districts')}
          choices={p.choices.districts.map((d) => ({
            value: d.code,
            label: pick(ctx.locale, d.name_ru, d.name_en),
          }))}
        />
        <div class={`field${errors.age_min || errors.age_max ? ' field--error' : ''}`}>
          <fieldset class="fieldset" aria-describedby="age-hint">
            <legend class="fieldset__legend">{t('campaigns.group.age')}</legend>
            <div class="hint" id="age-hint">
              {t('campaigns.group.ageHint')}
            </div>
            <div class="campaign-ages">
              <AgeField
                ctx={ctx}
                name="age_min"
                label={t('campaigns.group.ageMin')}
                value={one(values, 'age_min')}
                error={errors.age_min}
              />
              <AgeField
                ctx={ctx}
                name="age_max"
                label={t('campaigns.group.ageMax')}
                value={one(values, 'age_max')}
                error={errors.age_max}
              />
            </div>
          </fieldset>
        </div>
        <Choices
          ctx={ctx}
          name="categories"
          type="checkbox"
          columns
          legend={t('campaigns.group.categories')}
          hint={t('campaigns.group.categoriesHint')}
          error={errors.categories}
          checked={many(values, 'categories')}
          choices={p.choices.categories.map((c) => ({ value: c.code, label: pick(ctx.locale, c.ru, c.en) }))}
        />
        <div class={`field${errors.measure ? ' field--error' : ''}`}>
          <label class="label" for="measure">
            {t('campaigns.group.measure')}
          </label>
          <div class="hint" id="measure-hint">
            {t('campaigns.group.measureHint')}
          </div>
          <FieldError ctx={ctx} name="measure" error={errors.measure} />
          <select
            id="measure"
            name="measure"
            class="input"
            aria-describedby={describedBy('measure', 'hint', errors.measure)}
          >
            <option value="">{t('campaigns.group.noMeasure')}</option>
            {p.choices.measures.map((m) => (
              <option key={m.code} value={m.code} selected={m.code === one(values, 'measure')}>
                {pick(ctx.locale, m.title_ru, m.title_en)}
              </option>
            ))}
          </select>
        </div>
        <Choices
          ctx={ctx}
          name="relation"
          type="radio"
          legend={t('campaigns.group.relation')}
          error={errors.relation}
          checked={[relation]}
          choices={RELATIONS.map((r) => ({
            value: r,
            label: t(`campaigns.relation.${r}` as MessageKey),
            hint: r === 'eligible' ? t('campaigns.relation.eligibleHint') : undefined,
          }))}
        >
          {p.offerSweep && (
            <p>
              <a href="/staff/sweeps">{t('campaigns.group.runSweep')}</a>
            </p>
          )}
        </Choices>
        <div class="campaign-buttons">
          <SubmitButton name="action" value="count" secondary>
            {t('campaigns.group.count')}
          </SubmitButton>
          <SubmitButton name="action" value="continue">
            {t('campaigns.continue')}
          </SubmitButton>
        </div>
      </form>
    </Layout>
  );
}

function AgeField(p: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
}) {
  return (
    <div class="campaign-age">
      <label class="label" for={p.name}>
        {p.label}
      </label>
      <FieldError ctx={p.ctx} name={p.name} error={p.error} />
      <input
        class="input input--short"
        id={p.name}
        name={p.name}
        type="text"
        inputMode="numeric"
        value={p.value}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, undefined, p.error)}
        spellcheck={false}
      />
    </div>
  );
}

// ---------------------------------------------------------------- the message and its preview

export interface Preview {
  lang: 'ru' | 'en';
  subject: string;
  sms: { text: string; length: SmsLength };
  email: { subject: string; text: string };
}

export function PreviewSection({ ctx, previews }: { ctx: PageContext; previews: Preview[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="preview-title" class="campaign-preview">
      <h2 id="preview-title">{t('campaigns.preview.title')}</h2>
      <p class="hint">{t('campaigns.preview.unsubscribeNote')}</p>
      {previews.map((pv) => {
        const lang = t(`campaigns.preview.lang.${pv.lang}` as MessageKey);
        return (
          <div key={pv.lang} lang={pv.lang}>
            <h3>{t('campaigns.preview.sms', { lang })}</h3>
            <p class="campaign-sms">{pv.sms.text}</p>
            <p class="hint">
              {t('campaigns.preview.smsLength', {
                length: pv.sms.length.length,
                encoding: t(`campaigns.preview.${pv.sms.length.encoding}` as MessageKey),
                count: pv.sms.length.segments,
                per: pv.sms.length.perSegment,
              })}
            </p>
            <h3>{t('campaigns.preview.email', { lang })}</h3>
            <div class="campaign-email">
              <p>
                <strong>{t('campaigns.preview.subject', { subject: pv.email.subject })}</strong>
              </p>
              <p class="campaign-email__text">{pv.email.text}</p>
            </div>
          </div>
        );
      })}
    </section>
  );
}

export function MessagePage(p: {
  ctx: PageContext;
  values: Draft;
  state: string;
  fromCheck: boolean;
  back: string;
  errors: FieldErrors;
  previews: Preview[] | null;
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const action = `/staff/campaigns/new/message${p.fromCheck ? '?from=check' : ''}`;
  return (
    <Layout ctx={ctx} title={t('campaigns.message.title')} area="staff">
      <BackLink href={p.back}>{t('campaigns.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('campaigns.message.title')}</h1>
      <p>{t('campaigns.message.channels')}</p>
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="state" value={p.state} />
        <TextField
          ctx={ctx}
          name="title"
          label={t('campaigns.message.name')}
          hint={t('campaigns.message.nameHint')}
          value={one(values, 'title')}
          error={errors.title}
        />
        <h2>{t('campaigns.message.russian')}</h2>
        <TextField
          ctx={ctx}
          name="subject_ru"
          label={t('campaigns.message.subjectRu')}
          value={one(values, 'subject_ru')}
          error={errors.subject_ru}
        />
        <TextArea
          ctx={ctx}
          name="body_ru"
          label={t('campaigns.message.bodyRu')}
          hint={t('campaigns.message.bodyHint', { max: MAX_BODY })}
          value={one(values, 'body_ru')}
          error={errors.body_ru}
          rows={6}
        />
        <h2>{t('campaigns.message.english')}</h2>
        <p class="hint">{t('campaigns.message.englishHint')}</p>
        <TextField
          ctx={ctx}
          name="subject_en"
          label={t('campaigns.message.subjectEn')}
          value={one(values, 'subject_en')}
          error={errors.subject_en}
        />
        <TextArea
          ctx={ctx}
          name="body_en"
          label={t('campaigns.message.bodyEn')}
          value={one(values, 'body_en')}
          error={errors.body_en}
          rows={6}
        />
        <div class="campaign-buttons">
          <SubmitButton name="action" value="preview" secondary>
            {t('campaigns.message.preview')}
          </SubmitButton>
          <SubmitButton name="action" value="continue">
            {t('campaigns.continue')}
          </SubmitButton>
        </div>
      </form>
      {p.previews && <PreviewSection ctx={ctx} previews={p.previews} />}
    </Layout>
  );
}

// ---------------------------------------------------------------- the schedule

export function SchedulePage(p: {
  ctx: PageContext;
  values: Draft;
  state: string;
  fromCheck: boolean;
  back: string;
  errors: FieldErrors;
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const when = one(values, 'when');
  return (
    <Layout ctx={ctx} title={t('campaigns.schedule.title')} area="staff">
      <BackLink href={p.back}>{t('campaigns.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form
        method="post"
        action={`/staff/campaigns/new/schedule${p.fromCheck ? '?from=check' : ''}`}
        novalidate
      >
        <CsrfField ctx={ctx} />
        <input type="hidden" name="state" value={p.state} />
        <div class={`field${errors.when ? ' field--error' : ''}`}>
          <fieldset class="fieldset" aria-describedby={errors.when ? 'when-error' : undefined}>
            <legend class="fieldset__legend">
              <h1>{t('campaigns.schedule.title')}</h1>
            </legend>
            <FieldError ctx={ctx} name="when" error={errors.when} />
            <div class="choice">
              <input type="radio" id="when" name="when" value="now" checked={when === 'now'} />
              <label for="when">{t('campaigns.schedule.now')}</label>
            </div>
            <div class="choice">
              <input type="radio" id="when-1" name="when" value="later" checked={when === 'later'} />
              <label for="when-1">{t('campaigns.schedule.later')}</label>
            </div>
            <div class="conditional">
              <TextField
                ctx={ctx}
                name="date"
                type="date"
                label={t('campaigns.schedule.date')}
                value={one(values, 'date')}
                error={errors.date}
                width="half"
              />
              <TextField
                ctx={ctx}
                name="time"
                label={t('campaigns.schedule.time')}
                hint={t('campaigns.schedule.timeHint')}
                value={one(values, 'time')}
                error={errors.time}
                width="short"
                inputMode="numeric"
              />
            </div>
          </fieldset>
        </div>
        <SubmitButton>{t('campaigns.continue')}</SubmitButton>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------- check answers

export interface CheckRow {
  key: string;
  value: ComponentChildren;
  change?: string;
}

function RowsWithChange({ ctx, rows }: { ctx: PageContext; rows: CheckRow[] }) {
  return (
    <dl class="summary-list">
      {rows.map((r) => (
        <div class="summary-list__row" key={r.key}>
          <dt>{r.key}</dt>
          <dd class="campaign-text">{r.value}</dd>
          {r.change && (
            <dd class="summary-list__actions campaign-change">
              <a href={r.change}>
                {ctx.t('campaigns.change')}
                <span class="visually-hidden"> {r.key}</span>
              </a>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

export function CheckPage(p: {
  ctx: PageContext;
  group: CheckRow[];
  message: CheckRow[];
  state: string;
  submissionKey: string;
  back: string;
  previews: Preview[];
  errors: FieldErrors;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('campaigns.check.title')} area="staff">
      <BackLink href={p.back}>{t('campaigns.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{t('campaigns.check.title')}</h1>
      <h2>{t('campaigns.check.group')}</h2>
      <RowsWithChange ctx={ctx} rows={p.group} />
      <h2>{t('campaigns.check.message')}</h2>
      <RowsWithChange ctx={ctx} rows={p.message} />
      <PreviewSection ctx={ctx} previews={p.previews} />
      <p class="notice">{t('campaigns.check.warning')}</p>
      <form method="post" action="/staff/campaigns/new/check" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="state" value={p.state} />
        <input type="hidden" name="key" value={p.submissionKey} />
        <SubmitButton>{t('campaigns.check.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------- the figures

export function CampaignPage(p: {
  ctx: PageContext;
  campaign: Campaign;
  author: string | null;
  filterRows: [string, string][];
  delivery: Delivery;
  measureTitle: string | null;
  response: number | null;
  notice: 'scheduled' | 'cancelled' | null;
  errors: FieldErrors;
}) {
  const { ctx, campaign: c, delivery: d } = p;
  const { t, locale } = ctx;
  const n = (v: number) => formatNumber(locale, v);
  const when = (at: Date | null) => (at ? formatRegionTime(locale, at) : '—');
  const rows: [string, ComponentChildren][] = [
    [t('campaigns.view.status'), <Status ctx={ctx} status={c.status} />],
    [t('campaigns.view.scheduledAt'), when(c.scheduled_at)],
  ];
  if (c.launched_at) rows.push([t('campaigns.view.launchedAt'), when(c.launched_at)]);
  if (c.finished_at) rows.push([t('campaigns.view.finishedAt'), when(c.finished_at)]);
  if (c.cancelled_at) rows.push([t('campaigns.view.cancelledAt'), when(c.cancelled_at)]);
  if (p.author) rows.push([t('campaigns.view.author'), p.author]);
  rows.push([t('campaigns.view.recipients'), n(c.recipients)]);
  if (c.launched_at) rows.push([t('campaigns.view.queued'), n(c.queued)]);
  // English left empty was stored as a copy of the Russian text.
  const translated = c.subject_en !== c.subject_ru || c.body_en !== c.body_ru;
  const share = c.recipients > 0 && p.response !== null ? p.response / c.recipients : 0;
  return (
    <Layout ctx={ctx} title={c.title} area="staff">
      <BackLink href="/staff/campaigns">{t('campaigns.title')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      {p.notice && (
        <div class="panel" role="status">
          <p class="panel__title">
            {t(
              p.notice === 'scheduled' ? 'campaigns.view.scheduledNotice' : 'campaigns.view.cancelledNotice',
            )}
          </p>
        </div>
      )}
      <h1>{c.title}</h1>
      <SummaryList rows={rows} />
      <h2>{t('campaigns.view.filter')}</h2>
      <SummaryList rows={p.filterRows} />
      <h2>{t('campaigns.check.message')}</h2>
      <SummaryList
        rows={[
          [t('campaigns.check.subjectRu'), c.subject_ru],
          [t('campaigns.check.bodyRu'), <span class="campaign-text">{c.body_ru}</span>],
          ...((translated
            ? [
                [t('campaigns.check.subjectEn'), <span lang="en">{c.subject_en}</span>],
                [
                  t('campaigns.check.bodyEn'),
                  <span class="campaign-text" lang="en">
                    {c.body_en}
                  </span>,
                ],
              ]
            : [[t('campaigns.check.subjectEn'), t('campaigns.check.sameAsRussian')]]) as [
            string,
            ComponentChildren,
          ][]),
        ]}
      />
      <h2>{t('campaigns.view.delivery')}</h2>
      {d.total === 0 ? (
        <p>{t('campaigns.view.noDelivery')}</p>
      ) : (
        <table class="table" id="delivery">
          <caption class="visually-hidden">{t('campaigns.view.deliveryCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.view.channel')}</th>
              {d.statuses.map((s) => (
                <th scope="col" key={s}>
                  {t(`campaigns.view.deliveryStatus.${s}` as MessageKey)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.channels.map((ch) => (
              <tr key={ch}>
                <th scope="row">{t(`campaigns.view.channel.${ch}` as MessageKey)}</th>
                {d.statuses.map((s) => (
                  <td key={s}>{n(d.count(ch, s))}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('campaigns.view.total')}</th>
              {d.statuses.map((s) => (
                <td key={s}>
                  <strong>{n(d.byStatus.get(s) ?? 0)}</strong>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      )}
      <h2>{t('campaigns.view.response')}</h2>
      <p id="response">
        {p.measureTitle === null
          ? t('campaigns.view.noMeasure')
          : p.response === null
            ? t('campaigns.view.responseNotYet')
            : t('campaigns.view.responseFigure', {
                applied: p.response,
                recipients: c.recipients,
                measure: p.measureTitle,
                share: new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
                  style: 'percent',
                  maximumFractionDigits: 1,
                }).format(share),
              })}
      </p>
      {p.errors.cancel && c.status !== 'scheduled' && (
        <p class="field-error" id="cancel">
          {p.errors.cancel}
        </p>
      )}
      {c.status === 'scheduled' && (
        <form method="post" action={`/staff/campaigns/${c.id}/cancel`} id="cancel">
          <CsrfField ctx={ctx} />
          <p class="hint">{t('campaigns.view.cancelHint')}</p>
          <button type="submit" class="button button--warning">
            {t('campaigns.view.cancel')}
          </button>
        </form>
      )}
    </Layout>
  );
}
