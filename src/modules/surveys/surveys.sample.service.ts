// Sampling recipients for a linked wave and inviting them. A preview draws the sample in memory and
// shows the allocation per stratum, storing nothing; "draw and invite" draws it again from the same
// seed (the same frame gives the same residents) and, in one transaction, stores the sample, one
// invitation per resident (only the SHA-256 of the link's secret) and the notifications, and audits
// the drawing with one entry (the count, as campaigns audit their target group).
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { forbidden, ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { listDistricts } from '../geography/geography.service.ts';
import { notifyEach } from '../notifications/notifications.batch.ts';
import { BACKGROUND_KEYS, type BackgroundKey } from './surveys.background.ts';
import { questions } from './surveys.form.ts';
import { frameStrata, recipientFrame } from './surveys.frame.ts';
import * as repo from './surveys.sample.repository.ts';
import { type Allocation, allocate, drawStratifiedSample } from './surveys.sampling.ts';
import { SURVEY_DESIGNERS, version } from './surveys.service.ts';
import { findWave, type Wave, waveState } from './surveys.waves.service.ts';

/** A sample larger than this is a census, not a survey; it also bounds one transaction's work. */
export const MAX_SAMPLE_SIZE = 20_000;
const MAX_SEED = 2 ** 31 - 1;

export interface SampleInput {
  size: number;
  strata: BackgroundKey[];
  allocation: Allocation;
  seed: number;
  /** Frame filter: districts (empty: the whole region). */
  districtIds: number[];
}

/** A fresh seed for the form (the designer may replace it to repeat a draw). */
export function randomSeed(): number {
  return randomInt(1, MAX_SEED);
}

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).map((x) => String(x).trim());

/** The form's fields as the designer typed them, to show again with errors. */
export interface SampleFormValues {
  size: string;
  strata: string[];
  allocation: string;
  seed: string;
  districts: string[];
}

export function formValues(body: Record<string, unknown>): SampleFormValues {
  return {
    size: String(body.size ?? '').trim(),
    strata: list(body.strata),
    allocation: String(body.allocation ?? '').trim(),
    seed: String(body.seed ?? '').trim(),
    districts: list(body.districts).filter(Boolean),
  };
}

/** Checks the form; field errors (message keys) as a ValidationError. */
export async function parseSampleInput(db: DbOrTrx, values: SampleFormValues): Promise<SampleInput> {
  const errors: Record<string, string> = {};
  const size = /^\d{1,9}$/.test(values.size) ? Number(values.size) : Number.NaN;
  if (values.size === '') errors.size = 'surveys.sample.error.sizeMissing';
  else if (!Number.isInteger(size) || size < 1 || size > MAX_SAMPLE_SIZE)
    errors.size = 'surveys.sample.error.size';
  const strata = BACKGROUND_KEYS.filter((k) => values.strata.includes(k));
  if (strata.length === 0 || strata.length !== new Set(values.strata).size)
    errors.strata = 'surveys.sample.error.strata';
  const allocation = values.allocation;
  if (allocation !== 'proportional' && allocation !== 'equal')
    errors.allocation = 'surveys.sample.error.allocation';
  const seed = /^\d{1,10}$/.test(values.seed) ? Number(values.seed) : Number.NaN;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) errors.seed = 'surveys.sample.error.seed';
  const districtIds = values.districts.map(Number);
  if (values.districts.length > 0) {
    const known = new Set((await listDistricts(db)).map((d) => d.id));
    if (districtIds.some((id) => !Number.isInteger(id) || !known.has(id)))
      errors.districts = 'surveys.sample.error.district';
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { size, strata, allocation: allocation as Allocation, seed, districtIds: [...new Set(districtIds)] };
}

