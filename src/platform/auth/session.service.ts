// Sessions live in PostgreSQL so any instance can serve any request. The cookie holds a random
// token; the database keeps only its SHA-256, so a leaked table grants nothing.
import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../db/database.ts';
import type { SessionKind } from '../db/platform.schema.ts';
import type { Actor } from './actor.ts';
import * as repo from './session.repository.ts';

export const SESSION_COOKIE = 'opora_session';
const IDLE_MINUTES: Record<SessionKind, number> = { staff: 60, resident: 30 };
const ABSOLUTE_HOURS = 12;
/** Sliding expiry is written at most once a minute, not on every request. */
export const TOUCH_EVERY_MS = 60_000;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface StartSession {
  kind: SessionKind;
  staffUserId?: number;
  residentAccountId?: number;
  mfaPending?: boolean;
  ip: string | null;
  userAgent: string | null;
}

export async function startSession(db: DbOrTrx, s: StartSession): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.insertSession(db, {
    ...s,
    id: sessionIdOf(token),
    mfaPending: s.mfaPending ?? false,
    expiresAt: new Date(Date.now() + IDLE_MINUTES[s.kind] * 60_000),
  });
  return token;
}

export interface LoadedSession {
  actor: Actor;
  /** Password accepted, TOTP code still due. */
  mfaPending: boolean;
}

type SessionRow = Awaited<ReturnType<typeof repo.findLiveSessions>>[number];
interface Lookups {
  waiting: Map<
    string,
    Array<{ resolve: (row: SessionRow | undefined) => void; reject: (e: unknown) => void }>
  >;
  running: boolean;
}
const lookups = new WeakMap<DbOrTrx, Lookups>();

/**
 * Every request looks its session up: lookups that arrive while one query runs share the next query
 * (one round trip for many requests under load). Each query starts after its requests arrived, so a
 * session ended before a request is never found for it.
 */
function findLiveSession(db: DbOrTrx, id: string): Promise<SessionRow | undefined> {
  let l = lookups.get(db);
  if (!l) {
    l = { waiting: new Map(), running: false };
    lookups.set(db, l);
  }
  const state = l;
  return new Promise((resolve, reject) => {
    const list = state.waiting.get(id) ?? [];
    list.push({ resolve, reject });
    state.waiting.set(id, list);
    if (state.running) return;
    state.running = true;
    void (async () => {
      while (state.waiting.size > 0) {
        const batch = state.waiting;
        state.waiting = new Map();
        try {
          const rows = new Map((await repo.findLiveSessions(db, [...batch.keys()])).map((r) => [r.id, r]));
          for (const [key, waiters] of batch) for (const w of waiters) w.resolve(rows.get(key));
        } catch (e) {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
        }
      }
      state.running = false;
    })();
  });
}

interface Touches {
  due: Map<string, Date>;
  /** Settles when every touch asked for so far is written (or has failed and been reported). */
  written: Promise<void>;
}
const touches = new WeakMap<DbOrTrx, Touches>();

/**
 * Extends a session's idle expiry off the request's path: the request does not wait for the write
 * (a commit of its own, flushed to disk), and the sessions that come due together share one
 * statement; sessions made at the same moment (a morning's sign-ins) all come due a minute later. A
 * touch that fails is reported and tried again by the session's next request, as the row still says
 * it is due.
 */
function touchSession(db: DbOrTrx, id: string, expiresAt: Date): void {
  let t = touches.get(db);
  if (!t) {
    t = { due: new Map(), written: Promise.resolve() };
    touches.set(db, t);
  }
  const state = t;
  const idle = state.due.size === 0;
  state.due.set(id, expiresAt);
  if (!idle) return;
  state.written = state.written.then(async () => {
    const due = [...state.due].map(([id, expiresAt]) => ({ id, expiresAt }));
    state.due = new Map();
    try {
      await repo.extendSessions(db, due);
    } catch (e) {
      process.stderr.write(`[sessions] extending ${due.length} session(s) failed: ${(e as Error).message}\n`);
    }
  });
}

/** Waits for the session touches asked for so far (tests, and a server that stops). */
export async function touchesWritten(db: DbOrTrx): Promise<void> {
  await touches.get(db)?.written;
}

export async function loadSession(db: DbOrTrx, token: string): Promise<LoadedSession | undefined> {
  const id = sessionIdOf(token);
  const row = await findLiveSession(db, id);
  if (!row) return undefined;
  const now = Date.now();
  if (now - row.created_at.getTime() > ABSOLUTE_HOURS * 3_600_000) {
    await repo.deleteSession(db, id);
    return undefined;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS)
    touchSession(db, id, new Date(now + IDLE_MINUTES[row.kind] * 60_000));
  if (row.kind === 'staff') {
    if (row.staff_user_id == null) return undefined; // user disabled since sign-in
    return {
      mfaPending: row.mfa_pending,
      actor: {
        kind: 'staff',
        userId: row.staff_user_id,
        login: row.login!,
        fullName: row.full_name!,
        role: row.role!,
        districtIds: row.district_ids,
        sessionId: id,
      },
    };
  }
  return {
    mfaPending: false,
    actor: { kind: 'resident', accountId: row.resident_account_id!, personId: row.person_id!, sessionId: id },
  };
}

export const completeMfa = repo.completeMfa;
export const endSession = repo.deleteSession;
/** "Sign out everywhere": ends every session of the user, on every device and instance. */
export const endAllStaffSessions = repo.deleteStaffSessions;
export const endAllResidentSessions = repo.deleteResidentSessions;
export const deleteExpiredSessions = repo.deleteExpired;
