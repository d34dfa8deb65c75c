import { formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  SummaryList,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { PersonDetails } from '../registry/registry.pages.tsx';
import type { HouseholdMember, PersonRecord } from '../registry/registry.service.ts';
import type { StaffRole } from './staff.schema.ts';

interface SignInProps {
  ctx: PageContext;
  errors: FieldErrors;
  login: string;
  returnTo: string;
}

export function SignInPage({ ctx, errors, login, returnTo }: SignInProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.signIn.title')} area="staff">
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('staff.signIn.title')}</h1>
      <form method="post" action="/staff/sign-in" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="return" value={returnTo} />
        <TextField
          ctx={ctx}
          name="login"
          label={t('staff.signIn.login')}
          value={login}
          error={errors.login}
          autocomplete="username"
          width="half"
        />
        <TextField
          ctx={ctx}
          name="password"
          type="password"
          label={t('staff.signIn.password')}
          error={errors.password}
          autocomplete="current-password"
          width="half"
        />
        <Button>{t('staff.signIn.submit')}</Button>
      </form>
    </Layout>
  );
}

/** The six-digit code from an authenticator app, asked at sign-in and when turning TOTP on. */
function CodeField({ ctx, error }: { ctx: PageContext; error?: string | undefined }) {
  return (
    <TextField
      ctx={ctx}
      name="code"
      label={ctx.t('staff.code.label')}
      hint={ctx.t('staff.code.hint')}
      error={error}
      autocomplete="one-time-code"
      inputMode="numeric"
      width="short"
    />
  );
}

export function CodePage({
  ctx,
  errors,
  returnTo,
}: {
  ctx: PageContext;
  errors: FieldErrors;
  returnTo: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.code.title')} area="staff">
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('staff.code.title')}</h1>
      <form method="post" action="/staff/sign-in/code" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="return" value={returnTo} />
        <CodeField ctx={ctx} error={errors.code} />
        <Button>{t('form.continue')}</Button>
      </form>
    </Layout>
  );
}

interface HomeProps {
  ctx: PageContext;
  fullName: string;
  role: StaffRole;
  districts: { name_ru: string; name_en: string }[] | 'all';
  personCount: number;
  errors: FieldErrors;
  snils: string;
  canReadPersons: boolean;
}

export function HomePage({
  ctx,
  fullName,
  role,
  districts,
  personCount,
  errors,
  snils,
  canReadPersons,
}: HomeProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.home.title')} area="staff">
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('staff.home.welcome', { name: fullName })}</h1>
      <SummaryList
        rows={[
          [t('staff.home.role'), t(`staff.role.${role}`)],
          [
            t('staff.home.districts'),
            districts === 'all'
              ? t('staff.home.allDistricts')
              : districts.map((d) => pick(locale, d.name_ru, d.name_en)).join(', '),
          ],
          [t('staff.home.persons'), formatNumber(locale, personCount)],
        ]}
      />
      {canReadPersons && (
        <>
          <h2>{t('staff.home.findPerson')}</h2>
          <form method="get" action="/staff/persons" novalidate>
            <TextField
              ctx={ctx}
              name="snils"
              label={t('staff.home.snils')}
              hint={t('staff.home.snilsHint')}
              value={snils}
              error={errors.snils}
              inputMode="numeric"
              width="half"
            />
            <Button>{t('staff.home.find')}</Button>
          </form>
        </>
      )}
      <WorkLinks ctx={ctx} role={role} />
      <h2>{t('staff.home.security')}</h2>
      <p>
        <a href="/staff/security">{t('staff.security.title')}</a>
      </p>
      <form method="post" action="/staff/sign-out-everywhere">
        <CsrfField ctx={ctx} />
        <Button secondary>{t('staff.home.signOutEverywhere')}</Button>
      </form>
      <p>
        <a href="/">{t('staff.home.catalog')}</a>
      </p>
    </Layout>
  );
}

