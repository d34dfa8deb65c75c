// Matching persons: normalisation of names and addresses, a Russian transliteration folded so that
// the usual Latin spellings of one name meet (ICAO 2013, the older passport scheme, BGN, German-like),
// a Damerau–Levenshtein distance, the blocking keys and the scoring of a pair. Pure functions.

export interface MatchPerson {
  id: number;
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  /** YYYY-MM-DD */
  birth_date: string;
  sex: string;
  address: string;
  phone: string | null;
  email: string | null;
}

/** Why a pair is proposed; shown to the specialist. */
export type Reason =
  | 'snils_typo'
  | 'name_birth_date'
  | 'fuzzy_name'
  | 'name_typo'
  | 'transliteration'
  | 'swapped_names'
  | 'same_address'
  | 'similar_address'
  | 'same_phone'
  | 'same_email'
  | 'different_sex';

export const REASONS: readonly Reason[] = [
  'snils_typo',
  'name_birth_date',
  'fuzzy_name',
  'name_typo',
  'transliteration',
  'swapped_names',
  'same_address',
  'similar_address',
  'same_phone',
  'same_email',
  'different_sex',
];

/** Pairs scoring at least this are proposed to specialists. */
export const THRESHOLD = 0.8;

// ---------------------------------------------------------------- normalisation

/** Lower case, ё → е, only letters and digits (spaces, hyphens, apostrophes and dots go). */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^0-9a-zа-я]/g, '');
}

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

/**
 * One Latin spelling for every way a Russian name is written: Cyrillic is romanised, then the
 * differences between schemes are folded away (y/j → i, kh → h, ie/ye → e, doubled letters once),
 * so Юрий, Yuriy, Iurii and Jurij all read "iuri".
 */
export function canonical(text: string): string {
  const n = normalize(text);
  let latin = '';
  for (const ch of n) latin += CYRILLIC_TO_LATIN[ch] ?? ch;
  latin = latin
    .replace(/[yj]/g, 'i')
    .replace(/w/g, 'v')
    .replace(/x/g, 'ks')
    .replace(/ph/g, 'f')
    .replace(/kh/g, 'h')
    .replace(/tch/g, 'ch')
    .replace(/tz/g, 'ts')
    .replace(/shch|sch/g, 'sh')
    .replace(/ie/g, 'e');
  let out = '';
  for (const ch of latin) if (ch !== out[out.length - 1]) out += ch;
  return out;
}

const canonicalCache = new Map<string, string>();
/** canonical(), memoised: names repeat millions of times in a region. */
export function canonicalName(text: string): string {
  let c = canonicalCache.get(text);
  if (c === undefined) {
    c = canonical(text);
    if (canonicalCache.size > 200_000) canonicalCache.clear();
    canonicalCache.set(text, c);
  }
  return c;
}

/** An address compared without case, punctuation, spaces or the usual abbreviations' dots. */
export function normalizeAddress(address: string): string {
  return normalize(address);
}

const hasLatin = (s: string) => /[a-z]/i.test(s);

// ---------------------------------------------------------------- distance

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
 * transpositions of adjacent characters). Stops early and returns max + 1 once the distance must
 * exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  if (m + 1 > rowA.length) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
    rowC = new Int32Array(m + 1);
  }
  // prev2: row i-2, prev: row i-1, cur: row i.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}

/** Two SNILS differ by one digit or by two adjacent digits swapped (a number typed in by hand). */
export function snilsTypo(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let first = -1;
  let diffs = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (diffs === 0) first = i;
      diffs++;
      if (diffs > 2) return false;
    }
  }
  if (diffs === 1) return true;
  return a[first] === b[first + 1] && a[first + 1] === b[first] && diffs === 2;
}

// ---------------------------------------------------------------- blocking

/**
 * FNV-1a, 32 bits: blocking keys are kept as numbers in typed arrays, so a region's keys fit in a
 * few tens of megabytes; a collision only costs a comparison. Hashing continues from `h`, so a key
 * is hashed in parts without building its string.
 */
