// Collection of responses to a wave, on the portal and by interviewers. Who answers:
// - anonymous waves: anyone with the link; the browser keeps a resume secret in a cookie (its
//   SHA-256 in survey_responses.resume_sha256) and is shown a "continue later" link carrying it;
// - linked waves: an invited resident through their invitation link (one response per invitation,
//   background = the invitation's strata), a resident signed in on the portal, or a resident an
//   interviewer found in the registry (background from the registry, backgroundOf).
// Each saved page updates answers, page and updated_at; submitting completes the response once;
// a complete response is never changed again.
import { createHash, randomBytes } from 'node:crypto';
import { record } from '../../platform/audit/audit.service.ts';
import type { Actor, StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, AuditedRefusal, forbidden, notFound } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { personForStaff } from '../registry/registry.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { type Answers, checkAnswers } from './surveys.answers.ts';
import {
  checkPage,
  nextPage,
  type PageProblem,
  type Posted,
  pageQuestionNames,
  pagesOf,
  pruneIrrelevant,
  readPage,
} from './surveys.fill.ts';
import type { Form } from './surveys.form.ts';
import { backgroundOf } from './surveys.frame.ts';
import * as repo from './surveys.responses.repository.ts';
import { version } from './surveys.service.ts';
import { type Wave, waveState } from './surveys.waves.service.ts';

/** Who types interviews in: specialists and district heads in their districts, researchers anywhere. */
export const INTERVIEWERS: readonly StaffRole[] = ['specialist', 'district_head', 'researcher'];

export type Response = NonNullable<Awaited<ReturnType<typeof repo.findResponse>>>;

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** A resume or invitation secret: 32 random bytes, base64url. */
export const newSecret = () => randomBytes(32).toString('base64url');
const SECRET = /^[A-Za-z0-9_-]{32,64}$/;

// Versions never change: their parsed forms are kept (a few dozen at most).
const forms = new Map<number, Form>();
export async function formOf(db: DbOrTrx, versionId: number): Promise<Form> {
  let form = forms.get(versionId);
  if (!form) {
    form = (await version(db, versionId)).form;
    if (forms.size > 100) forms.clear();
    forms.set(versionId, form);
  }
  return form;
}

/** Refuses answering outside the wave's dates: 403 before it opens, 410 after it closes. */
export function assertOpen(wave: Wave, today = regionToday()) {
  const state = waveState(wave, today);
  if (state === 'notYetOpen') throw new AppError('wave_not_open', 403, 'The survey is not open yet');
  if (state === 'closed') throw new AppError('wave_closed', 410, 'The survey is closed');
}

// ---------------------------------------------------------------- portal

/** The response a resume secret (cookie or link) belongs to, in this wave. */
export async function responseBySecret(db: DbOrTrx, wave: Wave, secret: string | undefined) {
  if (!secret || !SECRET.test(secret)) return undefined;
  return await repo.responseByResume(db, wave.id, sha256Hex(secret));
}

/** A signed-in resident's response to a linked wave (any channel). */
export async function responseOfResident(db: DbOrTrx, wave: Wave, actor: Actor) {
  if (wave.mode !== 'linked' || actor.kind !== 'resident') return undefined;
  const response = await repo.responseOfPerson(db, wave.id, actor.personId);
  // An interview staff are typing in is theirs to finish, not the resident's to edit.
  return response?.channel === 'interviewer' && response.status === 'in_progress' ? undefined : response;
}

/**
 * Starts a portal response. Anonymous waves: a new response with a resume secret (returned, for the
 * cookie and the link). Linked waves: only for a signed-in resident, whose earlier response is
 * returned instead of a second one.
 */
