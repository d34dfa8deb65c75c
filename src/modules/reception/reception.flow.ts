// The booking flow's routes, shared by the portal (a resident books for themselves) and the staff
// workspace (an operator books by phone or at the desk): measure → office → day → time → check →
// confirm. The answers so far travel in the query string, each step validates everything before it,
// and a wrong or stale answer sends the visitor back to the step that needs it.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { h } from 'preact';
import type { Access, StaffActor } from '../../platform/auth/actor.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import { field } from '../../platform/http/validate.ts';
import {
  isMessageKey,
  type Locale,
  type MessageKey,
  pick,
  type Translate,
  translator,
} from '../../platform/i18n/i18n.ts';
import { type MeasureChannels, measuresWithChannels } from '../catalog/catalog.service.ts';
import type { Office } from '../geography/geography.service.ts';
import {
  type Area,
  CheckStep,
  DayStep,
  formatWhen,
  MeasureStep,
  OfficeStep,
  TimeStep,
} from './reception.book.pages.tsx';
import type { AppointmentChannel } from './reception.schema.ts';
import {
  appointmentIdByKey,
  appointmentsOfPerson,
  daysOf,
  type FreeTime,
  freeTimes,
  LIVE,
  officesForBooking,
  openSlotsIfNeverOpened,
} from './reception.service.ts';

export interface FlowSubject {
  personId: number;
  districtId: number;
  districtName: string;
  /** Shown above each question: "Book an appointment", or the resident's name for staff. */
  caption: string;
  /** The resident's name on the check page (staff only). */
  person?: string;
  area: Area;
  /** The flow's path for this subject, e.g. /me/appointments/new or /staff/reception/book/42. */
  base: string;
  staff?: StaffActor;
}

export interface FlowOptions {
  /** The route pattern, e.g. /me/appointments/new or /staff/reception/book/:personId. */
  route: string;
  access: Access;
  limit: onRequestHookHandler;
  params?: object;
  /** Who is booked for; undefined when the handler has already replied (e.g. refused). */
  subject(request: FastifyRequest, reply: FastifyReply): Promise<FlowSubject | undefined>;
  /** Where the first step's back link leads. */
  exit: string;
  /** Books inside the transaction; returns the appointment id. */
  confirm(trx: Trx, subject: FlowSubject, b: Booked, request: FastifyRequest): Promise<number>;
  /** The scope an idempotency key is stored under, to find a booking sent twice. */
  keyScope(subject: FlowSubject): string;
  done(id: number): string;
}

export interface Booked {
  slotId: number;
  measureId: number;
  key: string;
  channel: AppointmentChannel;
}

type StepName = 'measure' | 'office' | 'day' | 'time' | 'check';
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Refusals of a booking that send the visitor back to choose another time. */
export const SLOT_ERRORS: Record<string, MessageKey> = {
  slot_taken: 'reception.error.slot_taken',
  slot_in_past: 'reception.error.slot_in_past',
  slot_reserved: 'reception.error.slot_reserved',
  slot_closed: 'reception.error.slot_closed',
  slot_wrong_measure: 'reception.error.slot_wrong_measure',
};

export const inPersonMeasures = async (db: Db): Promise<MeasureChannels[]> =>
  (await measuresWithChannels(db)).filter((m) => m.channels.includes('in_person'));

export const shown = (t: Translate, fields: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, isMessageKey(v) ? t(v) : v]));

interface State {
  measure?: MeasureChannels;
  office?: Office;
  day?: string;
  times?: FreeTime[];
  time?: FreeTime;
  /** The first step whose answer is missing or no longer valid. */
  missing: StepName;
}

