// Time-based one-time passwords (RFC 6238) for the optional second factor of staff sign-in.
import { Secret, TOTP } from 'otpauth';

const totpFor = (secretBase32: string, label = 'staff') =>
  new TOTP({
    issuer: 'Opora',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, login: string): string {
  return totpFor(secretBase32, login).toString();
}

/** Accepts the current code and the one either side, to forgive a slow phone clock. */
export function verifyTotp(secretBase32: string, code: string, at = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secretBase32).validate({ token: code, timestamp: at, window: 1 }) !== null;
}

export function currentTotp(secretBase32: string, at = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: at });
}
