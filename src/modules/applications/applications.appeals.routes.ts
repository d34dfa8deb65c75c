// Appeals for the staff who decide them: the district head's and the ministry's lists, one appeal
// with the refusal it is against and the decision form, and the appeal decision letter.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { record } from '../../platform/audit/audit.service.ts';
import { ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import * as registry from '../registry/registry.service.ts';
import { AppealPage, AppealsPage, type Refusal } from './applications.appeals.pages.tsx';
import type { Values } from './applications.case.pages.tsx';
import * as svc from './applications.service.ts';
import {
  APPEAL_DECIDERS,
  actorOf,
  ctxOf,
  explain,
  ID,
  idOf,
  MAX_TEXT,
  printLetter,
  READERS,
  sendFile,
  staffNames,
} from './applications.staff.http.ts';

export const appealRoutes: RouteModule = (app, { db }) => {
  const writeLimit = rateLimit(db, { name: 'applications-staff-write', max: 600, windowSeconds: 60 });
  // ------------------------------------------------------------ appeals

  app.get('/staff/appeals', { config: { access: APPEAL_DECIDERS } }, async (request, reply) => {
    const staff = actorOf(request);
    const list = await db.transaction().execute(async (trx) => {
      const appeals = await svc.openAppeals(trx, staff);
      const persons = await registry.personNames(
        trx,
        appeals.map((a) => a.person_id),
      );
      const applications = new Map<number, { id: number; number: string | null }>();
      for (const a of appeals)
        if (!applications.has(a.application_id))
          applications.set(
            a.application_id,
            await svc.applicationForStaff(trx, staff, a.application_id, ctxOf(request)),
          );
      await record(trx, {
        actor: { kind: 'staff', id: staff.userId },
        action: 'appeal.queue.viewed',
        ip: request.ip,
        details: { reason: 'appeal_queue', appeals: appeals.map((a) => a.id) },
      });
      return { appeals, persons, applications };
    });
    return sendPage(
      reply,
      h(AppealsPage, { ctx: pageContext(request, reply), ...list, today: regionToday() }),
    );
  });

  const renderAppeal = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    {
      errors = {},
      values = {},
      status = 200,
    }: { errors?: Record<string, string>; values?: Values; status?: number } = {},
  ) => {
    const staff = actorOf(request);
    const ctx = ctxOf(request);
    const view = await db.transaction().execute(async (trx) => {
      const appeal = await svc.appealForStaff(trx, staff, id, ctx);
      const application = await svc.applicationForStaff(trx, staff, appeal.application_id, ctx);
      const [events, persons, measure] = await Promise.all([
        svc.eventsOf(trx, application.id),
        registry.personNames(trx, [application.person_id]),
        measureForApplication(trx, { id: application.measure_id }),
      ]);
      const refuseEvent = events.filter((e) => e.kind === 'refuse' && e.at <= appeal.created_at).at(-1);
      const names = await staffNames(trx, [appeal.decided_by, refuseEvent?.actor_id]);
      const d = application.decision;
      const refusal: Refusal | undefined =
        d?.outcome === 'refused'
          ? { on: d.on, ground: d.ground, note: d.note, by: d.decidedBy }
          : refuseEvent
            ? {
                on: regionToday(refuseEvent.at),
                ground:
                  typeof refuseEvent.details.ground === 'string' ? refuseEvent.details.ground : undefined,
                note: typeof refuseEvent.details.note === 'string' ? refuseEvent.details.note : '',
                by: names.get(refuseEvent.actor_id ?? -1) ?? '—',
              }
            : undefined;
      return {
        appeal,
        app: application,
        measureTitle: { ru: measure.title_ru, en: measure.title_en },
        person: persons.get(application.person_id),
        refusal,
        names,
      };
    });
    return sendPage(
      reply,
      h(AppealPage, {
        ctx: pageContext(request, reply),
        ...view,
        canDecide: svc.mayDecideAppeal(staff, view.appeal),
        today: regionToday(),
        errors,
        values,
      }),
      status,
    );
  };

  app.get('/staff/appeals/:id', { config: { access: READERS }, schema: { params: ID } }, (request, reply) =>
    renderAppeal(request, reply, idOf(request)),
  );

  app.post(
    '/staff/appeals/:id/decision',
    { config: { access: APPEAL_DECIDERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      const t = translator(request.locale);
      const outcome = field(request.body, 'outcome');
      const note = field(request.body, 'note');
      const version = Number.parseInt(field(request.body, 'version'), 10) || 0;
      const values = { outcome, note };
      try {
        if (outcome !== 'upheld' && outcome !== 'dismissed')
          throw new ValidationError({ outcome: 'applications.staff.appeal.outcomeMissing' });
        if (note.length > MAX_TEXT) throw new ValidationError({ note: 'applications.error.noteLong' });
        await db
          .transaction()
          .execute((trx) =>
            svc.decideAppeal(trx, actorOf(request), id, version, outcome, note, ctxOf(request)),
          );
      } catch (error) {
        const problem = explain(t, error, '', 'outcome');
        if (!problem) throw error;
        return renderAppeal(request, reply, id, { ...problem, values });
      }
      return seeOther(reply, `/staff/appeals/${id}`);
    },
  );

  app.get(
    '/staff/appeals/:id/letter.pdf',
    { config: { access: READERS }, schema: { params: ID } },
    async (request, reply) => {
      const appeal = await db
        .transaction()
        .execute((trx) => svc.appealForStaff(trx, actorOf(request), idOf(request), ctxOf(request)));
      const { pdf, name } = await printLetter(db, request, appeal.application_id, 'appeal', appeal.id);
      return sendFile(reply, pdf, 'application/pdf', name, 'inline');
    },
  );
};