/** The tasks of each role, so every page a role may use is reachable from the workspace home. */
const WORK: { href: string; label: MessageKey; roles: readonly StaffRole[] }[] = [
  {
    href: '/staff/applications',
    label: 'staff.work.applications',
    roles: ['specialist', 'district_head', 'administrator', 'ministry_analyst'],
  },
  {
    href: '/staff/applications/new',
    label: 'staff.work.registerApplication',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/appeals',
    label: 'staff.work.appeals',
    roles: ['district_head', 'ministry_analyst', 'administrator'],
  },
  {
    href: '/staff/reception',
    label: 'staff.work.reception',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/proposals',
    label: 'staff.work.proposals',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  { href: '/staff/rules', label: 'rules.staffLink', roles: ['ministry_analyst', 'administrator'] },
  { href: '/staff/sweeps', label: 'staff.work.sweeps', roles: ['ministry_analyst', 'administrator'] },
  { href: '/staff/emergency', label: 'staff.work.emergency', roles: ['ministry_analyst'] },
  { href: '/staff/extensions', label: 'staff.work.extensions', roles: ['ministry_analyst'] },
  {
    href: '/staff/campaigns',
    label: 'staff.work.campaigns',
    roles: ['ministry_analyst', 'administrator', 'district_head'],
  },
  {
    href: '/staff/notifications',
    label: 'staff.work.notifications',
    roles: ['district_head', 'ministry_analyst', 'administrator'],
  },
  {
    href: '/staff/notifications/letters',
    label: 'staff.work.letters',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/interagency',
    label: 'staff.work.interagency',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/registry/duplicates',
    label: 'staff.work.duplicates',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/registry/imports',
    label: 'staff.work.imports',
    roles: ['specialist', 'district_head', 'administrator'],
  },
  {
    href: '/staff/registry/egisso',
    label: 'staff.work.egisso',
    roles: ['ministry_analyst', 'administrator'],
  },
  {
    href: '/staff/quality',
    label: 'staff.work.qualityMinistry',
    roles: ['ministry_analyst', 'administrator'],
  },
  {
    href: '/staff/quality',
    label: 'staff.work.qualityDistrict',
    roles: ['district_head', 'specialist'],
  },
  {
    href: '/staff/surveys',
    label: 'staff.work.surveys',
    roles: ['researcher', 'ministry_analyst', 'administrator'],
  },
  {
    href: '/staff/fieldwork',
    label: 'staff.work.fieldwork',
    roles: ['specialist', 'district_head', 'researcher'],
  },
];

function WorkLinks({ ctx, role }: { ctx: PageContext; role: StaffRole }) {
  const links = WORK.filter((w) => w.roles.includes(role));
  if (links.length === 0) return null;
  return (
    <>
      <h2>{ctx.t('staff.work.title')}</h2>
      <ul class="list">
        {links.map((w) => (
          <li key={w.href}>
            <a href={w.href}>{ctx.t(w.label)}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

interface SecurityProps {
  ctx: PageContext;
  totpEnabled: boolean;
  secret: string;
  uri: string;
  errors: FieldErrors;
}

export function SecurityPage({ ctx, totpEnabled, secret, uri, errors }: SecurityProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.security.title')} area="staff">
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('staff.security.title')}</h1>
      {totpEnabled ? (
        <p class="panel">{t('staff.security.totpOn')}</p>
      ) : (
        <>
          <p>{t('staff.security.totpOff')}</p>
          <SummaryList
            rows={[
              [t('staff.security.secret'), <code key="s">{secret}</code>],
              [t('staff.security.uri'), <code key="u">{uri}</code>],
            ]}
          />
          <form method="post" action="/staff/security/totp" novalidate>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="secret" value={secret} />
            <CodeField ctx={ctx} error={errors.code} />
            <Button>{t('staff.security.enable')}</Button>
          </form>
        </>
      )}
    </Layout>
  );
}

interface PersonProps {
  ctx: PageContext;
  person: PersonRecord;
  household: HouseholdMember[];
  categoryTitles: Map<string, { ru: string; en: string }>;
}

export function PersonPage({ ctx, person, household, categoryTitles }: PersonProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.person.title')} area="staff">
      <a class="back-link" href="/staff">
        {t('nav.staffHome')}
      </a>
      <h1>{t('staff.person.title')}</h1>
      <p class="caption">{t('staff.person.audited')}</p>
      <PersonDetails ctx={ctx} person={person} household={household} categoryTitles={categoryTitles} />
      <ul class="list">
        <li>
          <a href={`/staff/persons/${person.id}/entitlements`}>{t('entitlements.counter.link')}</a>
        </li>
        <li>
          <a href={`/staff/registry/persons/${person.id}`}>{t('staff.person.fullRecord')}</a>
        </li>
      </ul>
    </Layout>
  );
}