export function registerBookingFlow(app: FastifyInstance, db: Db, o: FlowOptions) {
  const config = { access: o.access };
  const schema = o.params ? { params: o.params } : {};

  const url = (s: FlowSubject, step: StepName, values: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => !!e[1]));
    const path = step === 'measure' ? s.base : `${s.base}/${step}`;
    return q.size > 0 ? `${path}?${q}` : path;
  };

  /** Reads and checks the answers so far, in order, stopping at the first one missing or wrong. */
  async function stateOf(s: FlowSubject, values: Record<string, string>, upTo: StepName): Promise<State> {
    const order: StepName[] = ['measure', 'office', 'day', 'time', 'check'];
    const need = (step: StepName) => order.indexOf(step) < order.indexOf(upTo);
    const measure = (await inPersonMeasures(db)).find((m) => m.code === values.measure);
    if (!measure) return { missing: 'measure' };
    if (!need('office')) return { measure, missing: upTo };
    const offices = await officesForBooking(db, measure.id, s.districtId);
    const office = offices.find((x) => String(x.id) === values.office);
    if (!office) return { measure, missing: 'office' };
    if (!need('day')) return { measure, office, missing: upTo };
    // Only the chosen day's times: the whole horizon is read on the day question alone.
    const times = ISO_DAY.test(values.day ?? '')
      ? await freeTimes(db, {
          officeId: office.id,
          measureId: measure.id,
          personId: s.personId,
          day: values.day,
        })
      : [];
    if (times.length === 0) return { measure, office, missing: 'day' };
    if (!need('time')) return { measure, office, day: values.day, times, missing: upTo };
    const time = times.find((t) => String(t.slotId) === values.slot);
    if (!time) return { measure, office, day: values.day, times, missing: 'time' };
    return { measure, office, day: values.day, times, time, missing: upTo };
  }

  const answers = (source: unknown) => ({
    measure: field(source, 'measure'),
    office: field(source, 'office'),
    day: field(source, 'day'),
    slot: field(source, 'slot'),
  });

  const stepProps = (
    request: FastifyRequest,
    reply: FastifyReply,
    s: FlowSubject,
    step: StepName,
    values: Record<string, string>,
    errors: Record<string, string>,
  ) => {
    const carry: Record<string, string | undefined> = {};
    const previous: Record<StepName, StepName | undefined> = {
      measure: undefined,
      office: 'measure',
      day: 'office',
      time: 'day',
      check: 'time',
    };
    const keep: Record<StepName, string[]> = {
      measure: [],
      office: ['measure'],
      day: ['measure', 'office'],
      time: ['measure', 'office', 'day'],
      check: ['measure', 'office', 'day', 'slot'],
    };
    for (const k of keep[step]) carry[k] = values[k];
    const back = previous[step];
    // Back to the previous question with its answer still chosen.
    const backValues = Object.fromEntries(keep[step].map((k) => [k, values[k]]));
    return {
      ctx: pageContext(request, reply),
      area: s.area,
      caption: s.caption,
      back: back ? url(s, back, backValues) : o.exit,
      action: url(s, step, {}),
      carry,
      errors,
    };
  };

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    s: FlowSubject,
    step: StepName,
    values: Record<string, string>,
    errors: Record<string, string> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const state = await stateOf(s, values, step);
    if (state.missing !== step) {
      if (Object.keys(errors).length === 0) return seeOther(reply, url(s, state.missing, values));
      // An error about a later answer that an earlier one no longer supports (say, the day has no
      // free times left): show it on the earlier question.
      const fieldOf: Record<StepName, string> = {
        measure: 'measure',
        office: 'office',
        day: 'day',
        time: 'slot',
        check: 'slot',
      };
      const message = Object.values(errors)[0]!;
      return render(request, reply, s, state.missing, values, { [fieldOf[state.missing]]: message }, status);
    }
    const props = stepProps(request, reply, s, step, values, errors);
    switch (step) {
      case 'measure':
        return sendPage(
          reply,
          h(MeasureStep, { ...props, measures: await inPersonMeasures(db), value: values.measure }),
          status,
        );
      case 'office': {
        const offices = await officesForBooking(db, state.measure!.id, s.districtId, props.ctx.locale);
        const own = offices.filter((x) => x.district_id === s.districtId);
        const others = offices.filter((x) => x.district_id !== s.districtId);
        const inOwn = own.some((x) => String(x.id) === values.office);
        return sendPage(
          reply,
          h(OfficeStep, {
            ...props,
            own,
            others,
            value: inOwn ? values.office : values.office ? 'other' : undefined,
            otherValue: inOwn ? undefined : values.office,
            districtName: s.districtName,
          }),
          status,
        );
      }
      case 'day': {
        await openSlotsIfNeverOpened(db, state.office!.id);
        const times = await freeTimes(db, {
          officeId: state.office!.id,
          measureId: state.measure!.id,
          personId: s.personId,
        });
        return sendPage(
          reply,
          h(DayStep, { ...props, office: state.office!, days: daysOf(times), value: values.day }),
          status,
        );
      }
      case 'time':
        return sendPage(
          reply,
          h(TimeStep, {
            ...props,
            office: state.office!,
            day: state.day!,
            times: state.times!,
            value: values.slot,
          }),
          status,
        );
      case 'check': {
        const links = {
          measure: url(s, 'measure', { measure: values.measure }),
          office: url(s, 'office', { measure: values.measure, office: values.office }),
          day: url(s, 'day', { measure: values.measure, office: values.office, day: values.day }),
          time: url(s, 'time', {
            measure: values.measure,
            office: values.office,
            day: values.day,
            slot: values.slot,
          }),
        };
        return sendPage(
          reply,
          h(CheckStep, {
            ...props,
            measureTitle: pick(props.ctx.locale, state.measure!.title_ru, state.measure!.title_en),
            office: state.office!,
            time: state.time!,
            person: s.person,
            links,
            channel: s.staff ? (field(request.body, 'channel') ?? '') : undefined,
            bookingKey: field(request.body, 'key') || randomUUID(),
          }),
          status,
        );
      }
    }
  }

  /** A live appointment for the measure already: the measure step says so and where to change it. */
  async function alreadyBooked(s: FlowSubject, measureId: number, locale: Locale) {
    const live = (await appointmentsOfPerson(db, s.personId)).find(
      (a) => a.measure_id === measureId && LIVE.includes(a.status),
    );
    if (!live) return undefined;
    const key =
      s.area === 'portal' ? 'reception.error.already_booked' : 'reception.error.already_booked_staff';
    return translator(locale)(key, { when: formatWhen({ locale }, live.starts_at) });
  }

  const steps: StepName[] = ['measure', 'office', 'day', 'time', 'check'];
  for (const step of steps) {
    const path = step === 'measure' ? o.route : `${o.route}/${step}`;
    app.get(path, { config, schema }, async (request, reply) => {
      const s = await o.subject(request, reply);
      if (!s) return reply;
      return render(request, reply, s, step, answers(request.query));
    });
  }

  // measure → office
  app.post(o.route, { config, schema, onRequest: o.limit }, async (request, reply) => {
    const s = await o.subject(request, reply);
    if (!s) return reply;
    const t = translator(request.locale);
    const values = answers(request.body);
    const measure = (await inPersonMeasures(db)).find((m) => m.code === values.measure);
    if (!measure)
      return render(
        request,
        reply,
        s,
        'measure',
        values,
        { measure: t('reception.book.measure.missing') },
        422,
      );
    const already = await alreadyBooked(s, measure.id, request.locale);
    if (already) return render(request, reply, s, 'measure', values, { measure: already }, 409);
    return seeOther(reply, url(s, 'office', { measure: values.measure }));
  });

  // office → day
  app.post(`${o.route}/office`, { config, schema, onRequest: o.limit }, async (request, reply) => {
    const s = await o.subject(request, reply);
    if (!s) return reply;
    const t = translator(request.locale);
    const values = answers(request.body);
    const chosen =
      values.office === 'other' || values.office === '' ? field(request.body, 'other_office') : values.office;
    if (!chosen) {
      const error: Record<string, string> =
        values.office === 'other'
          ? { other_office: t('reception.book.office.otherMissing') }
          : { office: t('reception.book.office.missing') };
      return render(request, reply, s, 'office', { ...values, office: '' }, error, 422);
    }
    return seeOther(reply, url(s, 'day', { measure: values.measure, office: chosen }));
  });

  // day → time
  app.post(`${o.route}/day`, { config, schema, onRequest: o.limit }, async (request, reply) => {
    const s = await o.subject(request, reply);
    if (!s) return reply;
    const values = answers(request.body);
    if (!values.day)
      return render(
        request,
        reply,
        s,
        'day',
        values,
        { day: translator(request.locale)('reception.book.day.missing') },
        422,
      );
    return seeOther(reply, url(s, 'time', values));
  });

  // time → check
  app.post(`${o.route}/time`, { config, schema, onRequest: o.limit }, async (request, reply) => {
    const s = await o.subject(request, reply);
    if (!s) return reply;
    const values = answers(request.body);
    if (!values.slot)
      return render(
        request,
        reply,
        s,
        'time',
        values,
        { slot: translator(request.locale)('reception.book.time.missing') },
        422,
      );
    const state = await stateOf(s, values, 'check');
    if (state.missing === 'time')
      return render(
        request,
        reply,
        s,
        'time',
        { ...values, slot: '' },
        { slot: translator(request.locale)('reception.error.slot_taken') },
        409,
      );
    return seeOther(reply, url(s, 'check', values));
  });

  // check → confirm: the booking itself
  app.post(`${o.route}/check`, { config, schema, onRequest: o.limit }, async (request, reply) => {
    const s = await o.subject(request, reply);
    if (!s) return reply;
    const t = translator(request.locale);
    const values = answers(request.body);
    const key = field(request.body, 'key');
    const channel = s.staff ? field(request.body, 'channel') : 'portal';
    if (s.staff && channel !== 'phone' && channel !== 'desk')
      return render(
        request,
        reply,
        s,
        'check',
        values,
        { channel: t('reception.book.check.channelMissing') },
        422,
      );
    const measure = (await inPersonMeasures(db)).find((m) => m.code === values.measure);
    const slotId = Number(values.slot);
    if (!measure || !Number.isSafeInteger(slotId)) return seeOther(reply, url(s, 'measure', {}));
    try {
      const id = await db
        .transaction()
        .execute((trx) =>
          o.confirm(
            trx,
            s,
            { slotId, measureId: measure.id, key, channel: channel as AppointmentChannel },
            request,
          ),
        );
      return seeOther(reply, o.done(id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Sent twice at once: the second found the first's slot taken, but the booking is ours.
      const earlier = key ? await appointmentIdByKey(db, `${o.keyScope(s)}:${key}`) : undefined;
      if (earlier) return seeOther(reply, o.done(earlier));
      const slotError = SLOT_ERRORS[error.code];
      if (slotError)
        return render(
          request,
          reply,
          s,
          'time',
          { ...values, slot: '' },
          { slot: t(slotError) },
          error.status,
        );
      if (error.code === 'already_booked')
        return render(
          request,
          reply,
          s,
          'measure',
          values,
          {
            measure:
              (await alreadyBooked(s, measure.id, request.locale)) ??
              t('reception.error.already_booked_plain'),
          },
          409,
        );
      if (error.code === 'booking_key')
        return render(request, reply, s, 'check', values, { slot: t('reception.error.booking_key') }, 422);
      throw error;
    }
  });
}
