// Unsubscribe links: /unsubscribe/<person id in base 36>.<HMAC-SHA256 of it under the app's secret,
// 128 bits, base64url>. Short enough for an SMS; a changed id or signature is refused.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOKEN = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

function mac(secret: string, id: number): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe:${id}`).digest().subarray(0, 16);
}

export function unsubscribeToken(secret: string, personId: number): string {
  return `${personId.toString(36)}.${mac(secret, personId).toString('base64url')}`;
}

/** The person the token was made for, or undefined when it was not made with this secret. */
export function verifyUnsubscribeToken(secret: string, token: string): number | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const id = Number.parseInt(match[1]!, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(secret, id);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

export function unsubscribeUrl(baseUrl: string, secret: string, personId: number): string {
  return `${baseUrl.replace(/\/+$/, '')}/unsubscribe/${unsubscribeToken(secret, personId)}`;
}