export async function startPortal(
  trx: Trx,
  wave: Wave,
  actor: Actor,
  today = regionToday(),
): Promise<{ response: Response; secret: string | null }> {
  assertOpen(wave, today);
  if (wave.mode === 'anonymous') {
    const secret = newSecret();
    const id = await repo.insertResponse(trx, {
      wave_id: wave.id,
      version_id: wave.versionId,
      channel: 'portal',
      person_id: null,
      invitation_id: null,
      interviewer_id: null,
      background: {},
      resume_sha256: sha256Hex(secret),
    });
    return { response: (await repo.findResponse(trx, id))!, secret };
  }
  if (actor.kind !== 'resident')
    throw new AppError('survey_linked', 403, 'This survey is for invited or signed-in residents');
  const existing = await repo.responseOfPerson(trx, wave.id, actor.personId);
  if (existing?.channel === 'interviewer' && existing.status === 'in_progress')
    throw new AppError('already_responded', 409, 'The resident is being interviewed for this survey');
  if (existing) return { response: existing, secret: null };
  const invitation = await repo.invitationOfPerson(trx, wave.id, actor.personId);
  const id = await repo.insertResponse(trx, {
    wave_id: wave.id,
    version_id: wave.versionId,
    channel: 'portal',
    person_id: actor.personId,
    invitation_id: invitation?.id ?? null,
    interviewer_id: null,
    background: invitation ? invitation.strata : { ...(await backgroundOf(trx, actor.personId, today)) },
    resume_sha256: null,
  });
  return { response: (await repo.findResponse(trx, id))!, secret: null };
}

/**
 * Redeems an invitation link: the invited person's response (created on first use), with a fresh
 * resume secret for this browser's cookie. Unknown secrets and other waves' invitations are 404.
 */
export async function redeemInvitation(
  trx: Trx,
  wave: Wave,
  secret: string,
  today = regionToday(),
): Promise<{ response: Response; secret: string | null }> {
  if (!SECRET.test(secret)) throw notFound('Invitation');
  const invitation = await repo.invitationBySha(trx, wave.id, sha256Hex(secret));
  if (!invitation) throw notFound('Invitation');
  const existing = await repo.responseOfInvitation(trx, invitation.id);
  if (existing?.status === 'complete') return { response: existing, secret: null };
  assertOpen(wave, today);
  const resume = newSecret();
  if (existing) {
    await repo.setResume(trx, existing.id, sha256Hex(resume));
    return { response: existing, secret: resume };
  }
  // The person may have answered already, signed in or with an interviewer: one response each.
  const other = await repo.responseOfPerson(trx, wave.id, invitation.person_id);
  if (other) {
    if (other.status === 'complete' || other.channel !== 'portal') return { response: other, secret: null };
    await repo.setResume(trx, other.id, sha256Hex(resume));
    return { response: other, secret: resume };
  }
  const id = await repo.insertResponse(trx, {
    wave_id: wave.id,
    version_id: wave.versionId,
    channel: 'portal',
    person_id: invitation.person_id,
    invitation_id: invitation.id,
    interviewer_id: null,
    background: invitation.strata,
    resume_sha256: sha256Hex(resume),
  });
  return { response: (await repo.findResponse(trx, id))!, secret: resume };
}

// ---------------------------------------------------------------- pages (both channels)

export type SaveOutcome =
  | { kind: 'saved'; next: number | null }
  | { kind: 'invalid'; answers: Answers; problems: PageProblem[] }
  | { kind: 'complete' };

/**
 * Saves one page: the posted fields read over the saved answers, checked; when nothing is wrong the
 * irrelevant answers are dropped and the answers, the page to come back to and updated_at are saved.
 * A complete response is left as it is.
 */
export async function savePage(
  trx: Trx,
  responseId: number,
  pageIndex: number,
  posted: Posted,
  today = regionToday(),
): Promise<SaveOutcome> {
  const response = await repo.lockResponse(trx, responseId);
  if (!response) throw notFound('Response');
  if (response.status === 'complete') return { kind: 'complete' };
  const form = await formOf(trx, response.version_id);
  const page = pagesOf(form)[pageIndex];
  if (!page) throw notFound('Page');
  const answers = readPage(form, page, posted, response.answers, today);
  const problems = checkPage(form, page, answers, today);
  if (problems.length > 0) return { kind: 'invalid', answers, problems };
  const pruned = pruneIrrelevant(form, answers, today);
  const next = nextPage(form, pruned, pageIndex, today);
  await repo.saveAnswers(trx, responseId, pruned, next ?? pagesOf(form).length);
  return { kind: 'saved', next };
}

export type SubmitOutcome = { kind: 'complete'; already: boolean } | { kind: 'invalid'; page: number };

/**
 * Submits a response: every answer checked again (a page may have been skipped by hand); the first
 * page with a problem is returned instead. Submitting a complete response again does nothing.
 */
