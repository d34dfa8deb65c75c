// Routes of surveys — Sampling recipients for a wave and inviting them through the notification service.
// GET …/sample the form (a fresh random seed; values from the query when "change" comes back);
// POST …/sample the preview (nothing stored); POST …/sample/confirm draws and invites in one
// transaction and redirects to …/invitations, the counts by stratum.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { type MessageKey, translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { listDistricts } from '../geography/geography.service.ts';
import { InvitationsPage, SampleFormPage, SamplePreviewPage, WAVES } from './surveys.sample.pages.tsx';
import * as svc from './surveys.sample.service.ts';
import { SURVEY_DESIGNERS } from './surveys.service.ts';
import { findWave } from './surveys.waves.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

export const surveysSampleRoutes: RouteModule = (app, { db, config }) => {
  const access = SURVEY_DESIGNERS;
  const limit = rateLimit(db, { name: 'surveys-sample', max: 30, windowSeconds: 60 });

  const districtNames = async (request: FastifyRequest) => {
    const list = await listDistricts(db);
    const name = (d: (typeof list)[number]) => (request.locale === 'ru' ? d.name_ru : d.name_en);
    return {
      options: list.map((d) => ({ id: d.id, name: name(d) })).sort((a, b) => a.name.localeCompare(b.name)),
      byId: new Map(list.map((d) => [String(d.id), name(d)])),
    };
  };

  /** The form again, with the errors translated; a wave that cannot be sampled shows no form. */
  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: svc.SampleFormValues,
    errors: Record<string, string>,
    status: number,
  ) => {
    const t = translator(request.locale);
    const wave = await findWave(db, idOf(request));
    const translated = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v as MessageKey)]));
    const { options } = await districtNames(request);
    return sendPage(
      reply,
      h(SampleFormPage, {
        ctx: pageContext(request, reply),
        wave,
        values,
        districts: options,
        errors: translated,
        refused: 'wave' in errors,
      }),
      status,
    );
  };

  app.get(`${WAVES}/:id/sample`, { config: { access }, schema: { params: ID } }, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const values = svc.formValues(query);
    if (!values.seed) values.seed = String(svc.randomSeed());
    if (!values.allocation) values.allocation = 'proportional';
    if (values.strata.length === 0 && !('size' in query)) values.strata = ['district', 'ageGroup'];
    try {
      await svc.sampleableWave(db, actorOf(request), idOf(request), regionToday());
      return await renderForm(request, reply, values, {}, 200);
    } catch (e) {
      if (e instanceof ValidationError) return renderForm(request, reply, values, e.fields, 409);
      throw e;
    }
  });

  app.post(
    `${WAVES}/:id/sample`,
    { config: { access }, schema: { params: ID }, onRequest: limit },
    async (request, reply) => {
      const values = svc.formValues(bodyOf(request));
      try {
        const input = await svc.parseSampleInput(db, values);
        const preview = await svc.previewSample(db, actorOf(request), idOf(request), input);
        const { byId } = await districtNames(request);
        return sendPage(
          reply,
          h(SamplePreviewPage, { ctx: pageContext(request, reply), preview, values, districts: byId }),
        );
      } catch (e) {
        if (e instanceof ValidationError) return renderForm(request, reply, values, e.fields, 422);
        throw e;
      }
    },
  );

  app.post(
    `${WAVES}/:id/sample/confirm`,
    { config: { access }, schema: { params: ID }, onRequest: limit },
    async (request, reply) => {
      const values = svc.formValues(bodyOf(request));
      const waveId = idOf(request);
      try {
        const input = await svc.parseSampleInput(db, values);
        const out = await db.transaction().execute((trx) =>
          svc.drawAndInvite(trx, actorOf(request), waveId, input, {
            baseUrl: config.baseUrl,
            ip: request.ip,
          }),
        );
        return seeOther(reply, `${WAVES}/${waveId}/invitations?drawn=${out.invited}`);
      } catch (e) {
        if (e instanceof ValidationError) return renderForm(request, reply, values, e.fields, 422);
        throw e;
      }
    },
  );

  app.get(
    `${WAVES}/:id/invitations`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const summary = await svc.invitationSummary(db, actorOf(request), idOf(request));
      const drawnRaw = ((request.query ?? {}) as Record<string, unknown>).drawn;
      const drawn = typeof drawnRaw === 'string' && /^\d{1,6}$/.test(drawnRaw) ? Number(drawnRaw) : null;
      const { byId } = await districtNames(request);
      return sendPage(
        reply,
        h(InvitationsPage, { ctx: pageContext(request, reply), summary, districts: byId, drawn }),
      );
    },
  );
};
