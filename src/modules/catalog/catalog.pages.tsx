import { pick } from '../../platform/i18n/i18n.ts';
import { BackLink, SummaryList, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { MeasureDetails, MeasureSummary } from './catalog.service.ts';

interface Topic {
  code: string;
  title_ru: string;
  title_en: string;
  measure_count: number | string | null;
}

function TopicCards({ ctx, topics, base }: { ctx: PageContext; topics: Topic[]; base: string }) {
  return (
    <ul class="cards">
      {topics.map((topic) => (
        <li key={topic.code}>
          <a href={`${base}/${topic.code}`}>{pick(ctx.locale, topic.title_ru, topic.title_en)}</a>
          <div class="caption">{ctx.t('catalog.measureCount', { count: Number(topic.measure_count) })}</div>
        </li>
      ))}
    </ul>
  );
}

export function HomePage({
  ctx,
  spheres,
  situations,
}: {
  ctx: PageContext;
  spheres: Topic[];
  situations: Topic[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('catalog.title')} area="portal">
      <h1>{t('catalog.title')}</h1>
      <p class="lead">{t('catalog.lead')}</p>
      {ctx.actor.kind !== 'resident' && (
        <p class="notice">
          <a href="/sign-in">{t('nav.signIn')}</a>. {t('catalog.signInPrompt')}
        </p>
      )}
      <div class="panel">
        <h2 class="panel__title">{t('catalog.checkTitle')}</h2>
        <p>{t('catalog.checkText')}</p>
        <p>
          <a href="/entitlements">{t('catalog.checkLink')}</a>
        </p>
      </div>
      <h2>{t('catalog.bySituation')}</h2>
      <TopicCards ctx={ctx} topics={situations} base="/situations" />
      <h2>{t('catalog.bySphere')}</h2>
      <TopicCards ctx={ctx} topics={spheres} base="/spheres" />
    </Layout>
  );
}

function MeasureList({ ctx, measures }: { ctx: PageContext; measures: MeasureSummary[] }) {
  if (measures.length === 0) return <p>{ctx.t('catalog.noMeasures')}</p>;
  return (
    <ul class="list">
      {measures.map((m) => (
        <li key={m.code}>
          <a href={`/measures/${m.code}`}>{pick(ctx.locale, m.title_ru, m.title_en)}</a>
          <br />
          {pick(ctx.locale, m.summary_ru, m.summary_en)}
        </li>
      ))}
    </ul>
  );
}

interface TopicPageProps {
  ctx: PageContext;
  caption: string;
  title: string;
  measures: MeasureSummary[];
}

export function TopicPage({ ctx, caption, title, measures }: TopicPageProps) {
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <BackLink href="/">{ctx.t('catalog.breadcrumbHome')}</BackLink>
      <p class="caption">{caption}</p>
      <h1>{title}</h1>
      <MeasureList ctx={ctx} measures={measures} />
    </Layout>
  );
}

const MAX_OFFICES = 6;

export function MeasurePage({ ctx, details }: { ctx: PageContext; details: MeasureDetails }) {
  const { t, locale } = ctx;
  const { measure: m, documents, situations, priority, offices } = details;
  const title = pick(locale, m.title_ru, m.title_en);
  const amount = pick(locale, m.amount_note_ru, m.amount_note_en);
  return (
    <Layout ctx={ctx} title={title} area="portal">
      <BackLink href={`/spheres/${m.sphere_code}`}>{pick(locale, m.sphere_ru, m.sphere_en)}</BackLink>
      <h1>{title}</h1>
      <p class="lead">{pick(locale, m.summary_ru, m.summary_en)}</p>
      <p>{pick(locale, m.description_ru, m.description_en)}</p>

      <h2>{t('measure.whoCanGet')}</h2>
      <p>{pick(locale, m.eligibility_ru, m.eligibility_en)}</p>
      {amount && (
        <>
          <h2>{t('measure.howMuch')}</h2>
          <p>{amount}</p>
        </>
      )}

      <h2>{t('measure.documents')}</h2>
      {documents.some((d) => d.interagency_agency) && <p>{t('measure.documentsIntro')}</p>}
      <ul class="list">
        {documents.map((d) => (
          <li key={d.title_ru}>
            {pick(locale, d.title_ru, d.title_en)}
            {d.interagency_agency && (
              <>
                {' '}
                <Tag tone="green">
                  {t('measure.requestedFrom', { agency: t(`agency.${d.interagency_agency}`) })}
                </Tag>
              </>
            )}
          </li>
        ))}
      </ul>

      <h2>{t('measure.howToApply')}</h2>
      <ul class="list">
        {m.channels.map((c) => (
          <li key={c}>{t(`measure.channel.${c}`)}</li>
        ))}
      </ul>
      <p>{t('measure.deadline', { count: m.decision_days })}</p>
      {m.channels.includes('portal') ? (
        <p>
          <a class="button" href={`/measures/${m.code}/apply`}>
            {t('measure.applyOnline')}
          </a>
        </p>
      ) : (
        m.channels.includes('in_person') && <p class="notice">{t('measure.applyInPerson')}</p>
      )}

      {offices.length > 0 && (
        <>
          <h2>{t('measure.offices')}</h2>
          <ul class="list">
            {offices.slice(0, MAX_OFFICES).map((o) => (
              <li key={o.id}>
                <strong>{pick(locale, o.name_ru, o.name_en)}</strong>,{' '}
                {pick(locale, o.address_ru, o.address_en)},{' '}
                <a href={`tel:${o.phone.replace(/[^+\d]/g, '')}`}>{o.phone}</a>
              </li>
            ))}
          </ul>
          {offices.length > MAX_OFFICES && (
            <p>{t('measure.officesMore', { count: offices.length - MAX_OFFICES })}</p>
          )}
        </>
      )}

      <h2>{t('measure.legalBasis')}</h2>
      <SummaryList
        rows={[
          [t('measure.legalBasis'), pick(locale, m.legal_basis_ru, m.legal_basis_en)],
          [t('measure.department'), pick(locale, m.department_ru, m.department_en)],
          [t('measure.form'), t(`measure.form.${m.form}`)],
          [
            t('measure.lifeSituations'),
            situations.map((s) => pick(locale, s.title_ru, s.title_en)).join(', '),
          ],
          ...(priority.length
            ? [
                [
                  t('measure.priority'),
                  priority.map((p) => pick(locale, p.title_ru, p.title_en)).join(', '),
                ] as [string, string],
              ]
            : []),
        ]}
      />
    </Layout>
  );
}
