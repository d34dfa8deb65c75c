// The accessibility register: audits of offices (their accessibility passport, паспорт доступности,
// Order No. 527n of the Ministry of Labour, 2015) and of portal pages (WCAG 2.2 AA, e.g. an axe scan),
// and the indicator accessibility.offices_pages_accessible computed from it: the share of audited
// subjects whose latest audit on or before a day met the requirements. An audit is never edited: a new
// one supersedes it, so the figure of any past month end can be read again.
import { record } from '../../platform/audit/audit.service.ts';
import { inScope, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { forbidden, ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { listOffices } from '../geography/geography.service.ts';
import * as repo from './quality.repository.ts';

/** Who may record audits: the ministry for every subject, a district head for its district's offices. */
export const AUDIT_ROLES = ['ministry_analyst', 'administrator', 'district_head'] as const;

/** The channel a subject serves: a social protection centre the counter, an MFC the MFC, a page the portal. */
export type SubjectChannel = 'in_person' | 'mfc' | 'portal';

export interface Subject {
  /** 'office:<id>' or 'page:<path>'. */
  key: string;
  officeId: number | null;
  pagePath: string | null;
  /** Offices only: pages are region-wide. */
  districtId: number | null;
  channel: SubjectChannel;
}

export interface LatestAudit extends Subject {
  auditId: number;
  auditedOn: string;
  meets: boolean;
  findings: string;
  source: string;
}

/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

type Office = Awaited<ReturnType<typeof listOffices>>[number];

function subjectOf(row: repo.AuditRow, offices: Map<number, Office>): Subject | null {
  if (row.page_path !== null)
    return {
      key: `page:${row.page_path}`,
      officeId: null,
      pagePath: row.page_path,
      districtId: null,
      channel: 'portal',
    };
  const o = offices.get(row.office_id!);
  if (!o) return null;
  return {
    key: `office:${o.id}`,
    officeId: o.id,
    pagePath: null,
    districtId: o.district_id,
    channel: o.kind === 'mfc' ? 'mfc' : 'in_person',
  };
}

/**
 * Every subject's latest audit on or before each of the given days (ascending ISO dates), from one
 * read of the register: the audits are replayed in order, so each day costs one pass over the rows.
 */
export async function latestAuditsOn(
  db: DbOrTrx,
  days: readonly string[],
): Promise<Map<string, LatestAudit[]>> {
  const out = new Map<string, LatestAudit[]>();
  if (days.length === 0) return out;
  const sorted = [...days].sort();
  const rows = await repo.auditsUpTo(db, sorted.at(-1)!);
  const offices = new Map((await listOffices(db)).map((o) => [o.id, o]));
  const latest = new Map<string, LatestAudit>();
  let i = 0;
  for (const day of sorted) {
    for (; i < rows.length && rows[i]!.audited_on <= day; i++) {
      const r = rows[i]!;
      const s = subjectOf(r, offices);
      if (s)
        latest.set(s.key, {
          ...s,
          auditId: r.id,
          auditedOn: r.audited_on,
          meets: r.meets_requirements,
          findings: r.findings,
          source: r.source,
        });
    }
    out.set(day, [...latest.values()]);
  }
  return out;
}

// ------------------------------------------------------------------ recording an audit

export interface NewAuditInput {
  /** 'office' or 'page'. */
  kind: string;
  /** Office id (the form's select). */
  office: string;
  /** A portal page's path, e.g. /measures/CHILD_ALLOWANCE. */
  page: string;
  /** 'YYYY-MM-DD'. */
  auditedOn: string;
  /** 'yes' or 'no'. */
  meets: string;
  findings: string;
  source: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isRealDate = (s: string) => {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const PAGE_PATH = /^\/[^\s?#]*$/;

/**
 * Records an audit of an office or a portal page, audited (quality.accessibility.record). Field errors
 * are a ValidationError with quality.error.audit.* keys. A district head records its own district's
 * offices only; pages are region-wide and recorded by the ministry.
 */
export async function recordAudit(
  trx: Trx,
  actor: StaffActor,
  input: NewAuditInput,
  opts: { today?: string } = {},
): Promise<number> {
  if (!(AUDIT_ROLES as readonly string[]).includes(actor.role))
    throw forbidden('Accessibility audits are recorded by the ministry and district heads');
  const scope = scopeOf(actor);
  const today = opts.today ?? regionToday();
  const fields: Record<string, string> = {};
  let officeId: number | null = null;
  let pagePath: string | null = null;
  let districtId: number | null = null;
  const kind = input.kind.trim();
  if (kind === 'office') {
    const id = Number(input.office.trim());
    const office = Number.isInteger(id) && id > 0 ? (await listOffices(trx, { ids: [id] }))[0] : undefined;
    if (!office || !inScope(scope, office.district_id)) fields.office = 'quality.error.audit.office';
    else {
      officeId = office.id;
      districtId = office.district_id;
    }
  } else if (kind === 'page') {
    if (!scope.all) fields.kind = 'quality.error.audit.pageRegion';
    else {
      const path = input.page.trim();
      if (!PAGE_PATH.test(path) || path.length > 300) fields.page = 'quality.error.audit.page';
      else pagePath = path;
    }
  } else fields.kind = 'quality.error.audit.kind';
  const on = input.auditedOn.trim();
  if (!isRealDate(on) || on < '2000-01-01') fields.auditedOn = 'quality.error.audit.date';
  else if (on > today) fields.auditedOn = 'quality.error.audit.future';
  const meets = input.meets.trim();
  if (meets !== 'yes' && meets !== 'no') fields.meets = 'quality.error.audit.meets';
  const findings = input.findings.trim();
  // A failed audit says what fails, so the office knows what to fix.
  if (findings.length > 5000) fields.findings = 'quality.error.audit.findingsLong';
  else if (meets === 'no' && findings === '') fields.findings = 'quality.error.audit.findings';
  const source = input.source.trim();
  if (source.length === 0 || source.length > 500) fields.source = 'quality.error.audit.source';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const id = await repo.insertAudit(trx, {
    office_id: officeId,
    page_path: pagePath,
    audited_on: on,
    meets_requirements: meets === 'yes',
    findings,
    source,
    recorded_by: actor.userId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'quality.accessibility.record',
    subject: { kind: 'accessibility_audit', id },
    districtId,
    details: { officeId, pagePath, auditedOn: on, meets: meets === 'yes', source },
  });
  return id;
}

export interface RegisterRow extends Subject {
  label: string;
  /** The latest audit as of today; null for an office never audited. */
  latest: LatestAudit | null;
}

/**
 * The register as the staff page lists it: every office the actor may see (audited or not) and, for
 * region-wide roles, every page ever audited, each with its latest audit.
 */
export async function accessibilityRegister(
  db: DbOrTrx,
  actor: StaffActor,
  opts: { today?: string; locale?: 'ru' | 'en' } = {},
): Promise<RegisterRow[]> {
  const scope = scopeOf(actor);
  const today = opts.today ?? regionToday();
  const latest = (await latestAuditsOn(db, [today])).get(today) ?? [];
  const byKey = new Map(latest.map((a) => [a.key, a]));
  const offices = (await listOffices(db)).filter((o) => inScope(scope, o.district_id));
  const rows: RegisterRow[] = offices.map((o) => ({
    key: `office:${o.id}`,
    officeId: o.id,
    pagePath: null,
    districtId: o.district_id,
    channel: o.kind === 'mfc' ? 'mfc' : 'in_person',
    label: opts.locale === 'en' ? o.name_en : o.name_ru,
    latest: byKey.get(`office:${o.id}`) ?? null,
  }));
  if (scope.all)
    for (const a of latest.filter((x) => x.pagePath !== null).sort((x, y) => x.key.localeCompare(y.key)))
      rows.push({ ...a, label: a.pagePath!, latest: a });
  return rows;
}
