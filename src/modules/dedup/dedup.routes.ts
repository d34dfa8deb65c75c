// Staff routes of duplicate review. Each reads: rate limit → access → CSRF → validation →
// transaction (reads with their audit entries, merges and undos whole) → page or redirect.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import type { MessageKey } from '../../platform/i18n/i18n.ts';
import { BASE, ConfirmPage, ListPage, MergedPage, type Notice, PairPage, UndoPage } from './dedup.pages.tsx';
import * as svc from './dedup.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

/** Refusals a reviewer can act on, shown on the page rather than as a generic error. */
const EXPLAINED = new Set([
  'pair_reviewed',
  'pair_gone',
  'merge_two_accounts',
  'merge_conflict_appointments',
  'merge_conflict_visits',
  'merge_undo_conflict',
  'merge_undone',
]);

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const query = (request: FastifyRequest, name: string) => {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};
const noticeOf = (request: FastifyRequest): Notice | undefined => {
  const n = query(request, 'done');
  return n === 'merged' || n === 'different' || n === 'undone' ? n : undefined;
};
const explained = (e: unknown): e is AppError => e instanceof AppError && EXPLAINED.has(e.code);

export const dedupRoutes: RouteModule = (app, { db }) => {
  const access = svc.REVIEWERS;
  const writeLimit = rateLimit(db, { name: 'dedup-write', max: 60, windowSeconds: 60 });

  const showPair = async (request: FastifyRequest, reply: FastifyReply, error?: MessageKey) => {
    const pair = await db
      .transaction()
      .execute((trx) => svc.pairForReview(trx, actorOf(request), idOf(request), request.ip));
    const ctx = pageContext(request, reply);
    return sendPage(reply, h(PairPage, { ctx, pair, error: error && ctx.t(error) }), error ? 422 : 200);
  };

  app.get(BASE, { config: { access } }, async (request, reply) => {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(query(request, 'page'), 10) || 1));
    const { total, pairs } = await db
      .transaction()
      .execute((trx) => svc.pendingList(trx, actorOf(request), page, request.ip));
    return sendPage(
      reply,
      h(ListPage, {
        ctx: pageContext(request, reply),
        total,
        pairs,
        page,
        pageSize: svc.PAGE_SIZE,
        notice: noticeOf(request),
      }),
    );
  });

  app.get(`${BASE}/merged`, { config: { access } }, async (request, reply) => {
    const merges = await db.transaction().execute((trx) => svc.mergedList(trx, actorOf(request), request.ip));
    return sendPage(
      reply,
      h(MergedPage, { ctx: pageContext(request, reply), merges, notice: noticeOf(request) }),
    );
  });

  const showUndo = async (request: FastifyRequest, reply: FastifyReply, error?: AppError) => {
    const ctx = pageContext(request, reply);
    const merge = await db
      .transaction()
      .execute((trx) => svc.mergeForUndo(trx, actorOf(request), idOf(request), request.ip));
    return sendPage(
      reply,
      h(UndoPage, {
        ctx,
        mergeId: merge.id,
        keptName: merge.survivor_name,
        removedName: merge.duplicate_name,
        mergedAt: merge.merged_at,
        error: error && ctx.t(`dedup.error.${error.code}` as MessageKey),
      }),
      error ? error.status : 200,
    );
  };

  app.get(
    `${BASE}/merged/:id/undo`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      try {
        return await showUndo(request, reply);
      } catch (e) {
        // Undone already: back to the list, where it no longer shows.
        if (e instanceof AppError && e.code === 'merge_undone') return seeOther(reply, `${BASE}/merged`);
        throw e;
      }
    },
  );

  app.post(
    `${BASE}/merged/:id/undo`,
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      try {
        await db
          .transaction()
          .execute((trx) => svc.undoMerge(trx, actorOf(request), idOf(request), request.ip));
      } catch (e) {
        if (!explained(e)) throw e;
        if (e.code === 'merge_undone') return seeOther(reply, `${BASE}/merged`);
        return await showUndo(request, reply, e);
      }
      return seeOther(reply, `${BASE}/merged?done=undone`);
    },
  );

  app.get(`${BASE}/:id`, { config: { access }, schema: { params: ID } }, async (request, reply) =>
    showPair(request, reply),
  );

  app.post(
    `${BASE}/:id/choose`,
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const keep = Number(field(request.body, 'keep'));
      const pair = await db
        .transaction()
        .execute((trx) => svc.pairForReview(trx, actorOf(request), idOf(request), request.ip));
      if (keep !== pair.candidate.person_a && keep !== pair.candidate.person_b)
        return await showPair(request, reply, 'dedup.keep.required');
      return seeOther(reply, `${BASE}/${idOf(request)}/confirm?keep=${keep}`);
    },
  );

  const showConfirm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    keep: number,
    error?: AppError,
  ) => {
    const pair = await db
      .transaction()
      .execute((trx) => svc.pairForReview(trx, actorOf(request), idOf(request), request.ip));
    if (keep !== pair.candidate.person_a && keep !== pair.candidate.person_b)
      return seeOther(reply, `${BASE}/${idOf(request)}`);
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      h(ConfirmPage, {
        ctx,
        pair,
        keepId: keep,
        error: error && ctx.t(`dedup.error.${error.code}` as MessageKey),
      }),
      error ? error.status : 200,
    );
  };

  app.get(`${BASE}/:id/confirm`, { config: { access }, schema: { params: ID } }, async (request, reply) =>
    showConfirm(request, reply, Number(query(request, 'keep'))),
  );

  app.post(
    `${BASE}/:id/merge`,
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const keep = Number(field(request.body, 'keep'));
      try {
        await db
          .transaction()
          .execute((trx) => svc.mergePair(trx, actorOf(request), idOf(request), keep, request.ip));
      } catch (e) {
        if (explained(e) && e.code !== 'pair_gone') return await showConfirm(request, reply, keep, e);
        throw e;
      }
      return seeOther(reply, `${BASE}?done=merged`);
    },
  );

  app.post(
    `${BASE}/:id/not-duplicate`,
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      await db
        .transaction()
        .execute((trx) => svc.markNotDuplicate(trx, actorOf(request), idOf(request), request.ip));
      return seeOther(reply, `${BASE}?done=different`);
    },
  );
};
