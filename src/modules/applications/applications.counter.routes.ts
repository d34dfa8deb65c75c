// Registering an application at the counter: find the person (SNILS, or name and date of birth) or
// add them to the registry, choose the measure and the channel, then the details; the form carries
// an idempotency key made when it is shown, so sending it twice registers one application.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { record } from '../../platform/audit/audit.service.ts';
import { type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type MessageKey, translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { measureForApplication, measuresWithChannels } from '../catalog/catalog.service.ts';
import { districtsByIds, listDistricts } from '../geography/geography.service.ts';
import { findPersonFromQuery, translateErrors } from '../registry/registry.find.ts';
import * as registry from '../registry/registry.service.ts';
import type { Values } from './applications.case.pages.tsx';
import {
  ChooseMeasurePage,
  COUNTER_CHANNELS,
  type CounterChannel,
  CreatePersonPage,
  DetailsPage,
  FindPersonPage,
} from './applications.counter.pages.tsx';
import type { ApplicationAnswers } from './applications.schema.ts';
import * as svc from './applications.service.ts';
import {
  actorOf,
  ctxOf,
  explain,
  ID,
  idOf,
  isoDate,
  PHONE,
  query,
  shown,
  WORKERS,
} from './applications.staff.http.ts';

export const counterRoutes: RouteModule = (app, { db }) => {
  const writeLimit = rateLimit(db, { name: 'applications-staff-write', max: 600, windowSeconds: 60 });
  const searchLimit = rateLimit(db, { name: 'applications-person-search', max: 120, windowSeconds: 60 });
  const counterMeasures = async () =>
    (await measuresWithChannels(db)).filter((m) => m.channels.includes('in_person'));
  // ------------------------------------------------------------ the counter: find or create the person

  app.get(
    '/staff/applications/new',
    { config: { access: WORKERS }, onRequest: searchLimit },
    async (request, reply) => {
      const t = translator(request.locale);
      const found = await findPersonFromQuery(db, actorOf(request), request.query, request.ip);
      if (found.kind === 'found') return seeOther(reply, `/staff/applications/new/${found.personId}`);
      const errors = found.kind === 'form' ? translateErrors(t, found.errors) : {};
      const results = found.kind === 'results' ? found.results : undefined;
      return sendPage(
        reply,
        h(FindPersonPage, { ctx: pageContext(request, reply), errors, values: found.values, results }),
        found.kind === 'form' ? found.status : 200,
      );
    },
  );

  const districtsFor = async (staff: StaffActor) =>
    scopeOf(staff).all ? await listDistricts(db) : await districtsByIds(db, staff.districtIds);

  const personForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: number,
  ) =>
    sendPage(
      reply,
      h(CreatePersonPage, {
        ctx: pageContext(request, reply),
        values,
        errors,
        districts: await districtsFor(actorOf(request)),
      }),
      status,
    );

  app.get('/staff/applications/new/person', { config: { access: WORKERS } }, (request, reply) =>
    personForm(request, reply, {}, {}, 200),
  );

  app.post(
    '/staff/applications/new/person',
    { config: { access: WORKERS }, onRequest: writeLimit },
    async (request, reply) => {
      const staff = actorOf(request);
      const t = translator(request.locale);
      const names = [
        'snils',
        'last_name',
        'first_name',
        'patronymic',
        'birth_date',
        'sex',
        'district',
        'address',
        'phone',
      ];
      const values = Object.fromEntries(names.map((n) => [n, field(request.body, n)]));
      const errors: Record<string, MessageKey> = {};
      let snils = '';
      if (!values.snils) errors.snils = 'applications.staff.find.snilsMissing';
      else
        try {
          snils = registry.parseSnils(values.snils);
        } catch {
          errors.snils = 'applications.staff.find.snilsInvalid';
        }
      const name = (k: string, error: MessageKey, required = true) => {
        const v = values[k] ?? '';
        if ((required && !v) || v.length > 100) errors[k] = error;
      };
      name('last_name', 'applications.staff.person.error.lastName');
      name('first_name', 'applications.staff.person.error.firstName');
      name('patronymic', 'applications.staff.person.error.patronymic', false);
      const birth = values.birth_date ?? '';
      if (!isoDate(birth) || birth < '1900-01-01' || birth > regionToday())
        errors.birth_date = 'applications.staff.person.error.birthDate';
      if (values.sex !== 'M' && values.sex !== 'F') errors.sex = 'applications.staff.person.error.sex';
      const districts = await districtsFor(staff);
      const district = districts.find((d) => String(d.id) === values.district);
      if (!district) errors.district = 'applications.staff.person.error.district';
      if (!values.address || values.address.length > 300)
        errors.address = 'applications.staff.person.error.address';
      if (values.phone && !PHONE.test(values.phone)) errors.phone = 'applications.error.phoneInvalid';
      if (Object.keys(errors).length > 0) return personForm(request, reply, values, shown(t, errors), 422);
      let personId: number;
      try {
        personId = await db.transaction().execute(async (trx) => {
          if (await registry.findPersonBySnilsDigits(trx, snils))
            throw new ValidationError({ snils: 'applications.staff.person.error.snilsTaken' });
          const id = await registry.createPerson(trx, {
            snils,
            last_name: values.last_name!,
            first_name: values.first_name!,
            patronymic: values.patronymic || null,
            birth_date: birth,
            sex: values.sex as 'M' | 'F',
            district_id: district!.id,
            address: values.address!,
            phone: values.phone || null,
          });
          await record(trx, {
            actor: { kind: 'staff', id: staff.userId },
            action: 'person.created',
            subject: { kind: 'person', id },
            districtId: district!.id,
            ip: request.ip,
            details: { reason: 'counter_registration' },
          });
          return id;
        });
      } catch (error) {
        // Two specialists adding the same person at once: the registry's unique SNILS decides.
        const taken =
          error instanceof ValidationError || (error as { code?: string } | null)?.code === '23505';
        if (!taken) throw error;
        return personForm(
          request,
          reply,
          values,
          { snils: t('applications.staff.person.error.snilsTaken') },
          422,
        );
      }
      return seeOther(reply, `/staff/applications/new/${personId}`);
    },
  );

  // ------------------------------------------------------------ the counter: measure, channel, details

  /** The audited read of the person at the counter; a person of another district is refused on the find page. */
  const counterPerson = async (request: FastifyRequest, reply: FastifyReply, personId: number) => {
    const read = await db
      .transaction()
      .execute((trx) => registry.personForStaff(trx, actorOf(request), personId, request.ip));
    if (!read.denied) return read.person;
    const t = translator(request.locale);
    await sendPage(
      reply,
      h(FindPersonPage, {
        ctx: pageContext(request, reply),
        errors: { snils: t('applications.staff.find.otherDistrict') },
        values: {},
      }),
      403,
    );
    return undefined;
  };

  const measureStep = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: Record<string, string>,
    status: number,
  ) => {
    const person = await counterPerson(request, reply, idOf(request));
    if (!person) return reply;
    return sendPage(
      reply,
      h(ChooseMeasurePage, {
        ctx: pageContext(request, reply),
        person,
        measures: await counterMeasures(),
        values,
        errors,
      }),
      status,
    );
  };

  app.get(
    '/staff/applications/new/:id',
    { config: { access: WORKERS }, schema: { params: ID } },
    (request, reply) =>
      measureStep(
        request,
        reply,
        { measure: field(query(request), 'measure'), channel: field(query(request), 'channel') },
        {},
        200,
      ),
  );

  const validStep = async (measure: string, channel: string) => {
    const errors: Record<string, MessageKey> = {};
    if (!(await counterMeasures()).some((m) => m.code === measure))
      errors.measure = 'applications.staff.measureStep.measureMissing';
    if (!(COUNTER_CHANNELS as readonly string[]).includes(channel))
      errors.channel = 'applications.staff.measureStep.channelMissing';
    return errors;
  };

  app.post(
    '/staff/applications/new/:id',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const values = { measure: field(request.body, 'measure'), channel: field(request.body, 'channel') };
      const errors = await validStep(values.measure, values.channel);
      if (Object.keys(errors).length > 0)
        return measureStep(request, reply, values, shown(translator(request.locale), errors), 422);
      const q = new URLSearchParams(values);
      return seeOther(reply, `/staff/applications/new/${idOf(request)}/details?${q}`);
    },
  );

  const detailsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    step: { measure: string; channel: string },
    values: Values | undefined,
    errors: Record<string, string>,
    status: number,
    key: string,
  ) => {
    if (Object.keys(await validStep(step.measure, step.channel)).length > 0)
      return seeOther(reply, `/staff/applications/new/${idOf(request)}`);
    const person = await counterPerson(request, reply, idOf(request));
    if (!person) return reply;
    const measure = await measureForApplication(db, { code: step.measure });
    return sendPage(
      reply,
      h(DetailsPage, {
        ctx: pageContext(request, reply),
        person,
        measure,
        channel: step.channel as CounterChannel,
        needsPayment: svc.needsPaymentDetails(measure),
        idempotencyKey: key,
        values: values ?? { phone: person.phone ?? '', email: person.email ?? '' },
        errors,
      }),
      status,
    );
  };

  app.get(
    '/staff/applications/new/:id/details',
    { config: { access: WORKERS }, schema: { params: ID } },
    (request, reply) =>
      detailsPage(
        request,
        reply,
        { measure: field(query(request), 'measure'), channel: field(query(request), 'channel') },
        undefined,
        {},
        200,
        randomUUID(),
      ),
  );

  app.post(
    '/staff/applications/new/:id/details',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const t = translator(request.locale);
      const step = { measure: field(body, 'measure'), channel: field(body, 'channel') };
      const names = ['phone', 'email', 'method', 'bik', 'account', 'emergency'];
      const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
      const key = field(body, 'key');
      if (Object.keys(await validStep(step.measure, step.channel)).length > 0)
        return seeOther(reply, `/staff/applications/new/${idOf(request)}`);
      const measure = await measureForApplication(db, { code: step.measure });
      const errors: Record<string, string> = {};
      const answers: ApplicationAnswers = {};
      for (const part of svc.needsPaymentDetails(measure)
        ? (['contact', 'payment'] as const)
        : (['contact'] as const)) {
        try {
          Object.assign(answers, svc.parseAnswers(part, body));
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          Object.assign(errors, shown(t, error.fields));
        }
      }
      if (Object.keys(errors).length > 0) return detailsPage(request, reply, step, values, errors, 422, key);
      let id: number;
      try {
        id = await db.transaction().execute((trx) =>
          svc.registerAtCounter(
            trx,
            actorOf(request),
            {
              personId: idOf(request),
              measureCode: step.measure,
              channel: step.channel as CounterChannel,
              answers,
              emergency: values.emergency === 'yes',
              idempotencyKey: key,
            },
            ctxOf(request),
          ),
        );
      } catch (error) {
        const problem = explain(t, error, '', 'phone');
        if (!problem) throw error;
        return detailsPage(request, reply, step, values, problem.errors, problem.status, randomUUID());
      }
      return seeOther(reply, `/staff/applications/${id}`);
    },
  );
};
