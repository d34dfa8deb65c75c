// Resident pages: sign-in through Gosuslugi, a sign-in that did not work, "My profile", the inbox.
import { formatDate, pick } from '../../platform/i18n/i18n.ts';
import { Button, CsrfField, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { PersonDetails } from '../registry/registry.pages.tsx';
import type { SignInFailure } from './residents.oidc.ts';
import type { residentProfile } from './residents.service.ts';

/**
 * A link styled as a button (a form would do, but CSP form-action 'self' blocks a form whose
 * redirect leaves for the portal).
 */
function SignInButton({ ctx, returnTo }: { ctx: PageContext; returnTo: string }) {
  return (
    <p>
      <a class="button" href={`/auth/esia/start?return=${encodeURIComponent(returnTo)}`}>
        {ctx.t('residents.signIn.button')}
      </a>
    </p>
  );
}

export function SignInPage({ ctx, returnTo }: { ctx: PageContext; returnTo: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('residents.signIn.title')} area="portal">
      <h1>{t('residents.signIn.title')}</h1>
      <p class="lead">{t('residents.signIn.lead')}</p>
      <p>{t('residents.signIn.why')}</p>
      <SignInButton ctx={ctx} returnTo={returnTo} />
      <p>{t('residents.signIn.what')}</p>
      <p class="notice">{t('residents.signIn.noAccount')}</p>
    </Layout>
  );
}

const FAILURE_TEXT = {
  cancelled: ['residents.failed.cancelledTitle', 'residents.failed.cancelled'],
  invalid: ['residents.failed.invalidTitle', 'residents.failed.invalid'],
  refused: ['residents.failed.refusedTitle', 'residents.failed.refused'],
  unavailable: ['residents.failed.unavailableTitle', 'residents.failed.unavailable'],
} as const;

export function SignInFailedPage({ ctx, reason }: { ctx: PageContext; reason: SignInFailure }) {
  const [title, text] = FAILURE_TEXT[reason];
  return (
    <Layout ctx={ctx} title={ctx.t(title)} area="portal">
      <h1>{ctx.t(title)}</h1>
      <p>{ctx.t(text)}</p>
      <p>
        <a href="/sign-in">{ctx.t('residents.failed.tryAgain')}</a>
      </p>
    </Layout>
  );
}

type Profile = Awaited<ReturnType<typeof residentProfile>>;

export function ProfilePage({ ctx, profile }: { ctx: PageContext; profile: Profile }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('residents.me.title')} area="portal">
      <h1>{t('residents.me.title')}</h1>
      <p class="lead">{t('residents.me.lead')}</p>
      <ul class="list">
        <li>
          <a href="/me/applications">{t('apply.my.link')}</a>
        </li>
        <li>
          <a href="/me/appointments">{t('residents.me.appointments')}</a>
        </li>
        <li>
          <a href="/me/notifications">{t('residents.me.notifications')}</a>
        </li>
      </ul>
      <PersonDetails
        ctx={ctx}
        person={profile.person}
        household={profile.household}
        categoryTitles={profile.categoryTitles}
      />
      <p class="notice">{t('residents.me.wrong')}</p>
      <h2>{t('residents.me.security')}</h2>
      <p>{t('residents.me.securityText')}</p>
      <form method="post" action="/me/sign-out-everywhere">
        <CsrfField ctx={ctx} />
        <Button secondary>{t('residents.me.signOutEverywhere')}</Button>
      </form>
    </Layout>
  );
}

interface InboxMessage {
  id: number;
  subject_ru: string;
  subject_en: string;
  body_ru: string;
  body_en: string;
  created_at: Date;
  read_at: Date | null;
}

export function InboxPage({ ctx, messages }: { ctx: PageContext; messages: InboxMessage[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('residents.inbox.title')} area="portal">
      <h1>{t('residents.inbox.title')}</h1>
      {messages.length === 0 && <p>{t('residents.inbox.empty')}</p>}
      {messages.map((m) => (
        <article class="message" key={m.id}>
          <h2>
            {pick(locale, m.subject_ru, m.subject_en)}
            {m.read_at === null && (
              <>
                {' '}
                <Tag>{t('residents.inbox.new')}</Tag>
              </>
            )}
          </h2>
          <p class="caption">{formatDate(locale, m.created_at)}</p>
          <p>{pick(locale, m.body_ru, m.body_en)}</p>
        </article>
      ))}
    </Layout>
  );
}
