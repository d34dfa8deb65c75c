// Routes of the accessibility register (/staff/quality/accessibility): the latest audit of each office
// and portal page the reader may see, with CSV/XLSX, and recording a new audit (post/redirect/get;
// the service checks the fields, the district scope, and writes the audit log). Linked from the
// quality dashboards and the indicator's page. Registered by quality.routes.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { inScope, scopeOf } from '../../platform/auth/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import type { MessageKey, Translate } from '../../platform/i18n/i18n.ts';
import { pick } from '../../platform/i18n/i18n.ts';
import { listDistricts, listOffices } from '../geography/geography.service.ts';
import { AccessibilityPage } from './quality.accessibility.pages.tsx';
import {
  AUDIT_ROLES,
  accessibilityRegister,
  type NewAuditInput,
  type RegisterRow,
  recordAudit,
} from './quality.accessibility.ts';
import { type NamedTable, toCsv, toXlsx } from './quality.view-model.ts';

const FIELDS = ['kind', 'office', 'page', 'auditedOn', 'meets', 'findings', 'source'] as const;
const inputOf = (source: unknown): NewAuditInput =>
  Object.fromEntries(FIELDS.map((k) => [k, field(source, k)])) as unknown as NewAuditInput;

function registerTable(
  t: Translate,
  rows: RegisterRow[],
  districtName: (id: number | null) => string,
): NamedTable {
  return {
    id: 'accessibility',
    title: t('qualityPages.accessibility.tableTitle'),
    columns: [
      { label: t('qualityPages.accessibility.column.subject'), unit: 'text' },
      { label: t('qualityPages.column.district'), unit: 'text' },
      { label: t('qualityPages.column.channel'), unit: 'text' },
      { label: t('qualityPages.accessibility.column.auditedOn'), unit: 'text' },
      { label: t('qualityPages.accessibility.column.meets'), unit: 'text' },
      { label: t('qualityPages.accessibility.column.findings'), unit: 'text' },
      { label: t('qualityPages.accessibility.column.source'), unit: 'text' },
    ],
    rows: rows.map((r) => [
      r.label,
      districtName(r.districtId),
      t(`applications.channel.${r.channel}` as MessageKey),
      r.latest?.auditedOn ?? '',
      r.latest
        ? t(r.latest.meets ? 'qualityPages.accessibility.yes' : 'qualityPages.accessibility.no')
        : t('qualityPages.accessibility.notAudited'),
      r.latest?.findings ?? '',
      r.latest?.source ?? '',
    ]),
  };
}

export const accessibilityRoutes: RouteModule = (app, { db }) => {
  const readLimit = rateLimit(db, { name: 'quality-read', max: 120, windowSeconds: 60 });
  const writeLimit = rateLimit(db, { name: 'quality-write', max: 30, windowSeconds: 60 });

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: NewAuditInput,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const actor = request.actor as StaffActor;
    const ctx = pageContext(request, reply);
    const { t, locale } = ctx;
    const scope = scopeOf(actor);
    const [rows, districts, offices] = await Promise.all([
      accessibilityRegister(db, actor, { locale }),
      listDistricts(db),
      listOffices(db),
    ]);
    const names = new Map(districts.map((d) => [d.id, pick(locale, d.name_ru, d.name_en)]));
    const table = registerTable(t, rows, (id) =>
      id === null ? t('qualityPages.region') : (names.get(id) ?? ''),
    );
    const q = (request.query ?? {}) as Record<string, unknown>;
    const format = field(q, 'format');
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="accessibility.csv"')
        .send(toCsv(table));
    if (format === 'xlsx')
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="accessibility.xlsx"')
        .send(await toXlsx([table]));
    const own = districts.find((d) => inScope(scope, d.id));
    return sendPage(
      reply,
      h(AccessibilityPage, {
        ctx,
        table,
        offices: offices
          .filter((o) => inScope(scope, o.district_id))
          .map((o) => ({
            value: String(o.id),
            label: `${pick(locale, o.name_ru, o.name_en)} (${pick(locale, o.district_ru, o.district_en)})`,
          })),
        pages: scope.all,
        values,
        errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v as MessageKey)])),
        recorded: field(q, 'recorded') === '1' && status === 200,
        back: scope.all || !own ? '/staff/quality' : `/staff/quality/districts/${own.code}`,
        indicator: '/staff/quality/indicators/accessibility.offices_pages_accessible',
      }),
      status,
    );
  };

  app.get(
    '/staff/quality/accessibility',
    { config: { access: AUDIT_ROLES }, onRequest: readLimit },
    async (request, reply) => page(request, reply, inputOf({}), {}),
  );

  app.post(
    '/staff/quality/accessibility',
    { config: { access: AUDIT_ROLES }, onRequest: writeLimit },
    async (request, reply) => {
      const input = inputOf(request.body);
      try {
        await db.transaction().execute((trx) => recordAudit(trx, request.actor as StaffActor, input));
      } catch (error) {
        if (error instanceof ValidationError) return page(request, reply, input, error.fields, 422);
        throw error;
      }
      return seeOther(reply, '/staff/quality/accessibility?recorded=1');
    },
  );
};
