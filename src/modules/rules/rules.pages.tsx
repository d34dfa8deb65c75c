// The rule editor's pages: measures and their versions, a measure's history, the form for a new
// version, and a version's check, test run, dry run and four-eyes actions.
import type { ComponentChildren } from 'preact';
import { formatDate, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SummaryList,
  Tag,
  TextArea,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { formatRub, type Problem } from './rules.format.ts';
import type { RuleStatus } from './rules.schema.ts';
import type { RuleVersion } from './rules.service.ts';

type Title = { ru: string; en: string };
type Names = Map<number, string>;
const TONE = { draft: 'grey', proposed: 'blue', published: 'green', rejected: 'red' } as const;

function Status({ ctx, status }: { ctx: PageContext; status: RuleStatus }) {
  return <Tag tone={TONE[status]}>{ctx.t(`rules.status.${status}`)}</Tag>;
}

const nameOf = (names: Names, id: number | null) => (id === null ? '—' : (names.get(id) ?? `#${id}`));

// ------------------------------------------------------------ home

export interface MeasureRules {
  code: string;
  title: Title;
  inForce: RuleVersion | undefined;
}

function VersionList({
  ctx,
  versions,
  titles,
  names,
  none,
}: {
  ctx: PageContext;
  versions: RuleVersion[];
  titles: Map<string, Title>;
  names: Names;
  none: string;
}) {
  if (versions.length === 0) return <p>{none}</p>;
  return (
    <ul class="list">
      {versions.map((v) => {
        const title = titles.get(v.measure_code);
        return (
          <li key={v.id}>
            <a href={`/staff/rules/versions/${v.id}`}>
              {title ? pick(ctx.locale, title.ru, title.en) : v.measure_code}:{' '}
              {ctx.t('rules.versionShort', {
                version: v.version,
                date: formatDate(ctx.locale, v.effective_from),
              })}
            </a>{' '}
            — {nameOf(names, v.proposed_by ?? v.created_by)}
          </li>
        );
      })}
    </ul>
  );
}

interface HomeProps {
  ctx: PageContext;
  measures: MeasureRules[];
  awaiting: RuleVersion[];
  drafts: RuleVersion[];
  names: Names;
}

export function RulesHomePage({ ctx, measures, awaiting, drafts, names }: HomeProps) {
  const { t, locale } = ctx;
  const titles = new Map(measures.map((m) => [m.code, m.title]));
  return (
    <Layout ctx={ctx} title={t('rules.home.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('rules.home.title')}</h1>
      <p class="lead">{t('rules.home.lead')}</p>
      <h2>{t('rules.home.awaiting')}</h2>
      <VersionList
        ctx={ctx}
        versions={awaiting}
        titles={titles}
        names={names}
        none={t('rules.home.awaitingNone')}
      />
      <h2>{t('rules.home.drafts')}</h2>
      <VersionList
        ctx={ctx}
        versions={drafts}
        titles={titles}
        names={names}
        none={t('rules.home.draftsNone')}
      />
      <h2>{t('rules.home.measures')}</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('rules.col.measure')}</th>
            <th scope="col">{t('rules.col.inForce')}</th>
          </tr>
        </thead>
        <tbody>
          {measures.map((m) => (
            <tr key={m.code}>
              <td>
                <a href={`/staff/rules/${m.code}`}>{pick(locale, m.title.ru, m.title.en)}</a>
                <div class="caption">{m.code}</div>
              </td>
              <td>
                {m.inForce
                  ? t('rules.versionShort', {
                      version: m.inForce.version,
                      date: formatDate(locale, m.inForce.effective_from),
                    })
                  : t('rules.noVersion')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

// ------------------------------------------------------------ one measure's history

interface MeasureProps {
  ctx: PageContext;
  code: string;
  title: Title;
  versions: RuleVersion[];
  names: Names;
  canDraft: boolean;
}

export function MeasureRulesPage({ ctx, code, title, versions, names, canDraft }: MeasureProps) {
  const { t, locale } = ctx;
  const heading = pick(locale, title.ru, title.en);
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href="/staff/rules">{t('rules.back.home')}</BackLink>
      <p class="caption">
        {t('rules.measure.caption')} · {code}
      </p>
      <h1>{heading}</h1>
      {canDraft && (
        <p>
          <a class="button" href={`/staff/rules/${code}/new`}>
            {t('rules.measure.new')}
          </a>
        </p>
      )}
      <h2>{t('rules.measure.history')}</h2>
      {versions.length === 0 && <p>{t('rules.measure.none')}</p>}
      {versions.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('rules.col.version')}</th>
              <th scope="col">{t('rules.col.effectiveFrom')}</th>
              <th scope="col">{t('rules.col.status')}</th>
              <th scope="col">{t('rules.col.proposedBy')}</th>
              <th scope="col">{t('rules.col.reviewedBy')}</th>
              <th scope="col">{t('rules.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => (
              <tr key={v.id}>
                <td>
                  <a href={`/staff/rules/versions/${v.id}`}>
                    {v.version}
                    <span class="visually-hidden"> {t('rules.measure.open', { version: v.version })}</span>
                  </a>
                </td>
                <td>{formatDate(locale, v.effective_from)}</td>
                <td>
                  <Status ctx={ctx} status={v.status} />
                </td>
                <td>{nameOf(names, v.proposed_by)}</td>
                <td>{nameOf(names, v.reviewed_by)}</td>
                <td>{v.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

// ------------------------------------------------------------ the editor

export interface ConditionForm {
  id: string;
  expr: string;
  pass_ru: string;
  pass_en: string;
  fail_ru: string;
  fail_en: string;
}

export interface EditorForm {
  effective_from: string;
  note: string;
  conditions: ConditionForm[];
  amount_expr: string;
  amount_explain_ru: string;
  amount_explain_en: string;
  tests: string;
}

interface EditorProps {
  ctx: PageContext;
  code: string;
  title: Title;
  form: EditorForm;
  errors: FieldErrors;
}

export function EditorPage({ ctx, code, title, form, errors }: EditorProps) {
  const { t, locale } = ctx;
  const text = (
    name: string,
    label: string,
    value: string,
    extra: { hint?: string; rows?: number; code?: boolean } = {},
  ) => <TextArea ctx={ctx} name={name} label={label} value={value} error={errors[name]} {...extra} />;
  return (
    <Layout ctx={ctx} title={t('rules.editor.title')} area="staff">
      <BackLink href={`/staff/rules/${code}`}>{pick(locale, title.ru, title.en)}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="caption">{pick(locale, title.ru, title.en)}</p>
      <h1>{t('rules.editor.title')}</h1>
      <p>{t('rules.editor.lead')}</p>
      <form method="post" action={`/staff/rules/${code}/new`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="conditions" value={String(form.conditions.length)} />
        <TextField
          ctx={ctx}
          name="effective_from"
          label={t('rules.editor.effectiveFrom')}
          hint={t('rules.editor.effectiveFromHint')}
          value={form.effective_from}
          error={errors.effective_from}
          width="short"
        />
        {text('note', t('rules.editor.note'), form.note, { rows: 3 })}
        <h2>{t('rules.editor.conditions')}</h2>
        <p class="hint">{t('rules.editor.conditionsHint')}</p>
        {form.conditions.map((c, i) => (
          <fieldset class="fieldset rule-condition" key={i}>
            <legend class="fieldset__legend">{t('rules.editor.condition', { n: i + 1 })}</legend>
            <TextField
              ctx={ctx}
              name={`c${i}_id`}
              label={t('rules.editor.id')}
              hint={t('rules.editor.idHint')}
              value={c.id}
              error={errors[`c${i}_id`]}
              width="half"
            />
            {text(`c${i}_expr`, t('rules.editor.expr'), c.expr, { code: true })}
            {text(`c${i}_pass_ru`, t('rules.editor.passRu'), c.pass_ru)}
            {text(`c${i}_pass_en`, t('rules.editor.passEn'), c.pass_en)}
            {text(`c${i}_fail_ru`, t('rules.editor.failRu'), c.fail_ru)}
            {text(`c${i}_fail_en`, t('rules.editor.failEn'), c.fail_en)}
          </fieldset>
        ))}
        <button type="submit" name="action" value="add" class="button button--secondary">
          {t('rules.editor.addCondition')}
        </button>
        <h2>{t('rules.editor.amount')}</h2>
        <p class="hint">{t('rules.editor.amountHint')}</p>
        {text('amount_expr', t('rules.editor.amountExpr'), form.amount_expr, { code: true })}
        {text('amount_explain_ru', t('rules.editor.explainRu'), form.amount_explain_ru)}
        {text('amount_explain_en', t('rules.editor.explainEn'), form.amount_explain_en)}
        <h2>{t('rules.editor.tests')}</h2>
        {text('tests', t('rules.editor.tests'), form.tests, {
          hint: t('rules.editor.testsHint'),
          rows: 16,
          code: true,
        })}
        <Button>{t('rules.editor.save')}</Button>
      </form>
    </Layout>
  );
}

// ------------------------------------------------------------ one version

export interface DryRunRow {
  district: string;
  age: number;
  eligible: boolean | null;
  amount: number | null;
  error?: string;
}

export interface CaseRow {
  name: string;
  passed: boolean;
  message: string;
}

interface VersionProps {
  ctx: PageContext;
  version: RuleVersion;
  title: Title;
  names: Names;
  problems: Problem[];
  cases: CaseRow[];
  dryRun: DryRunRow[];
  /** The viewer may act (an analyst), and who they are, for four eyes. */
  analystId: number | null;
  errors: FieldErrors;
  noteValue?: string;
}

/** Both languages are shown: the reviewer approves the texts residents will read, not only the logic. */
function Definition({ ctx, version }: { ctx: PageContext; version: RuleVersion }) {
  const { t } = ctx;
  const def = version.definition;
  const code = (text: string) => <code class="rule-code">{text}</code>;
  return (
    <>
      {def.conditions.map((c) => (
        <section key={c.id} aria-label={c.id}>
          <h3>{code(c.id)}</h3>
          <SummaryList
            rows={[
              [t('rules.editor.expr'), code(c.expr)],
              [t('rules.editor.passRu'), c.pass.ru],
              [t('rules.editor.passEn'), c.pass.en],
              [t('rules.editor.failRu'), c.fail.ru],
              [t('rules.editor.failEn'), c.fail.en],
            ]}
          />
        </section>
      ))}
      <h3>{t('rules.editor.amount')}</h3>
      {def.amount ? (
        <SummaryList
          rows={[
            [t('rules.editor.amountExpr'), code(def.amount.expr)],
            [t('rules.editor.explainRu'), def.amount.explain.ru],
            [t('rules.editor.explainEn'), def.amount.explain.en],
          ]}
        />
      ) : (
        <p>{t('rules.version.noAmount')}</p>
      )}
    </>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <>
      <h2>{title}</h2>
      {children}
    </>
  );
}

function Actions(p: VersionProps & { blocked: boolean }) {
  const { ctx, version: v, analystId, errors } = p;
  const { t, locale } = ctx;
  const base = `/staff/rules/versions/${v.id}`;
  if (v.status === 'published')
    return (
      <p class="panel">{t('rules.version.published', { date: formatDate(locale, v.effective_from) })}</p>
    );
  if (v.status === 'rejected')
    return <p class="notice">{t('rules.version.rejected', { note: v.review_note ?? '' })}</p>;
  if (analystId === null)
    return v.status === 'proposed' ? <p class="notice">{t('rules.version.awaiting')}</p> : null;
  if (v.status === 'draft') {
    return (
      <form method="post" action={`${base}/propose`}>
        <CsrfField ctx={ctx} />
        {p.blocked && (
          <p class="notice" id="propose-blocked">
            {t('rules.version.proposeBlocked')}
          </p>
        )}
        <button
          type="submit"
          class="button"
          disabled={p.blocked}
          aria-describedby={p.blocked ? 'propose-blocked' : undefined}
        >
          {t('rules.version.propose')}
        </button>
      </form>
    );
  }
  // Proposed: its proposer sees why there is nothing to press; anyone else reviews it.
  if (v.proposed_by === analystId) return <p class="notice">{t('rules.version.ownProposal')}</p>;
  return (
    <form method="post" action={`${base}/review`} novalidate>
      <CsrfField ctx={ctx} />
      <h2>{t('rules.version.review')}</h2>
      <TextArea
        ctx={ctx}
        name="note"
        label={t('rules.version.reviewNote')}
        hint={t('rules.version.reviewNoteHint')}
        value={p.noteValue ?? ''}
        error={errors.note}
        rows={3}
      />
      <button type="submit" name="decision" value="approve" class="button">
        {t('rules.version.approve')}
      </button>
      <button type="submit" name="decision" value="reject" class="button button--secondary">
        {t('rules.version.reject')}
      </button>
    </form>
  );
}

export function VersionPage(p: VersionProps) {
  const { ctx, version: v, title, names, problems, cases, dryRun } = p;
  const { t, locale } = ctx;
  const heading = t('rules.version.title', { measure: pick(locale, title.ru, title.en), version: v.version });
  const passed = cases.filter((c) => c.passed).length;
  const blocked = problems.length > 0 || cases.length === 0 || passed < cases.length;
  const eligible = dryRun.filter((r) => r.eligible).length;
  return (
    <Layout ctx={ctx} title={heading} area="staff">
      <BackLink href={`/staff/rules/${v.measure_code}`}>{pick(locale, title.ru, title.en)}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{heading}</h1>
      <SummaryList
        rows={[
          [t('rules.col.status'), <Status ctx={ctx} status={v.status} key="s" />],
          [t('rules.col.effectiveFrom'), formatDate(locale, v.effective_from)],
          [t('rules.col.note'), v.note || '—'],
          [t('rules.col.createdBy'), nameOf(names, v.created_by)],
          [t('rules.col.proposedBy'), nameOf(names, v.proposed_by)],
          [t('rules.col.reviewedBy'), nameOf(names, v.reviewed_by)],
        ]}
      />
      <Actions {...p} blocked={blocked} />
      <Section title={t('rules.version.check')}>
        {problems.length === 0 ? (
          <p>
            <Tag tone="green">✓</Tag> {t('rules.version.checkOk')}
          </p>
        ) : (
          <>
            <p>{t('rules.version.checkFailed')}</p>
            <ul class="list">
              {problems.map((pr, i) => (
                <li key={i}>{t('rules.e.problem', { where: pr.where, message: pr.message })}</li>
              ))}
            </ul>
          </>
        )}
      </Section>
      <Section title={t('rules.version.tests')}>
        {cases.length === 0 ? (
          <p>{t('rules.version.testsNone')}</p>
        ) : (
          <>
            <p>{t('rules.version.testsPassed', { passed, total: cases.length })}</p>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('rules.col.test')}</th>
                  <th scope="col">{t('rules.col.result')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c, i) => (
                  <tr key={i}>
                    <td>{c.name}</td>
                    <td>
                      <Tag tone={c.passed ? 'green' : 'red'}>
                        {t(c.passed ? 'rules.version.passed' : 'rules.version.failed')}
                      </Tag>
                      {!c.passed && <div>{c.message}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Section>
      <Section title={t('rules.version.dryRun')}>
        <p>{t('rules.version.dryRunLead', { count: dryRun.length })}</p>
        <p>{t('rules.version.dryRunSummary', { eligible, total: dryRun.length })}</p>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('rules.col.district')}</th>
              <th scope="col">{t('rules.col.age')}</th>
              <th scope="col">{t('rules.col.outcome')}</th>
              <th scope="col">{t('rules.col.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {dryRun.map((r, i) => (
              <tr key={i}>
                <td>{r.district}</td>
                <td>{r.age}</td>
                <td>
                  {r.error ?? (r.eligible ? t('rules.version.eligible') : t('rules.version.notEligible'))}
                </td>
                <td>{r.amount === null ? '—' : formatRub(r.amount, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={t('rules.version.definition')}>
        <Definition ctx={ctx} version={v} />
      </Section>
    </Layout>
  );
}

export function RefusedPage({
  ctx,
  title,
  text,
  versionId,
}: {
  ctx: PageContext;
  title: string;
  text: string;
  versionId: number;
}) {
  return (
    <Layout ctx={ctx} title={title} area="staff">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href={`/staff/rules/versions/${versionId}`}>{ctx.t('rules.backToVersion')}</a>
      </p>
    </Layout>
  );
}
