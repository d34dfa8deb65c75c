// Building blocks that follow the GOV.UK Design System patterns: error summary, labelled fields
// with hint and error, buttons, summary lists. Everything works without JavaScript.
import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.ts';

export type FieldErrors = Record<string, string>;

export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FieldErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} data-autofocus>
      <h2 class="error-summary__title">{ctx.t('form.errorSummary')}</h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'password' | 'email' | 'tel' | 'number' | 'date';
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  width?: 'full' | 'half' | 'short';
  required?: boolean;
}

/** Ids of the hint and error a control is described by, for aria-describedby. */
export function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function FieldError({
  ctx,
  name,
  error,
}: {
  ctx: PageContext;
  name: string;
  error?: string | undefined;
}) {
  if (!error) return null;
  return (
    <p class="field-error" id={`${name}-error`}>
      <span class="visually-hidden">{ctx.t('form.errorPrefix')} </span>
      {error}
    </p>
  );
}

/** Label, hint and error around one control: the GOV.UK form-group every field shares. */
export function FieldShell(p: {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${p.error ? ' field--error' : ''}`}>
      <label class="label" for={p.name}>
        {p.label}
      </label>
      {p.hint && (
        <div class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </div>
      )}
      <FieldError ctx={p.ctx} name={p.name} error={p.error} />
      {p.children}
    </div>
  );
}

export function TextField(p: FieldProps) {
  return (
    <FieldShell ctx={p.ctx} name={p.name} label={p.label} hint={p.hint} error={p.error}>
      <input
        class={`input input--${p.width ?? 'full'}`}
        id={p.name}
        name={p.name}
        // Preact types input attributes as a union keyed on literal `type`; ours is chosen at run time.
        type={(p.type ?? 'text') as 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
        spellcheck={false}
      />
    </FieldShell>
  );
}

/** A file upload: `accept` lists what the server takes (the server still reads the type from the bytes). */
export function FileField(p: {
  ctx: PageContext;
  name: string;
  /** When the field's id differs from the form name (several uploads on one page). */
  id?: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  accept: string;
}) {
  const id = p.id ?? p.name;
  return (
    <FieldShell ctx={p.ctx} name={id} label={p.label} hint={p.hint} error={p.error}>
      <input
        class="input"
        type="file"
        id={id}
        name={p.name}
        accept={p.accept}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
      />
    </FieldShell>
  );
}

export function TextArea(p: {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string;
  value: string;
  error?: string | undefined;
  rows?: number;
  /** Monospaced, no spell check: for expressions and YAML. */
  code?: boolean;
}) {
  return (
    <FieldShell ctx={p.ctx} name={p.name} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        id={p.name}
        name={p.name}
        rows={p.rows ?? 4}
        class={p.code ? 'code' : undefined}
        spellcheck={!p.code}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
        value={p.value}
      />
    </FieldShell>
  );
}

export function Button({ children, secondary }: { children: ComponentChildren; secondary?: boolean }) {
  return (
    <button type="submit" class={secondary ? 'button button--secondary' : 'button'}>
      {children}
    </button>
  );
}

export function SummaryList({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="summary-list">
      {rows.map(([key, value]) => (
        <div class="summary-list__row" key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Tag({
  children,
  tone,
}: {
  children: ComponentChildren;
  tone?: 'blue' | 'green' | 'grey' | 'red';
}) {
  return <strong class={`tag tag--${tone ?? 'blue'}`}>{children}</strong>;
}

export function BackLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a class="back-link" href={href}>
      {children}
    </a>
  );
}

export interface Choice {
  value: string;
  label: string;
  hint?: string | undefined;
  /** The language of the label when it is not the page's (the names of languages). */
  lang?: string;
}

/**
 * Radios (or checkboxes) in a fieldset; the first input carries the id the error summary links to.
 * On a question page the legend is the page's heading, with an optional caption above it.
 */
export function Radios(p: {
  ctx: PageContext;
  /** Defaults to the name; a page with several small forms gives each field its own id. */
  id?: string;
  name: string;
  legend: string;
  legendIsHeading?: boolean;
  caption?: string | undefined;
  hint?: string | undefined;
  choices: Choice[];
  checked: string | string[] | undefined;
  type?: 'radio' | 'checkbox';
  error?: string | undefined;
  children?: ComponentChildren;
}) {
  const base = p.id ?? p.name;
  const checked = Array.isArray(p.checked) ? p.checked : p.checked === undefined ? [] : [p.checked];
  return (
    <div class={`field${p.error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(base, p.hint, p.error)}>
        {p.legendIsHeading ? (
          <legend class="fieldset__legend">
            {p.caption && <span class="caption">{p.caption}</span>}
            <h1>{p.legend}</h1>
          </legend>
        ) : (
          <legend class="label">{p.legend}</legend>
        )}
        {p.hint && (
          <div class="hint" id={`${base}-hint`}>
            {p.hint}
          </div>
        )}
        <FieldError ctx={p.ctx} name={base} error={p.error} />
        {p.choices.map((c, i) => {
          const id = i === 0 ? base : `${base}-${i}`;
          // "-item-hint": the first choice's id is the fieldset's, whose hint is already `${base}-hint`.
          const hintId = `${id}-item-hint`;
          return (
            <div key={c.value}>
              <div class="choice">
                <input
                  type={p.type ?? 'radio'}
                  id={id}
                  name={p.name}
                  value={c.value}
                  checked={checked.includes(c.value)}
                  aria-describedby={c.hint ? hintId : undefined}
                />
                <label for={id} lang={c.lang}>
                  {c.label}
                </label>
              </div>
              {c.hint && (
                <div class="hint" id={hintId}>
                  {c.hint}
                </div>
              )}
            </div>
          );
        })}
        {p.children}
      </fieldset>
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select; `empty` adds a first option with no value ("all districts"), none when a choice is required. */
export function Select(p: {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string | undefined;
  value: string;
  options: readonly Option[];
  error?: string | undefined;
  empty?: string;
}) {
  return (
    <FieldShell ctx={p.ctx} name={p.name} label={p.label} hint={p.hint} error={p.error}>
      <select
        class="input input--half"
        id={p.name}
        name={p.name}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, p.error)}
      >
        {p.empty !== undefined && (
          <option value="" selected={p.value === ''}>
            {p.empty}
          </option>
        )}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
