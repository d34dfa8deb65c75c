// Staff pages of imports: the upload form (with templates and recent uploads), and one page per
// import that shows what its state calls for — the preview (figures, first rows, every error,
// paged), the progress of the write (a <progress> bar, refreshed by a short meta refresh that a
// link stops, or in place by imports-progress.js), the result, or why it failed.
import {
  formatDate,
  formatMoney,
  formatNumber,
  isMessageKey,
  type MessageKey,
  pick,
} from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  Radios,
  SummaryList,
  Tag,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { formatSnils } from '../registry/snils.ts';
import { ASSIGNMENT_COLUMNS, type ColumnDef, RESIDENT_COLUMNS, SHEETS } from './imports.columns.ts';
import type { ImportKind, ImportStatus, SampleRow } from './imports.schema.ts';
import type { Failure, ImportRow } from './imports.service.ts';

export const BASE = '/staff/registry/imports';
export const REFRESH_SECONDS = 3;

const TONE: Record<ImportStatus, 'blue' | 'green' | 'grey' | 'red'> = {
  preview: 'grey',
  queued: 'blue',
  running: 'blue',
  done: 'green',
  failed: 'red',
};

function Status({ ctx, status }: { ctx: PageContext; status: ImportStatus }) {
  return (
    <Tag tone={TONE[status]}>
      <span data-field="status">{ctx.t(`imports.status.${status}` as MessageKey)}</span>
    </Tag>
  );
}

// ---------------------------------------------------------------- the upload page

export interface RecentImport {
  id: number;
  kind: ImportKind;
  status: ImportStatus;
  filename: string;
  created_at: Date;
  total_rows: number;
  error_count: number;
}

