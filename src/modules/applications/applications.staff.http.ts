// What the staff routes of applications share: who may do what, parameter schemas, how a service
// refusal becomes errors shown on the page, staff names, files and letters.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx } from '../../platform/db/database.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { isMessageKey, type MessageKey, type Translate } from '../../platform/i18n/i18n.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { staffMember } from '../staff/staff.service.ts';
import { type LetterKind, renderLetter } from './applications.letters.ts';
import * as svc from './applications.service.ts';
import type { Names } from './applications.staff.pages.tsx';
import type { CaseAction } from './applications.states.ts';

/** Who works cases: registers, decides, assigns. */
export const WORKERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];
/** Who may read cases: the workers, and ministry analysts region-wide (read-only; they decide ministry appeals). */
export const READERS: readonly StaffRole[] = [...WORKERS, 'ministry_analyst'];
export const APPEAL_DECIDERS: readonly StaffRole[] = ['district_head', 'ministry_analyst', 'administrator'];
export const HEADS: readonly StaffRole[] = ['district_head', 'administrator'];

export type StaffAction = Exclude<CaseAction, 'withdraw'>;
export const ACTIONS: readonly StaffAction[] = [
  'register',
  'start_review',
  'request_documents',
  'request_interagency',
  'documents_received',
  'suspend',
  'resume',
  'refuse',
  'approve',
];

export const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
export const ACTION_PARAMS = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, action: { type: 'string', enum: ACTIONS } },
  required: ['id', 'action'],
} as const;
export const LETTERS = ['application.pdf', 'receipt.pdf', 'decision.pdf'] as const;
export const LETTER_PARAMS = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, file: { type: 'string', enum: LETTERS } },
  required: ['id', 'file'],
} as const;

export const PHONE = /^\+?[0-9][0-9 ()-]{9,17}$/;
export const MAX_TEXT = 4000;

export const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
export const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
export const ctxOf = (request: FastifyRequest): svc.Ctx => ({ ip: request.ip });
export const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

export function isoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Message keys (from validation or the service) in the reader's language, under the page's field ids. */
export function shown(t: Translate, fields: Record<string, string>, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [`${prefix}${k}`, isMessageKey(v) ? t(v) : v]),
  );
}

/** Refusals the page explains in place (the form is shown again) rather than on an error page. */
const CASE_ERRORS: Record<string, MessageKey> = {
  stale_case: 'applications.staff.error.stale',
  invalid_transition: 'applications.staff.error.invalidTransition',
  case_closed: 'applications.staff.error.caseClosed',
  duplicate_assignment: 'applications.staff.error.duplicateAssignment',
  nothing_to_appeal: 'applications.staff.error.nothingToAppeal',
  appeal_too_late: 'applications.staff.error.appealTooLate',
  appeal_pending: 'applications.staff.error.appealPending',
  appeal_decided: 'applications.staff.error.appealDecided',
  idempotency_key: 'applications.staff.error.formExpired',
};

export interface Shown {
  errors: Record<string, string>;
  status: number;
}

/** A field error or an explained refusal as page errors; undefined for anything else (rethrow it). */
export function explain(t: Translate, error: unknown, prefix: string, anchor: string): Shown | undefined {
  if (error instanceof ValidationError) return { errors: shown(t, error.fields, prefix), status: 422 };
  if (error instanceof AppError && CASE_ERRORS[error.code])
    return { errors: { [anchor]: t(CASE_ERRORS[error.code]!) }, status: error.status };
  return undefined;
}

export async function staffNames(db: DbOrTrx, ids: (number | null | undefined)[]): Promise<Names> {
  const names: Names = new Map();
  for (const id of new Set(ids)) {
    if (typeof id !== 'number') continue;
    const member = await staffMember(db, id);
    if (member) names.set(id, member.fullName);
  }
  return names;
}

export function sendFile(
  reply: FastifyReply,
  bytes: Buffer,
  type: string,
  filename: string,
  disposition: string,
) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(bytes);
}

/** Renders one of a case's letters as the staff member sees the case, and records the printing. */
export async function printLetter(
  db: Db,
  request: FastifyRequest,
  applicationId: number,
  kind: LetterKind,
  appealId?: number,
): Promise<{ pdf: Buffer; name: string }> {
  const staff = actorOf(request);
  return await db.transaction().execute(async (trx) => {
    const application = await svc.applicationForStaff(trx, staff, applicationId, ctxOf(request));
    const pdf = await renderLetter(trx, application, kind, request.locale, appealId);
    await record(trx, {
      actor: { kind: 'staff', id: staff.userId },
      action: 'application.letter.printed',
      subject: { kind: 'application', id: application.id },
      districtId: application.district_id,
      ip: request.ip,
      details: { letter: kind, appeal: appealId ?? null },
    });
    return { pdf, name: `${kind}-${application.number ?? application.id}.pdf` };
  });
}
