// Staff pages of sampling: the sample form (size, strata, allocation, seed, districts), the preview
// of the allocation per stratum with the "draw and invite" confirmation (the form's values carried
// as hidden fields), and the wave's invitations by stratum with their response rate. No names.
import { formatDate, formatNumber, type MessageKey } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Radios,
  SummaryList,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { BACKGROUND_KEYS, type BackgroundKey } from './surveys.background.ts';
import type { InvitationSummary, SampleFormValues, SamplePreview } from './surveys.sample.service.ts';
import { MAX_SAMPLE_SIZE } from './surveys.sample.service.ts';
import type { Wave } from './surveys.waves.service.ts';

export const WAVES = '/staff/surveys/waves';

export interface DistrictOption {
  id: number;
  name: string;
}

const keyLabel = (ctx: PageContext, k: BackgroundKey) => ctx.t(`surveys.sample.key.${k}` as MessageKey);

/** A stratum value as a reader knows it: a district's name, a channel in words, an age group as is. */
export function valueLabel(
  ctx: PageContext,
  key: string,
  value: string,
  districts: ReadonlyMap<string, string>,
): string {
  if (key === 'district') return districts.get(value) ?? value;
  if (key === 'channel') return ctx.t(`surveys.sample.channel.${value}` as MessageKey);
  return value;
}

function WaveLine({ ctx, wave }: { ctx: PageContext; wave: Wave }) {
  return (
    <p class="lead" id="wave">
      {ctx.t('surveys.sample.wave', { title: wave.title, until: formatDate(ctx.locale, wave.closesOn) })}
    </p>
  );
}

