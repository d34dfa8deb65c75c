// Resident sign-in through ESIA (Gosuslugi), the resident's own profile, and signing out.
import { record } from '../../platform/audit/audit.service.ts';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import {
  endAllResidentSessions,
  endSession,
  sessionIdOf,
  startSession,
} from '../../platform/auth/session.service.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { categoryTitles } from '../catalog/catalog.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { createPerson, findPersonBySnilsDigits, personForResident } from '../registry/registry.service.ts';
import { type EsiaClaims, type EsiaClient, newPendingLogin, SignInError } from './residents.oidc.ts';
import * as repo from './residents.repository.ts';

/** A sign-in must come back from the portal within this time. */
export const LOGIN_TTL_SECONDS = 15 * 60;
/** Residents the registry does not know yet are placed in the regional capital until staff correct it. */
export const CAPITAL_DISTRICT_CODE = 'volgograd';

interface Client {
  ip: string;
  userAgent: string | null;
}

/** Begins a sign-in: remembers state, nonce and PKCE verifier in the database, for any instance. */
export async function startSignIn(db: DbOrTrx, esia: EsiaClient, returnTo: string) {
  const login = newPendingLogin();
  const url = await esia.authorizationUrl(login); // first: if the portal is down, nothing is stored
  await repo.insertLogin(db, {
    state: login.state,
    nonce: login.nonce,
    code_verifier: login.codeVerifier,
    return_to: returnTo,
  });
  return { url, state: login.state };
}

export interface Callback extends Client {
  query: URLSearchParams;
  /** The state this browser started with (from its cookie): binds the callback to the browser. */
  browserState: string | undefined;
  /** A session the browser already had; replaced, so a planted session id is worthless. */
  previousToken: string | undefined;
}

export async function finishSignIn(db: Db, esia: EsiaClient, cb: Callback) {
  const state = cb.query.get('state');
  if (!state || state !== cb.browserState)
    throw new SignInError('invalid', 'state missing or from another browser');
  const login = await repo.takeLogin(db, state);
  if (!login || Date.now() - login.created_at.getTime() > LOGIN_TTL_SECONDS * 1000) {
    throw new SignInError('invalid', 'unknown, used or expired state');
  }
  const error = cb.query.get('error');
  if (error)
    throw new SignInError(error === 'access_denied' ? 'cancelled' : 'refused', `provider said ${error}`);
  const claims = await esia.exchange(cb.query, {
    state,
    nonce: login.nonce,
    codeVerifier: login.code_verifier,
  });
  const token = await db
    .transaction()
    .execute((trx) => signIn(trx, claims, cb))
    .catch((e: unknown) => {
      // The subject already belongs to another person's account: refuse rather than guess.
      if ((e as { code?: string }).code === '23505')
        throw new SignInError('refused', 'subject taken', { cause: e });
      throw e;
    });
  if (cb.previousToken) await endSession(db, sessionIdOf(cb.previousToken));
  return { token, returnTo: login.return_to };
}

async function signIn(trx: Trx, claims: EsiaClaims, client: Client): Promise<string> {
  const person = await personFor(trx, claims);
  const account = await repo.upsertAccount(trx, person.id, claims.sub);
  await record(trx, {
    actor: { kind: 'resident', id: account.id },
    action: 'resident.sign_in',
    subject: { kind: 'person', id: person.id },
    districtId: person.districtId,
    ip: client.ip,
    details: { personCreated: person.created, accountCreated: account.created },
  });
  return await startSession(trx, { kind: 'resident', residentAccountId: account.id, ...client });
}

/** The registry's person with this SNILS; one is created from the portal's data if there is none. */
async function personFor(trx: Trx, c: EsiaClaims) {
  const found = await findPersonBySnilsDigits(trx, c.snils);
  if (found) return { id: found.id, districtId: found.district_id, created: false };
  const districtId = await capitalDistrictId(trx);
  const id = await createPerson(trx, {
    snils: c.snils,
    last_name: c.lastName,
    first_name: c.firstName,
    patronymic: c.patronymic,
    birth_date: c.birthDate,
    sex: c.sex,
    district_id: districtId,
    address: '',
    email: c.email,
  });
  return { id, districtId, created: true };
}

async function capitalDistrictId(db: DbOrTrx): Promise<number> {
  try {
    const [id] = await districtIdsByCodes(db, [CAPITAL_DISTRICT_CODE]);
    return id!;
  } catch (cause) {
    throw new Error(`District "${CAPITAL_DISTRICT_CODE}" (the regional capital) is missing`, { cause });
  }
}

export async function residentProfile(db: DbOrTrx, actor: ResidentActor) {
  const [{ person, household }, titles] = await Promise.all([
    personForResident(db, actor.personId),
    categoryTitles(db),
  ]);
  return { person, household, categoryTitles: titles };
}

export async function signOut(db: DbOrTrx, actor: ResidentActor): Promise<void> {
  await endSession(db, actor.sessionId);
}

/** Ends every session of the resident, on every device and instance. */
export async function signOutEverywhere(db: Db, actor: ResidentActor, ip: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await endAllResidentSessions(trx, actor.accountId);
    await record(trx, {
      actor: { kind: 'resident', id: actor.accountId },
      action: 'resident.sign_out_everywhere',
      subject: { kind: 'person', id: actor.personId },
      ip,
      details: { sessions: ended },
    });
  });
}

export const deleteStaleLogins = (db: DbOrTrx, before: Date) => repo.deleteLoginsBefore(db, before);
