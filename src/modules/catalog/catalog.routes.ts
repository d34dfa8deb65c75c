// Public catalog pages: the portal home, topic lists and a measure's page.
import { h } from 'preact';
import { pageContext, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { pick } from '../../platform/i18n/i18n.ts';
import { HomePage, MeasurePage, TopicPage } from './catalog.pages.tsx';
import * as catalog from './catalog.service.ts';

const CODE = {
  type: 'object',
  properties: { code: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } },
} as const;

export const catalogRoutes: RouteModule = (app, { db }) => {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const { spheres, situations } = await catalog.catalogOverview(db);
    return sendPage(reply, h(HomePage, { ctx: pageContext(request, reply), spheres, situations }));
  });

  app.get(
    '/spheres/:code',
    { config: { access: 'public' }, schema: { params: CODE } },
    async (request, reply) => {
      const { code } = request.params as { code: string };
      const { sphere, measures } = await catalog.sphereWithMeasures(db, code);
      const ctx = pageContext(request, reply);
      const title = pick(ctx.locale, sphere.title_ru, sphere.title_en);
      return sendPage(reply, h(TopicPage, { ctx, caption: ctx.t('catalog.sphereCaption'), title, measures }));
    },
  );

  app.get(
    '/situations/:code',
    { config: { access: 'public' }, schema: { params: CODE } },
    async (request, reply) => {
      const { code } = request.params as { code: string };
      const { situation, measures } = await catalog.situationWithMeasures(db, code);
      const ctx = pageContext(request, reply);
      const title = pick(ctx.locale, situation.title_ru, situation.title_en);
      return sendPage(
        reply,
        h(TopicPage, { ctx, caption: ctx.t('catalog.situationCaption'), title, measures }),
      );
    },
  );

  app.get(
    '/measures/:code',
    { config: { access: 'public' }, schema: { params: CODE } },
    async (request, reply) => {
      const { code } = request.params as { code: string };
      const details = await catalog.measureDetails(db, code.toUpperCase());
      return sendPage(reply, h(MeasurePage, { ctx: pageContext(request, reply), details }));
    },
  );
};