export function SampleFormPage(p: {
  ctx: PageContext;
  wave: Wave;
  values: SampleFormValues;
  districts: DistrictOption[];
  errors: FieldErrors;
  /** The wave cannot be sampled (anonymous or closed): the form is not shown. */
  refused: boolean;
}) {
  const { ctx, wave, values, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('surveys.sample.title')} area="staff">
      <BackLink href={`${WAVES}/${wave.id}`}>{t('surveys.sample.backToWave')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('surveys.sample.title')}</h1>
      <WaveLine ctx={ctx} wave={wave} />
      <p>
        <a href={`${WAVES}/${wave.id}/invitations`}>{t('surveys.sample.seeInvitations')}</a>
      </p>
      {!p.refused && (
        <>
          <p>{t('surveys.sample.lead')}</p>
          <form method="post" action={`${WAVES}/${wave.id}/sample`} novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              ctx={ctx}
              name="size"
              label={t('surveys.sample.size')}
              hint={t('surveys.sample.sizeHint', { max: formatNumber(ctx.locale, MAX_SAMPLE_SIZE) })}
              value={values.size}
              error={errors.size}
              inputMode="numeric"
              width="short"
            />
            <Radios
              ctx={ctx}
              name="strata"
              type="checkbox"
              legend={t('surveys.sample.strata')}
              hint={t('surveys.sample.strataHint')}
              choices={BACKGROUND_KEYS.map((k) => ({ value: k, label: keyLabel(ctx, k) }))}
              checked={values.strata}
              error={errors.strata}
            />
            <Radios
              ctx={ctx}
              name="allocation"
              legend={t('surveys.sample.allocation')}
              choices={(['proportional', 'equal'] as const).map((a) => ({
                value: a,
                label: t(`surveys.sample.allocation.${a}`),
                hint: t(`surveys.sample.allocation.${a}Hint`),
              }))}
              checked={values.allocation}
              error={errors.allocation}
            />
            <TextField
              ctx={ctx}
              name="seed"
              label={t('surveys.sample.seed')}
              hint={t('surveys.sample.seedHint')}
              value={values.seed}
              error={errors.seed}
              inputMode="numeric"
              width="half"
            />
            <Radios
              ctx={ctx}
              name="districts"
              type="checkbox"
              legend={t('surveys.sample.districts')}
              hint={t('surveys.sample.districtsHint')}
              choices={p.districts.map((d) => ({ value: String(d.id), label: d.name }))}
              checked={values.districts}
              error={errors.districts}
            />
            <button type="submit" class="button">
              {t('surveys.sample.preview')}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}

/** The form's values as hidden fields (confirm) or a query string (change). */
function hiddenValues(values: SampleFormValues): [string, string][] {
  return [
    ['size', values.size],
    ...values.strata.map((s): [string, string] => ['strata', s]),
    ['allocation', values.allocation],
    ['seed', values.seed],
    ...values.districts.map((d): [string, string] => ['districts', d]),
  ];
}

export function SamplePreviewPage(p: {
  ctx: PageContext;
  preview: SamplePreview;
  values: SampleFormValues;
  districts: ReadonlyMap<string, string>;
}) {
  const { ctx, preview, values } = p;
  const { t } = ctx;
  const { wave, input } = preview;
  const n = (v: number) => formatNumber(ctx.locale, v);
  const change = `${WAVES}/${wave.id}/sample?${new URLSearchParams(hiddenValues(values)).toString()}`;
  return (
    <Layout ctx={ctx} title={t('surveys.sample.previewTitle')} area="staff">
      <BackLink href={change}>{t('surveys.sample.change')}</BackLink>
      <h1>{t('surveys.sample.previewTitle')}</h1>
      <WaveLine ctx={ctx} wave={wave} />
      <p>{t('surveys.sample.previewLead', { population: n(preview.population), drawn: n(preview.drawn) })}</p>
      {preview.shortfall > 0 && (
        <div class="notice">
          <p>{t('surveys.sample.previewShortfall', { shortfall: n(preview.shortfall) })}</p>
        </div>
      )}
      <SummaryList
        rows={[
          [t('surveys.sample.summary.size'), n(input.size)],
          [t('surveys.sample.summary.strata'), input.strata.map((k) => keyLabel(ctx, k)).join(', ')],
          [t('surveys.sample.summary.allocation'), t(`surveys.sample.allocation.${input.allocation}`)],
          [t('surveys.sample.summary.seed'), String(input.seed)],
          [
            t('surveys.sample.summary.districts'),
            input.districtIds.length === 0
              ? t('surveys.sample.summary.allDistricts')
              : input.districtIds.map((id) => p.districts.get(String(id)) ?? String(id)).join(', '),
          ],
        ]}
      />
      <p>
        <a href={change}>
          {t('surveys.sample.change')}
          <span class="visually-hidden"> — {t('surveys.sample.title')}</span>
        </a>
      </p>
      <table class="table" id="allocation">
        <caption>{t('surveys.sample.table')}</caption>
        <thead>
          <tr>
            {input.strata.map((k) => (
              <th scope="col" key={k}>
                {keyLabel(ctx, k)}
              </th>
            ))}
            <th scope="col" class="numeric">
              {t('surveys.sample.col.population')}
            </th>
            <th scope="col" class="numeric">
              {t('surveys.sample.col.allocated')}
            </th>
            <th scope="col" class="numeric">
              {t('surveys.sample.col.shortfall')}
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.strata.map((s) => (
            <tr key={s.key.join('|')}>
              {s.key.map((v, i) => (
                <td key={input.strata[i]}>{valueLabel(ctx, input.strata[i]!, v, p.districts)}</td>
              ))}
              <td class="numeric">{n(s.population)}</td>
              <td class="numeric">{n(s.allocated)}</td>
              <td class="numeric">{s.shortfall > 0 ? n(s.shortfall) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={input.strata.length}>
              {t('surveys.sample.total')}
            </th>
            <td class="numeric">{n(preview.population)}</td>
            <td class="numeric">{n(preview.drawn)}</td>
            <td class="numeric">{preview.shortfall > 0 ? n(preview.shortfall) : '—'}</td>
          </tr>
        </tfoot>
      </table>
      {preview.drawn > 0 && (
        <form method="post" action={`${WAVES}/${wave.id}/sample/confirm`}>
          <CsrfField ctx={ctx} />
          {hiddenValues(values).map(([name, value], i) => (
            <input type="hidden" name={name} value={value} key={`${name}${i}`} />
          ))}
          <p>{t('surveys.sample.confirmHint')}</p>
          <button type="submit" class="button">
            {t('surveys.sample.confirm')}
          </button>
        </form>
      )}
    </Layout>
  );
}

const rate = (ctx: PageContext, completed: number, invited: number) =>
  invited === 0
    ? '—'
    : new Intl.NumberFormat(ctx.locale === 'ru' ? 'ru-RU' : 'en-GB', {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(completed / invited);

export function InvitationsPage(p: {
  ctx: PageContext;
  summary: InvitationSummary;
  districts: ReadonlyMap<string, string>;
  /** Just drawn: how many were invited (the confirmation banner). */
  drawn: number | null;
}) {
  const { ctx, summary } = p;
  const { t } = ctx;
  const { wave, keys, rows, total } = summary;
  const n = (v: number) => formatNumber(ctx.locale, v);
  return (
    <Layout ctx={ctx} title={t('surveys.invitations.title')} area="staff">
      <BackLink href={`${WAVES}/${wave.id}`}>{t('surveys.sample.backToWave')}</BackLink>
      {p.drawn !== null && (
        <div class="panel" role="status">
          <p>{t('surveys.invitations.drawn', { count: p.drawn })}</p>
        </div>
      )}
      <h1>{t('surveys.invitations.title')}</h1>
      <WaveLine ctx={ctx} wave={wave} />
      {wave.mode === 'linked' && (
        <p>
          <a href={`${WAVES}/${wave.id}/sample`}>{t('surveys.invitations.drawSample')}</a>
        </p>
      )}
      {total.invited === 0 ? (
        <p>{t('surveys.invitations.none')}</p>
      ) : (
        <>
          <table class="table" id="by-stratum">
            <caption>{t('surveys.invitations.byStratum')}</caption>
            <thead>
              <tr>
                {keys.map((k) => (
                  <th scope="col" key={k}>
                    {keyLabel(ctx, k)}
                  </th>
                ))}
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.invited')}
                </th>
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.started')}
                </th>
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.completed')}
                </th>
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.rate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key.join('|')}>
                  {r.key.map((v, i) => (
                    <td key={keys[i]}>{valueLabel(ctx, keys[i]!, v, p.districts)}</td>
                  ))}
                  <td class="numeric">{n(r.invited)}</td>
                  <td class="numeric">{n(r.started)}</td>
                  <td class="numeric">{n(r.completed)}</td>
                  <td class="numeric">{rate(ctx, r.completed, r.invited)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={Math.max(keys.length, 1)}>
                  {t('surveys.sample.total')}
                </th>
                <td class="numeric">{n(total.invited)}</td>
                <td class="numeric">{n(total.started)}</td>
                <td class="numeric">{n(total.completed)}</td>
                <td class="numeric">{rate(ctx, total.completed, total.invited)}</td>
              </tr>
            </tfoot>
          </table>
          <p class="hint">{t('surveys.invitations.rateHint')}</p>
          <table class="table" id="samples">
            <caption>{t('surveys.invitations.samples')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.invitations.col.drawnAt')}</th>
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.size')}
                </th>
                <th scope="col" class="numeric">
                  {t('surveys.invitations.col.population')}
                </th>
                <th scope="col">{t('surveys.invitations.col.strata')}</th>
                <th scope="col">{t('surveys.invitations.col.seed')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.samples.map((s) => (
                <tr key={s.id}>
                  <td>{formatDate(ctx.locale, s.created_at)}</td>
                  <td class="numeric">{n(s.size)}</td>
                  <td class="numeric">{n(s.population)}</td>
                  <td>{s.strata.map((k) => keyLabel(ctx, k as BackgroundKey)).join(', ')}</td>
                  <td>
                    {String(s.seed)} ({t(`surveys.sample.allocation.${s.allocation}`)})
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
