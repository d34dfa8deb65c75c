// Routes of the notification service: the resident's settings (/me/notifications), the unsubscribe
// link (/unsubscribe/<token>, public), and for staff the delivery figures, the template preview and
// the printed letter batches (downloads audited: they hold personal data).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { record } from '../../platform/audit/audit.service.ts';
import { inScope, type ResidentActor, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import { AuditedRefusal, forbidden, notFound } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import { districtsByIds } from '../geography/geography.service.ts';
import { personForResident, setPreferredChannel } from '../registry/registry.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { letterBatch, letterBatches } from './notifications.letters.ts';
import {
  DeliveryPage,
  LettersPage,
  MyNotificationsPage,
  type SettingsValues,
  TemplatesPage,
  UnsubscribePage,
} from './notifications.pages.tsx';
import type { Channel } from './notifications.schema.ts';
import * as svc from './notifications.service.ts';

/** Who sees delivery figures and previews the templates. */
export const OVERSEERS: readonly StaffRole[] = ['district_head', 'ministry_analyst', 'administrator'];
/** Who prints the district's letters. */
export const PRINTERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];

const CHANNELS: readonly Channel[] = ['portal', 'email', 'sms', 'post'];
const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const TOKEN = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 64 } },
  required: ['token'],
} as const;

function residentOf(request: FastifyRequest): ResidentActor {
  if (request.actor.kind !== 'resident') throw forbidden();
  return request.actor;
}
const staffOf = (request: FastifyRequest) => request.actor as StaffActor;

