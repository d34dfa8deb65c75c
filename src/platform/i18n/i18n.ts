// Russian first, English second. Messages are plain strings with {name} placeholders, or plural
// forms chosen by Intl.PluralRules from the `count` parameter (Russian needs one/few/many).
import { en, ru } from './messages.ts';

export type Locale = 'ru' | 'en';
export const LOCALES: readonly Locale[] = ['ru', 'en'];
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | Plural;
export type MessageKey = keyof typeof ru;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const dictionaries: Record<Locale, Record<MessageKey, Message>> = { ru, en };
const pluralRules: Record<Locale, Intl.PluralRules> = {
  ru: new Intl.PluralRules('ru'),
  en: new Intl.PluralRules('en'),
};

export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const message = dictionaries[locale][key] ?? key;
  const text =
    typeof message === 'string'
      ? message
      : (message[pluralRules[locale].select(Number(params.count ?? 0))] ?? message.other);
  return text.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in params ? formatParam(locale, params[name]!) : `{${name}}`,
  );
}

function formatParam(locale: Locale, value: string | number): string {
  return typeof value === 'number' ? formatNumber(locale, value) : value;
}

export const translator =
  (locale: Locale): Translate =>
  (key, params) =>
    translate(locale, key, params);

export function isMessageKey(key: string): key is MessageKey {
  return key in ru;
}

/** Picks the first supported language from an Accept-Language header; Russian by default. */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'ru';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  const match = ranked.find((r) => (LOCALES as readonly string[]).includes(r.lang));
  return (match?.lang as Locale | undefined) ?? 'ru';
}

const tags: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(tags[locale]).format(value);
}

export function formatMoney(locale: Locale, roubles: number): string {
  return new Intl.NumberFormat(tags[locale], {
    style: 'currency',
    currency: 'RUB',
    maximumFractionDigits: 2,
  }).format(roubles);
}

/** Formats an ISO date (YYYY-MM-DD) or a Date as a long date, without time-zone shifts. */
export function formatDate(locale: Locale, value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** Picks the column for the language: pick(locale, row.title_ru, row.title_en). */
export const pick = (locale: Locale, ruText: string, enText: string) => (locale === 'ru' ? ruText : enText);
