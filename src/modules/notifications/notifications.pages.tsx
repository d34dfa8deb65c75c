// Pages of the notification service: "Notifications" on the portal (channel, language, campaigns),
// the unsubscribe link's confirmation, and for staff the delivery figures, the template preview and
// the printed letter batches.
import { formatDate, formatNumber, type MessageKey } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Radios,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Channel, Lang, NotificationEvent, Params } from './notifications.schema.ts';
import { render, SAMPLES, TEMPLATES } from './notifications.templates.ts';

// ------------------------------------------------------------ the resident's settings

export interface SettingsValues {
  channel: string;
  lang: string;
  campaigns: string;
}

export function MyNotificationsPage(p: {
  ctx: PageContext;
  values: SettingsValues;
  contact: { email: string | null; phone: string | null };
  saved: boolean;
  errors: FieldErrors;
}) {
  const { ctx, values, contact, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.me.title')} area="portal">
      <BackLink href="/me">{t('nav.profile')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      {p.saved && (
        <div class="panel" role="status">
          <p>{t('notifications.me.saved')}</p>
        </div>
      )}
      <h1>{t('notifications.me.title')}</h1>
      <p class="lead">{t('notifications.me.lead')}</p>
      <form method="post" action="/me/notifications" novalidate>
        <CsrfField ctx={ctx} />
        <Radios
          ctx={ctx}
          name="channel"
          legend={t('notifications.me.channel')}
          hint={t('notifications.me.channelHint')}
          checked={values.channel}
          error={errors.channel}
          choices={[
            { value: 'portal', label: t('notifications.channel.portal') },
            {
              value: 'email',
              label: t('notifications.channel.email'),
              hint: contact.email
                ? t('notifications.me.emailHint', { email: contact.email })
                : t('notifications.me.noEmail'),
            },
            {
              value: 'sms',
              label: t('notifications.channel.sms'),
              hint: contact.phone
                ? t('notifications.me.smsHint', { phone: contact.phone })
                : t('notifications.me.noPhone'),
            },
            { value: 'post', label: t('notifications.channel.post'), hint: t('notifications.me.postHint') },
          ]}
        />
        <Radios
          ctx={ctx}
          name="lang"
          legend={t('notifications.me.lang')}
          checked={values.lang}
          error={errors.lang}
          choices={[
            { value: 'ru', label: t('notifications.me.lang.ru'), lang: 'ru' },
            { value: 'en', label: t('notifications.me.lang.en'), lang: 'en' },
          ]}
        />
        <Radios
          ctx={ctx}
          name="campaigns"
          legend={t('notifications.me.campaigns')}
          hint={t('notifications.me.campaignsHint')}
          checked={values.campaigns}
          error={errors.campaigns}
          choices={[
            { value: 'yes', label: t('notifications.me.campaigns.yes') },
            { value: 'no', label: t('notifications.me.campaigns.no') },
          ]}
        />
        <Button>{t('notifications.me.save')}</Button>
      </form>
    </Layout>
  );
}

// ------------------------------------------------------------ unsubscribe

export function UnsubscribePage(p: { ctx: PageContext; token: string; state: 'ask' | 'done' | 'invalid' }) {
  const { ctx, state } = p;
  const { t } = ctx;
  const title =
    state === 'ask'
      ? t('notifications.unsubscribe.title')
      : state === 'done'
        ? t('notifications.unsubscribe.done')
        : t('notifications.unsubscribe.invalid');
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <h1>{title}</h1>
      {state === 'ask' && (
        <>
          <p>{t('notifications.unsubscribe.lead')}</p>
          <form method="post" action={`/unsubscribe/${p.token}`}>
            <CsrfField ctx={ctx} />
            <Button>{t('notifications.unsubscribe.confirm')}</Button>
          </form>
        </>
      )}
      {state === 'done' && <p>{t('notifications.unsubscribe.doneLead')}</p>}
      {state === 'invalid' && <p>{t('notifications.unsubscribe.invalidLead')}</p>}
      <p>
        <a href="/me/notifications">{t('notifications.unsubscribe.settings')}</a>
      </p>
    </Layout>
  );
}

// ------------------------------------------------------------ staff: delivery

const STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;
const CHANNELS = ['portal', 'email', 'sms', 'post', 'pending'] as const;

function channelName(ctx: PageContext, channel: string): string {
  return (CHANNELS as readonly string[]).includes(channel)
    ? ctx.t(`notifications.channel.${channel as Channel | 'pending'}`)
    : channel;
}