/** The wave a sample may be drawn for: linked and not yet closed. Errors under the field "wave". */
export async function sampleableWave(
  db: DbOrTrx,
  actor: StaffActor,
  waveId: number,
  today: string,
): Promise<Wave> {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
  const wave = await findWave(db, waveId);
  if (wave.mode !== 'linked') throw new ValidationError({ wave: 'surveys.sample.error.anonymousWave' });
  if (waveState(wave, today) === 'closed')
    throw new ValidationError({ wave: 'surveys.sample.error.closedWave' });
  return wave;
}

export interface StratumPreview {
  /** Values of the stratum keys in the order of SampleInput.strata. */
  key: string[];
  population: number;
  allocated: number;
  /** How many fewer than its share the stratum could give (its population is too small). */
  shortfall: number;
}

export interface SamplePreview {
  wave: Wave;
  input: SampleInput;
  /** Residents in the frame (already invited ones excluded). */
  population: number;
  drawn: number;
  shortfall: number;
  strata: StratumPreview[];
}

/**
 * What each stratum lacks to give its share before capping (equal: size / strata; proportional:
 * size × its part of the frame): the strata too small for the allocation asked.
 */
function shortfalls(populations: readonly number[], input: SampleInput): number[] {
  const total = populations.reduce((a, b) => a + b, 0);
  return populations.map((p) => {
    const share =
      input.allocation === 'equal' ? input.size / populations.length : (input.size * p) / Math.max(total, 1);
    return Math.max(0, Math.round(share) - p);
  });
}

async function draw(db: DbOrTrx, waveId: number, input: SampleInput, today: string) {
  const frame = await recipientFrame(db, {
    districtIds: input.districtIds,
    excludeWaveId: waveId,
    onDate: today,
  });
  const sample = drawStratifiedSample(frame, {
    size: input.size,
    by: input.strata,
    allocation: input.allocation,
    seed: input.seed,
  });
  return { frame, sample };
}

/**
 * The allocation the draw will make, from the frame's counts alone (no ids leave the database):
 * strata in the order drawStratifiedSample sorts them, parts from the same `allocate`. Stores nothing.
 */
export async function previewSample(
  db: DbOrTrx,
  actor: StaffActor,
  waveId: number,
  input: SampleInput,
  options: { today?: string } = {},
): Promise<SamplePreview> {
  const today = options.today ?? regionToday();
  const wave = await sampleableWave(db, actor, waveId, today);
  const counts = await frameStrata(db, {
    districtIds: input.districtIds,
    excludeWaveId: waveId,
    onDate: today,
  });
  const byKey = new Map<string, { key: string[]; population: number }>();
  for (const c of counts) {
    const key = input.strata.map((k) => c.strata[k] ?? '');
    const name = JSON.stringify(key);
    const g = byKey.get(name) ?? { key, population: 0 };
    g.population += c.population;
    byKey.set(name, g);
  }
  const ordered = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const populations = ordered.map((g) => g.population);
  const parts = allocate(input.size, populations, input.allocation);
  const short = shortfalls(populations, input);
  const population = populations.reduce((a, b) => a + b, 0);
  const drawn = parts.reduce((a, b) => a + b, 0);
  return {
    wave,
    input,
    population,
    drawn,
    shortfall: input.size - drawn,
    strata: ordered.map((g, i) => ({
      key: g.key,
      population: g.population,
      allocated: parts[i]!,
      shortfall: short[i]!,
    })),
  };
}

/** A secret for an invitation link: 32 random bytes, base64url; only its SHA-256 (hex) is stored. */
export function newInvitationSecret(): { secret: string; sha256: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, sha256: invitationSecretHash(secret) };
}

