// Pages of duplicate review: the list of pairs, a pair side by side (choose the record to keep, or
// "different people"), check before merging, merged records with undo, and the undo confirmation.
import { formatDate, formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  Radios,
  SummaryList,
  Tag,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { formatSnils } from '../registry/snils.ts';
import type { MergeRow, PairForReview, PairRow } from './dedup.service.ts';

export const BASE = '/staff/registry/duplicates';

const fullName = (p: { last_name: string; first_name: string; patronymic: string | null }) =>
  [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' ');

export type Notice = 'merged' | 'different' | 'undone';

function NoticeLine({ ctx, notice }: { ctx: PageContext; notice: Notice | undefined }) {
  if (!notice) return null;
  return (
    <p class="notice" role="status">
      {ctx.t(`dedup.notice.${notice}` as MessageKey)}
    </p>
  );
}

function reasonsText(ctx: PageContext, reasons: readonly string[]): string {
  const text = reasons.map((r) => ctx.t(`dedup.reason.${r}` as MessageKey)).join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const percent = (ctx: PageContext, score: number) => `${formatNumber(ctx.locale, Math.round(score * 100))}%`;

export function ListPage(p: {
  ctx: PageContext;
  total: number;
  pairs: PairRow[];
  page: number;
  pageSize: number;
  notice?: Notice | undefined;
}) {
  const { ctx } = p;
  const { t } = ctx;
  const who = (name: string, birth: string) => (
    <>
      {name}
      <br />
      <span class="hint">{t('dedup.born', { date: formatDate(ctx.locale, birth) })}</span>
    </>
  );
  return (
    <Layout ctx={ctx} title={t('dedup.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <NoticeLine ctx={ctx} notice={p.notice} />
      <h1>{t('dedup.title')}</h1>
      <p class="lead">{t('dedup.lead')}</p>
      <p>
        <a href={`${BASE}/merged`}>{t('dedup.merged.link')}</a>
      </p>
      {p.total === 0 ? (
        <p>{t('dedup.none')}</p>
      ) : (
        <>
          <p>{t('dedup.total', { count: p.total })}</p>
          <table class="table">
            <caption class="visually-hidden">{t('dedup.list.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dedup.list.first')}</th>
                <th scope="col">{t('dedup.list.second')}</th>
                <th scope="col">{t('dedup.list.why')}</th>
                <th scope="col">{t('dedup.list.score')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('dedup.list.review')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.pairs.map((r) => (
                <tr key={r.id}>
                  <td>{who(r.a_name, r.a_birth_date)}</td>
                  <td>{who(r.b_name, r.b_birth_date)}</td>
                  <td>{reasonsText(ctx, r.reasons)}</td>
                  <td>{percent(ctx, r.score)}</td>
                  <td>
                    <a href={`${BASE}/${r.id}`}>
                      {t('dedup.list.review')}
                      <span class="visually-hidden"> {t('dedup.list.reviewPair', { id: r.id })}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {p.page > 1 && <a href={`${BASE}?page=${p.page - 1}`}>{t('dedup.list.previous')}</a>}{' '}
            {p.page * p.pageSize < p.total && (
              <a href={`${BASE}?page=${p.page + 1}`}>{t('dedup.list.next')}</a>
            )}
          </p>
        </>
      )}
    </Layout>
  );
}

type Record_ = PairForReview['a'];

function compareRows(ctx: PageContext, a: Record_, b: Record_): [string, string, string][] {
  const { t, locale } = ctx;
  const none = t('person.none');
  const place = (p: Record_['person']) =>
    [
      pick(locale, p.district_ru, p.district_en),
      p.settlement_ru && pick(locale, p.settlement_ru, p.settlement_en ?? ''),
    ]
      .filter(Boolean)
      .join(', ');
  const household = (r: Record_) =>
    r.household.length
      ? t('dedup.pair.householdSize', { count: r.household.length })
      : t('dedup.pair.noHousehold');
  const row = (label: MessageKey, f: (r: Record_) => string): [string, string, string] => [
    t(label),
    f(a),
    f(b),
  ];
  return [
    row('person.name', (r) => fullName(r.person)),
    row('person.snils', (r) => formatSnils(r.person.snils)),
    row('person.birthDate', (r) => formatDate(locale, r.person.birth_date)),
    row('person.sex', (r) => t(`person.sex.${r.person.sex}` as MessageKey)),
    row('person.district', (r) => place(r.person)),
    row('person.address', (r) => r.person.address),
    row('person.phone', (r) => r.person.phone ?? none),
    row('person.email', (r) => r.person.email ?? none),
    row('dedup.pair.household', household),
  ];
}

export function PairPage(p: { ctx: PageContext; pair: PairForReview; error?: string | undefined }) {
  const { ctx, pair } = p;
  const { t } = ctx;
  const id = pair.candidate.id;
  const errors: Record<string, string> = p.error ? { keep: p.error } : {};
  return (
    <Layout
      ctx={ctx}
      title={`${p.error ? `${t('form.errorPrefix')} ` : ''}${t('dedup.pair.title')}`}
      area="staff"
    >
      <BackLink href={BASE}>{t('dedup.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">{t('dedup.pair.caption', { id })}</p>
      <h1>{t('dedup.pair.title')}</h1>
      <p class="hint">{t('dedup.pair.audited')}</p>
      <h2>{t('dedup.pair.why')}</h2>
      <p>
        {reasonsText(ctx, pair.candidate.reasons)} ({percent(ctx, pair.candidate.score)})
      </p>
      <table class="table">
        <caption>{t('dedup.pair.compare')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dedup.pair.field')}</th>
            <th scope="col">{t('dedup.list.first')}</th>
            <th scope="col">{t('dedup.list.second')}</th>
          </tr>
        </thead>
        <tbody>
          {compareRows(ctx, pair.a, pair.b).map(([label, va, vb]) => (
            <tr key={label}>
              <th scope="row">
                {label}
                {va !== vb && (
                  <>
                    {' '}
                    <Tag tone="grey">{t('dedup.pair.differs')}</Tag>
                  </>
                )}
              </th>
              <td>{va}</td>
              <td>{vb}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pair.candidate.status === 'pending' && (
        <>
          <form method="post" action={`${BASE}/${id}/choose`} novalidate>
            <CsrfField ctx={ctx} />
            <Radios
              ctx={ctx}
              name="keep"
              legend={t('dedup.keep.legend')}
              hint={t('dedup.keep.hint')}
              error={p.error}
              checked={undefined}
              choices={[pair.a, pair.b].map((r, i) => ({
                value: String(r.person.id),
                label: t('dedup.keep.option', { n: i + 1, name: fullName(r.person) }),
              }))}
            />
            <Button>{t('dedup.continue')}</Button>
          </form>
          <h2>{t('dedup.different.title')}</h2>
          <p>{t('dedup.different.hint')}</p>
          <form method="post" action={`${BASE}/${id}/not-duplicate`}>
            <CsrfField ctx={ctx} />
            <Button secondary>{t('dedup.different.button')}</Button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function ConfirmPage(p: {
  ctx: PageContext;
  pair: PairForReview;
  keepId: number;
  error?: string | undefined;
}) {
  const { ctx, pair } = p;
  const { t, locale } = ctx;
  const id = pair.candidate.id;
  const keep = pair.a.person.id === p.keepId ? pair.a : pair.b;
  const remove = keep === pair.a ? pair.b : pair.a;
  const describe = (r: Record_) =>
    `${fullName(r.person)}, ${formatDate(locale, r.person.birth_date)}, ${t('person.snils')} ${formatSnils(r.person.snils)}, ${r.person.address}`;
  return (
    <Layout ctx={ctx} title={t('dedup.confirm.title')} area="staff">
      <BackLink href={`${BASE}/${id}`}>{t('dedup.back')}</BackLink>
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1} data-autofocus>
          <h2 class="error-summary__title">{t('form.errorSummary')}</h2>
          <p>{p.error}</p>
        </div>
      )}
      <p class="caption">{t('dedup.pair.caption', { id })}</p>
      <h1>{t('dedup.confirm.title')}</h1>
      <SummaryList
        rows={[
          [
            t('dedup.confirm.keep'),
            <>
              {describe(keep)}{' '}
              <a href={`${BASE}/${id}`}>
                {t('dedup.confirm.change')}
                <span class="visually-hidden"> {t('dedup.confirm.changeKeep')}</span>
              </a>
            </>,
          ],
          [t('dedup.confirm.remove'), describe(remove)],
          [t('dedup.confirm.reasons'), reasonsText(ctx, pair.candidate.reasons)],
        ]}
      />
      <p>{t('dedup.confirm.warning')}</p>
      <form method="post" action={`${BASE}/${id}/merge`}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="keep" value={String(keep.person.id)} />
        <Button>{t('dedup.confirm.button')}</Button>
      </form>
    </Layout>
  );
}

export function MergedPage(p: { ctx: PageContext; merges: MergeRow[]; notice?: Notice | undefined }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dedup.merged.title')} area="staff">
      <BackLink href={BASE}>{t('dedup.back')}</BackLink>
      <NoticeLine ctx={ctx} notice={p.notice} />
      <h1>{t('dedup.merged.title')}</h1>
      <p class="lead">{t('dedup.merged.lead')}</p>
      {p.merges.length === 0 ? (
        <p>{t('dedup.merged.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('dedup.merged.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dedup.merged.kept')}</th>
              <th scope="col">{t('dedup.merged.removed')}</th>
              <th scope="col">{t('dedup.merged.when')}</th>
              <th scope="col">{t('dedup.merged.by')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('dedup.merged.undo')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.merges.map((m) => (
              <tr key={m.id}>
                <td>{m.survivor_name || t('dedup.merged.gone')}</td>
                <td>{m.duplicate_name}</td>
                <td>{formatDate(ctx.locale, regionToday(m.merged_at))}</td>
                <td>{m.merged_by_name}</td>
                <td>
                  <a href={`${BASE}/merged/${m.id}/undo`}>
                    {t('dedup.merged.undo')}
                    <span class="visually-hidden">
                      {' '}
                      {t('dedup.merged.undoOf', { name: m.duplicate_name })}
                    </span>
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

export function UndoPage(p: {
  ctx: PageContext;
  mergeId: number;
  keptName: string;
  removedName: string;
  mergedAt: Date;
  error?: string | undefined;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dedup.undo.title')} area="staff">
      <BackLink href={`${BASE}/merged`}>{t('dedup.back')}</BackLink>
      {p.error && (
        <div class="error-summary" role="alert" tabIndex={-1} data-autofocus>
          <h2 class="error-summary__title">{t('form.errorSummary')}</h2>
          <p>{p.error}</p>
        </div>
      )}
      <h1>{t('dedup.undo.title')}</h1>
      <SummaryList
        rows={[
          [t('dedup.merged.kept'), p.keptName || t('dedup.merged.gone')],
          [t('dedup.merged.removed'), p.removedName],
          [t('dedup.merged.when'), formatDate(ctx.locale, regionToday(p.mergedAt))],
        ]}
      />
      <p>{t('dedup.undo.lead')}</p>
      <form method="post" action={`${BASE}/merged/${p.mergeId}/undo`}>
        <CsrfField ctx={ctx} />
        <Button>{t('dedup.undo.button')}</Button>
      </form>
    </Layout>
  );
}