export const notificationsRoutes: RouteModule = (app, { config, db }) => {
  const writeLimit = rateLimit(db, { name: 'notifications-write', max: 30, windowSeconds: 600 });
  const linkLimit = rateLimit(db, { name: 'unsubscribe', max: 60, windowSeconds: 600 });

  // ------------------------------------------------------------ the resident's settings

  const renderSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { values?: SettingsValues; errors?: FieldErrors; status?: number } = {},
  ) => {
    const resident = residentOf(request);
    const { person } = await personForResident(db, resident.personId);
    const settings = await svc.settingsOf(db, resident.personId);
    const values = opts.values ?? {
      channel: person.preferred_channel,
      lang: settings.lang,
      campaigns: settings.campaignsOptOut ? 'no' : 'yes',
    };
    return sendPage(
      reply,
      h(MyNotificationsPage, {
        ctx: pageContext(request, reply),
        values,
        contact: { email: person.email, phone: person.phone },
        saved: (request.query as { saved?: string }).saved === '1' && !opts.errors,
        errors: opts.errors ?? {},
      }),
      opts.status,
    );
  };

  app.get('/me/notifications', { config: { access: 'resident' } }, (request, reply) =>
    renderSettings(request, reply),
  );

  app.post(
    '/me/notifications',
    { config: { access: 'resident' }, onRequest: writeLimit },
    async (request, reply) => {
      const resident = residentOf(request);
      const t = translator(request.locale);
      const values: SettingsValues = {
        channel: field(request.body, 'channel'),
        lang: field(request.body, 'lang'),
        campaigns: field(request.body, 'campaigns'),
      };
      const { person } = await personForResident(db, resident.personId);
      const errors: FieldErrors = {};
      if (!(CHANNELS as readonly string[]).includes(values.channel))
        errors.channel = t('notifications.error.channel');
      else if (values.channel === 'email' && !person.email) errors.channel = t('notifications.error.noEmail');
      else if (values.channel === 'sms' && !person.phone) errors.channel = t('notifications.error.noPhone');
      if (values.lang !== 'ru' && values.lang !== 'en') errors.lang = t('notifications.error.lang');
      if (values.campaigns !== 'yes' && values.campaigns !== 'no')
        errors.campaigns = t('notifications.error.campaigns');
      if (Object.keys(errors).length > 0)
        return renderSettings(request, reply, { values, errors, status: 400 });
      await db.transaction().execute(async (trx) => {
        await setPreferredChannel(trx, resident.personId, values.channel as Channel);
        await svc.saveSettings(trx, resident, {
          lang: values.lang as 'ru' | 'en',
          campaignsOptOut: values.campaigns === 'no',
        });
        await record(trx, {
          actor: { kind: 'resident', id: resident.personId },
          action: 'notifications.settings.changed',
          subject: { kind: 'person', id: resident.personId },
          districtId: person.district_id,
          ip: request.ip,
          details: { channel: values.channel, lang: values.lang, campaigns: values.campaigns },
        });
      });
      return seeOther(reply, '/me/notifications?saved=1');
    },
  );

  // ------------------------------------------------------------ unsubscribe links

  app.get(
    '/unsubscribe/:token',
    { config: { access: 'public' }, schema: { params: TOKEN }, onRequest: linkLimit },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const valid = svc.verifyUnsubscribeToken(config.secret, token) !== undefined;
      return sendPage(
        reply,
        h(UnsubscribePage, { ctx: pageContext(request, reply), token, state: valid ? 'ask' : 'invalid' }),
        valid ? 200 : 404,
      );
    },
  );

  app.post(
    '/unsubscribe/:token',
    { config: { access: 'public' }, schema: { params: TOKEN }, onRequest: linkLimit },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const personId = svc.verifyUnsubscribeToken(config.secret, token);
      if (personId === undefined)
        return sendPage(
          reply,
          h(UnsubscribePage, { ctx: pageContext(request, reply), token, state: 'invalid' }),
          404,
        );
      await db.transaction().execute(async (trx) => {
        await svc.optOutOfCampaigns(trx, personId);
        await record(trx, {
          actor: { kind: 'anonymous' },
          action: 'notifications.unsubscribed',
          subject: { kind: 'person', id: personId },
          ip: request.ip,
          details: { via: 'link' },
        });
      });
      return sendPage(reply, h(UnsubscribePage, { ctx: pageContext(request, reply), token, state: 'done' }));
    },
  );

  // ------------------------------------------------------------ staff

  app.get('/staff/notifications', { config: { access: OVERSEERS } }, async (request, reply) => {
    const [stats, failures] = await Promise.all([svc.deliveryStats(db, {}), svc.recentFailures(db, 20)]);
    return sendPage(
      reply,
      h(DeliveryPage, {
        ctx: pageContext(request, reply),
        stats,
        failures,
        canSeeLetters: PRINTERS.includes(staffOf(request).role),
      }),
    );
  });

  app.get('/staff/notifications/templates', { config: { access: OVERSEERS } }, async (request, reply) =>
    sendPage(reply, h(TemplatesPage, { ctx: pageContext(request, reply) })),
  );

  app.get('/staff/notifications/letters', { config: { access: PRINTERS } }, async (request, reply) => {
    const scope = scopeOf(staffOf(request));
    const batches = await letterBatches(db, scope.all ? 'all' : scope.districtIds);
    const names = new Map(
      (
        await districtsByIds(
          db,
          batches.map((b) => b.district_id),
        )
      ).map((d) => [d.id, request.locale === 'ru' ? d.name_ru : d.name_en]),
    );
    return sendPage(
      reply,
      h(LettersPage, {
        ctx: pageContext(request, reply),
        batches: batches.map((b) => ({ ...b, district: names.get(b.district_id) ?? String(b.district_id) })),
      }),
    );
  });

  app.get(
    '/staff/notifications/letters/:id/letters.pdf',
    { config: { access: PRINTERS }, schema: { params: ID } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id } = request.params as { id: number };
      const batch = await db.transaction().execute(async (trx) => {
        const found = await letterBatch(trx, id);
        if (!found) throw notFound('Letter batch');
        const audit = {
          actor: { kind: 'staff' as const, id: staff.userId },
          subject: { kind: 'letter_batch', id },
          districtId: found.district_id,
          ip: request.ip,
          details: { letters: found.letters, sha256: found.sha256, reason: 'print_letters' },
        };
        if (!inScope(scopeOf(staff), found.district_id))
          throw new AuditedRefusal(notFound('Letter batch'), { ...audit, action: 'letters.download.denied' });
        await record(trx, { ...audit, action: 'letters.downloaded' });
        return found;
      });
      const pdf = await blobStore(config).get(batch.sha256);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="letters-${batch.batch_date}-${batch.district_id}.pdf"`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
};
