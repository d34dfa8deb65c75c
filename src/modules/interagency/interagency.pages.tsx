// The staff page of interagency requests: requests of the reader's districts (overdue first) and
// the log of inbound messages the exchange rejected.
import { formatDate, type MessageKey } from '../../platform/i18n/i18n.ts';
import { BackLink, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { ADAPTERS } from './interagency.adapters.ts';
import { isRequestType } from './interagency.protocol.ts';
import type { interagencyOverview } from './interagency.service.ts';

type Overview = Awaited<ReturnType<typeof interagencyOverview>>;

const TONE = { pending: 'grey', sent: 'blue', answered: 'green', failed: 'red' } as const;

export function InteragencyPage({ ctx, overview }: { ctx: PageContext; overview: Overview }) {
  const { t, locale } = ctx;
  const date = (d: Date | string | null) => (d ? formatDate(locale, d) : '—');
  return (
    <Layout ctx={ctx} title={t('interagency.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('interagency.title')}</h1>
      <p class="lead">{t('interagency.lead')}</p>
      <h2>{t('interagency.requests')}</h2>
      {overview.requests.length === 0 ? (
        <p>{t('interagency.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('interagency.requests')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('interagency.col.case')}</th>
              <th scope="col">{t('interagency.col.person')}</th>
              <th scope="col">{t('interagency.col.agency')}</th>
              <th scope="col">{t('interagency.col.status')}</th>
              <th scope="col">{t('interagency.col.sent')}</th>
              <th scope="col">{t('interagency.col.answered')}</th>
              <th scope="col">{t('interagency.col.due')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.requests.map((r) => {
              const open = r.status === 'pending' || r.status === 'sent';
              const overdue = open && r.due_on < overview.today;
              const title = isRequestType(r.request_type) ? ADAPTERS[r.request_type].title : undefined;
              return (
                <tr key={r.id}>
                  <td>
                    {r.application_id ? (
                      <a href={`/staff/applications/${r.application_id}`}>
                        {r.application_number ?? r.application_id}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{[r.last_name, r.first_name, r.patronymic].filter(Boolean).join(' ')}</td>
                  <td>
                    {t(`agency.${r.agency}` as MessageKey)}
                    {title && (
                      <>
                        <br />
                        <span class="hint">{locale === 'ru' ? title.ru : title.en}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <Tag tone={TONE[r.status]}>{t(`interagency.status.${r.status}`)}</Tag>
                    {overdue && (
                      <>
                        {' '}
                        <Tag tone="red">{t('interagency.overdue')}</Tag>
                      </>
                    )}
                    {r.status === 'failed' && r.error_code && (
                      <p>
                        {r.error_code}: {r.error_text}
                      </p>
                    )}
                    {r.status === 'pending' && r.attempts > 0 && (
                      <p>{t('interagency.attempts', { n: r.attempts })}</p>
                    )}
                  </td>
                  <td>{date(r.sent_at)}</td>
                  <td>{date(r.answered_at)}</td>
                  <td>{date(r.due_on)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>{t('interagency.rejected')}</h2>
      <p>{t('interagency.rejected.lead')}</p>
      {overview.rejected.length === 0 ? (
        <p>{t('interagency.rejected.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('interagency.rejected')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('interagency.col.received')}</th>
              <th scope="col">{t('interagency.col.kind')}</th>
              <th scope="col">{t('interagency.col.code')}</th>
              <th scope="col">{t('interagency.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.rejected.map((m) => (
              <tr key={m.id}>
                <td>{date(m.received_at)}</td>
                <td>{m.kind}</td>
                <td>{m.error_code}</td>
                <td>{(m.error_text ?? '').slice(0, 300)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
