// What the interagency exchange does to a case: it waits for agencies, receives their documents,
// and moves on when every answer is in. Called by modules/interagency in its own transactions.
import { record } from '../../platform/audit/audit.service.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import * as repo from './applications.repository.ts';
import type { ApplicationState } from './applications.schema.ts';
import { canTake, TRANSITIONS } from './applications.states.ts';

async function systemStep(
  trx: Trx,
  app: { id: number; district_id: number },
  kind: string,
  from: ApplicationState | null,
  to: ApplicationState | null,
  details: Record<string, unknown>,
) {
  await repo.insertEvent(trx, {
    application_id: app.id,
    appeal_id: null,
    actor_kind: 'system',
    actor_id: null,
    kind,
    from_state: from,
    to_state: to,
    visible_to_resident: from !== to && to !== null,
    details,
  });
  await record(trx, {
    actor: { kind: 'system', id: null },
    action: `application.${kind}`,
    subject: { kind: 'application', id: app.id },
    districtId: app.district_id,
    ip: null,
    details: { from, to, ...details },
  });
}

/** Where a case stands, for the exchange (ids and the state only). */
export async function caseForInteragency(db: DbOrTrx, id: number) {
  const app = await repo.findApplication(db, id);
  return (
    app && {
      id: app.id,
      state: app.state,
      district_id: app.district_id,
      person_id: app.person_id,
      version: app.version,
    }
  );
}

/**
 * The case waits for agencies' answers (request_interagency), due on `dueOn`. A case that cannot
 * wait now (already waiting for the resident, decided) keeps its state; the requests still go out.
 */
export async function awaitAgencies(
  trx: Trx,
  id: number,
  dueOn: string,
  requestTypes: string[],
): Promise<void> {
  await repo.lockApplication(trx, id);
  const app = await repo.findApplication(trx, id);
  if (!app) return;
  const to = TRANSITIONS.request_interagency.to;
  const moving = canTake('request_interagency', app.state);
  if (moving) await repo.updateApplication(trx, id, app.version, { state: to, interagency_due_on: dueOn });
  await systemStep(trx, app, 'request_interagency', app.state, moving ? to : app.state, {
    deadline: dueOn,
    requests: requestTypes,
    automatic: true,
  });
}

/** An agency's answer, stored already (content-addressed), becomes a document of the case. */
export async function attachAgencyDocument(
  trx: Trx,
  id: number,
  doc: {
    measureDocumentId: number | null;
    title: string;
    sha256: string;
    size: number;
    filename: string;
    agency: string;
  },
): Promise<number> {
  const app = await repo.findApplication(trx, id);
  if (!app) throw new Error(`application ${id} not found`);
  const documentId = await repo.insertDocument(trx, {
    application_id: id,
    measure_document_id: doc.measureDocumentId,
    title: doc.title,
    source: 'agency',
    sha256: doc.sha256,
    size: doc.size,
    content_type: 'application/pdf',
    filename: doc.filename,
    added_by_staff: null,
  });
  await systemStep(trx, app, 'agency_document', null, null, {
    agency: doc.agency,
    document: documentId,
    title: doc.title,
  });
  return documentId;
}

/** An agency could not answer (e.g. no record of the person): noted on the case for the specialist. */
export async function noteAgencyError(
  trx: Trx,
  id: number,
  agency: string,
  code: string,
  text: string,
): Promise<void> {
  const app = await repo.findApplication(trx, id);
  if (app) await systemStep(trx, app, 'agency_error', null, null, { agency, code, text });
}

/**
 * Serialises the exchange's work on one case: answers to two requests of the same case are taken in
 * parallel, and each must see the other's committed status before deciding the case is settled.
 */
export async function lockCaseForAgencies(trx: Trx, id: number): Promise<void> {
  await repo.lockApplication(trx, id);
}

/** Every request of the case is settled: the case goes on to review (documents_received). */
export async function agenciesAnswered(trx: Trx, id: number): Promise<boolean> {
  await repo.lockApplication(trx, id);
  const app = await repo.findApplication(trx, id);
  if (app?.state !== 'waiting_interagency') return false;
  const to = TRANSITIONS.documents_received.to;
  await repo.updateApplication(trx, id, app.version, { state: to });
  await systemStep(trx, app, 'documents_received', app.state, to, { automatic: true });
  return true;
}
