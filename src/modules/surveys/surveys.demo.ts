// What the demo (src/demo/demo.surveys.ts) needs of the surveys module beyond its services: the
// invited residents of a wave, and answers written as complete responses without the page-by-page
// walk (they are checked against the form by the caller first).
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { Answers } from './surveys.answers.ts';
import * as responses from './surveys.responses.repository.ts';
import { invitationsOfWave } from './surveys.sample.repository.ts';

export async function demoInvitations(db: DbOrTrx, waveId: number) {
  return await invitationsOfWave(db, waveId);
}

export async function insertDemoResponse(
  trx: Trx,
  r: {
    waveId: number;
    versionId: number;
    invitation: { id: number; person_id: number; strata: Record<string, string> };
    interviewerId: number | null;
    answers: Answers;
    complete: boolean;
  },
): Promise<number> {
  const id = await responses.insertResponse(trx, {
    wave_id: r.waveId,
    version_id: r.versionId,
    channel: r.interviewerId === null ? 'portal' : 'interviewer',
    person_id: r.invitation.person_id,
    invitation_id: r.invitation.id,
    interviewer_id: r.interviewerId,
    background: r.invitation.strata,
    resume_sha256: null,
  });
  if (r.complete) await responses.completeResponse(trx, id, r.answers);
  else await responses.saveAnswers(trx, id, r.answers, 1);
  return id;
}
