// Staff pages of the EGISSO export: the overview (registry state, "export now", latest exports), one
// export with its progress and packages, and the rejected records with their reasons.
import { formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import { BackLink, Button, CsrfField, SummaryList, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { ExportStatusCounts } from '../registry/assignments.egisso.ts';
import type { ExportStatus } from './egisso.schema.ts';
import type { ExportView, RejectionView } from './egisso.service.ts';

const BASE = '/staff/registry/egisso';
const TONE: Record<ExportStatus, 'blue' | 'green' | 'grey' | 'red'> = {
  queued: 'grey',
  running: 'blue',
  done: 'green',
  failed: 'red',
};

const dateTime = (ctx: PageContext, d: Date) =>
  new Intl.DateTimeFormat(ctx.locale === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Volgograd',
  }).format(d);

const counts = (ctx: PageContext, e: ExportView) =>
  ctx.t('egisso.export.countsShort', {
    new: e.new_records,
    change: e.changed_records,
    cancel: e.cancelled_records,
    rejected: e.rejected_records,
  });

const districtName = (ctx: PageContext, d: { name_ru: string; name_en: string } | undefined, id: number) =>
  d ? pick(ctx.locale, d.name_ru, d.name_en) : `#${id}`;

type DistrictNames = Map<number, { name_ru: string; name_en: string }>;

export function OverviewPage(p: {
  ctx: PageContext;
  status: ExportStatusCounts[];
  districts: DistrictNames;
  exports: ExportView[];
  rejected: number;
}) {
  const { ctx } = p;
  const { t } = ctx;
  const total = (k: 'exported' | 'rejected' | 'pending') => p.status.reduce((n, s) => n + s[k], 0);
  return (
    <Layout ctx={ctx} title={t('egisso.title')} area="staff">
      <h1>{t('egisso.title')}</h1>
      <p class="lead">{t('egisso.lead')}</p>

      <h2>{t('egisso.status.heading')}</h2>
      <SummaryList
        rows={[
          [t('egisso.status.exported'), formatNumber(ctx.locale, total('exported'))],
          [t('egisso.status.rejected'), formatNumber(ctx.locale, total('rejected'))],
          [t('egisso.status.pending'), formatNumber(ctx.locale, total('pending'))],
        ]}
      />
      <p>
        <a href={`${BASE}/rejections`}>{t('egisso.rejections.link', { count: p.rejected })}</a>
      </p>

      <form method="post" action={`${BASE}/exports`}>
        <CsrfField ctx={ctx} />
        <p class="hint">{t('egisso.exportNowHint')}</p>
        <Button>{t('egisso.exportNow')}</Button>
      </form>

      <h2>{t('egisso.exports.heading')}</h2>
      {p.exports.length === 0 ? (
        <p>{t('egisso.exports.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('egisso.exports.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('egisso.exports.number')}</th>
              <th scope="col">{t('egisso.exports.time')}</th>
              <th scope="col">{t('egisso.exports.state')}</th>
              <th scope="col">{t('egisso.exports.counts')}</th>
              <th scope="col">{t('egisso.exports.packages')}</th>
            </tr>
          </thead>
          <tbody>
            {p.exports.map((e) => (
              <tr key={e.id}>
                <td>
                  <a href={`${BASE}/exports/${e.id}`}>{t('egisso.export.title', { id: String(e.id) })}</a>
                </td>
                <td>{dateTime(ctx, e.finished_at ?? e.created_at)}</td>
                <td>
                  <Tag tone={TONE[e.status]}>{t(`egisso.status.${e.status}` as MessageKey)}</Tag>
                </td>
                <td>{e.status === 'done' ? counts(ctx, e) : ''}</td>
                <td>
                  {e.packages.length === 0 && e.status === 'done' ? (
                    '—'
                  ) : (
                    <ul class="list">
                      {e.packages.map((pk) => (
                        <li key={pk.id}>
                          <a href={`${BASE}/packages/${pk.id}`} download>
                            {t('egisso.package.download', {
                              district: districtName(ctx, pk.district, pk.district_id),
                              records: pk.records,
                            })}
                          </a>
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

      <h2>{t('egisso.status.caption')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('egisso.status.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('egisso.status.district')}</th>
            <th scope="col">{t('egisso.status.exported')}</th>
            <th scope="col">{t('egisso.status.rejected')}</th>
            <th scope="col">{t('egisso.status.pending')}</th>
          </tr>
        </thead>
        <tbody>
          {p.status.map((s) => (
            <tr key={s.district_id}>
              <th scope="row">{districtName(ctx, p.districts.get(s.district_id), s.district_id)}</th>
              <td>{formatNumber(ctx.locale, s.exported)}</td>
              <td>{formatNumber(ctx.locale, s.rejected)}</td>
              <td>{formatNumber(ctx.locale, s.pending)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function ExportPage({ ctx, exp }: { ctx: PageContext; exp: ExportView }) {
  const { t } = ctx;
  const live = exp.status === 'queued' || exp.status === 'running';
  const heading = t('egisso.export.title', { id: String(exp.id) });
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      {live && (
        // The export runs as a job: the page reloads itself until it is done, with or without script.
        <noscript>
          <meta http-equiv="refresh" content="2" />
        </noscript>
      )}
      <BackLink href={BASE}>{t('egisso.back')}</BackLink>
      <h1>{heading}</h1>
      <p role="status" data-egisso-live={live ? '' : undefined}>
        <Tag tone={TONE[exp.status]}>{t(`egisso.status.${exp.status}` as MessageKey)}</Tag>
      </p>
      {live && (
        <>
          <p class="hint">{t('egisso.export.refreshing')}</p>
          <p>
            <a href={`${BASE}/exports/${exp.id}`}>{t('egisso.export.reload')}</a>
          </p>
        </>
      )}
      {exp.status === 'failed' && (
        <div class="notice">
          <h2>{t('egisso.export.failed')}</h2>
          <p>{exp.error}</p>
        </div>
      )}
      {exp.status === 'done' && (
        <>
          <SummaryList
            rows={[
              [t('egisso.export.requested'), dateTime(ctx, exp.created_at)],
              [t('egisso.export.finished'), exp.finished_at ? dateTime(ctx, exp.finished_at) : ''],
              [t('egisso.export.new'), formatNumber(ctx.locale, exp.new_records)],
              [t('egisso.export.change'), formatNumber(ctx.locale, exp.changed_records)],
              [t('egisso.export.cancel'), formatNumber(ctx.locale, exp.cancelled_records)],
              [t('egisso.export.rejected'), formatNumber(ctx.locale, exp.rejected_records)],
            ]}
          />
          {exp.rejected_records > 0 && (
            <p>
              <a href={`${BASE}/rejections`}>{t('egisso.rejections.title')}</a>
            </p>
          )}
          {exp.packages.length === 0 ? (
            <p>{t('egisso.export.nothing')}</p>
          ) : (
            <table class="table">
              <caption class="visually-hidden">{t('egisso.package.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('egisso.package.district')}</th>
                  <th scope="col">{t('egisso.package.records')}</th>
                  <th scope="col">{t('egisso.package.file')}</th>
                </tr>
              </thead>
              <tbody>
                {exp.packages.map((pk) => (
                  <tr key={pk.id}>
                    <th scope="row">
                      {districtName(ctx, pk.district, pk.district_id)} ({pk.provider_code})
                    </th>
                    <td>{formatNumber(ctx.locale, pk.records)}</td>
                    <td>
                      <a href={`${BASE}/packages/${pk.id}`} download>
                        {t('egisso.package.download', {
                          district: districtName(ctx, pk.district, pk.district_id),
                          records: pk.records,
                        })}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {live && <script src="/assets/egisso-progress.js" defer />}
    </Layout>
  );
}

export function RejectionsPage({
  ctx,
  total,
  rows,
}: {
  ctx: PageContext;
  total: number;
  rows: RejectionView[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('egisso.rejections.title')} area="staff">
      <BackLink href={BASE}>{t('egisso.back')}</BackLink>
      <h1>{t('egisso.rejections.title')}</h1>
      <p class="lead">{t('egisso.rejections.lead')}</p>
      {rows.length === 0 ? (
        <p>{t('egisso.rejections.none')}</p>
      ) : (
        <>
          <p>
            <a href={`${BASE}/rejections.csv`} download>
              {t('egisso.rejections.csv')}
            </a>
          </p>
          {rows.length < total && <p>{t('egisso.rejections.shown', { shown: rows.length, total })}</p>}
          <table class="table">
            <caption class="visually-hidden">{t('egisso.rejections.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('egisso.rejections.assignment')}</th>
                <th scope="col">{t('egisso.rejections.person')}</th>
                <th scope="col">{t('egisso.rejections.measure')}</th>
                <th scope="col">{t('egisso.rejections.district')}</th>
                <th scope="col">{t('egisso.rejections.reasons')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.assignmentId}>
                  <td>{r.assignmentId}</td>
                  <td>
                    {r.name}
                    <br />
                    <span class="hint">{r.snils}</span>
                  </td>
                  <td>{r.measureCode}</td>
                  <td>{pick(ctx.locale, r.districtRu, r.districtEn)}</td>
                  <td>
                    <ul class="list">
                      {r.reasons.map((x) => (
                        <li key={x.code + x.detail}>
                          {t(`egisso.reason.${x.code}` as MessageKey)}
                          {x.code === 'schema' && <span class="hint"> ({x.detail})</span>}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Layout>
  );
}
