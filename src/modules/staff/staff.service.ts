// Staff accounts and sign-in: Argon2id passwords, optional TOTP, lockout after repeated failures.

import { record, recordNow } from '../../platform/audit/audit.service.ts';
import { REGION_WIDE_ROLES } from '../../platform/auth/actor.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/password.ts';
import * as sessions from '../../platform/auth/session.service.ts';
import { newTotpSecret, verifyTotp } from '../../platform/auth/totp.ts';
import type { Db, DbOrTrx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import * as repo from './staff.repository.ts';
import type { StaffRole } from './staff.schema.ts';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;
export const STAFF_ROLES: readonly StaffRole[] = [
  'specialist',
  'district_head',
  'ministry_analyst',
  'administrator',
  'researcher',
];

interface Client {
  ip: string;
  userAgent: string | null;
}

export type SignInResult =
  | { outcome: 'signed_in'; token: string }
  | { outcome: 'code_required'; token: string }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; minutesLeft: number };

export async function signIn(db: Db, login: string, password: string, client: Client): Promise<SignInResult> {
  const user = await repo.findByLogin(db, login.toLowerCase());
  // Unknown logins cost the same as known ones, so timing does not tell which exist.
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  const now = Date.now();
  if (user?.locked_until && user.locked_until.getTime() > now) {
    await recordNow(db, {
      actor: { kind: 'anonymous' },
      action: 'staff.sign_in.locked',
      subject: { kind: 'staff_user', id: user.id },
      ip: client.ip,
    });
    return { outcome: 'locked', minutesLeft: Math.ceil((user.locked_until.getTime() - now) / 60_000) };
  }
  if (!user || user.is_disabled || !ok) {
    if (user) {
      const failures = await repo.recordFailure(
        db,
        user.id,
        MAX_FAILED_ATTEMPTS,
        new Date(now + LOCK_MINUTES * 60_000),
      );
      await recordNow(db, {
        actor: { kind: 'anonymous' },
        action: 'staff.sign_in.failed',
        subject: { kind: 'staff_user', id: user.id },
        ip: client.ip,
        details: { failures },
      });
      if (failures >= MAX_FAILED_ATTEMPTS) return { outcome: 'locked', minutesLeft: LOCK_MINUTES };
    }
    return { outcome: 'invalid' };
  }
  const mfaPending = user.totp_secret !== null;
  const token = await db.transaction().execute(async (trx) => {
    // The failure count resets only when the whole sign-in, second factor included, succeeds.
    if (!mfaPending) await repo.resetFailures(trx, user.id);
    await record(trx, {
      actor: { kind: 'staff', id: user.id },
      action: mfaPending ? 'staff.sign_in.password_ok' : 'staff.sign_in',
      ip: client.ip,
    });
    return await sessions.startSession(trx, { kind: 'staff', staffUserId: user.id, mfaPending, ...client });
  });
  return mfaPending ? { outcome: 'code_required', token } : { outcome: 'signed_in', token };
}

/** Second step: the TOTP code for a session whose password was accepted. */
export async function completeSecondFactor(
  db: Db,
  pending: { sessionId: string; userId: number },
  code: string,
  ip: string,
): Promise<'ok' | 'invalid' | 'locked'> {
  const user = await repo.findById(db, pending.userId);
  if (!user?.totp_secret) return 'invalid';
  if (verifyTotp(user.totp_secret, code)) {
    await db.transaction().execute(async (trx) => {
      await repo.resetFailures(trx, user.id);
      await sessions.completeMfa(trx, pending.sessionId);
      await record(trx, {
        actor: { kind: 'staff', id: user.id },
        action: 'staff.sign_in',
        ip,
        details: { mfa: true },
      });
    });
    return 'ok';
  }
  const failures = await repo.recordFailure(
    db,
    user.id,
    MAX_FAILED_ATTEMPTS,
    new Date(Date.now() + LOCK_MINUTES * 60_000),
  );
  await recordNow(db, {
    actor: { kind: 'anonymous' },
    action: 'staff.sign_in.code_failed',
    subject: { kind: 'staff_user', id: user.id },
    ip,
  });
  if (failures >= MAX_FAILED_ATTEMPTS) {
    await sessions.endAllStaffSessions(db, user.id);
    return 'locked';
  }
  return 'invalid';
}

