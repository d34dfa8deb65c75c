// Validation at the edge: a form body becomes typed values or field errors (message keys).
import type { MessageKey } from '../i18n/i18n.ts';

export type Body = Record<string, unknown>;
export type Check<T> = (raw: string) => { value: T } | { error: MessageKey };
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; errors: Record<string, MessageKey>; input: Body };

/** Reads a form field as a trimmed string; repeated or missing fields read as ''. */
export function field(body: unknown, name: string): string {
  if (body === null || typeof body !== 'object') return '';
  const raw = (body as Body)[name];
  return typeof raw === 'string' ? raw.trim() : '';
}

export function validate<T extends Record<string, unknown>>(
  body: unknown,
  checks: { [K in keyof T]: Check<T[K]> },
): Result<T> {
  const value = {} as T;
  const errors: Record<string, MessageKey> = {};
  for (const name of Object.keys(checks) as (keyof T & string)[]) {
    const outcome = checks[name](field(body, name));
    if ('error' in outcome) errors[name] = outcome.error;
    else value[name] = outcome.value;
  }
  const input = body !== null && typeof body === 'object' ? (body as Body) : {};
  return Object.keys(errors).length > 0 ? { ok: false, errors, input } : { ok: true, value };
}

export const required =
  (error: MessageKey, maxLength = 200): Check<string> =>
  (raw) =>
    raw === '' ? { error } : raw.length > maxLength ? { error } : { value: raw };

export const optional =
  (maxLength = 200, error?: MessageKey): Check<string | undefined> =>
  (raw) =>
    raw === '' ? { value: undefined } : raw.length > maxLength && error ? { error } : { value: raw };
