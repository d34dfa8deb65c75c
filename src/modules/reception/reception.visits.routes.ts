// Field visits: the district head plans a visit of the mobile team (date, route, settlements);
// staff sign residents of those settlements up by phone; on the day, each signup leads into the
// counter flow and the application registered there is attached to it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { scopeOf } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type MessageKey, translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { type Application, applicationsOfPerson } from '../applications/applications.service.ts';
import { districtsByIds, listDistricts, settlementsOfDistrict } from '../geography/geography.service.ts';
import * as registry from '../registry/registry.service.ts';
import { inPersonMeasures, shown } from './reception.flow.ts';
import * as svc from './reception.service.ts';
import { actorOf, ctxOf, RECEPTION_STAFF, SCHEDULERS } from './reception.staff.routes.ts';
import { NewVisitPage, VisitPage, VisitsPage } from './reception.visits.pages.tsx';

const params = (...names: string[]) =>
  ({
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'integer', minimum: 1, maximum: 2 ** 52 }])),
    required: names,
  }) as const;
const num = (request: FastifyRequest, name: string) => (request.params as Record<string, number>)[name]!;
const list = (body: unknown, name: string): string[] => {
  const raw = (body as Record<string, unknown> | null)?.[name];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (x): x is string => typeof x === 'string',
  );
};

