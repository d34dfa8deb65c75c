// Qualitative analysis of coded expert interviews: code frequencies, co-occurrence, excerpts by code,
// and agreement between two coders (Cohen's kappa). Pure functions over coded segments.

/** One coded segment: a code applied by a coder to characters [start, end) of an interview's transcript. */
export interface CodedExcerpt {
  interviewId: string;
  /** The expert group of the interviewee (e.g. "district office heads"). */
  group: string;
  coder: string;
  code: string;
  start: number;
  end: number;
}

export interface CodeCount {
  /** Coded segments. */
  excerpts: number;
  /** Interviews in which the code occurs at least once. */
  interviews: number;
}

export interface CodeFrequencies {
  codes: string[];
  groups: string[];
  /** Per code: in all, and per expert group. */
  byCode: { code: string; total: CodeCount; byGroup: Record<string, CodeCount> }[];
  /** Per interview: segments of each code. */
  byInterview: { interviewId: string; group: string; counts: Record<string, number> }[];
}

const collator = new Intl.Collator('ru');
const sortStrings = (xs: Iterable<string>) => [...new Set(xs)].sort(collator.compare);

/**
 * Segments that two coders placed identically (same interview, code and span) count once, so a passage
 * coded by two people does not weigh double; pass `coder` to count one coder's work only.
 */