export async function submit(trx: Trx, responseId: number, today = regionToday()): Promise<SubmitOutcome> {
  const response = await repo.lockResponse(trx, responseId);
  if (!response) throw notFound('Response');
  if (response.status === 'complete') return { kind: 'complete', already: true };
  const form = await formOf(trx, response.version_id);
  const answers = pruneIrrelevant(form, response.answers, today);
  const problems = checkAnswers(form, answers, { today });
  if (problems.length > 0) {
    const first = problems[0]!;
    const name = first.repeat ? first.repeat.name : first.name;
    const page = pagesOf(form).find(
      (p) => pageQuestionNames(p).has(first.name) || p.nodes.some((n) => n.name === name),
    );
    return { kind: 'invalid', page: page?.index ?? 0 };
  }
  await repo.completeResponse(trx, responseId, answers);
  return { kind: 'complete', already: false };
}

// ---------------------------------------------------------------- interviewer mode

function assertInterviewer(actor: StaffActor) {
  if (!INTERVIEWERS.includes(actor.role)) throw forbidden();
}

/**
 * Starts an interview typed in by staff. Anonymous waves: no registry link (a street or telephone
 * interview). Linked waves: a resident from the registry, read with the district scope and audited
 * (reason: survey interview); their invitation in this wave when sampled, else their background from
 * the registry. An interviewer's own unfinished interview of the person is resumed, not duplicated.
 */
export async function startInterview(
  trx: Trx,
  actor: StaffActor,
  wave: Wave,
  personId: number | null,
  options: { ip: string; today?: string },
): Promise<Response> {
  assertInterviewer(actor);
  const today = options.today ?? regionToday();
  assertOpen(wave, today);
  const base = {
    wave_id: wave.id,
    version_id: wave.versionId,
    channel: 'interviewer' as const,
    interviewer_id: actor.userId,
    resume_sha256: null,
  };
  if (wave.mode === 'anonymous') {
    const id = await repo.insertResponse(trx, {
      ...base,
      person_id: null,
      invitation_id: null,
      background: {},
    });
    await record(trx, {
      actor: { kind: 'staff', id: actor.userId },
      action: 'survey_interview.started',
      subject: { kind: 'survey_response', id },
      ip: options.ip,
      details: { waveId: wave.id },
    });
    return (await repo.findResponse(trx, id))!;
  }
  if (personId === null)
    throw new AppError('survey_linked', 422, 'A linked survey needs a resident from the registry');
  const read = await personForStaff(trx, actor, personId, options.ip);
  if (read.denied)
    throw new AuditedRefusal(forbidden(), {
      actor: { kind: 'staff', id: actor.userId },
      action: 'person.read.denied',
      subject: { kind: 'person', id: personId },
      ip: options.ip,
      details: { reason: 'survey_interview', waveId: wave.id },
    });
  const existing = await repo.responseOfPerson(trx, wave.id, personId);
  if (existing) {
    if (existing.status === 'in_progress' && existing.interviewer_id === actor.userId) return existing;
    throw new AppError('already_responded', 409, 'This resident has already answered this survey');
  }
  const invitation = await repo.invitationOfPerson(trx, wave.id, personId);
  const id = await repo.insertResponse(trx, {
    ...base,
    person_id: personId,
    invitation_id: invitation?.id ?? null,
    background: invitation ? invitation.strata : { ...(await backgroundOf(trx, personId, today)) },
  });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'survey_interview.started',
    subject: { kind: 'survey_response', id },
    districtId: read.person.district_id,
    ip: options.ip,
    details: { waveId: wave.id, personId, reason: 'survey_interview', invitationId: invitation?.id ?? null },
  });
  return (await repo.findResponse(trx, id))!;
}

/** An interview, for the interviewer who started it only. */
export async function interviewOf(db: DbOrTrx, actor: StaffActor, responseId: number): Promise<Response> {
  assertInterviewer(actor);
  const response = await repo.findResponse(db, responseId);
  if (response?.channel !== 'interviewer') throw notFound('Interview');
  if (response.interviewer_id !== actor.userId) throw forbidden();
  return response;
}

/** The interviewer's unfinished interviews, to resume from the fieldwork page. */
export async function unfinishedInterviews(db: DbOrTrx, actor: StaffActor, limit = 50) {
  return await repo.unfinishedInterviews(db, actor.userId, limit);
}

export const findResponse = repo.findResponse;
