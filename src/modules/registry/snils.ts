// SNILS (СНИЛС, individual insurance account number): 9 digits and a 2-digit check number.
// Check rule: S = Σ dᵢ × (10 − i) over the 9 digits; S < 100 → S; S = 100 or 101 → 00;
// S > 101 → S mod 101, then the same two rules. It applies to numbers above 001-001-998.

const LAST_UNCHECKED = 1_001_998;

/** The two check digits for a 9-digit SNILS number. */
export function snilsChecksum(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error(`SNILS number must be 9 digits, got "${nineDigits}"`);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nineDigits.charCodeAt(i) - 48) * (9 - i);
  if (sum > 101) sum %= 101;
  return sum < 100 ? String(sum).padStart(2, '0') : '00';
}

/** 11 digits from "112-233-445 95", "11223344595" and the like, or null if it is not that shape. */
export function normalizeSnils(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[\d\s-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[\s-]/g, '');
  return digits.length === 11 ? digits : null;
}

export function isValidSnils(input: string): boolean {
  const digits = normalizeSnils(input);
  if (!digits) return false;
  const number = digits.slice(0, 9);
  // Numbers up to 001-001-998 predate the check rule: there is nothing to check (but 000-000-000 is no number).
  const value = Number(number);
  if (value <= LAST_UNCHECKED) return value > 0;
  return snilsChecksum(number) === digits.slice(9);
}

/** "11223344595" → "112-233-445 95". */
export function formatSnils(digits: string): string {
  const d = normalizeSnils(digits);
  if (!d) throw new Error(`not a SNILS: "${digits}"`);
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}`;
}
