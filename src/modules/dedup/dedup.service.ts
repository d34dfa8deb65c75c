// Reviewing duplicate pairs: the list in the specialist's districts, the audited side-by-side read,
// "not a duplicate", and the merge and its undo — each one transaction, each audited.
import { record } from '../../platform/audit/audit.service.ts';
import { inScope, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { Trx } from '../../platform/db/database.ts';
import { AppError, AuditedRefusal, notFound } from '../../platform/errors.ts';
import { lockPersons, personForReview, removePerson, restorePerson } from '../registry/registry.merge.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { PERSON_REFERENCES } from './dedup.merge.ts';
import * as repo from './dedup.repository.ts';

/** Roles that review and merge records (they work with individual residents). */
export const REVIEWERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];

export const PAGE_SIZE = 50;

const staff = (actor: StaffActor) => ({ kind: 'staff' as const, id: actor.userId });

/** The pending pairs a reviewer may work on, with the count; the list of names is audited as one read. */
export async function pendingList(trx: Trx, actor: StaffActor, page: number, ip: string) {
  const scope = scopeOf(actor);
  const total = await repo.countPendingPairs(trx, scope);
  const pairs = await repo.pendingPairs(trx, scope, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.list',
    ip,
    details: { reason: 'duplicate_review', page, shown: pairs.length },
  });
  return { total, pairs };
}

function refusal(actor: StaffActor, what: string, id: number, ip: string, action: string) {
  return new AuditedRefusal(notFound(what), {
    actor: staff(actor),
    action,
    subject: { kind: what === 'Merge' ? 'dedup_merge' : 'dedup_candidate', id },
    ip,
  });
}

/**
 * Both records of a pair, side by side: allowed when either record is in the reader's districts
 * (the pair is one piece of work), each read audited with the reason.
 */
export async function pairForReview(trx: Trx, actor: StaffActor, candidateId: number, ip: string) {
  const candidate = await repo.findCandidate(trx, candidateId);
  if (!candidate) throw notFound('Pair');
  const a = await personForReview(trx, candidate.person_a);
  const b = await personForReview(trx, candidate.person_b);
  if (!a || !b) throw new AppError('pair_gone', 404, 'One of the records of this pair no longer exists');
  const scope = scopeOf(actor);
  if (!inScope(scope, a.person.district_id) && !inScope(scope, b.person.district_id))
    throw refusal(actor, 'Pair', candidateId, ip, 'dedup.pair.read.denied');
  for (const p of [a.person, b.person])
    await record(trx, {
      actor: staff(actor),
      action: 'person.read',
      subject: { kind: 'person', id: p.id },
      districtId: p.district_id,
      ip,
      details: { reason: 'duplicate_review', candidate: candidateId },
    });
  return { candidate, a, b };
}

export type PairForReview = Awaited<ReturnType<typeof pairForReview>>;

async function pendingInScope(trx: Trx, actor: StaffActor, candidateId: number, ip: string) {
  const candidate = await repo.findCandidate(trx, candidateId, true);
  if (!candidate) throw notFound('Pair');
  const persons = await lockPersons(trx, [candidate.person_a, candidate.person_b]);
  const scope = scopeOf(actor);
  if (persons.length > 0 && !persons.some((p) => inScope(scope, p.district_id)))
    throw refusal(actor, 'Pair', candidateId, ip, 'dedup.pair.write.denied');
  if (candidate.status !== 'pending')
    throw new AppError('pair_reviewed', 409, 'This pair has already been reviewed');
  if (persons.length !== 2)
    throw new AppError('pair_gone', 404, 'One of the records of this pair no longer exists');
  return { candidate, persons };
}

export async function markNotDuplicate(trx: Trx, actor: StaffActor, candidateId: number, ip: string) {
  const { candidate, persons } = await pendingInScope(trx, actor, candidateId, ip);
  await repo.setCandidateStatus(trx, candidateId, 'not_duplicate', actor.userId);
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.not_duplicate',
    subject: { kind: 'dedup_candidate', id: candidateId },
    districtId: persons[0]?.district_id ?? null,
    ip,
    details: { persons: [candidate.person_a, candidate.person_b] },
  });
}

/**
 * Merges the pair into `survivorId`: every module moves the duplicate's rows (recording which),
 * the duplicate's row is kept whole in the merge record and deleted. One transaction.
 */
