// The simulated state portal's accounts: who a SNILS belongs to, and what the portal says about them.
import { createHmac } from 'node:crypto';

export interface EsiaAccount {
  /** 11 digits, no separators. */
  snils: string;
  family_name: string;
  given_name: string;
  middle_name?: string;
  /** YYYY-MM-DD */
  birthdate: string;
  gender: 'male' | 'female';
  email?: string;
}

export type LookupBySnils = (snils: string) => Promise<EsiaAccount | undefined>;

/** Claims per scope, as the real portal groups them; `snils` is its own scope. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'birthdate', 'gender'],
  email: ['email'],
  snils: ['snils'],
};

/**
 * The subject is opaque and stable: an HMAC of the SNILS under a fixed key, so it survives restarts
 * (the relying party keys accounts by it) but does not reveal the SNILS.
 */
export function subjectFor(snils: string, key: string): string {
  return createHmac('sha256', key).update(`snils:${snils}`).digest('base64url');
}

export function claimsOf(sub: string, a: EsiaAccount): Record<string, unknown> {
  const name = [a.family_name, a.given_name, a.middle_name].filter(Boolean).join(' ');
  return {
    sub,
    name,
    family_name: a.family_name,
    given_name: a.given_name,
    middle_name: a.middle_name,
    birthdate: a.birthdate,
    gender: a.gender,
    email: a.email,
    snils: a.snils,
  };
}

/** "112-233-445 95" or "11223344595" → "11223344595"; anything else → undefined. */
export function snilsFromInput(input: string): string | undefined {
  const trimmed = input.trim();
  if (!/^[\d\s-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length === 11 ? digits : undefined;
}