export function distinctSegments(excerpts: readonly CodedExcerpt[], coder?: string): CodedExcerpt[] {
  const seen = new Set<string>();
  const out: CodedExcerpt[] = [];
  for (const e of excerpts) {
    if (coder !== undefined && e.coder !== coder) continue;
    const key = `${e.interviewId}\u0000${e.code}\u0000${e.start}\u0000${e.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export function codeFrequencies(excerpts: readonly CodedExcerpt[], options: { coder?: string } = {}) {
  const segments = distinctSegments(excerpts, options.coder);
  const codes = sortStrings(segments.map((e) => e.code));
  const groups = sortStrings(segments.map((e) => e.group));
  const interviews = new Map<string, { group: string; counts: Record<string, number> }>();
  const byCode = new Map(
    codes.map((code) => [
      code,
      {
        code,
        total: { excerpts: 0, interviews: 0 },
        byGroup: Object.fromEntries(groups.map((g) => [g, { excerpts: 0, interviews: 0 }])) as Record<
          string,
          CodeCount
        >,
      },
    ]),
  );
  for (const e of segments) {
    let iv = interviews.get(e.interviewId);
    if (!iv) {
      iv = { group: e.group, counts: Object.fromEntries(codes.map((c) => [c, 0])) };
      interviews.set(e.interviewId, iv);
    }
    const first = iv.counts[e.code] === 0;
    iv.counts[e.code]!++;
    const entry = byCode.get(e.code)!;
    entry.total.excerpts++;
    entry.byGroup[e.group]!.excerpts++;
    if (first) {
      entry.total.interviews++;
      entry.byGroup[e.group]!.interviews++;
    }
  }
  return {
    codes,
    groups,
    byCode: codes.map((c) => byCode.get(c)!),
    byInterview: [...interviews.entries()]
      .sort(([a], [b]) => collator.compare(a, b))
      .map(([interviewId, v]) => ({ interviewId, ...v })),
  } satisfies CodeFrequencies;
}

const overlaps = (a: CodedExcerpt, b: CodedExcerpt) =>
  a.interviewId === b.interviewId && a.start < b.end && b.start < a.end;

/**
 * Co-occurrence of codes: matrix[i][j] is the number of pairs of segments, one coded codes[i] and one
 * codes[j], that overlap in the same interview (a segment carrying two codes is two segments with the
 * same span, so it counts too). Symmetric; the diagonal holds each code's segment count.
 */
export function coOccurrence(excerpts: readonly CodedExcerpt[], options: { coder?: string } = {}) {
  const segments = distinctSegments(excerpts, options.coder);
  const codes = sortStrings(segments.map((e) => e.code));
  const index = new Map(codes.map((c, i) => [c, i]));
  const matrix = codes.map(() => codes.map(() => 0));
  const byInterview = new Map<string, CodedExcerpt[]>();
  for (const e of segments) {
    const list = byInterview.get(e.interviewId) ?? [];
    list.push(e);
    byInterview.set(e.interviewId, list);
    const i = index.get(e.code)!;
    matrix[i]![i]!++;
  }
  for (const list of byInterview.values()) {
    list.sort((a, b) => a.start - b.start);
    // Sweep: only segments starting before this one ends can overlap it.
    for (let x = 0; x < list.length; x++) {
      const a = list[x]!;
      for (let y = x + 1; y < list.length && list[y]!.start < a.end; y++) {
        const b = list[y]!;
        if (a.code === b.code || !overlaps(a, b)) continue;
        const i = index.get(a.code)!;
        const j = index.get(b.code)!;
        matrix[i]![j]!++;
        matrix[j]![i]!++;
      }
    }
  }
  return { codes, matrix };
}

export interface ExcerptView extends CodedExcerpt {
  /** The transcript's text of the span, when the transcript was given. */
  text: string | null;
}

/** Excerpts grouped by code (codes sorted), each in interview then position order, with their text. */
export function excerptsByCode(
  excerpts: readonly CodedExcerpt[],
  transcripts: ReadonlyMap<string, string> = new Map(),
): { code: string; excerpts: ExcerptView[] }[] {
  const byCode = new Map<string, ExcerptView[]>();
  for (const e of excerpts) {
    const t = transcripts.get(e.interviewId);
    const list = byCode.get(e.code) ?? [];
    list.push({ ...e, text: t === undefined ? null : t.slice(e.start, e.end) });
    byCode.set(e.code, list);
  }
  return sortStrings(byCode.keys()).map((code) => ({
    code,
    excerpts: byCode
      .get(code)!
      .sort((a, b) => collator.compare(a.interviewId, b.interviewId) || a.start - b.start || a.end - b.end),
  }));
}

export interface Kappa {
  kappa: number;
  /** Observed agreement p_o. */
  observed: number;
  /** Agreement expected by chance p_e from each rater's marginal shares. */
  expected: number;
  n: number;
}

/** Cohen's (1960) kappa for two raters' categorical ratings of the same units: (p_o − p_e) / (1 − p_e). */
export function cohenKappa(a: readonly string[], b: readonly string[]): Kappa {
  if (a.length !== b.length) throw new Error('both raters must rate the same units');
  const n = a.length;
  const ma = new Map<string, number>();
  const mb = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    ma.set(a[i]!, (ma.get(a[i]!) ?? 0) + 1);
    mb.set(b[i]!, (mb.get(b[i]!) ?? 0) + 1);
  }
  let pe = 0;
  for (const [k, x] of ma) pe += (x / n) * ((mb.get(k) ?? 0) / n);
  const po = n > 0 ? agree / n : Number.NaN;
  // Both raters used one and the same category throughout: agreement is perfect but kappa undefined.
  return { kappa: pe === 1 ? Number.NaN : (po - pe) / (1 - pe), observed: po, expected: pe, n };
}

/** A unit of agreement analysis: a span of a transcript (e.g. one answer or paragraph). */
export interface Unit {
  interviewId: string;
  start: number;
  end: number;
}

/**
 * Inter-coder agreement of two coders, code by code: for each unit, each coder either applied the code
 * to a segment overlapping the unit or did not, and kappa is computed on these present/absent ratings.
 * `pooled` is kappa over all unit × code decisions together.
 */
export function codingAgreement(
  excerpts: readonly CodedExcerpt[],
  coderA: string,
  coderB: string,
  units: readonly Unit[],
) {
  const codes = sortStrings(
    excerpts.filter((e) => e.coder === coderA || e.coder === coderB).map((e) => e.code),
  );
  const present = (coder: string, code: string, u: Unit) =>
    excerpts.some(
      (e) =>
        e.coder === coder &&
        e.code === code &&
        e.interviewId === u.interviewId &&
        e.start < u.end &&
        u.start < e.end,
    );
  const allA: string[] = [];
  const allB: string[] = [];
  const byCode = codes.map((code) => {
    const ra = units.map((u) => (present(coderA, code, u) ? 'yes' : 'no'));
    const rb = units.map((u) => (present(coderB, code, u) ? 'yes' : 'no'));
    allA.push(...ra);
    allB.push(...rb);
    return { code, ...cohenKappa(ra, rb) };
  });
  return { byCode, pooled: cohenKappa(allA, allB) };
}