function ColumnsTable({ ctx, table, defs }: { ctx: PageContext; table: string; defs: ColumnDef[] }) {
  const { t } = ctx;
  return (
    <table class="table">
      <caption>{t('imports.columns.caption', { table })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.columns.header')}</th>
          <th scope="col">{t('imports.columns.meaning')}</th>
          <th scope="col">{t('imports.columns.required')}</th>
        </tr>
      </thead>
      <tbody>
        {defs.map((c) => (
          <tr key={c.key}>
            <td lang="ru">{c.ru}</td>
            <td>{pick(ctx.locale, c.noteRu, `${c.en}. ${c.noteEn}`)}</td>
            <td>{t(c.required ? 'imports.columns.yes' : 'imports.columns.no')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UploadPage(p: {
  ctx: PageContext;
  kind: string;
  errors: FieldErrors;
  limitMb: number;
  maxRows: number;
  recent: RecentImport[];
}) {
  const { ctx, errors } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('imports.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('imports.title')}</h1>
      <p class="lead">{t('imports.lead')}</p>
      <form method="post" action={BASE} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <Radios
          ctx={ctx}
          name="kind"
          legend={t('imports.kind.legend')}
          checked={p.kind}
          error={errors.kind}
          choices={[
            { value: 'residents', label: t('imports.kind.residents'), hint: t('imports.kind.residentsHint') },
            {
              value: 'assignments',
              label: t('imports.kind.assignments'),
              hint: t('imports.kind.assignmentsHint'),
            },
          ]}
        />
        <FileField
          ctx={ctx}
          name="file"
          label={t('imports.file.label')}
          hint={t('imports.file.hint', { size: p.limitMb, rows: p.maxRows })}
          error={errors.file}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        />
        <button type="submit" class="button">
          {t('imports.submit')}
        </button>
      </form>

      <h2>{t('imports.templates.title')}</h2>
      <p>{t('imports.templates.lead')}</p>
      <ul class="list">
        <li>
          <a href={`${BASE}/templates/residents.xlsx`}>{t('imports.templates.residentsXlsx')}</a>
        </li>
        <li>
          <a href={`${BASE}/templates/residents.csv`}>{t('imports.templates.residentsCsv')}</a>
        </li>
        <li>
          <a href={`${BASE}/templates/assignments.xlsx`}>{t('imports.templates.assignmentsXlsx')}</a>
        </li>
        <li>
          <a href={`${BASE}/templates/assignments.csv`}>{t('imports.templates.assignmentsCsv')}</a>
        </li>
      </ul>
      <details>
        <summary>{t('imports.columns.summary')}</summary>
        <ColumnsTable ctx={ctx} table={SHEETS.residents} defs={RESIDENT_COLUMNS} />
        <ColumnsTable ctx={ctx} table={SHEETS.assignments} defs={ASSIGNMENT_COLUMNS} />
      </details>

      <h2>{t('imports.recent')}</h2>
      {p.recent.length === 0 ? (
        <p>{t('imports.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('imports.recentCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.list.file')}</th>
              <th scope="col">{t('imports.list.kind')}</th>
              <th scope="col">{t('imports.list.status')}</th>
              <th scope="col">{t('imports.list.rows')}</th>
              <th scope="col">{t('imports.list.uploaded')}</th>
            </tr>
          </thead>
          <tbody>
            {p.recent.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`${BASE}/${r.id}`}>{r.filename}</a>
                </td>
                <td>{t(`imports.kind.${r.kind}` as MessageKey)}</td>
                <td>
                  <Tag tone={r.status === 'preview' && r.error_count > 0 ? 'red' : TONE[r.status]}>
                    {r.status === 'preview' && r.error_count > 0
                      ? t('imports.withErrors')
                      : t(`imports.status.${r.status}` as MessageKey)}
                  </Tag>
                </td>
                <td>{formatNumber(ctx.locale, r.total_rows)}</td>
                <td>{formatDate(ctx.locale, r.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------- one import

export interface ErrorsPage {
  total: number;
  page: number;
  pages: number;
  rows: {
    seq: number;
    sheet: string | null;
    row_number: number | null;
    column_name: string | null;
    message_key: string;
    params: Record<string, string | number>;
  }[];
}

function message(ctx: PageContext, key: string, params: Record<string, string | number>): string {
  return isMessageKey(key) ? ctx.t(key, params) : key;
}

function ErrorsTable({ ctx, imp, errors }: { ctx: PageContext; imp: ImportRow; errors: ErrorsPage }) {
  const { t } = ctx;
  const sheets = errors.rows.some((e) => e.sheet);
  const link = (page: number) => `${BASE}/${imp.id}?page=${page}#errors`;
  return (
    <>
      <h2 id="errors" tabIndex={-1}>
        {t('imports.errors.title')} ({formatNumber(ctx.locale, errors.total)})
      </h2>
      <p>{t('imports.errors.lead')}</p>
      <table class="table">
        <caption class="visually-hidden">{t('imports.errors.caption')}</caption>
        <thead>
          <tr>
            {sheets && <th scope="col">{t('imports.errors.sheet')}</th>}
            <th scope="col">{t('imports.errors.row')}</th>
            <th scope="col">{t('imports.errors.column')}</th>
            <th scope="col">{t('imports.errors.message')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.rows.map((e) => (
            <tr key={e.seq}>
              {sheets && <td>{e.sheet ?? ''}</td>}
              <td>{e.row_number ?? ''}</td>
              <td>{e.column_name ?? ''}</td>
              <td>{message(ctx, e.message_key, e.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.pages > 1 && (
        <nav aria-label={t('imports.pagination')}>
          <p>
            {errors.page > 1 && <a href={link(errors.page - 1)}>{t('imports.previous')}</a>}{' '}
            {t('imports.pageOf', { page: errors.page, pages: errors.pages })}{' '}
            {errors.page < errors.pages && <a href={link(errors.page + 1)}>{t('imports.next')}</a>}
          </p>
        </nav>
      )}
    </>
  );
}

function Sample({ ctx, rows }: { ctx: PageContext; rows: SampleRow[] }) {
  const { t, locale } = ctx;
  const residents = rows.filter((r) => r.table === 'residents');
  const assignments = rows.filter((r) => r.table === 'assignments');
  const where = (r: SampleRow) => (r.sheet ? `${r.sheet}, ${r.row}` : String(r.row));
  const snils = (s: string | undefined) => {
    try {
      return formatSnils(s ?? '');
    } catch {
      return s ?? '';
    }
  };
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('imports.sample.title')}</h2>
      {residents.length > 0 && (
        <table class="table">
          <caption>{t('imports.sample.residents')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.sample.row')}</th>
              <th scope="col">{t('imports.sample.action')}</th>
              <th scope="col">{t('imports.sample.snils')}</th>
              <th scope="col">{t('imports.sample.name')}</th>
              <th scope="col">{t('imports.sample.birthDate')}</th>
              <th scope="col">{t('imports.sample.sex')}</th>
              <th scope="col">{t('imports.sample.district')}</th>
              <th scope="col">{t('imports.sample.settlement')}</th>
              <th scope="col">{t('imports.sample.address')}</th>
            </tr>
          </thead>
          <tbody>
            {residents.map((r) => (
              <tr key={`r${r.row}`}>
                <td>{where(r)}</td>
                <td>{t(r.isNew ? 'imports.sample.new' : 'imports.sample.update')}</td>
                <td>{snils(r.cells.snils)}</td>
                <td>{r.cells.name}</td>
                <td>{r.cells.birth_date ? formatDate(locale, r.cells.birth_date) : ''}</td>
                <td>{r.cells.sex === 'F' ? t('imports.sex.F') : t('imports.sex.M')}</td>
                <td>{pick(locale, r.cells.district_ru ?? '', r.cells.district_en ?? '')}</td>
                <td>{r.cells.settlement}</td>
                <td>{r.cells.address}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {assignments.length > 0 && (
        <table class="table">
          <caption>{t('imports.sample.assignments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.sample.row')}</th>
              <th scope="col">{t('imports.sample.snils')}</th>
              <th scope="col">{t('imports.sample.measure')}</th>
              <th scope="col">{t('imports.sample.amount')}</th>
              <th scope="col">{t('imports.sample.period')}</th>
            </tr>
          </thead>
          <tbody>
            {assignments.map((r) => (
              <tr key={`a${r.sheet}${r.row}`}>
                <td>{where(r)}</td>
                <td>{snils(r.cells.snils)}</td>
                <td>
                  {pick(locale, r.cells.measure_ru ?? '', r.cells.measure_en ?? '')} ({r.cells.measure})
                </td>
                <td>{formatMoney(locale, Number(r.cells.amount))}</td>
                <td>
                  {r.cells.end_date
                    ? t('imports.sample.fromTo', {
                        from: formatDate(locale, r.cells.start_date ?? ''),
                        to: formatDate(locale, r.cells.end_date),
                      })
                    : t('imports.sample.openEnded', { from: formatDate(locale, r.cells.start_date ?? '') })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The figures of the progress, as shown; the JSON endpoint sends the same strings. */
export function progressDisplay(
  ctx: PageContext,
  status: ImportStatus,
  progress: { processed: number; total: number },
) {
  const n = (v: number) => formatNumber(ctx.locale, v);
  return {
    status: ctx.t(`imports.status.${status}` as MessageKey),
    processed: ctx.t('imports.progress.ofTotal', { done: n(progress.processed), total: n(progress.total) }),
  };
}

export function ImportPage(p: {
  ctx: PageContext;
  imp: ImportRow;
  errors: ErrorsPage;
  progress: { processed: number; total: number };
  failure: Failure | null;
  refresh: boolean;
}) {
  const { ctx, imp, errors } = p;
  const { t, locale } = ctx;
  const n = (v: number) => formatNumber(locale, v);
  const live = imp.status === 'queued' || imp.status === 'running';
  const shown = progressDisplay(ctx, imp.status, p.progress);
  const heading = t('imports.preview.title', { file: imp.filename });
  const figures: [string, string][] = [
    [t('imports.list.kind'), t(`imports.kind.${imp.kind}` as MessageKey)],
    [t('imports.figures.rows'), n(imp.total_rows)],
  ];
  if (imp.kind === 'residents') {
    figures.push([t('imports.figures.new'), n(imp.new_persons)]);
    figures.push([t('imports.figures.updates'), n(imp.updated_persons)]);
  }
  if (imp.kind === 'assignments' || imp.new_assignments > 0)
    figures.push([t('imports.figures.assignments'), n(imp.new_assignments)]);
  figures.push([t('imports.figures.errors'), n(imp.error_count)]);
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      {live && p.refresh && (
        // Without JavaScript the page reloads itself until the write ends (the link below stops it);
        // with JavaScript, imports-progress.js updates the bar in place instead.
        <noscript>
          <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} />
        </noscript>
      )}
      <BackLink href={BASE}>{t('imports.back')}</BackLink>
      <h1>{heading}</h1>
      <p role="status">
        <Status ctx={ctx} status={imp.status} />
      </p>
      <SummaryList rows={figures} />

      {live && (
        <div data-import-progress={`${BASE}/${imp.id}/progress.json`}>
          <h2>{t('imports.progress.title')}</h2>
          <label class="label" for="import-progress">
            {t('imports.progress.label')}
          </label>
          <progress
            id="import-progress"
            class="input"
            max={Math.max(p.progress.total, 1)}
            value={p.progress.processed}
          >
            {shown.processed}
          </progress>
          <p>
            <span data-field="processed">{shown.processed}</span>
          </p>
          {p.refresh && (
            <noscript>
              <p class="hint">{t('imports.progress.refreshing', { seconds: REFRESH_SECONDS })}</p>
            </noscript>
          )}
          <p>
            <a href={`${BASE}/${imp.id}`}>{t('imports.progress.reload')}</a>
            {p.refresh && (
              <>
                {' · '}
                <a href={`${BASE}/${imp.id}?refresh=off`}>{t('imports.progress.stop')}</a>
              </>
            )}
          </p>
          <script src="/assets/imports-progress.js" defer />
        </div>
      )}

      {imp.status === 'done' && imp.result && (
        <div class="notice">
          <h2>{t('imports.result.title')}</h2>
          <SummaryList
            rows={[
              ...(imp.kind === 'residents'
                ? ([
                    [t('imports.result.inserted'), n(imp.result.inserted)],
                    [t('imports.result.updated'), n(imp.result.updated)],
                    [t('imports.result.unchanged'), n(imp.result.unchanged)],
                  ] as [string, string][])
                : []),
              [t('imports.result.assignments'), n(imp.result.assignments)],
            ]}
          />
        </div>
      )}

      {imp.status === 'failed' && (
        <div class="notice">
          <h2>{t('imports.failed.title')}</h2>
          <p>{t('imports.failed.lead')}</p>
          {p.failure && <p>{message(ctx, p.failure.key, p.failure.params)}</p>}
          {errors.total === 0 && (
            <p>
              <a href={BASE}>{t('imports.uploadAgain')}</a>
            </p>
          )}
        </div>
      )}

      {imp.status === 'preview' && imp.error_count === 0 && (
        <>
          <Sample ctx={ctx} rows={imp.sample} />
          <h2>{t('imports.confirm.title')}</h2>
          <p>{t('imports.confirm.lead')}</p>
          <form method="post" action={`${BASE}/${imp.id}/confirm`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button">
              {t('imports.confirm.button')}
            </button>
          </form>
        </>
      )}

      {errors.total > 0 && (
        <>
          <ErrorsTable ctx={ctx} imp={imp} errors={errors} />
          <p>
            <a class="button" href={BASE}>
              {t('imports.uploadAgain')}
            </a>
          </p>
        </>
      )}
      {imp.status === 'preview' && errors.total > 0 && <Sample ctx={ctx} rows={imp.sample} />}
    </Layout>
  );
}