export const receptionVisitRoutes: RouteModule = (app, { db }) => {
  const writeLimit = rateLimit(db, { name: 'reception-visits-write', max: 300, windowSeconds: 60 });
  const districtsFor = async (request: FastifyRequest) => {
    const staff = actorOf(request);
    return scopeOf(staff).all ? await listDistricts(db) : await districtsByIds(db, staff.districtIds);
  };

  app.get('/staff/reception/visits', { config: { access: RECEPTION_STAFF } }, async (request, reply) => {
    const staff = actorOf(request);
    const visits = await svc.visitsFor(db, staff, regionToday());
    const districtIds = [...new Set(visits.map((v) => v.district_id))];
    const districts = await districtsByIds(db, districtIds);
    const settlements = (await Promise.all(districtIds.map((id) => settlementsOfDistrict(db, id)))).flat();
    return sendPage(
      reply,
      h(VisitsPage, {
        ctx: pageContext(request, reply),
        visits,
        districts: new Map(districts.map((d) => [d.id, d])),
        settlements: new Map(settlements.map((s) => [s.id, s])),
        canPlan: SCHEDULERS.includes(staff.role),
      }),
    );
  });

  async function newVisitPage(
    request: FastifyRequest,
    reply: FastifyReply,
    source: unknown,
    errors: Record<string, string>,
    status: number,
  ) {
    const districts = await districtsFor(request);
    const chosen = field(source, 'district');
    const district =
      districts.find((d) => String(d.id) === chosen) ?? (districts.length === 1 ? districts[0] : undefined);
    const settlements = district ? await settlementsOfDistrict(db, district.id) : [];
    return sendPage(
      reply,
      h(NewVisitPage, {
        ctx: pageContext(request, reply),
        districts,
        district,
        settlements,
        values: {
          visit_on: field(source, 'visit_on'),
          route: field(source, 'route'),
          team_note: field(source, 'team_note'),
        },
        checked: list(source, 'settlements'),
        errors,
      }),
      status,
    );
  }

  app.get('/staff/reception/visits/new', { config: { access: SCHEDULERS } }, (request, reply) =>
    newVisitPage(request, reply, request.query, {}, 200),
  );

  app.post(
    '/staff/reception/visits',
    { config: { access: SCHEDULERS }, onRequest: writeLimit },
    async (request, reply) => {
      const t = translator(request.locale);
      const body = request.body;
      try {
        const id = await db.transaction().execute((trx) =>
          svc.planVisit(
            trx,
            actorOf(request),
            {
              districtId: Number(field(body, 'district')),
              visitOn: field(body, 'visit_on'),
              route: field(body, 'route'),
              teamNote: field(body, 'team_note'),
              settlementIds: list(body, 'settlements').map(Number),
            },
            ctxOf(request),
          ),
        );
        return seeOther(reply, `/staff/reception/visits/${id}`);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return newVisitPage(request, reply, body, shown(t, error.fields), 422);
      }
    },
  );

  async function visitPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: number,
    notice?: string,
  ) {
    const staff = actorOf(request);
    const view = await db
      .transaction()
      .execute((trx) => svc.visitForStaff(trx, staff, num(request, 'id'), ctxOf(request)));
    const [district] = await districtsByIds(db, [view.visit.district_id]);
    const applications = new Map<number, Application[]>();
    for (const s of view.signups)
      if (!applications.has(s.person_id))
        applications.set(s.person_id, await applicationsOfPerson(db, s.person_id));
    return sendPage(
      reply,
      h(VisitPage, {
        ctx: pageContext(request, reply),
        view,
        district,
        measures: await inPersonMeasures(db),
        applications,
        values,
        errors,
        notice,
      }),
      status,
    );
  }

  app.get(
    '/staff/reception/visits/:id',
    { config: { access: RECEPTION_STAFF }, schema: { params: params('id') } },
    (request, reply) => {
      const t = translator(request.locale);
      const done = field(request.query, 'done');
      const notices: Record<string, string> = {
        signed_up: t('reception.notice.signedUp'),
        attached: t('reception.notice.attached'),
        no_show: t('reception.notice.noShow'),
      };
      return visitPage(request, reply, {}, {}, 200, notices[done]);
    },
  );

  app.post(
    '/staff/reception/visits/:id/signups',
    { config: { access: RECEPTION_STAFF }, schema: { params: params('id') }, onRequest: writeLimit },
    async (request, reply) => {
      const staff = actorOf(request);
      const t = translator(request.locale);
      const body = request.body;
      const values = {
        snils: field(body, 'snils'),
        settlement: field(body, 'settlement'),
        measure: field(body, 'measure'),
        at_time: field(body, 'at_time'),
      };
      const visitId = num(request, 'id');
      const fields: Record<string, MessageKey> = {};
      let personId: number | undefined;
      try {
        personId = values.snils ? await registry.findPersonIdBySnils(db, values.snils) : undefined;
        if (!values.snils) fields.snils = 'reception.find.snilsMissing';
        else if (!personId) fields.snils = 'reception.find.notFound';
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'invalid_snils')) throw error;
        fields.snils = 'reception.find.snilsInvalid';
      }
      if (!values.settlement) fields.settlement = 'reception.signup.error.settlement';
      if (!values.measure) fields.measure = 'reception.signup.error.measure';
      if (Object.keys(fields).length > 0) return visitPage(request, reply, values, shown(t, fields), 422);
      try {
        await db.transaction().execute(async (trx) => {
          // The person is read (and the read audited) before they are signed up.
          const read = await registry.personForStaff(trx, staff, personId!, request.ip);
          if (read.denied) throw new ValidationError({ snils: 'reception.find.otherDistrict' });
          await svc.addSignup(
            trx,
            staff,
            visitId,
            {
              personId: personId!,
              settlementId: Number(values.settlement),
              measureId: Number(values.measure),
              atTime: values.at_time || null,
            },
            ctxOf(request),
          );
        });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return visitPage(request, reply, values, shown(t, error.fields), 422);
      }
      return seeOther(reply, `/staff/reception/visits/${visitId}?done=signed_up`);
    },
  );

  app.post(
    '/staff/reception/visits/:id/signups/:signupId/application',
    {
      config: { access: RECEPTION_STAFF },
      schema: { params: params('id', 'signupId') },
      onRequest: writeLimit,
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const visitId = num(request, 'id');
      const signupId = num(request, 'signupId');
      const applicationId = Number(field(request.body, 'application'));
      try {
        if (!Number.isSafeInteger(applicationId) || applicationId < 1)
          throw new ValidationError({ [`application-${signupId}`]: 'reception.attach.error.missing' });
        await db
          .transaction()
          .execute((trx) =>
            svc.attachSignupApplication(
              trx,
              actorOf(request),
              visitId,
              signupId,
              Number(field(request.body, 'version')),
              applicationId,
              ctxOf(request),
            ),
          );
      } catch (error) {
        if (error instanceof ValidationError)
          return visitPage(request, reply, {}, shown(t, error.fields), 422);
        if (error instanceof AppError && error.code === 'stale_appointment')
          return visitPage(
            request,
            reply,
            {},
            { [`application-${signupId}`]: t('reception.error.stale') },
            409,
          );
        throw error;
      }
      return seeOther(reply, `/staff/reception/visits/${visitId}?done=attached`);
    },
  );

  app.post(
    '/staff/reception/visits/:id/signups/:signupId/status',
    {
      config: { access: RECEPTION_STAFF },
      schema: { params: params('id', 'signupId') },
      onRequest: writeLimit,
    },
    async (request, reply) => {
      const visitId = num(request, 'id');
      const status = field(request.body, 'status');
      if (status !== 'no_show' && status !== 'cancelled' && status !== 'signed_up')
        throw new AppError('invalid_status', 422, 'Unknown status');
      try {
        await db
          .transaction()
          .execute((trx) =>
            svc.setSignupStatus(
              trx,
              actorOf(request),
              visitId,
              num(request, 'signupId'),
              Number(field(request.body, 'version')),
              status,
              ctxOf(request),
            ),
          );
      } catch (error) {
        if (error instanceof AppError && error.code === 'stale_appointment')
          return visitPage(
            request,
            reply,
            {},
            { snils: translator(request.locale)('reception.error.stale') },
            409,
          );
        throw error;
      }
      return seeOther(reply, `/staff/reception/visits/${visitId}?done=no_show`);
    },
  );
};
