// Routes of surveys — Expert interviews: guides, code books, interviews (metadata and transcript, pasted
// or uploaded as .txt), coding by several coders, and the qualitative analysis with its CSV. Each:
// rate limit (writes) → access (SURVEY_DESIGNERS) → CSRF → validation → transaction → page. A refused
// form is shown again with the error summary (422) and what was typed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { isUploadedFile } from '../../platform/http/upload.ts';
import { type Translate, translator } from '../../platform/i18n/i18n.ts';
import * as geography from '../geography/geography.service.ts';
import {
  ANALYSIS,
  AnalysisPage,
  CODE_BOOKS,
  CodeBookPage,
  CodeBooksPage,
  CodeParagraphPage,
  CodingPage,
  type CodingValues,
  ComparePage,
  GUIDES,
  GuidePage,
  GuidesPage,
  INTERVIEWS,
  InterviewPage,
  InterviewsPage,
  NewCodeBookPage,
  NewGuidePage,
  NewInterviewPage,
  type Values,
} from './surveys.interviews.pages.tsx';
import * as svc from './surveys.interviews.service.ts';
import { codingAgreement } from './surveys.qual.ts';
import { createGuide, guide, guides, parseGuideOutline, SURVEY_DESIGNERS } from './surveys.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const ID_N = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, n: { type: 'integer', minimum: 1 } },
  required: ['id', 'n'],
} as const;
const ID_CODING = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, coding: { type: 'integer', minimum: 1 } },
  required: ['id', 'coding'],
} as const;

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const paramsOf = <T>(request: FastifyRequest) => request.params as T;

/** The text fields of a form body, for showing it again. */
function valuesOf(body: unknown): Values {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf',
    ),
  );
}
const str = (body: unknown, name: string) => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};
/** A field that may repeat (checkboxes). */
const strings = (body: unknown, name: string): string[] => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string',
  );
};

/** Field errors in the reader's language; InterviewInputError carries the messages' parameters. */
function shown(t: Translate, error: svc.InterviewInputError | { fields: Record<string, string> }) {
  const params = error instanceof svc.InterviewInputError ? error.params : {};
  return Object.fromEntries(
    Object.entries(error.fields).map(([k, key]) => [k, t(key as Parameters<Translate>[0], params[k] ?? {})]),
  );
}

const isInputError = (e: unknown): e is svc.InterviewInputError =>
  e instanceof Error && 'fields' in e && (e as { code?: string }).code === 'validation_failed';