export function hash32(text: string, h = 0x811c9dc5, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** hash32 of normalizeAddress(address), without building the string (the scan's hot path). */
function hashAddress(address: string, h: number): number {
  for (let i = 0; i < address.length; i++) {
    let c = address.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x410 && c <= 0x42f) c += 0x20;
    else if (c === 0x401 || c === 0x451) c = 0x435;
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x430 && c <= 0x44f)) {
      h ^= c;
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** How many blocking keys each person has (see blockingKeys). */
export const KEY_KINDS = 5;

/**
 * The blocks a person falls into; pairs are compared only within a block.
 * - Birth date and the SNILS without one of three overlapping stretches (0–4, 4–7, 7–10): a typo in
 *   one digit or a swap of two neighbours falls inside one stretch, so one key stays whole. Keeping
 *   seven digits matters: SNILS are issued in sequence, so a five-digit prefix is shared by
 *   thousands of residents.
 * - Birth date and address: typos, transliteration, swapped names.
 * - Birth date and the canonical surname and first name in either order: an address written
 *   differently.
 */
export function blockingKeys(
  p: { snils: string; last_name: string; first_name: string; birth_date: string; address: string },
  out: Uint32Array | number[],
): void {
  const bd = hash32(p.birth_date);
  const s = p.snils;
  out[0] = hash32(s, hash32('1', bd), 5, 11);
  out[1] = hash32(s, hash32(s, hash32('2', bd), 0, 4), 8, 11);
  out[2] = hash32(s, hash32('3', bd), 0, 7);
  out[3] = hashAddress(p.address, hash32('a', bd));
  const l = canonicalName(p.last_name);
  const f = canonicalName(p.first_name);
  const [x, y] = l < f ? [l, f] : [f, l];
  out[4] = hash32(y, hash32('|', hash32(x, hash32('n', bd))));
}

// ---------------------------------------------------------------- scoring

/** Edits allowed between two forms of one name part, by length. */
function allowedEdits(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : 2;
}

interface PartMatch {
  ok: boolean;
  exact: boolean;
  typo: boolean;
  translit: boolean;
}

function matchPart(a: string, b: string): PartMatch {
  const na = normalize(a);
  const nb = normalize(b);
  if (na === nb) return { ok: true, exact: true, typo: false, translit: false };
  const latin = hasLatin(na) !== hasLatin(nb);
  if (!latin) {
    const d = damerauLevenshtein(na, nb, 2);
    const ok = d <= allowedEdits(Math.min(na.length, nb.length));
    return { ok, exact: false, typo: ok, translit: false };
  }
  const ca = canonicalName(a);
  const cb = canonicalName(b);
  if (ca === cb) return { ok: true, exact: false, typo: false, translit: true };
  const d = damerauLevenshtein(ca, cb, 2);
  const ok = d <= allowedEdits(Math.min(ca.length, cb.length));
  return { ok, exact: false, typo: ok, translit: true };
}

interface NameMatch {
  ok: boolean;
  exact: boolean;
  swapped: boolean;
  typo: boolean;
  translit: boolean;
}

function matchAligned(aLast: string, aFirst: string, b: MatchPerson, a: MatchPerson, swapped: boolean) {
  const last = matchPart(aLast, b.last_name);
  const first = matchPart(aFirst, b.first_name);
  // A missing patronymic (a foreign document, a short form) neither confirms nor contradicts.
  const patronymic =
    a.patronymic && b.patronymic
      ? matchPart(a.patronymic, b.patronymic)
      : { ok: true, exact: true, typo: false, translit: false };
  const parts = [last, first, patronymic];
  // One typo is a typo; typos in two parts are two different people more often than not.
  const typos = parts.filter((p) => p.typo).length;
  return {
    ok: parts.every((p) => p.ok) && typos <= 1,
    exact: !swapped && parts.every((p) => p.exact),
    swapped,
    typo: typos > 0,
    translit: parts.some((p) => p.translit),
  };
}

export function matchNames(a: MatchPerson, b: MatchPerson): NameMatch {
  const direct = matchAligned(a.last_name, a.first_name, b, a, false);
  if (direct.ok) return direct;
  return matchAligned(a.first_name, a.last_name, b, a, true);
}

export interface Scored {
  score: number;
  reasons: Reason[];
}

/**
 * The score of a pair from one block, or null when it is not worth a specialist's look. A shared
 * name and birth date alone is not enough (a region has namesakes born on one day): something else
 * must agree — the address, a phone, an e-mail or a near-identical SNILS.
 */
export function scorePair(a: MatchPerson, b: MatchPerson): Scored | null {
  if (a.birth_date !== b.birth_date) return null;
  const names = matchNames(a, b);
  if (!names.ok) return null;
  const reasons: Reason[] = [];
  const na = normalizeAddress(a.address);
  const nb = normalizeAddress(b.address);
  const sameAddress = na === nb;
  const similarAddress = !sameAddress && damerauLevenshtein(na, nb, 2) <= 2;
  const samePhone = a.phone !== null && a.phone === b.phone;
  const sameEmail = a.email !== null && b.email !== null && a.email.toLowerCase() === b.email.toLowerCase();
  const snils = snilsTypo(a.snils, b.snils);

  let score = 0;
  if (snils) {
    reasons.push('snils_typo');
    score = 0.97;
  }
  const corroborated = sameAddress || similarAddress || samePhone || sameEmail;
  if (names.exact) {
    reasons.push('name_birth_date');
    if (corroborated) score = Math.max(score, sameAddress || samePhone || sameEmail ? 0.95 : 0.9);
  } else {
    reasons.push('fuzzy_name');
    if (names.typo) reasons.push('name_typo');
    if (names.translit) reasons.push('transliteration');
    if (names.swapped) reasons.push('swapped_names');
    if (sameAddress || samePhone || sameEmail) score = Math.max(score, names.typo ? 0.88 : 0.9);
    else if (similarAddress) score = Math.max(score, names.typo ? 0.8 : 0.85);
  }
  if (sameAddress) reasons.push('same_address');
  if (similarAddress) reasons.push('similar_address');
  if (samePhone) reasons.push('same_phone');
  if (sameEmail) reasons.push('same_email');
  if (a.sex !== b.sex) {
    reasons.push('different_sex');
    score -= 0.15;
  }
  if (score < THRESHOLD) return null;
  return { score: Math.round(score * 100) / 100, reasons };
}
