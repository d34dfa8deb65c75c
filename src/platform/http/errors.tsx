// Turns any error into a page (or JSON for API clients) with the right status. Unknown errors are
// logged with the request id and shown as a plain apology carrying that id.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { ErrorPage } from './error-page.tsx';
import { pageContext, sendPage } from './render.ts';

interface Shown {
  status: number;
  code: string;
  title: MessageKey;
  text: MessageKey;
  params?: Record<string, string | number>;
}

function classify(error: FastifyError | AppError, requestId: string): Shown {
  if (error instanceof AppError) {
    switch (error.code) {
      case 'not_found':
        return { status: 404, code: error.code, title: 'error.notFound', text: 'error.notFoundText' };
      case 'forbidden':
        return { status: 403, code: error.code, title: 'error.forbidden', text: 'error.forbiddenText' };
      case 'rate_limited': {
        const seconds = Number(error.details?.retryAfterSeconds ?? 60);
        return {
          status: 429,
          code: error.code,
          title: 'error.rateLimited',
          text: 'error.rateLimitedText',
          params: { minutes: Math.max(1, Math.ceil(seconds / 60)) },
        };
      }
      default:
        if (error.status < 500) {
          return {
            status: error.status,
            code: error.code,
            title: 'error.badRequest',
            text: 'error.badRequestText',
          };
        }
    }
  }
  const fe = error as FastifyError;
  if (fe.code?.startsWith('FST_CSRF')) {
    return { status: 403, code: 'csrf_invalid', title: 'error.csrf', text: 'error.csrfText' };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      code: fe.code ?? 'bad_request',
      title: 'error.badRequest',
      text: 'error.badRequestText',
    };
  }
  return {
    status: 500,
    code: 'internal',
    title: 'error.server',
    text: 'error.serverText',
    params: { requestId },
  };
}

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}

export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const shown = classify(error, request.id);
  if (shown.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: shown.code, status: shown.status }, 'request refused');
  if (shown.code === 'rate_limited' && error instanceof AppError) {
    reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 60));
  }
  if (wantsJson(request)) {
    return reply
      .code(shown.status)
      .send({ error: { code: shown.code, message: error.message, requestId: request.id } });
  }
  const ctx = pageContext(request, reply);
  const staff = request.url.startsWith('/staff');
  const page = (
    <ErrorPage ctx={ctx} staff={staff} title={ctx.t(shown.title)} text={ctx.t(shown.text, shown.params)} />
  );
  return sendPage(reply, page, shown.status);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return handleError(new AppError('not_found', 404, 'Page not found'), request, reply);
}