export function invitationSecretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The absolute link of one invitation. */
export function invitationLink(baseUrl: string, waveToken: string, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/s/${waveToken}/i/${secret}`;
}

/** Minutes a questionnaire takes, roughly: 20 seconds a question, at least 5 minutes. */
export function estimatedMinutes(questionCount: number): number {
  return Math.max(5, Math.ceil(questionCount / 3));
}

export interface DrawOutcome {
  sampleId: number;
  invited: number;
  population: number;
}

/**
 * Draws the sample and invites every drawn resident, in the caller's transaction: the sample, the
 * invitations and the queued notifications commit together or not at all. The wave's row is locked
 * so two designers drawing at once cannot invite the same resident twice.
 */
export async function drawAndInvite(
  trx: Trx,
  actor: StaffActor,
  waveId: number,
  input: SampleInput,
  options: { baseUrl: string; ip?: string | null; today?: string },
): Promise<DrawOutcome> {
  const today = options.today ?? regionToday();
  const wave = await sampleableWave(trx, actor, waveId, today);
  await repo.lockWave(trx, waveId);
  const { frame, sample } = await draw(trx, waveId, input, today);
  if (sample.ids.length === 0) throw new ValidationError({ size: 'surveys.sample.error.emptyFrame' });
  const strataOf = new Map(frame.map((c) => [c.id, c.strata]));
  const frameFilter = { districtIds: input.districtIds, onDate: today };
  const sampleId = await repo.insertSample(trx, {
    wave_id: waveId,
    seed: input.seed,
    strata: input.strata,
    allocation: input.allocation,
    size: input.size,
    population: frame.length,
    frame: frameFilter,
    created_by: actor.userId,
  });
  const invitations = sample.ids.map((id) => {
    const { secret, sha256 } = newInvitationSecret();
    return { personId: Number(id), strata: { ...strataOf.get(id)! }, tokenSha256: sha256, secret };
  });
  await repo.insertInvitations(trx, waveId, sampleId, invitations);
  const form = (await version(trx, wave.versionId)).form;
  const count = [...questions(form.children)].filter((q) => q.question.type !== 'note').length;
  const minutes = estimatedMinutes(count);
  await notifyEach(
    trx,
    invitations.map((i) => ({
      personId: i.personId,
      event: 'survey_invitation' as const,
      params: {
        title: wave.title,
        minutes,
        until: wave.closesOn,
        link: invitationLink(options.baseUrl, wave.token, i.secret),
      },
    })),
  );
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'survey_sample.drawn',
    subject: { kind: 'survey_sample', id: sampleId },
    ip: options.ip ?? null,
    details: {
      waveId,
      invited: invitations.length,
      population: frame.length,
      size: input.size,
      seed: input.seed,
      strata: input.strata,
      allocation: input.allocation,
      frame: frameFilter,
    },
  });
  return { sampleId, invited: invitations.length, population: frame.length };
}

export interface InvitationRow {
  /** Values of the summary's keys. */
  key: string[];
  invited: number;
  started: number;
  completed: number;
}

export interface InvitationSummary {
  wave: Wave;
  /** The keys rows are grouped by: those the wave's samples were stratified by. */
  keys: BackgroundKey[];
  rows: InvitationRow[];
  total: Omit<InvitationRow, 'key'>;
  samples: Awaited<ReturnType<typeof repo.samplesOf>>;
}

/** Invitations of a wave by stratum: invited, started, completed (the response rate). No names. */
export async function invitationSummary(
  db: DbOrTrx,
  actor: StaffActor,
  waveId: number,
): Promise<InvitationSummary> {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
  const wave = await findWave(db, waveId);
  const [samples, counts] = await Promise.all([
    repo.samplesOf(db, waveId),
    repo.invitationCounts(db, waveId),
  ]);
  const used = new Set(samples.flatMap((s) => s.strata));
  const keys = BACKGROUND_KEYS.filter((k) => used.has(k));
  const groups = new Map<string, InvitationRow>();
  const total = { invited: 0, started: 0, completed: 0 };
  for (const c of counts) {
    const key = keys.map((k) => c.strata[k] ?? '');
    const name = JSON.stringify(key);
    const row = groups.get(name) ?? { key, invited: 0, started: 0, completed: 0 };
    row.invited += c.invited;
    row.started += c.started;
    row.completed += c.completed;
    groups.set(name, row);
    total.invited += c.invited;
    total.started += c.started;
    total.completed += c.completed;
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  return { wave, keys, rows, total, samples };
}
