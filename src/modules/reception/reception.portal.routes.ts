// The resident's appointments on the portal: "My appointments", booking step by step, an
// appointment's page and its calendar file, moving to another time and cancelling.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { pick, translator } from '../../platform/i18n/i18n.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { listOffices, officeById } from '../geography/geography.service.ts';
import { personForResident } from '../registry/registry.service.ts';
import { DayStep, TimeStep } from './reception.book.pages.tsx';
import { registerBookingFlow, SLOT_ERRORS } from './reception.flow.ts';
import { icsCalendar } from './reception.ics.ts';
import { AppointmentPage, CancelPage, MyAppointmentsPage } from './reception.portal.pages.tsx';
import {
  type Appointment,
  appointmentOfResident,
  appointmentsOfPerson,
  book,
  cancel,
  daysOf,
  freeTimes,
  move,
  officeOrFail,
} from './reception.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 52 } },
  required: ['id'],
} as const;

function residentOf(request: FastifyRequest): ResidentActor {
  if (request.actor.kind !== 'resident') throw forbidden();
  return request.actor;
}
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const ctxOf = (request: FastifyRequest) => ({ ip: request.ip });
const NOTICES = ['booked', 'moved', 'cancelled'] as const;

async function measureTitle(db: Db, id: number, locale: 'ru' | 'en') {
  const [m] = await measureRefs(db, { ids: [id] });
  return m ? pick(locale, m.title_ru, m.title_en) : '';
}

