// Argon2id password hashes in PHC string form, with OWASP's minimum parameters (19 MiB, 2 passes).
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);
const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };

async function derive(password: string, salt: Buffer, p: typeof PARAMS): Promise<Buffer> {
  return await argon2Async('argon2id', { message: password, nonce: salt, ...p });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${b64(salt)}$${b64(hash)}`;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return false;
  const [, m, t, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const actual = await derive(password, Buffer.from(salt!, 'base64'), {
    memory: Number(m),
    passes: Number(t),
    parallelism: Number(p),
    tagLength: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

/** Rules for staff passwords: long rather than complex (NIST SP 800-63B). */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'password_too_short';
  if (password.length > 200) return 'password_too_long';
  return undefined;
}

/** A hash to compare against when the login is unknown, so timing does not reveal which logins exist. */
export const DUMMY_HASH = await hashPassword(randomBytes(12).toString('hex'));
