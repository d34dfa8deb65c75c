// Waves: one round of collection of one questionnaire version, open between two dates, with a public
// link /s/<token> (and its QR code). Anonymous waves take anyone with the link; linked waves only
// invited residents, signed-in residents, or residents an interviewer chose in the registry.
import { randomBytes } from 'node:crypto';
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { forbidden, notFound, ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { findList, questions } from './surveys.form.ts';
import type { ResponseChannel, WaveMode } from './surveys.schema.ts';
import { version as findVersion, SURVEY_DESIGNERS } from './surveys.service.ts';
import * as repo from './surveys.waves.repository.ts';

const MAX_TITLE = 200;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Wave {
  id: number;
  versionId: number;
  questionnaireId: number;
  title: string;
  mode: WaveMode;
  token: string;
  /** ISO dates, inclusive. */
  opensOn: string;
  closesOn: string;
  satisfactionQuestion: string | null;
  createdBy: number;
  createdAt: Date;
}

export interface WaveInput {
  versionId: number;
  title: string;
  mode: string;
  opensOn: string;
  closesOn: string;
  /** '' or null: none. */
  satisfactionQuestion?: string | null;
}

const view = (w: NonNullable<Awaited<ReturnType<typeof repo.findWave>>>): Wave => ({
  id: w.id,
  versionId: w.version_id,
  questionnaireId: w.questionnaire_id,
  title: w.title,
  mode: w.mode,
  token: w.token,
  opensOn: w.opens_on,
  closesOn: w.closes_on,
  satisfactionQuestion: w.satisfaction_question,
  createdBy: w.created_by,
  createdAt: w.created_at,
});

/** A wave's public token: 24 random bytes, base64url (32 characters). */
export function newWaveToken(): string {
  return randomBytes(24).toString('base64url');
}

const validDate = (s: string) =>
  ISO_DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The select_one questions of a version a satisfaction indicator may be read from, by name. */
export function satisfactionCandidates(form: import('./surveys.form.ts').Form) {
  return [...questions(form.children)]
    .filter(({ question: q, groups }) => q.type === 'select_one' && !groups.some((g) => g.kind === 'repeat'))
    .map(({ question }) => question)
    .filter((q) => findList(form, q.listName ?? '') !== undefined);
}

/** Creates a wave of a questionnaire version (designers only); field errors as a ValidationError. */
export async function createWave(
  trx: Trx,
  actor: StaffActor,
  input: WaveInput,
  options: { ip?: string | null; today?: string } = {},
): Promise<number> {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
  const version = await findVersion(trx, input.versionId);
  const today = options.today ?? regionToday();
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  if (!title) errors.title = 'surveys.collect.wave.titleMissing';
  else if (title.length > MAX_TITLE) errors.title = 'surveys.collect.wave.titleTooLong';
  if (input.mode !== 'anonymous' && input.mode !== 'linked') errors.mode = 'surveys.collect.wave.modeMissing';
  if (!validDate(input.opensOn)) errors.opensOn = 'surveys.collect.wave.opensInvalid';
  if (!validDate(input.closesOn)) errors.closesOn = 'surveys.collect.wave.closesInvalid';
  else if (input.closesOn < today) errors.closesOn = 'surveys.collect.wave.closesPast';
  else if (!errors.opensOn && input.closesOn < input.opensOn)
    errors.closesOn = 'surveys.collect.wave.closesBeforeOpens';
  const satisfaction = input.satisfactionQuestion?.trim() || null;
  if (satisfaction && !satisfactionCandidates(version.form).some((q) => q.name === satisfaction))
    errors.satisfactionQuestion = 'surveys.collect.wave.satisfactionInvalid';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const id = await repo.insertWave(trx, {
    version_id: version.id,
    title,
    mode: input.mode as WaveMode,
    token: newWaveToken(),
    opens_on: input.opensOn,
    closes_on: input.closesOn,
    satisfaction_question: satisfaction,
    created_by: actor.userId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'survey_wave.created',
    subject: { kind: 'survey_wave', id },
    ip: options.ip ?? null,
    details: {
      versionId: version.id,
      title,
      mode: input.mode,
      opensOn: input.opensOn,
      closesOn: input.closesOn,
    },
  });
  return id;
}

export async function findWave(db: DbOrTrx, id: number): Promise<Wave> {
  const w = await repo.findWave(db, id);
  if (!w) throw notFound('Survey wave');
  return view(w);
}

/** The wave of a public token, or undefined. */
export async function waveByToken(db: DbOrTrx, token: string): Promise<Wave | undefined> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
  const w = await repo.waveByToken(db, token);
  return w ? view(w) : undefined;
}

/** Waves of every version of a questionnaire, newest first. */
export async function wavesOf(db: DbOrTrx, questionnaireId: number): Promise<Wave[]> {
  return (await repo.wavesOfQuestionnaire(db, questionnaireId)).map(view);
}

/** Waves open today (or on `onDate`), newest first. */
export async function openWaves(db: DbOrTrx, onDate = regionToday(), limit = 100): Promise<Wave[]> {
  return (await repo.openWaves(db, onDate, limit)).map(view);
}

export type WaveState = 'notYetOpen' | 'open' | 'closed';
export function waveState(wave: Pick<Wave, 'opensOn' | 'closesOn'>, today = regionToday()): WaveState {
  if (today < wave.opensOn) return 'notYetOpen';
  if (today > wave.closesOn) return 'closed';
  return 'open';
}

export interface WaveCounts {
  started: number;
  complete: number;
  inProgress: number;
  byChannel: Record<ResponseChannel, { started: number; complete: number }>;
}

/** Responses of a wave: every started one (complete included), complete ones, and both by channel. */
export async function waveCounts(db: DbOrTrx, waveId: number): Promise<WaveCounts> {
  const counts: WaveCounts = {
    started: 0,
    complete: 0,
    inProgress: 0,
    byChannel: { portal: { started: 0, complete: 0 }, interviewer: { started: 0, complete: 0 } },
  };
  for (const row of await repo.responseCounts(db, waveId)) {
    counts.started += row.n;
    counts.byChannel[row.channel].started += row.n;
    if (row.status === 'complete') {
      counts.complete += row.n;
      counts.byChannel[row.channel].complete += row.n;
    } else counts.inProgress += row.n;
  }
  return counts;
}

/** The absolute public link of a wave. */
export function waveLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/s/${token}`;
}
