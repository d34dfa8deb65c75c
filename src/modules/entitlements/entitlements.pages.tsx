// Pages of "what am I entitled to": the results (portal and counter), and the anonymous questionnaire
// — a start page, one question per page, and check-your-answers.
import type { ComponentChildren } from 'preact';
import { formatDate, formatNumber, pick } from '../../platform/i18n/i18n.ts';
import { BackLink, Button, CsrfField, ErrorSummary, SummaryList } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { fullName } from '../registry/registry.pages.tsx';
import type { PersonRecord } from '../registry/registry.service.ts';
import { formatSnils } from '../registry/snils.ts';
import { formatRub } from '../rules/rules.format.ts';
import {
  type Answers,
  CLAIMABLE_CATEGORIES,
  type Entitlements,
  type MeasureOutcome,
  STEPS,
  type Step,
} from './entitlements.service.ts';

type Titles = Map<string, { ru: string; en: string }>;
type Area = 'portal' | 'staff';

// ------------------------------------------------------------ results

function Conditions({
  ctx,
  outcome,
  failedOnly,
}: {
  ctx: PageContext;
  outcome: MeasureOutcome;
  failedOnly?: boolean;
}) {
  const shown = outcome.evaluation.conditions.filter((c) => !failedOnly || !c.passed);
  return (
    <ul class="conditions">
      {shown.map((c) => (
        <li key={c.id} class={c.passed ? 'conditions__met' : 'conditions__unmet'}>
          <span aria-hidden="true">{c.passed ? '✓' : '✗'} </span>
          <span class="visually-hidden">{ctx.t(c.passed ? 'entitlements.met' : 'entitlements.notMet')} </span>
          {pick(ctx.locale, c.text.ru, c.text.en)}
        </li>
      ))}
    </ul>
  );
}

function MeasureLink({ ctx, outcome }: { ctx: PageContext; outcome: MeasureOutcome }) {
  return <a href={`/measures/${outcome.code}`}>{pick(ctx.locale, outcome.title.ru, outcome.title.en)}</a>;
}

function Amount({ ctx, outcome }: { ctx: PageContext; outcome: MeasureOutcome }) {
  const { amount, amountText } = outcome.evaluation;
  if (amount === null) return <p class="caption">{ctx.t('entitlements.noAmount')}</p>;
  return (
    <p>
      <strong>{ctx.t('entitlements.amount', { amount: formatRub(amount, ctx.locale) })}</strong>
      {amountText && (
        <>
          <br />
          {pick(ctx.locale, amountText.ru, amountText.en)}
        </>
      )}
    </p>
  );
}

function Eligible({ ctx, outcome }: { ctx: PageContext; outcome: MeasureOutcome }) {
  return (
    <section class="outcome" aria-labelledby={`m-${outcome.code}`}>
      <h3 id={`m-${outcome.code}`}>
        <MeasureLink ctx={ctx} outcome={outcome} />
      </h3>
      <Amount ctx={ctx} outcome={outcome} />
      <p class="outcome__why">{ctx.t('entitlements.why')}</p>
      <Conditions ctx={ctx} outcome={outcome} />
    </section>
  );
}

interface ResultsProps {
  ctx: PageContext;
  area: Area;
  title: string;
  lead: string;
  results: Entitlements;
  /** Before the results: who they are for, or how to change the answers. */
  children?: ComponentChildren;
  back?: { href: string; text: string };
}

export function ResultsPage({ ctx, area, title, lead, results, children, back }: ResultsProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title} area={area}>
      {back && <BackLink href={back.href}>{back.text}</BackLink>}
      <h1>{title}</h1>
      {children}
      <p class="lead">{lead}</p>
      <p class="notice">{t('entitlements.estimate')}</p>
      <h2>{t('entitlements.eligible')}</h2>
      {results.eligible.length === 0 && <p>{t('entitlements.eligibleNone')}</p>}
      {results.eligible.map((o) => (
        <Eligible ctx={ctx} outcome={o} key={o.code} />
      ))}
      {results.receiving.length > 0 && (
        <>
          <h2>{t('entitlements.receiving')}</h2>
          <ul class="list">
            {results.receiving.map((o) => (
              <li key={o.code}>
                <MeasureLink ctx={ctx} outcome={o} />
              </li>
            ))}
          </ul>
        </>
      )}
      {results.unavailable.length > 0 && (
        <p class="notice">
          {t('entitlements.unavailable', {
            measures: results.unavailable.map((u) => pick(ctx.locale, u.title.ru, u.title.en)).join(', '),
          })}
        </p>
      )}
      {results.notEligible.length > 0 && (
        // Open at the counter, so the printout carries the reasons too.
        <details class="not-eligible" open={area === 'staff'}>
          <summary>{t('entitlements.notEligible', { count: results.notEligible.length })}</summary>
          {results.notEligible.map((o) => (
            <div class="outcome" key={o.code}>
              <h3>
                <MeasureLink ctx={ctx} outcome={o} />
              </h3>
              <Conditions ctx={ctx} outcome={o} failedOnly />
            </div>
          ))}
        </details>
      )}
    </Layout>
  );
}

