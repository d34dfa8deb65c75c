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

export function TextField(p: FieldProps) {
  const describedBy = [p.hint ? `${p.name}-hint` : '', p.error ? `${p.name}-error` : '']
    .filter(Boolean)
    .join(' ');
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
      {p.error && (
        <p class="field-error" id={`${p.name}-error`}>
          <span class="visually-hidden">{p.ctx.t('form.errorPrefix')} </span>
          {p.error}
        </p>
      )}
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
        aria-describedby={describedBy || undefined}
        spellcheck={false}
      />
    </div>
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