export interface Failure {
  id: number;
  channel: string | null;
  event: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

export function DeliveryPage(p: {
  ctx: PageContext;
  stats: Array<{ channel: string; status: string; count: number }>;
  failures: Failure[];
  canSeeLetters: boolean;
}) {
  const { ctx } = p;
  const { t, locale } = ctx;
  const channels = [...new Set(p.stats.map((s) => s.channel))];
  const count = (channel: string, status: string) =>
    p.stats.find((s) => s.channel === channel && s.status === status)?.count ?? 0;
  return (
    <Layout ctx={ctx} title={t('notifications.staff.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('notifications.staff.title')}</h1>
      <p class="lead">{t('notifications.staff.lead')}</p>
      <ul class="list">
        <li>
          <a href="/staff/notifications/templates">{t('notifications.staff.templatesLink')}</a>
        </li>
        {p.canSeeLetters && (
          <li>
            <a href="/staff/notifications/letters">{t('notifications.staff.lettersLink')}</a>
          </li>
        )}
      </ul>
      {channels.length === 0 ? (
        <p>{t('notifications.staff.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('notifications.staff.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.staff.channel')}</th>
              {STATUSES.map((s) => (
                <th scope="col" key={s} class="notifications-num">
                  {t(`notifications.status.${s}`)}
                </th>
              ))}
              <th scope="col" class="notifications-num">
                {t('notifications.staff.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c}>
                <th scope="row">{channelName(ctx, c)}</th>
                {STATUSES.map((s) => (
                  <td key={s} class="notifications-num">
                    {formatNumber(locale, count(c, s))}
                  </td>
                ))}
                <td class="notifications-num">
                  {formatNumber(
                    locale,
                    STATUSES.reduce((n, s) => n + count(c, s), 0),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('notifications.staff.failures')}</h2>
      {p.failures.length === 0 ? (
        <p>{t('notifications.staff.noFailures')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('notifications.staff.failures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.staff.when')}</th>
              <th scope="col">{t('notifications.staff.channel')}</th>
              <th scope="col">{t('notifications.staff.event')}</th>
              <th scope="col" class="notifications-num">
                {t('notifications.staff.attempts')}
              </th>
              <th scope="col">{t('notifications.staff.error')}</th>
            </tr>
          </thead>
          <tbody>
            {p.failures.map((f) => (
              <tr key={f.id}>
                <td>{formatDate(locale, f.created_at)}</td>
                <td>{channelName(ctx, f.channel ?? 'pending')}</td>
                <td>{t(`notifications.event.${f.event as NotificationEvent}`)}</td>
                <td class="notifications-num">{f.attempts}</td>
                <td>{f.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

// ------------------------------------------------------------ staff: templates

function Rendered({
  ctx,
  event,
  params,
  lang,
}: {
  ctx: PageContext;
  event: NotificationEvent;
  params: Params;
  lang: Lang;
}) {
  const text = render(event, params, lang);
  return (
    <div lang={lang} class="notifications-template">
      <p class="notifications-template__subject">
        <span class="visually-hidden">{ctx.t('notifications.templates.subject')}: </span>
        {text.subject}
      </p>
      <p class="notifications-template__body">{text.body}</p>
    </div>
  );
}

export function TemplatesPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.templates.title')} area="staff">
      <BackLink href="/staff/notifications">{t('notifications.staff.title')}</BackLink>
      <h1>{t('notifications.templates.title')}</h1>
      <p class="lead">{t('notifications.templates.lead')}</p>
      {(Object.keys(TEMPLATES) as NotificationEvent[]).map((event) => (
        <section key={event} aria-labelledby={`event-${event}`}>
          <h2 id={`event-${event}`}>{t(`notifications.event.${event}` as MessageKey)}</h2>
          {SAMPLES[event].map((params, i) => {
            const entry = TEMPLATES[event];
            const variant = 'by' in entry ? String(params[entry.by]) : undefined;
            return (
              <div key={i}>
                {variant && <h3>{t('notifications.templates.variant', { variant })}</h3>}
                <p class="caption">
                  {t('notifications.templates.params', { params: Object.keys(params).join(', ') })}
                </p>
                <table class="table">
                  <caption class="visually-hidden">
                    {t(`notifications.event.${event}` as MessageKey)}
                    {variant ? ` — ${variant}` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" lang="ru">
                        Русский
                      </th>
                      <th scope="col" lang="en">
                        English
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>
                        <Rendered ctx={ctx} event={event} params={params} lang="ru" />
                      </td>
                      <td>
                        <Rendered ctx={ctx} event={event} params={params} lang="en" />
                      </td>
                    </tr>
                  </tbody>
                </table>
              </div>
            );
          })}
        </section>
      ))}
    </Layout>
  );
}

// ------------------------------------------------------------ staff: letters

export interface BatchRow {
  id: number;
  batch_date: string;
  letters: number;
  district: string;
}

export function LettersPage({ ctx, batches }: { ctx: PageContext; batches: BatchRow[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.letters.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('notifications.letters.title')}</h1>
      <p class="lead">{t('notifications.letters.lead')}</p>
      {batches.length === 0 ? (
        <p>{t('notifications.letters.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('notifications.letters.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.letters.date')}</th>
              <th scope="col">{t('notifications.letters.district')}</th>
              <th scope="col" class="notifications-num">
                {t('notifications.letters.count')}
              </th>
              <th scope="col">
                <span class="visually-hidden">{t('notifications.letters.download')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>{formatDate(locale, b.batch_date)}</td>
                <td>{b.district}</td>
                <td class="notifications-num">{formatNumber(locale, b.letters)}</td>
                <td>
                  <a
                    href={`/staff/notifications/letters/${b.id}/letters.pdf`}
                    aria-label={t('notifications.letters.downloadOf', {
                      district: b.district,
                      date: formatDate(locale, b.batch_date),
                    })}
                  >
                    {t('notifications.letters.download')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