export function resultsLead(ctx: PageContext, results: Entitlements, fromAnswers: boolean): string {
  const date = formatDate(ctx.locale, results.asOf);
  return ctx.t(fromAnswers ? 'entitlements.leadAnswers' : 'entitlements.lead', { date });
}

export function CounterIntro({ ctx, person }: { ctx: PageContext; person: PersonRecord }) {
  return (
    <>
      <p>{ctx.t('entitlements.counter.for', { name: fullName(person), snils: formatSnils(person.snils) })}</p>
      <p class="caption no-print">{ctx.t('entitlements.counter.print')}</p>
    </>
  );
}

// ------------------------------------------------------------ the questionnaire

export function StartPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('entitlements.title')} area="portal">
      <h1>{t('entitlements.title')}</h1>
      <p class="lead">{t('entitlements.start.lead')}</p>
      <p>{t('entitlements.start.private')}</p>
      <p>
        <a class="button" href={`/entitlements/check/${STEPS[0]}`}>
          {t('entitlements.start.button')}
        </a>
      </p>
      <p>
        <a href="/sign-in?return=%2Fentitlements">{t('entitlements.start.signIn')}</a>
      </p>
    </Layout>
  );
}

interface QuestionProps {
  ctx: PageContext;
  step: Step;
  answers: Answers;
  /** The visitor's input when it was refused, so they can correct it. */
  value?: string;
  error?: string;
  fromSummary: boolean;
  districts: { code: string; name_ru: string; name_en: string }[];
  categoryTitles: Titles;
}

const QUESTION = {
  age: 'entitlements.q.age',
  size: 'entitlements.q.size',
  children: 'entitlements.q.children',
  income: 'entitlements.q.income',
  disability: 'entitlements.q.disability',
  categories: 'entitlements.q.categories',
  district: 'entitlements.q.district',
} as const;
const HINT = {
  age: 'entitlements.q.ageHint',
  size: 'entitlements.q.sizeHint',
  children: 'entitlements.q.childrenHint',
  income: 'entitlements.q.incomeHint',
  categories: 'entitlements.q.categoriesHint',
} as const;

/** The answer as the visitor typed it, for refilling a text question. */
function shown(step: Step, a: Answers): string {
  if (step === 'children') return a.children?.join(', ') ?? '';
  const v = a[step];
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
}

function ErrorMessage({ ctx, id, error }: { ctx: PageContext; id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span class="visually-hidden">{ctx.t('form.errorPrefix')} </span>
      {error}
    </p>
  );
}

function Hint({ ctx, step }: { ctx: PageContext; step: Step }) {
  if (!(step in HINT)) return null;
  return (
    <div class="hint" id={`${step}-hint`}>
      {ctx.t(HINT[step as keyof typeof HINT])}
    </div>
  );
}