export interface CreateStaffUser {
  login: string;
  fullName: string;
  email?: string | null;
  role: StaffRole;
  password: string;
  districtCodes: string[];
}

/** Validates everything first, then writes the user and their districts in one transaction. */
export async function createStaffUser(db: Db, input: CreateStaffUser): Promise<number> {
  const login = input.login.toLowerCase();
  if (!/^[a-z0-9._-]{3,40}$/.test(login))
    throw new AppError('invalid_login', 422, 'Login: 3–40 latin letters, digits, . _ -');
  if (!STAFF_ROLES.includes(input.role))
    throw new AppError('invalid_role', 422, `Unknown role: ${input.role}`);
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError(problem, 422, 'Password must be 12 to 200 characters long');
  const regionWide = REGION_WIDE_ROLES.includes(input.role);
  if (!regionWide && input.districtCodes.length === 0) {
    throw new AppError(
      'district_required',
      422,
      `Role ${input.role} works in districts: give at least one district`,
    );
  }
  const districtIds = regionWide ? [] : await districtIdsByCodes(db, input.districtCodes);
  if (await repo.findByLogin(db, login)) throw new AppError('login_taken', 409, `Login ${login} is taken`);
  const user = {
    login,
    full_name: input.fullName,
    email: input.email ?? null,
    role: input.role,
    password_hash: await hashPassword(input.password),
  };
  return await db.transaction().execute(async (trx) => {
    const id = await repo.insertUser(trx, user, districtIds);
    await record(trx, {
      actor: { kind: 'system' },
      action: 'staff.created',
      subject: { kind: 'staff_user', id },
      details: { role: input.role, login },
    });
    return id;
  });
}

export async function staffProfile(db: DbOrTrx, id: number) {
  const user = await repo.findById(db, id);
  if (!user) throw new AppError('not_found', 404, 'Staff user not found');
  return {
    login: user.login,
    fullName: user.full_name,
    role: user.role,
    totpEnabled: user.totp_secret !== null,
  };
}

/** Enrolment: a new secret is shown to the user and saved only once they prove their app has it. */
export const proposeTotpSecret = newTotpSecret;

export async function enableTotp(db: Db, userId: number, secret: string, code: string): Promise<boolean> {
  if (!/^[A-Z2-7]{16,64}$/.test(secret) || !verifyTotp(secret, code)) return false;
  await db.transaction().execute(async (trx) => {
    await repo.setTotpSecret(trx, userId, secret);
    await record(trx, { actor: { kind: 'staff', id: userId }, action: 'staff.totp.enabled' });
  });
  return true;
}

export async function signOutEverywhere(db: Db, userId: number, ip: string): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const ended = await sessions.endAllStaffSessions(trx, userId);
    await record(trx, {
      actor: { kind: 'staff', id: userId },
      action: 'staff.sign_out_everywhere',
      ip,
      details: { ended },
    });
    return ended;
  });
}

export const listStaffUsers = repo.listUsers;

export interface StaffMember {
  id: number;
  fullName: string;
  role: StaffRole;
  districtIds: number[];
}

/** A staff member as other modules need them (who decided, whom to assign); undefined if disabled or absent. */
export async function staffMember(db: DbOrTrx, id: number): Promise<StaffMember | undefined> {
  const user = await repo.findById(db, id);
  if (!user || user.is_disabled) return undefined;
  return { id, fullName: user.full_name, role: user.role, districtIds: await repo.userDistricts(db, id) };
}

/** Specialists and heads working in these districts, one entry per person. */
export async function staffOfDistricts(db: DbOrTrx, districtIds: number[]): Promise<StaffMember[]> {
  const byId = new Map<number, StaffMember>();
  for (const r of await repo.usersInDistricts(db, districtIds)) {
    if (r.role !== 'specialist' && r.role !== 'district_head') continue;
    const m = byId.get(r.id) ?? { id: r.id, fullName: r.full_name, role: r.role, districtIds: [] };
    m.districtIds.push(r.district_id);
    byId.set(r.id, m);
  }
  return [...byId.values()];
}
