// The accessibility register page: each office's and portal page's latest audit (a table with its CSV
// and XLSX), and the form to record a new audit (GOV.UK: labels, hints, an error summary linking to
// the fields). Works without JavaScript: the office and page fields are both shown, the radios say
// which one counts.
import { DataTable } from '../../platform/charts/charts.tsx';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type Option,
  Radios,
  Select,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { NewAuditInput } from './quality.accessibility.ts';
import { Exports } from './quality.pages.tsx';
import { displayTable, type NamedTable } from './quality.view-model.ts';

export function AccessibilityPage(p: {
  ctx: PageContext;
  table: NamedTable;
  offices: Option[];
  /** Region-wide roles record portal pages too. */
  pages: boolean;
  values: NewAuditInput;
  errors: FieldErrors;
  recorded: boolean;
  back: string;
  indicator: string;
}) {
  const { ctx } = p;
  const { t, locale } = ctx;
  const title = t('qualityPages.accessibility.title');
  return (
    <Layout ctx={ctx} title={title} area="staff">
      <BackLink href={p.back}>{t('qualityPages.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      {p.recorded && (
        <p class="notice" role="status">
          {t('qualityPages.accessibility.recorded')}
        </p>
      )}
      <h1>{title}</h1>
      <p>{t('qualityPages.accessibility.intro')}</p>
      <p>
        <a href={p.indicator}>{t('qualityPages.accessibility.indicator')}</a>
      </p>
      <h2>{p.table.title}</h2>
      {p.table.rows.length === 0 ? (
        <p>{t('qualityPages.accessibility.none')}</p>
      ) : (
        <DataTable table={displayTable(locale, t, p.table)} caption={p.table.title} />
      )}
      <h2 id="record">{t('qualityPages.accessibility.add')}</h2>
      <form method="post" action="/staff/quality/accessibility" novalidate>
        <CsrfField ctx={ctx} />
        {p.pages ? (
          <Radios
            ctx={ctx}
            name="kind"
            legend={t('qualityPages.accessibility.kind')}
            choices={[
              { value: 'office', label: t('qualityPages.accessibility.kind.office') },
              { value: 'page', label: t('qualityPages.accessibility.kind.page') },
            ]}
            checked={p.values.kind}
            error={p.errors.kind}
          />
        ) : (
          <input type="hidden" name="kind" value="office" />
        )}
        <Select
          ctx={ctx}
          name="office"
          label={t('qualityPages.accessibility.office')}
          value={p.values.office}
          options={p.offices}
          empty={t('qualityPages.accessibility.officeNone')}
          error={p.errors.office}
        />
        {p.pages && (
          <TextField
            ctx={ctx}
            name="page"
            label={t('qualityPages.accessibility.page')}
            hint={t('qualityPages.accessibility.pageHint')}
            value={p.values.page}
            error={p.errors.page}
          />
        )}
        <TextField
          ctx={ctx}
          name="auditedOn"
          label={t('qualityPages.accessibility.auditedOn')}
          hint={t('qualityPages.accessibility.auditedOnHint')}
          value={p.values.auditedOn}
          error={p.errors.auditedOn}
          width="short"
        />
        <Radios
          ctx={ctx}
          name="meets"
          legend={t('qualityPages.accessibility.meets')}
          choices={[
            { value: 'yes', label: t('qualityPages.accessibility.yes') },
            { value: 'no', label: t('qualityPages.accessibility.no') },
          ]}
          checked={p.values.meets}
          error={p.errors.meets}
        />
        <TextArea
          ctx={ctx}
          name="findings"
          label={t('qualityPages.accessibility.findings')}
          hint={t('qualityPages.accessibility.findingsHint')}
          value={p.values.findings}
          error={p.errors.findings}
        />
        <TextField
          ctx={ctx}
          name="source"
          label={t('qualityPages.accessibility.source')}
          hint={t('qualityPages.accessibility.sourceHint')}
          value={p.values.source}
          error={p.errors.source}
        />
        <Button>{t('qualityPages.accessibility.save')}</Button>
      </form>
      <Exports ctx={ctx} tables={[p.table]} />
    </Layout>
  );
}