export const receptionPortalRoutes: RouteModule = (app, { db, config }) => {
  // Counted per signed-in resident: plenty for booking and changing, too few for a flood.
  const limit = rateLimit(db, {
    name: 'reception-portal',
    max: 300,
    windowSeconds: 600,
    key: (r) => (r.actor.kind === 'resident' ? `r${r.actor.accountId}` : r.ip),
  });

  registerBookingFlow(app, db, {
    route: '/me/appointments/new',
    access: 'resident',
    limit,
    exit: '/me/appointments',
    async subject(request) {
      const resident = residentOf(request);
      const { person } = await personForResident(db, resident.personId);
      const t = translator(request.locale);
      return {
        personId: person.id,
        districtId: person.district_id,
        districtName: pick(request.locale, person.district_ru, person.district_en),
        caption: t('reception.book.caption'),
        area: 'portal',
        base: '/me/appointments/new',
      };
    },
    confirm: (trx, s, b, request) =>
      book(
        trx,
        { personId: s.personId, slotId: b.slotId, measureId: b.measureId, channel: 'portal', key: b.key },
        ctxOf(request),
      ),
    keyScope: (s) => `person:${s.personId}`,
    done: (id) => `/me/appointments/${id}?done=booked`,
  });

  app.get('/me/appointments', { config: { access: 'resident' } }, async (request, reply) => {
    const resident = residentOf(request);
    const all = await appointmentsOfPerson(db, resident.personId);
    const now = Date.now();
    const upcoming = all
      .filter((a) => a.ends_at.getTime() > now && a.status !== 'cancelled' && a.status !== 'no_show')
      .reverse();
    const past = all.filter((a) => !upcoming.includes(a));
    const [titles, offices] = await Promise.all([
      measureRefs(db, { ids: [...new Set(all.map((a) => a.measure_id))] }),
      listOffices(db, { ids: [...new Set(all.map((a) => a.office_id))] }),
    ]);
    return sendPage(
      reply,
      h(MyAppointmentsPage, {
        ctx: pageContext(request, reply),
        upcoming,
        past,
        titles: new Map(titles.map((m) => [m.id, m])),
        offices: new Map(offices.map((o) => [o.id, o])),
      }),
    );
  });

  async function appointmentPage(
    request: FastifyRequest,
    reply: FastifyReply,
    a: Appointment,
    notice?: (typeof NOTICES)[number],
    errors: Record<string, string> = {},
    status = 200,
  ) {
    const office = await officeOrFail(db, a.office_id);
    return sendPage(
      reply,
      h(AppointmentPage, {
        ctx: pageContext(request, reply),
        appointment: a,
        office,
        measure: await measureTitle(db, a.measure_id, request.locale),
        notice,
        errors,
      }),
      status,
    );
  }

  app.get(
    '/me/appointments/:id',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const a = await appointmentOfResident(db, residentOf(request), idOf(request));
      const done = field(request.query, 'done');
      const notice = (NOTICES as readonly string[]).includes(done)
        ? (done as (typeof NOTICES)[number])
        : undefined;
      return appointmentPage(request, reply, a, notice);
    },
  );

  app.get(
    '/me/appointments/:id/calendar.ics',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const a = await appointmentOfResident(db, residentOf(request), idOf(request));
      const office = await officeOrFail(db, a.office_id);
      const t = translator(request.locale);
      const measure = await measureTitle(db, a.measure_id, request.locale);
      const host = new URL(config.baseUrl).hostname || 'opora';
      const ics = icsCalendar({
        uid: `appointment-${a.id}@${host}`,
        sequence: a.version - 1,
        start: a.starts_at,
        end: a.ends_at,
        summary: t('reception.ics.summary', { measure }),
        location: `${pick(request.locale, office.name_ru, office.name_en)}, ${pick(request.locale, office.address_ru, office.address_en)}`,
        description: t('reception.ics.description', { phone: office.phone }),
        cancelled: a.status === 'cancelled',
      });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="appointment-${a.id}.ics"`)
        .header('cache-control', 'no-store')
        .send(ics);
    },
  );

  // ---------------------------------------------------------- cancel

  app.get(
    '/me/appointments/:id/cancel',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const a = await appointmentOfResident(db, residentOf(request), idOf(request));
      if (a.status !== 'booked') return seeOther(reply, `/me/appointments/${a.id}`);
      const office = await officeOrFail(db, a.office_id);
      return sendPage(reply, h(CancelPage, { ctx: pageContext(request, reply), appointment: a, office }));
    },
  );

  app.post(
    '/me/appointments/:id/cancel',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: limit },
    async (request, reply) => {
      const resident = residentOf(request);
      const id = idOf(request);
      try {
        await db
          .transaction()
          .execute((trx) =>
            cancel(trx, resident, id, Number(field(request.body, 'version')), ctxOf(request)),
          );
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.code === 'not_found') throw error;
        const a = await appointmentOfResident(db, resident, id);
        const t = translator(request.locale);
        return appointmentPage(request, reply, a, undefined, { status: t('reception.error.stale') }, 409);
      }
      return seeOther(reply, `/me/appointments/${id}?done=cancelled`);
    },
  );

  // ---------------------------------------------------------- move: another day and time at the same office

  const movable = async (request: FastifyRequest, reply: FastifyReply) => {
    const a = await appointmentOfResident(db, residentOf(request), idOf(request));
    if (a.status !== 'booked') {
      seeOther(reply, `/me/appointments/${a.id}`);
      return undefined;
    }
    return { a, office: (await officeById(db, a.office_id))! };
  };

  const moveProps = (request: FastifyRequest, reply: FastifyReply) => {
    const t = translator(request.locale);
    return {
      ctx: pageContext(request, reply),
      area: 'portal' as const,
      caption: t('reception.move.caption'),
      errors: {},
    };
  };

  app.get(
    '/me/appointments/:id/move',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const m = await movable(request, reply);
      if (!m) return reply;
      const times = await freeTimes(db, {
        officeId: m.a.office_id,
        measureId: m.a.measure_id,
        personId: m.a.person_id,
      });
      return sendPage(
        reply,
        h(DayStep, {
          ...moveProps(request, reply),
          back: `/me/appointments/${m.a.id}`,
          action: `/me/appointments/${m.a.id}/move`,
          carry: {},
          office: m.office,
          days: daysOf(times),
          value: field(request.query, 'day') || undefined,
        }),
      );
    },
  );

  app.post(
    '/me/appointments/:id/move',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: limit },
    async (request, reply) => {
      const m = await movable(request, reply);
      if (!m) return reply;
      const day = field(request.body, 'day');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
        const times = await freeTimes(db, {
          officeId: m.a.office_id,
          measureId: m.a.measure_id,
          personId: m.a.person_id,
        });
        return sendPage(
          reply,
          h(DayStep, {
            ...moveProps(request, reply),
            errors: { day: translator(request.locale)('reception.book.day.missing') },
            back: `/me/appointments/${m.a.id}`,
            action: `/me/appointments/${m.a.id}/move`,
            carry: {},
            office: m.office,
            days: daysOf(times),
          }),
          422,
        );
      }
      return seeOther(reply, `/me/appointments/${m.a.id}/move/time?day=${day}`);
    },
  );

  async function moveTimePage(
    request: FastifyRequest,
    reply: FastifyReply,
    m: NonNullable<Awaited<ReturnType<typeof movable>>>,
    day: string,
    errors: Record<string, string>,
    status: number,
  ) {
    const times = /^\d{4}-\d{2}-\d{2}$/.test(day)
      ? await freeTimes(db, {
          officeId: m.a.office_id,
          measureId: m.a.measure_id,
          personId: m.a.person_id,
          day,
        })
      : [];
    return sendPage(
      reply,
      h(TimeStep, {
        ...moveProps(request, reply),
        errors,
        back: `/me/appointments/${m.a.id}/move?day=${day}`,
        action: `/me/appointments/${m.a.id}/move/time`,
        carry: { day, version: String(m.a.version) },
        office: m.office,
        day,
        times,
        submit: translator(request.locale)('reception.move.confirm'),
      }),
      status,
    );
  }

  app.get(
    '/me/appointments/:id/move/time',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const m = await movable(request, reply);
      if (!m) return reply;
      return moveTimePage(request, reply, m, field(request.query, 'day'), {}, 200);
    },
  );

  app.post(
    '/me/appointments/:id/move/time',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: limit },
    async (request, reply) => {
      const m = await movable(request, reply);
      if (!m) return reply;
      const t = translator(request.locale);
      const day = field(request.body, 'day');
      const slot = Number(field(request.body, 'slot'));
      if (!field(request.body, 'slot') || !Number.isSafeInteger(slot))
        return moveTimePage(request, reply, m, day, { slot: t('reception.book.time.missing') }, 422);
      try {
        await db
          .transaction()
          .execute((trx) =>
            move(
              trx,
              residentOf(request),
              m.a.id,
              Number(field(request.body, 'version')),
              slot,
              ctxOf(request),
            ),
          );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const known =
          SLOT_ERRORS[error.code] ??
          (error.code === 'stale_appointment' ? 'reception.error.stale' : undefined);
        if (!known) throw error;
        const fresh = await movable(request, reply);
        if (!fresh) return reply;
        return moveTimePage(request, reply, fresh, day, { slot: t(known) }, error.status);
      }
      return seeOther(reply, `/me/appointments/${m.a.id}?done=moved`);
    },
  );
};