export async function mergePair(
  trx: Trx,
  actor: StaffActor,
  candidateId: number,
  survivorId: number,
  ip: string,
): Promise<number> {
  const { candidate, persons } = await pendingInScope(trx, actor, candidateId, ip);
  if (survivorId !== candidate.person_a && survivorId !== candidate.person_b)
    throw new AppError('invalid_survivor', 422, 'The record to keep must be one of the pair');
  const duplicateId = survivorId === candidate.person_a ? candidate.person_b : candidate.person_a;
  const moved: Record<string, unknown> = {};
  for (const part of PERSON_REFERENCES) {
    const did = await part.move(trx, duplicateId, survivorId);
    if (did) moved[part.name] = did;
  }
  const duplicateRow = await removePerson(trx, duplicateId);
  const mergeId = await repo.insertMerge(trx, {
    candidate_id: candidateId,
    survivor_id: survivorId,
    duplicate_id: duplicateId,
    district_ids: [...new Set(persons.map((p) => p.district_id))],
    duplicate_row: duplicateRow,
    moved,
    merged_by: actor.userId,
  });
  await repo.setCandidateStatus(trx, candidateId, 'merged', actor.userId);
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.merge',
    subject: { kind: 'person', id: survivorId },
    districtId: persons.find((p) => p.id === survivorId)?.district_id ?? null,
    ip,
    details: { merge: mergeId, candidate: candidateId, survivor: survivorId, duplicate: duplicateId, moved },
  });
  return mergeId;
}

/** A live merge for the undo page (names of both records), audited as a read. */
export async function mergeForUndo(trx: Trx, actor: StaffActor, mergeId: number, ip: string) {
  const merge = await repo.findMerge(trx, mergeId);
  if (!merge) throw notFound('Merge');
  if (!merge.district_ids.some((d) => inScope(scopeOf(actor), d)))
    throw refusal(actor, 'Merge', mergeId, ip, 'dedup.merge.read.denied');
  const [row] = await repo.liveMerges(trx, { all: true }, 1, mergeId);
  if (!row) throw new AppError('merge_undone', 409, 'This merge has already been undone');
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.merge.read',
    subject: { kind: 'dedup_merge', id: mergeId },
    ip,
    details: { reason: 'duplicate_review', survivor: merge.survivor_id, duplicate: merge.duplicate_id },
  });
  return row;
}

/**
 * Undoes a merge: the duplicate comes back with its id and every value, and exactly the rows that
 * moved go back to it (in reverse order). Refused if any of them has changed owner since.
 */
export async function undoMerge(trx: Trx, actor: StaffActor, mergeId: number, ip: string): Promise<void> {
  const merge = await repo.findMerge(trx, mergeId, true);
  if (!merge) throw notFound('Merge');
  const scope = scopeOf(actor);
  if (!merge.district_ids.some((d) => inScope(scope, d)))
    throw refusal(actor, 'Merge', mergeId, ip, 'dedup.merge.undo.denied');
  if (merge.undone_at) throw new AppError('merge_undone', 409, 'This merge has already been undone');
  const survivor = await lockPersons(trx, [merge.survivor_id]);
  if (survivor.length === 0)
    throw new AppError(
      'merge_undo_conflict',
      409,
      'The kept record no longer exists (merged again?); undo that merge first',
    );
  await restorePerson(trx, merge.duplicate_row);
  const moved = merge.moved as Record<string, Record<string, unknown>>;
  for (const part of [...PERSON_REFERENCES].reverse()) {
    const did = moved[part.name];
    if (did) await part.undo(trx, did, merge.duplicate_id, merge.survivor_id);
  }
  await repo.markUndone(trx, mergeId, actor.userId);
  await repo.setCandidateStatus(trx, merge.candidate_id, 'pending', null);
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.merge.undo',
    subject: { kind: 'person', id: merge.duplicate_id },
    districtId: survivor[0]?.district_id ?? null,
    ip,
    details: {
      merge: mergeId,
      candidate: merge.candidate_id,
      survivor: merge.survivor_id,
      duplicate: merge.duplicate_id,
    },
  });
}

export async function mergedList(trx: Trx, actor: StaffActor, ip: string) {
  const merges = await repo.liveMerges(trx, scopeOf(actor), 100);
  await record(trx, {
    actor: staff(actor),
    action: 'dedup.merged.list',
    ip,
    details: { reason: 'duplicate_review', shown: merges.length },
  });
  return merges;
}

export { type DedupRun, runDedup } from './dedup.detect.ts';
export type { MergeRow, PairRow } from './dedup.repository.ts';