export const surveysInterviewsRoutes: RouteModule = (app, { db }) => {
  const access = SURVEY_DESIGNERS;
  const writeLimit = rateLimit(db, { name: 'surveys-interviews', max: 120, windowSeconds: 60 });
  const read = { config: { access } };
  const write = { config: { access }, onRequest: writeLimit };

  // ------------------------------------------------------------ guides

  app.get(GUIDES, read, async (request, reply) =>
    sendPage(reply, h(GuidesPage, { ctx: pageContext(request, reply), list: await guides(db) })),
  );
  app.get(`${GUIDES}/new`, read, async (request, reply) =>
    sendPage(reply, h(NewGuidePage, { ctx: pageContext(request, reply), values: {}, errors: {} })),
  );
  app.post(GUIDES, write, async (request, reply) => {
    const body = request.body;
    try {
      const id = await db.transaction().execute((trx) =>
        createGuide(
          trx,
          actorOf(request),
          {
            title: str(body, 'title'),
            purpose: str(body, 'purpose'),
            topics: parseGuideOutline(str(body, 'topics')),
          },
          request.ip,
        ),
      );
      return seeOther(reply, `${GUIDES}/${id}`);
    } catch (error) {
      if (!isInputError(error)) throw error;
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(NewGuidePage, { ctx, values: valuesOf(body), errors: shown(ctx.t, error) }),
        422,
      );
    }
  });
  app.get(`${GUIDES}/:id`, { ...read, schema: { params: ID } }, async (request, reply) =>
    sendPage(
      reply,
      h(GuidePage, {
        ctx: pageContext(request, reply),
        guide: await guide(db, paramsOf<{ id: number }>(request).id),
      }),
    ),
  );

  // ------------------------------------------------------------ code books

  app.get(CODE_BOOKS, read, async (request, reply) =>
    sendPage(reply, h(CodeBooksPage, { ctx: pageContext(request, reply), list: await svc.codeBooks(db) })),
  );
  app.get(`${CODE_BOOKS}/new`, read, async (request, reply) =>
    sendPage(reply, h(NewCodeBookPage, { ctx: pageContext(request, reply), values: {}, errors: {} })),
  );
  app.post(CODE_BOOKS, write, async (request, reply) => {
    const body = request.body;
    try {
      const id = await db
        .transaction()
        .execute((trx) =>
          svc.createCodeBook(
            trx,
            actorOf(request),
            { title: str(body, 'title'), codes: str(body, 'codes') },
            request.ip,
          ),
        );
      return seeOther(reply, `${CODE_BOOKS}/${id}`);
    } catch (error) {
      if (!isInputError(error)) throw error;
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(NewCodeBookPage, { ctx, values: valuesOf(body), errors: shown(ctx.t, error) }),
        422,
      );
    }
  });
  app.get(`${CODE_BOOKS}/:id`, { ...read, schema: { params: ID } }, async (request, reply) => {
    const added = Number((request.query as { added?: string }).added);
    return sendPage(
      reply,
      h(CodeBookPage, {
        ctx: pageContext(request, reply),
        book: await svc.codeBook(db, paramsOf<{ id: number }>(request).id),
        values: {},
        errors: {},
        added: Number.isInteger(added) && added > 0 ? added : undefined,
      }),
    );
  });
  app.post(`${CODE_BOOKS}/:id/codes`, { ...write, schema: { params: ID } }, async (request, reply) => {
    const { id } = paramsOf<{ id: number }>(request);
    const body = request.body;
    try {
      const n = await db
        .transaction()
        .execute((trx) => svc.addCodes(trx, actorOf(request), id, str(body, 'codes'), request.ip));
      return seeOther(reply, `${CODE_BOOKS}/${id}?added=${n}`);
    } catch (error) {
      if (!isInputError(error)) throw error;
      const ctx = pageContext(request, reply);
      const book = await svc.codeBook(db, id);
      return sendPage(
        reply,
        h(CodeBookPage, { ctx, book, values: valuesOf(body), errors: shown(ctx.t, error) }),
        422,
      );
    }
  });

  // ------------------------------------------------------------ interviews

  app.get(INTERVIEWS, read, async (request, reply) =>
    sendPage(reply, h(InterviewsPage, { ctx: pageContext(request, reply), list: await svc.interviews(db) })),
  );

  const newInterview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Values,
    errors: Record<string, string>,
    status: number,
  ) => {
    const ctx = pageContext(request, reply);
    const [guideList, books, districts, groups] = await Promise.all([
      guides(db),
      svc.codeBooks(db),
      geography.listDistricts(db),
      svc.expertGroups(db),
    ]);
    const name = (d: { name_ru: string; name_en: string }) => (ctx.locale === 'ru' ? d.name_ru : d.name_en);
    return sendPage(
      reply,
      h(NewInterviewPage, {
        ctx,
        values,
        errors,
        guides: guideList.map((g) => ({ value: String(g.id), label: g.title })),
        codeBooks: books.map((b) => ({ value: String(b.id), label: b.title })),
        districts: districts
          .map((d) => ({ value: String(d.id), label: name(d) }))
          .sort((a, b) => a.label.localeCompare(b.label, ctx.locale)),
        groups,
      }),
      status,
    );
  };

  app.get(`${INTERVIEWS}/new`, read, async (request, reply) => {
    const values: Values = {};
    const books = await svc.codeBooks(db, 2);
    // One code book: nothing to choose.
    if (books.length === 1) values.code_book = String(books[0]!.id);
    return newInterview(request, reply, values, {}, 200);
  });

  app.post(
    INTERVIEWS,
    {
      // A transcript is longer than the app's default field and file limits; the service checks
      // the real limits, so anything cut off here is over them.
      config: {
        access,
        uploadLimits: {
          fieldSize: 4 * svc.MAX_TRANSCRIPT_CHARS + 4,
          fileSize: svc.MAX_TRANSCRIPT_BYTES,
          files: 1,
        },
      },
      onRequest: writeLimit,
    },
    async (request, reply) => {
      const body = request.body;
      const file = body && typeof body === 'object' ? (body as Record<string, unknown>).file : undefined;
      const upload = isUploadedFile(file) && file.bytes.length > 0 ? file : undefined;
      try {
        const id = await db.transaction().execute((trx) =>
          svc.recordInterview(
            trx,
            actorOf(request),
            {
              title: str(body, 'title'),
              guideId: str(body, 'guide'),
              codeBookId: str(body, 'code_book'),
              expertRole: str(body, 'expert_role'),
              expertGroup: str(body, 'expert_group'),
              districtId: str(body, 'district'),
              interviewedOn: str(body, 'interviewed_on'),
              interviewer: str(body, 'interviewer'),
              durationMinutes: str(body, 'duration'),
              transcript: str(body, 'transcript'),
              file: upload,
            },
            request.ip,
          ),
        );
        return seeOther(reply, `${INTERVIEWS}/${id}`);
      } catch (error) {
        if (!isInputError(error)) throw error;
        const t = translator(request.locale);
        const status = error.fields.file === 'surveys.interviews.error.fileTooLarge' ? 413 : 422;
        return newInterview(request, reply, valuesOf(body), shown(t, error), status);
      }
    },
  );

  app.get(`${INTERVIEWS}/:id`, { ...read, schema: { params: ID } }, async (request, reply) =>
    sendPage(
      reply,
      h(InterviewPage, {
        ctx: pageContext(request, reply),
        iv: await svc.interview(db, paramsOf<{ id: number }>(request).id),
      }),
    ),
  );

  // ------------------------------------------------------------ coding

  app.get(`${INTERVIEWS}/:id/code`, { ...read, schema: { params: ID } }, async (request, reply) => {
    const actor = actorOf(request);
    const iv = await svc.interview(db, paramsOf<{ id: number }>(request).id);
    const mine = await svc.codings(db, iv, actor.userId);
    return sendPage(
      reply,
      h(CodingPage, { ctx: pageContext(request, reply), iv, mine, coder: actor.fullName }),
    );
  });

  const paragraphPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: CodingValues,
    errors: Record<string, string>,
    status: number,
  ) => {
    const { id, n } = paramsOf<{ id: number; n: number }>(request);
    const iv = await svc.interview(db, id);
    const para = iv.paragraphs.find((p) => p.number === n);
    if (!para) return reply.callNotFound();
    const [book, mine] = await Promise.all([
      svc.codeBook(db, iv.codeBook.id),
      svc.codings(db, iv, actorOf(request).userId),
    ]);
    return sendPage(
      reply,
      h(CodeParagraphPage, {
        ctx: pageContext(request, reply),
        iv,
        para,
        codes: book.codes,
        mine: mine.filter((c) => c.paragraph === n),
        values,
        errors,
      }),
      status,
    );
  };

  app.get(`${INTERVIEWS}/:id/code/:n`, { ...read, schema: { params: ID_N } }, (request, reply) =>
    paragraphPage(request, reply, {}, {}, 200),
  );

  app.post(`${INTERVIEWS}/:id/code/:n`, { ...write, schema: { params: ID_N } }, async (request, reply) => {
    const { id, n } = paramsOf<{ id: number; n: number }>(request);
    const body = request.body;
    const near = /^\d{1,7}$/.test(str(body, 'near')) ? Number(str(body, 'near')) : undefined;
    const codeIds = strings(body, 'codes')
      .filter((c) => /^\d{1,12}$/.test(c))
      .map(Number);
    try {
      await db.transaction().execute((trx) =>
        svc.codeParagraph(trx, actorOf(request), id, {
          paragraph: n,
          excerpt: str(body, 'excerpt'),
          near,
          codeIds,
          memo: str(body, 'memo'),
        }),
      );
      return seeOther(reply, `${INTERVIEWS}/${id}/code#p${n}`);
    } catch (error) {
      if (!isInputError(error)) throw error;
      const t = translator(request.locale);
      return paragraphPage(
        request,
        reply,
        {
          excerpt: str(body, 'excerpt'),
          near: str(body, 'near'),
          memo: str(body, 'memo'),
          codes: strings(body, 'codes'),
        },
        shown(t, error),
        422,
      );
    }
  });

  app.post(
    `${INTERVIEWS}/:id/codings/:coding/delete`,
    { ...write, schema: { params: ID_CODING } },
    async (request, reply) => {
      const { id, coding } = paramsOf<{ id: number; coding: number }>(request);
      await db.transaction().execute((trx) => svc.removeCoding(trx, actorOf(request), id, coding));
      return seeOther(reply, `${INTERVIEWS}/${id}/code`);
    },
  );

  app.get(`${INTERVIEWS}/:id/compare`, { ...read, schema: { params: ID } }, async (request, reply) => {
    const iv = await svc.interview(db, paramsOf<{ id: number }>(request).id);
    const all = await svc.codings(db, iv);
    const names = await svc.coderNames(
      db,
      all.map((c) => c.coderId),
    );
    const coders = [...names].map(([cid, name]) => ({ id: cid, name })).sort((a, b) => a.id - b.id);
    const excerpts = all.map((c) => ({
      interviewId: String(iv.id),
      group: iv.expertGroup,
      coder: String(c.coderId),
      code: c.code,
      start: c.start,
      end: c.end,
    }));
    const units = iv.paragraphs.map((p) => ({ interviewId: String(iv.id), start: p.start, end: p.end }));
    const agreement = [];
    for (let a = 0; a < coders.length; a++)
      for (let b = a + 1; b < coders.length; b++) {
        const { pooled } = codingAgreement(excerpts, String(coders[a]!.id), String(coders[b]!.id), units);
        agreement.push({ a: coders[a]!.name, b: coders[b]!.name, ...pooled });
      }
    return sendPage(reply, h(ComparePage, { ctx: pageContext(request, reply), iv, coders, all, agreement }));
  });

  // ------------------------------------------------------------ analysis

  const filterOf = (request: FastifyRequest) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const s = (name: string) => (typeof q[name] === 'string' ? (q[name] as string).trim() : '');
    const id = (name: string) => (/^[1-9]\d{0,9}$/.test(s(name)) ? Number(s(name)) : undefined);
    return {
      raw: {
        book: id('book') === undefined ? '' : s('book'),
        group: s('group').slice(0, 100),
        coder: id('coder') === undefined ? '' : s('coder'),
      },
      filter: { codeBookId: id('book'), group: s('group').slice(0, 100) || undefined, coderId: id('coder') },
    };
  };

  app.get(ANALYSIS, read, async (request, reply) => {
    const { raw, filter } = filterOf(request);
    const [data, books, groups] = await Promise.all([
      svc.analysis(db, filter),
      svc.codeBooks(db),
      svc.expertGroups(db),
    ]);
    const query = new URLSearchParams(Object.entries(raw).filter(([, v]) => v !== '')).toString();
    return sendPage(
      reply,
      h(AnalysisPage, {
        ctx: pageContext(request, reply),
        filter: raw,
        books: books.map((b) => ({ value: String(b.id), label: b.title })),
        groups,
        coderOptions: data.coders.map((c) => ({ value: String(c.id), label: c.name })),
        data,
        csvHref: `${ANALYSIS}/codings.csv${query ? `?${query}` : ''}`,
      }),
    );
  });

  app.get(`${ANALYSIS}/codings.csv`, read, async (request, reply) => {
    const csv = await svc.codingsCsv(db, filterOf(request).filter);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="interview-codings.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  });
};