function Question(p: QuestionProps) {
  const { ctx, step, error } = p;
  const { t, locale } = ctx;
  const described = [step in HINT ? `${step}-hint` : '', error ? `${step}-error` : '']
    .filter(Boolean)
    .join(' ');
  const value = p.value ?? shown(step, p.answers);
  if (step === 'disability' || step === 'categories') {
    const options =
      step === 'disability'
        ? (['0', '1', '2', '3'] as const).map((v) => ({ value: v, label: t(`entitlements.disability.${v}`) }))
        : CLAIMABLE_CATEGORIES.map((c) => {
            const title = p.categoryTitles.get(c);
            return { value: c, label: title ? pick(locale, title.ru, title.en) : c };
          });
    const checked = (v: string) =>
      step === 'disability'
        ? String(p.answers.disability ?? '') === v
        : (p.answers.categories ?? []).includes(v);
    return (
      <div class={`field${error ? ' field--error' : ''}`}>
        <fieldset class="fieldset" aria-describedby={described || undefined}>
          <legend class="fieldset__legend">
            <h1>{t(QUESTION[step])}</h1>
          </legend>
          <Hint ctx={ctx} step={step} />
          <ErrorMessage ctx={ctx} id={step} error={error} />
          {options.map((o, i) => {
            // The first option carries the question's id, so the error summary's link lands on it.
            const id = i === 0 ? step : `${step}-${o.value}`;
            return (
              <div class="choice" key={o.value}>
                <input
                  type={step === 'disability' ? 'radio' : 'checkbox'}
                  id={id}
                  name={step}
                  value={o.value}
                  checked={checked(o.value)}
                />
                <label for={id}>{o.label}</label>
              </div>
            );
          })}
        </fieldset>
      </div>
    );
  }
  const common = {
    id: step,
    name: step,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <h1>
        <label for={step}>{t(QUESTION[step])}</label>
      </h1>
      <Hint ctx={ctx} step={step} />
      <ErrorMessage ctx={ctx} id={step} error={error} />
      {step === 'district' ? (
        <select class="input input--half" {...common}>
          <option value="">{t('entitlements.chooseDistrict')}</option>
          {[...p.districts]
            .sort((a, b) =>
              pick(locale, a.name_ru, a.name_en).localeCompare(pick(locale, b.name_ru, b.name_en), locale),
            )
            .map((d) => (
              <option value={d.code} key={d.code} selected={d.code === value}>
                {pick(locale, d.name_ru, d.name_en)}
              </option>
            ))}
        </select>
      ) : (
        <input
          class={`input input--${step === 'children' ? 'half' : 'short'}`}
          type="text"
          inputMode={step === 'children' ? 'text' : 'numeric'}
          value={value}
          spellcheck={false}
          autocomplete="off"
          {...common}
        />
      )}
    </div>
  );
}

export function QuestionPage(p: QuestionProps) {
  const { ctx, step, error } = p;
  const index = STEPS.indexOf(step);
  const back = p.fromSummary
    ? '/entitlements/check/answers'
    : index === 0
      ? '/entitlements'
      : `/entitlements/check/${STEPS[index - 1]}`;
  return (
    <Layout ctx={ctx} title={ctx.t(QUESTION[step])} area="portal">
      <BackLink href={back}>{ctx.t('entitlements.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={error ? { [step]: error } : {}} />
      <form method="post" action={`/entitlements/check/${step}`} novalidate>
        <CsrfField ctx={ctx} />
        {p.fromSummary && <input type="hidden" name="return" value="answers" />}
        <Question {...p} />
        <Button>{ctx.t('form.continue')}</Button>
      </form>
    </Layout>
  );
}

interface AnswersProps {
  ctx: PageContext;
  answers: Required<Answers>;
  districts: { code: string; name_ru: string; name_en: string }[];
  categoryTitles: Titles;
}

export function CheckAnswersPage({ ctx, answers: a, districts, categoryTitles }: AnswersProps) {
  const { t, locale } = ctx;
  const none = t('entitlements.cya.none');
  const district = districts.find((d) => d.code === a.district);
  const categories = a.categories.map((c) => {
    const title = categoryTitles.get(c);
    return title ? pick(locale, title.ru, title.en) : c;
  });
  const values: Record<Step, string> = {
    age: formatNumber(locale, a.age),
    size: formatNumber(locale, a.size),
    children: a.children.length ? a.children.join(', ') : none,
    income: formatRub(a.income, locale),
    disability: t(`entitlements.disability.${a.disability}` as 'entitlements.disability.0'),
    categories: categories.length ? categories.join(', ') : none,
    district: district ? pick(locale, district.name_ru, district.name_en) : a.district,
  };
  return (
    <Layout ctx={ctx} title={t('entitlements.cya.title')} area="portal">
      <BackLink href={`/entitlements/check/${STEPS.at(-1)}`}>{t('entitlements.back')}</BackLink>
      <h1>{t('entitlements.cya.title')}</h1>
      <SummaryList
        rows={STEPS.map((step) => [
          t(`entitlements.a.${step}`),
          <>
            {values[step]}{' '}
            <a href={`/entitlements/check/${step}?change=1`} class="summary-list__change">
              {t('entitlements.cya.change')}
              <span class="visually-hidden"> {t(`entitlements.a.${step}`)}</span>
            </a>
          </>,
        ])}
      />
      <p>
        <a class="button" href="/entitlements/check/results">
          {t('entitlements.cya.submit')}
        </a>
      </p>
    </Layout>
  );
}
