import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { translator } from '../i18n/i18n.ts';
import type { PageContext } from '../ui/context.ts';

/** Builds the context a page renders with; generates the CSRF token the page's forms carry. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    locale: request.locale,
    t: translator(request.locale),
    actor: request.actor,
    csrfToken: reply.generateCsrf(),
    path: request.url,
  };
}

export function sendPage(reply: FastifyReply, page: JSX.Element, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}

/** After a successful POST: redirect, so a reload does not submit twice (post/redirect/get). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}

/** Only same-site relative paths may be redirect targets. */
export function safeReturnPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
