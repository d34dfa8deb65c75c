// The booking flow's pages, one question per page, for residents on the portal and for staff booking
// on a resident's behalf: the measure, the office, the day, the time, then check and confirm. Moving
// an appointment reuses the day and time pages. Plain forms: everything works without JavaScript.
import type { ComponentChildren } from 'preact';
import { type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  describedBy,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  Radios,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { Office } from '../geography/geography.service.ts';
import type { AppointmentStatus } from './reception.schema.ts';
import type { FreeTime } from './reception.service.ts';
import { regionClock } from './reception.slots.ts';

export type Area = 'portal' | 'staff';

export type { Choice } from '../../platform/ui/components.tsx';

const dayFormats = {
  ru: new Intl.DateTimeFormat('ru-RU', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

/** "понедельник, 24 ноября" from an ISO date. */
export const formatDay = (ctx: Pick<PageContext, 'locale'>, day: string) =>
  dayFormats[ctx.locale].format(new Date(`${day}T00:00:00Z`));

/** "понедельник, 24 ноября, 09:15" in the region's time. */
export function formatWhen(ctx: Pick<PageContext, 'locale'>, at: Date): string {
  const { date, time } = regionClock(at);
  return `${formatDay(ctx, date)}, ${time}`;
}

export const officeName = (ctx: PageContext, o: Pick<Office, 'name_ru' | 'name_en'>) =>
  pick(ctx.locale, o.name_ru, o.name_en);
export const officeAddress = (ctx: PageContext, o: Pick<Office, 'address_ru' | 'address_en'>) =>
  pick(ctx.locale, o.address_ru, o.address_en);

const STATUS_TONE: Record<AppointmentStatus, 'blue' | 'green' | 'grey' | 'red'> = {
  booked: 'blue',
  checked_in: 'blue',
  called: 'green',
  served: 'green',
  no_show: 'red',
  cancelled: 'grey',
};

export function StatusTag({ ctx, status }: { ctx: PageContext; status: AppointmentStatus }) {
  return (
    <strong class={`tag tag--${STATUS_TONE[status]}`}>
      {ctx.t(`reception.status.${status}` as MessageKey)}
    </strong>
  );
}

/** A question page's radios: the legend is the page's heading (GOV.UK pattern). */
export function QuestionRadios(
  p: Omit<Parameters<typeof Radios>[0], 'legendIsHeading' | 'checked'> & { checked?: string | undefined },
) {
  return <Radios {...p} checked={p.checked} legendIsHeading />;
}

/** Hidden fields carrying the answers so far. */
function Carry({ values }: { values: Record<string, string | undefined> }) {
  return (
    <>
      {Object.entries(values).map(([k, v]) =>
        v === undefined ? null : <input key={k} type="hidden" name={k} value={v} />,
      )}
    </>
  );
}

interface StepProps {
  ctx: PageContext;
  area: Area;
  /** The caption above the question: "Book an appointment" or the person's name for staff. */
  caption: string;
  back: string;
  action: string;
  carry: Record<string, string | undefined>;
  errors: FieldErrors;
}

function StepPage(p: StepProps & { title: string; children: ComponentChildren; submit?: string }) {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.title} area={p.area}>
      <BackLink href={p.back}>{ctx.t('reception.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <form method="post" action={p.action} novalidate>
        <CsrfField ctx={ctx} />
        <Carry values={p.carry} />
        {p.children}
        <Button>{p.submit ?? ctx.t('reception.continue')}</Button>
      </form>
    </Layout>
  );
}

export function MeasureStep(
  p: StepProps & { measures: { code: string; title_ru: string; title_en: string }[]; value?: string },
) {
  const { ctx } = p;
  const title = ctx.t('reception.book.measure.title');
  return (
    <StepPage {...p} title={title}>
      <QuestionRadios
        ctx={ctx}
        id="measure"
        name="measure"
        caption={p.caption}
        legend={title}
        hint={ctx.t('reception.book.measure.hint')}
        choices={p.measures.map((m) => ({ value: m.code, label: pick(ctx.locale, m.title_ru, m.title_en) }))}
        checked={p.value}
        error={p.errors.measure}
      />
    </StepPage>
  );
}

export function OfficeStep(
  p: StepProps & {
    own: Office[];
    others: Office[];
    value?: string;
    otherValue?: string;
    districtName: string;
  },
) {
  const { ctx } = p;
  const title = ctx.t('reception.book.office.title');
  const choice = (o: Office) => ({
    value: String(o.id),
    label: officeName(ctx, o),
    hint: officeAddress(ctx, o),
  });
  // Offices in other districts are grouped by district in one list, after the resident's own district.
  const byDistrict = new Map<string, Office[]>();
  for (const o of p.others) {
    const d = pick(ctx.locale, o.district_ru, o.district_en);
    byDistrict.set(d, [...(byDistrict.get(d) ?? []), o]);
  }
  return (
    <StepPage {...p} title={title}>
      <QuestionRadios
        ctx={ctx}
        id="office"
        name="office"
        caption={p.caption}
        legend={title}
        hint={ctx.t('reception.book.office.hint', { district: p.districtName })}
        choices={[
          ...p.own.map(choice),
          ...(p.others.length > 0 ? [{ value: 'other', label: ctx.t('reception.book.office.other') }] : []),
        ]}
        checked={p.value}
        error={p.errors.office}
      />
      {p.others.length > 0 && (
        <div class={`field${p.errors.other_office ? ' field--error' : ''}`}>
          <label class="label" for="other_office">
            {ctx.t('reception.book.office.otherLabel')}
          </label>
          <FieldError ctx={ctx} name="other_office" error={p.errors.other_office} />
          <select
            id="other_office"
            name="other_office"
            class="input"
            aria-invalid={p.errors.other_office ? 'true' : undefined}
            aria-describedby={describedBy('other_office', undefined, p.errors.other_office)}
          >
            <option value="">{ctx.t('reception.book.office.otherNone')}</option>
            {[...byDistrict].map(([district, offices]) => (
              <optgroup key={district} label={district}>
                {offices.map((o) => (
                  <option key={o.id} value={String(o.id)} selected={p.otherValue === String(o.id)}>
                    {`${officeName(ctx, o)} — ${officeAddress(ctx, o)}`}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
    </StepPage>
  );
}

export function DayStep(
  p: StepProps & { office: Office; days: { day: string; free: number }[]; value?: string },
) {
  const { ctx } = p;
  const title = ctx.t('reception.book.day.title');
  if (p.days.length === 0)
    return (
      <Layout ctx={ctx} title={title} area={p.area}>
        <BackLink href={p.back}>{ctx.t('reception.back')}</BackLink>
        <span class="caption">{p.caption}</span>
        <h1>{title}</h1>
        <p>{ctx.t('reception.book.day.none', { office: officeName(ctx, p.office) })}</p>
        <p>
          <a href={p.back}>{ctx.t('reception.book.day.otherOffice')}</a>
        </p>
      </Layout>
    );
  return (
    <StepPage {...p} title={title}>
      <QuestionRadios
        ctx={ctx}
        id="day"
        name="day"
        caption={p.caption}
        legend={title}
        hint={`${officeName(ctx, p.office)}, ${officeAddress(ctx, p.office)}`}
        choices={p.days.map((d) => ({
          value: d.day,
          label: formatDay(ctx, d.day),
          hint: ctx.t('reception.book.day.free', { count: d.free }),
        }))}
        checked={p.value}
        error={p.errors.day}
      />
    </StepPage>
  );
}

export function TimeStep(
  p: StepProps & { office: Office; day: string; times: FreeTime[]; value?: string; submit?: string },
) {
  const { ctx } = p;
  const title = ctx.t('reception.book.time.title', { day: formatDay(ctx, p.day) });
  if (p.times.length === 0)
    return (
      <Layout ctx={ctx} title={title} area={p.area}>
        <BackLink href={p.back}>{ctx.t('reception.back')}</BackLink>
        <ErrorSummary ctx={ctx} errors={p.errors} />
        <span class="caption">{p.caption}</span>
        <h1>{title}</h1>
        <p>{ctx.t('reception.book.time.none')}</p>
        <p>
          <a href={p.back}>{ctx.t('reception.book.time.otherDay')}</a>
        </p>
      </Layout>
    );
  return (
    <StepPage {...p} title={title}>
      <QuestionRadios
        ctx={ctx}
        id="slot"
        name="slot"
        caption={p.caption}
        legend={title}
        hint={officeName(ctx, p.office)}
        choices={p.times.map((t) => ({
          value: String(t.slotId),
          label: t.time,
          hint: t.reserved ? ctx.t('reception.book.time.reserved') : undefined,
        }))}
        checked={p.value}
        error={p.errors.slot}
      />
    </StepPage>
  );
}

function ChangeLink({ ctx, href, what }: { ctx: PageContext; href: string; what: string }) {
  return (
    <a href={href}>
      {ctx.t('reception.change')}
      <span class="visually-hidden"> {what}</span>
    </a>
  );
}

export function CheckStep(
  p: StepProps & {
    measureTitle: string;
    office: Office;
    time: FreeTime;
    person?: string;
    links: { measure: string; office: string; day: string; time: string };
    /** Staff choose how the resident asked: by phone or at the desk. */
    channel?: string;
    /** The idempotency key of this confirmation (not `key`: Preact keeps that prop for itself). */
    bookingKey: string;
  },
) {
  const { ctx } = p;
  const { t } = ctx;
  const title = t('reception.book.check.title');
  const rows: [string, ComponentChildren, string][] = [
    [t('reception.field.measure'), p.measureTitle, p.links.measure],
    [
      t('reception.field.office'),
      `${officeName(ctx, p.office)}, ${officeAddress(ctx, p.office)}`,
      p.links.office,
    ],
    [t('reception.field.day'), formatDay(ctx, p.time.day), p.links.day],
    [t('reception.field.time'), p.time.time, p.links.time],
  ];
  return (
    <Layout ctx={ctx} title={title} area={p.area}>
      <BackLink href={p.back}>{t('reception.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <span class="caption">{p.caption}</span>
      <h1>{title}</h1>
      <dl class="summary-list">
        {p.person && (
          <div class="summary-list__row">
            <dt>{t('reception.field.person')}</dt>
            <dd>{p.person}</dd>
          </div>
        )}
        {rows.map(([key, value, href]) => (
          <div class="summary-list__row" key={key}>
            <dt>{key}</dt>
            <dd>{value}</dd>
            <dd class="summary-list__actions">
              <ChangeLink ctx={ctx} href={href} what={key} />
            </dd>
          </div>
        ))}
      </dl>
      <p>{t('reception.book.check.bring')}</p>
      <form method="post" action={p.action} novalidate>
        <CsrfField ctx={ctx} />
        <Carry values={{ ...p.carry, key: p.bookingKey }} />
        {p.channel !== undefined && (
          <div class={`field${p.errors.channel ? ' field--error' : ''}`}>
            <fieldset class="fieldset" aria-describedby={describedBy('channel', undefined, p.errors.channel)}>
              <legend class="label">{t('reception.book.check.channel')}</legend>
              <FieldError ctx={ctx} name="channel" error={p.errors.channel} />
              {(['phone', 'desk'] as const).map((c, i) => (
                <div class="choice" key={c}>
                  <input
                    type="radio"
                    id={i === 0 ? 'channel' : `channel-${i}`}
                    name="channel"
                    value={c}
                    checked={p.channel === c}
                  />
                  <label for={i === 0 ? 'channel' : `channel-${i}`}>{t(`reception.channel.${c}`)}</label>
                </div>
              ))}
            </fieldset>
          </div>
        )}
        <Button>{t('reception.book.check.confirm')}</Button>
      </form>
    </Layout>
  );
}
