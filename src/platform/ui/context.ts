import type { Actor } from '../auth/actor.ts';
import type { Locale, Translate } from '../i18n/i18n.ts';

/** What every page needs to render: language, who is looking, the CSRF token for its forms. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  actor: Actor;
  csrfToken: string;
  /** Path and query of this page, for the language switch to come back to. */
  path: string;
}
