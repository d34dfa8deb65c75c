// The two page layouts: the resident portal and the staff workspace. One small stylesheet,
// no web fonts, no script required; the only script adds focus to the error summary.
import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.ts';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  area: 'portal' | 'staff';
  children: ComponentChildren;
}

function languageSwitchHref(ctx: PageContext): string {
  const to = ctx.locale === 'ru' ? 'en' : 'ru';
  return `/language?to=${to}&back=${encodeURIComponent(ctx.path)}`;
}

function Header({ ctx, area }: { ctx: PageContext; area: 'portal' | 'staff' }) {
  const { t, actor } = ctx;
  const signedIn = area === 'staff' ? actor.kind === 'staff' : actor.kind === 'resident';
  return (
    <header class={`header header--${area}`}>
      <div class="container header__inner">
        <a class="header__brand" href={area === 'staff' ? '/staff' : '/'}>
          {area === 'staff' ? t('app.staffName') : t('app.name')}
        </a>
        <nav class="header__nav" aria-label={t('nav.home')}>
          <ul>
            {area === 'portal' && signedIn && (
              <>
                <li>
                  <a href="/me/inbox">{t('nav.inbox')}</a>
                </li>
                <li>
                  <a href="/me">{t('nav.profile')}</a>
                </li>
              </>
            )}
            {area === 'portal' && !signedIn && (
              <li>
                <a href="/sign-in">{t('nav.signIn')}</a>
              </li>
            )}
            {signedIn && (
              <li>
                <form
                  method="post"
                  action={area === 'staff' ? '/staff/sign-out' : '/sign-out'}
                  class="inline-form"
                >
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="link-button">
                    {t('nav.signOut')}
                  </button>
                </form>
              </li>
            )}
            <li>
              <a
                href={languageSwitchHref(ctx)}
                lang={ctx.locale === 'ru' ? 'en' : 'ru'}
                aria-label={t('nav.languageLabel')}
              >
                {t('nav.language')}
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function Layout({ ctx, title, area, children }: LayoutProps) {
  const { t } = ctx;
  const siteName = area === 'staff' ? t('app.staffName') : t('app.name');
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${siteName}`}</title>
        <link rel="stylesheet" href="/assets/opora.css" />
        <script src="/assets/enhance.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <Header ctx={ctx} area={area} />
        <div class="container">
          <main id="main" class="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer class="footer">
          <div class="container">
            <p>{t('footer.about')}</p>
            <p>
              {area === 'staff' ? (
                <a href="/">{t('footer.portal')}</a>
              ) : (
                <a href="/staff/sign-in">{t('footer.staff')}</a>
              )}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
