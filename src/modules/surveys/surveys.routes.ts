// Staff routes of questionnaires (/staff/surveys): rate limit → access → CSRF → validation →
// transaction → page. An upload that parses becomes a version and leads to the questionnaire's page;
// one that does not is shown again with the table of its problems (422), nothing stored.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { isUploadedFile } from '../../platform/http/upload.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { BASE, type ProblemRow, QuestionnairePage, SurveysPage } from './surveys.pages.tsx';
import * as svc from './surveys.service.ts';
import { wavesOf } from './surveys.waves.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

export const surveysRoutes: RouteModule = (app, { db, config }) => {
  const access = svc.SURVEY_DESIGNERS;
  const uploadLimit = rateLimit(db, { name: 'surveys-upload', max: 30, windowSeconds: 60 });
  const limitBytes = Math.min(config.uploadLimitBytes, svc.MAX_FORM_BYTES);
  const limitMb = Math.round(limitBytes / 1024 / 1024);

  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, string>,
    problems: ProblemRow[],
    status: number,
  ) => {
    const list = (await svc.questionnaires(db)).map((q) => ({
      id: q.id,
      formId: q.formId,
      title: q.title,
      latestNumber: q.latestNumber,
      latestAt: q.latestAt,
    }));
    return sendPage(
      reply,
      h(SurveysPage, { ctx: pageContext(request, reply), list, errors, problems, limitMb }),
      status,
    );
  };

  app.get(BASE, { config: { access } }, async (request, reply) => renderList(request, reply, {}, [], 200));

  app.post(BASE, { config: { access }, onRequest: uploadLimit }, async (request, reply) => {
    const t = translator(request.locale);
    const file = ((request.body ?? {}) as Record<string, unknown>).file;
    if (!isUploadedFile(file) || file.bytes.length === 0)
      return renderList(request, reply, { file: t('surveys.page.fileMissing') }, [], 422);
    if (file.truncated || file.bytes.length > limitBytes)
      return renderList(request, reply, { file: t('surveys.page.fileTooLarge', { size: limitMb }) }, [], 413);
    const outcome = await db
      .transaction()
      .execute((trx) => svc.importQuestionnaire(trx, actorOf(request), file.bytes, { ip: request.ip }));
    if (outcome.ok) return seeOther(reply, `${BASE}/${outcome.questionnaireId}`);
    const problems = outcome.problems.map((p) => {
      const text = svc.problemText(t, p);
      return { where: text.where, sheet: p.sheet, row: p.row, column: p.column, reason: text.reason };
    });
    return renderList(request, reply, { file: t('surveys.page.fileRejected') }, problems, 422);
  });

  app.get(`${BASE}/:id`, { config: { access }, schema: { params: ID } }, async (request, reply) => {
    const id = idOf(request);
    const [q, versions, waves] = await Promise.all([
      svc.questionnaire(db, id),
      svc.versions(db, id),
      wavesOf(db, id),
    ]);
    return sendPage(reply, h(QuestionnairePage, { ctx: pageContext(request, reply), q, versions, waves }));
  });

  app.get(
    `${BASE}/versions/:id/form.xlsx`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { fileName, bytes } = await svc.exportQuestionnaire(db, idOf(request));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="form.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        )
        .header('cache-control', 'no-store')
        .send(bytes);
    },
  );
};
