// Expert interviews: code books, interviews (metadata and transcript, pasted or uploaded as .txt in
// UTF-8 or Windows-1251), their coding by several coders, and the qualitative analysis.
//
// A transcript is stored normalised (NFC, "\n" line ends, trimmed) and never changes afterwards, so
// coding offsets — UTF-16 code units [start, end) of the transcript, as JavaScript slices it — stay
// valid. Its units are paragraphs: every non-blank line (a turn of the interview), without the
// whitespace around it. A coder tags a whole paragraph or an excerpt inside it: the excerpt is typed
// (or filled by selecting text) and the server finds where it is in that paragraph.
//
// Each coder codes independently: a coding belongs to the signed-in staff user, who sees only their
// own while coding; agreement between coders is Cohen's kappa with paragraphs as units.
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { forbidden, notFound, ValidationError } from '../../platform/errors.ts';
import type { MessageKey, Params } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import * as geography from '../geography/geography.service.ts';
import { staffMember } from '../staff/staff.service.ts';
import { csvField } from './surveys.export.ts';
import * as repo from './surveys.interviews.repository.ts';
import {
  type CodedExcerpt,
  codeFrequencies,
  codingAgreement,
  coOccurrence,
  excerptsByCode,
  type Unit,
} from './surveys.qual.ts';
import { guide, SURVEY_DESIGNERS } from './surveys.service.ts';

/** A two-hour interview is about 150,000 characters; this leaves room for a day-long one. */
export const MAX_TRANSCRIPT_CHARS = 500_000;
/** An uploaded .txt: 500,000 Cyrillic characters are 1 MB in UTF-8. */
export const MAX_TRANSCRIPT_BYTES = 1024 * 1024;
const MAX_TITLE = 200;
const MAX_CODE_NAME = 100;
const MAX_DESCRIPTION = 1000;
const MAX_MEMO = 2000;

function assertDesigner(actor: StaffActor) {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
}

/** Field errors with parameters for their messages (e.g. the duplicated code's name). */
export class InterviewInputError extends ValidationError {
  readonly params: Record<string, Params>;
  constructor(fields: Record<string, MessageKey>, params: Record<string, Params> = {}) {
    super(fields);
    this.params = params;
  }
}

// ---------------------------------------------------------------- transcripts and units

export function normalizeTranscript(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

// C0 controls other than tab, line feed, form feed and carriage return, DEL, and C1 controls: a text
// file has none (UTF-16 files are full of NULs; Windows-1251 decodes its one unused byte to U+0098).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

/**
 * The text of an uploaded transcript: only .txt, in UTF-8 (with or without a byte order mark) or,
 * when the bytes are not valid UTF-8, Windows-1251; anything else is refused with the reason.
 */
export function decodeTranscriptFile(file: { filename: string; bytes: Uint8Array }): string {
  const fail = (key: MessageKey, params: Params = {}): never => {
    throw new InterviewInputError({ file: key }, { file: params });
  };
  if (!/\.txt$/i.test(file.filename)) fail('surveys.interviews.error.fileNotTxt');
  if (file.bytes.length > MAX_TRANSCRIPT_BYTES)
    fail('surveys.interviews.error.fileTooLarge', { size: MAX_TRANSCRIPT_BYTES / 1024 / 1024 });
  let bytes = file.bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1251').decode(bytes);
  }
  if (CONTROL.test(text)) fail('surveys.interviews.error.fileNotText');
  if (!text.trim()) fail('surveys.interviews.error.fileEmpty');
  return text;
}

export interface Paragraph {
  /** 1-based, as shown. */
  number: number;
  start: number;
  end: number;
  text: string;
}

/** The units of a transcript: every non-blank line, without its surrounding whitespace. */
export function paragraphs(transcript: string): Paragraph[] {
  const out: Paragraph[] = [];
  const line = /[^\n]+/g;
  for (let m = line.exec(transcript); m !== null; m = line.exec(transcript)) {
    const lead = m[0].length - m[0].trimStart().length;
    const body = m[0].trim();
    if (!body) continue;
    const start = m.index + lead;
    out.push({ number: out.length + 1, start, end: start + body.length, text: body });
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `excerpt` is in the paragraph, as transcript offsets [start, end): the exact text, else the
 * same words with any whitespace between them (a selection copied from a page may fold line breaks
 * and non-breaking spaces). With several occurrences, the one starting nearest `near` (an offset within
 * the paragraph, sent by the page's script from the selection), else the first. An empty excerpt is
 * the whole paragraph; text not in the paragraph gives null.
 */
export function locateExcerpt(
  paragraph: Paragraph,
  excerpt: string,
  near?: number,
): { start: number; end: number } | null {
  const wanted = excerpt.normalize('NFC').trim();
  if (!wanted) return { start: paragraph.start, end: paragraph.end };
  const found: { at: number; length: number }[] = [];
  for (let at = paragraph.text.indexOf(wanted); at !== -1; at = paragraph.text.indexOf(wanted, at + 1))
    found.push({ at, length: wanted.length });
  if (found.length === 0) {
    const pattern = new RegExp(wanted.split(/\s+/u).map(escapeRegExp).join('\\s+'), 'gu');
    for (const m of paragraph.text.matchAll(pattern)) found.push({ at: m.index, length: m[0].length });
  }
  if (found.length === 0) return null;
  const best =
    near === undefined
      ? found[0]!
      : found.reduce((a, b) => (Math.abs(b.at - near) < Math.abs(a.at - near) ? b : a));
  return { start: paragraph.start + best.at, end: paragraph.start + best.at + best.length };
}

// ---------------------------------------------------------------- code books

export interface CodeLine {
  name: string;
  description: string;
}

/**
 * Codes typed one a line: `name — description` (an em or en dash, or a hyphen with spaces around it;
 * the description is optional). Blank lines are skipped.
 */
export function parseCodeLines(text: string): CodeLine[] {
  const out: CodeLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.normalize('NFC').trim();
    if (!line) continue;
    const m = /^(.*?)\s+[—–-]\s+(.*)$/u.exec(line) ?? /^(.*?)\s*[—–]\s*(.*)$/u.exec(line);
    out.push(
      m
        ? { name: m[1]!.trim(), description: m[2]!.trim() }
        : { name: line.replace(/[—–]$/u, ''), description: '' },
    );
  }
  return out;
}

const sameName = (a: string, b: string) => a.toLocaleLowerCase('ru') === b.toLocaleLowerCase('ru');

/** Problems of a list of new codes against each other and the book's existing names. */
function checkCodes(codes: readonly CodeLine[], existing: readonly string[]): InterviewInputError | null {
  if (codes.length === 0) return new InterviewInputError({ codes: 'surveys.interviews.error.noCodes' });
  for (const [i, c] of codes.entries()) {
    if (!c.name) return new InterviewInputError({ codes: 'surveys.interviews.error.codeWithoutName' });
    if (c.name.length > MAX_CODE_NAME)
      return new InterviewInputError(
        { codes: 'surveys.interviews.error.codeTooLong' },
        { codes: { name: c.name } },
      );
    if (c.description.length > MAX_DESCRIPTION)
      return new InterviewInputError(
        { codes: 'surveys.interviews.error.descriptionTooLong' },
        { codes: { name: c.name } },
      );
    if (existing.some((e) => sameName(e, c.name)))
      return new InterviewInputError(
        { codes: 'surveys.interviews.error.codeExists' },
        { codes: { name: c.name } },
      );
    if (codes.slice(0, i).some((o) => sameName(o.name, c.name)))
      return new InterviewInputError(
        { codes: 'surveys.interviews.error.codeTwice' },
        { codes: { name: c.name } },
      );
  }
  return null;
}

export async function createCodeBook(
  trx: Trx,
  actor: StaffActor,
  input: { title: string; codes: string },
  ip: string | null = null,
): Promise<number> {
  assertDesigner(actor);
  const title = input.title.trim();
  const codes = parseCodeLines(input.codes);
  const fields: Record<string, MessageKey> = {};
  const params: Record<string, Params> = {};
  if (!title) fields.title = 'surveys.interviews.error.titleMissing';
  else if (title.length > MAX_TITLE) {
    fields.title = 'surveys.interviews.error.titleTooLong';
    params.title = { max: MAX_TITLE };
  }
  const problem = checkCodes(codes, []);
  if (problem) {
    Object.assign(fields, problem.fields);
    Object.assign(params, problem.params);
  }
  if (Object.keys(fields).length > 0) throw new InterviewInputError(fields, params);
  const id = await repo.insertCodeBook(trx, { title, created_by: actor.userId });
  await repo.insertCodes(trx, id, codes);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'code_book.created',
    subject: { kind: 'code_book', id },
    ip,
    details: { title, codes: codes.length },
  });
  return id;
}

/** Adds codes to a book; a name already in the book (in any letter case) is refused, nothing added. */
export async function addCodes(
  trx: Trx,
  actor: StaffActor,
  codeBookId: number,
  text: string,
  ip: string | null = null,
): Promise<number> {
  assertDesigner(actor);
  if (!(await repo.lockCodeBook(trx, codeBookId))) throw notFound('Code book');
  const codes = parseCodeLines(text);
  const existing = (await repo.codesOfBook(trx, codeBookId)).map((c) => c.name);
  const problem = checkCodes(codes, existing);
  if (problem) throw problem;
  await repo.insertCodes(trx, codeBookId, codes);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'code_book.codes_added',
    subject: { kind: 'code_book', id: codeBookId },
    ip,
    details: { codes: codes.map((c) => c.name) },
  });
  return codes.length;
}

export interface Code {
  id: number;
  name: string;
  description: string;
}

export async function codeBook(db: DbOrTrx, id: number) {
  const book = await repo.findCodeBook(db, id);
  if (!book) throw notFound('Code book');
  const codes: Code[] = await repo.codesOfBook(db, id);
  return { id: book.id, title: book.title, createdAt: book.created_at, codes };
}

export async function codeBooks(db: DbOrTrx, limit = 200) {
  return (await repo.listCodeBooks(db, limit)).map((b) => ({
    id: b.id,
    title: b.title,
    createdAt: b.created_at,
    codes: Number(b.codes ?? 0),
  }));
}

// ---------------------------------------------------------------- interviews

export interface InterviewInput {
  title: string;
  guideId: string;
  codeBookId: string;
  expertRole: string;
  expertGroup: string;
  districtId: string;
  interviewedOn: string;
  interviewer: string;
  durationMinutes: string;
  /** Pasted text. */
  transcript: string;
  /** Or an uploaded .txt (exactly one of the two). */
  file?: { filename: string; bytes: Uint8Array; truncated?: boolean } | undefined;
}

const positiveId = (raw: string) => (/^[1-9]\d{0,9}$/.test(raw.trim()) ? Number(raw.trim()) : null);

function validDate(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw;
}

/** Records an interview with its transcript; all fields are checked and every problem reported at once. */
export async function recordInterview(
  trx: Trx,
  actor: StaffActor,
  input: InterviewInput,
  ip: string | null = null,
): Promise<number> {
  assertDesigner(actor);
  const fields: Record<string, MessageKey> = {};
  const params: Record<string, Params> = {};
  const text = (name: string, raw: string, max: number, missing: MessageKey, tooLong: MessageKey) => {
    const v = raw.trim();
    if (!v) fields[name] = missing;
    else if (v.length > max) {
      fields[name] = tooLong;
      params[name] = { max };
    }
    return v;
  };
  const title = text(
    'title',
    input.title,
    MAX_TITLE,
    'surveys.interviews.error.titleMissing',
    'surveys.interviews.error.titleTooLong',
  );
  const expertRole = text(
    'expert_role',
    input.expertRole,
    200,
    'surveys.interviews.error.roleMissing',
    'surveys.interviews.error.tooLong',
  );
  const expertGroup = text(
    'expert_group',
    input.expertGroup,
    100,
    'surveys.interviews.error.groupMissing',
    'surveys.interviews.error.tooLong',
  );
  const interviewer = text(
    'interviewer',
    input.interviewer,
    200,
    'surveys.interviews.error.interviewerMissing',
    'surveys.interviews.error.tooLong',
  );

  let guideId: number | null = null;
  if (input.guideId.trim()) {
    guideId = positiveId(input.guideId);
    if (guideId === null || !(await guide(trx, guideId).catch(() => null)))
      fields.guide = 'surveys.interviews.error.guideUnknown';
  }
  const codeBookId = positiveId(input.codeBookId);
  if (!input.codeBookId.trim()) fields.code_book = 'surveys.interviews.error.codeBookMissing';
  else if (codeBookId === null || !(await repo.findCodeBook(trx, codeBookId)))
    fields.code_book = 'surveys.interviews.error.codeBookUnknown';
  let districtId: number | null = null;
  if (input.districtId.trim()) {
    districtId = positiveId(input.districtId);
    const known = (await geography.listDistricts(trx)).some((d) => d.id === districtId);
    if (!known) fields.district = 'surveys.interviews.error.districtUnknown';
  }
  const interviewedOn = input.interviewedOn.trim();
  if (!interviewedOn) fields.interviewed_on = 'surveys.interviews.error.dateMissing';
  else if (!validDate(interviewedOn)) fields.interviewed_on = 'surveys.interviews.error.dateInvalid';
  else if (interviewedOn > regionToday()) fields.interviewed_on = 'surveys.interviews.error.dateFuture';
  let duration: number | null = null;
  if (input.durationMinutes.trim()) {
    duration = /^\d{1,4}$/.test(input.durationMinutes.trim()) ? Number(input.durationMinutes.trim()) : 0;
    if (duration < 1 || duration > 1440) fields.duration = 'surveys.interviews.error.durationInvalid';
  }

  let transcript = '';
  const hasFile = input.file !== undefined && input.file.bytes.length > 0;
  const pasted = input.transcript.trim();
  if (hasFile && pasted) fields.transcript = 'surveys.interviews.error.transcriptTwice';
  else if (hasFile) {
    if (input.file!.truncated) {
      fields.file = 'surveys.interviews.error.fileTooLarge';
      params.file = { size: MAX_TRANSCRIPT_BYTES / 1024 / 1024 };
    } else
      try {
        transcript = decodeTranscriptFile(input.file!);
      } catch (e) {
        if (!(e instanceof InterviewInputError)) throw e;
        Object.assign(fields, e.fields);
        Object.assign(params, e.params);
      }
  } else if (!pasted) fields.transcript = 'surveys.interviews.error.transcriptMissing';
  else transcript = pasted;
  transcript = normalizeTranscript(transcript);
  if (transcript.length > MAX_TRANSCRIPT_CHARS && !fields.transcript && !fields.file) {
    fields[hasFile ? 'file' : 'transcript'] = 'surveys.interviews.error.transcriptTooLong';
    params[hasFile ? 'file' : 'transcript'] = { max: MAX_TRANSCRIPT_CHARS };
  }
  if (Object.keys(fields).length > 0) throw new InterviewInputError(fields, params);

  const id = await repo.insertInterview(trx, {
    title,
    guide_id: guideId,
    code_book_id: codeBookId!,
    expert_role: expertRole,
    expert_group: expertGroup,
    district_id: districtId,
    interviewed_on: interviewedOn,
    interviewer,
    duration_minutes: duration,
    transcript,
    created_by: actor.userId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'expert_interview.recorded',
    subject: { kind: 'expert_interview', id },
    ip,
    details: { title, expertGroup, codeBookId, characters: transcript.length, uploaded: hasFile },
  });
  return id;
}

export async function interview(db: DbOrTrx, id: number) {
  const row = await repo.findInterview(db, id);
  if (!row) throw notFound('Expert interview');
  const [book, guideRow, districts] = await Promise.all([
    repo.findCodeBook(db, row.code_book_id),
    row.guide_id === null ? null : guide(db, row.guide_id),
    row.district_id === null ? [] : geography.districtsByIds(db, [row.district_id]),
  ]);
  const district = districts[0];
  return {
    id: row.id,
    title: row.title,
    guide: guideRow ? { id: guideRow.id, title: guideRow.title } : null,
    codeBook: { id: row.code_book_id, title: book?.title ?? '' },
    expertRole: row.expert_role,
    expertGroup: row.expert_group,
    district: district ? { ru: district.name_ru, en: district.name_en } : null,
    interviewedOn: row.interviewed_on,
    interviewer: row.interviewer,
    durationMinutes: row.duration_minutes,
    transcript: row.transcript,
    paragraphs: paragraphs(row.transcript),
    createdAt: row.created_at,
  };
}
export type InterviewView = Awaited<ReturnType<typeof interview>>;

export async function interviews(
  db: DbOrTrx,
  filter: { codeBookId?: number | undefined; group?: string | undefined } = {},
  limit = 500,
) {
  return (await repo.listInterviews(db, filter, limit)).map((r) => ({
    id: r.id,
    title: r.title,
    codeBookId: r.code_book_id,
    expertRole: r.expert_role,
    expertGroup: r.expert_group,
    interviewedOn: r.interviewed_on,
    interviewer: r.interviewer,
    coders: Number(r.coders ?? 0),
  }));
}

export const expertGroups = repo.expertGroups;

// ---------------------------------------------------------------- coding

export interface CodingView {
  id: number;
  coderId: number;
  codeId: number;
  code: string;
  start: number;
  end: number;
  memo: string;
  /** The paragraph the coding starts in (1-based). */
  paragraph: number;
  /** The excerpt's text; equal to the paragraph's for a whole-paragraph coding. */
  text: string;
  wholeParagraph: boolean;
}

function paragraphAt(units: readonly Paragraph[], offset: number): Paragraph | undefined {
  return units.find((p) => offset < p.end) ?? units.at(-1);
}

/** Codings of an interview: of one coder (while coding, each sees only their own) or of all (compare). */
export async function codings(
  db: DbOrTrx,
  iv: { id: number; transcript: string; paragraphs: Paragraph[] },
  coderId?: number,
): Promise<CodingView[]> {
  return (await repo.codingsOf(db, iv.id, coderId)).map((c) => {
    const p = paragraphAt(iv.paragraphs, c.start_offset);
    return {
      id: c.id,
      coderId: c.coder_id,
      codeId: c.code_id,
      code: c.code,
      start: c.start_offset,
      end: c.end_offset,
      memo: c.memo,
      paragraph: p?.number ?? 0,
      text: iv.transcript.slice(c.start_offset, c.end_offset),
      wholeParagraph: p !== undefined && p.start === c.start_offset && p.end === c.end_offset,
    };
  });
}

export interface CodingInput {
  /** 1-based paragraph number. */
  paragraph: number;
  /** Text inside the paragraph; empty for the whole paragraph. */
  excerpt: string;
  /** Where the selection started within the paragraph, when the page's script knows it. */
  near?: number | undefined;
  codeIds: number[];
  memo: string;
}

/**
 * The signed-in coder tags a paragraph or an excerpt of it with one or more codes of the interview's
 * code book. An excerpt not found in the paragraph, a code from another book, or a coding this coder
 * already made is refused with a field error and nothing is stored.
 */
export async function codeParagraph(
  trx: Trx,
  actor: StaffActor,
  interviewId: number,
  input: CodingInput,
): Promise<{ start: number; end: number; added: number }> {
  assertDesigner(actor);
  const row = await repo.findInterview(trx, interviewId);
  if (!row) throw notFound('Expert interview');
  const units = paragraphs(row.transcript);
  const paragraph = units.find((p) => p.number === input.paragraph);
  if (!paragraph) throw notFound('Paragraph');
  const fields: Record<string, MessageKey> = {};
  const params: Record<string, Params> = {};
  const codes = await repo.codesOfBook(trx, row.code_book_id);
  const chosen = [...new Set(input.codeIds)];
  if (chosen.length === 0) fields.codes = 'surveys.interviews.error.chooseCode';
  else if (chosen.some((id) => !codes.some((c) => c.id === id)))
    fields.codes = 'surveys.interviews.error.codeUnknown';
  const span = locateExcerpt(paragraph, input.excerpt, input.near);
  if (!span) fields.excerpt = 'surveys.interviews.error.excerptNotFound';
  const memo = input.memo.trim();
  if (memo.length > MAX_MEMO) {
    fields.memo = 'surveys.interviews.error.memoTooLong';
    params.memo = { max: MAX_MEMO };
  }
  if (span && !fields.codes) {
    const mine = await repo.codingsOf(trx, interviewId, actor.userId);
    const twice = mine.filter(
      (c) => c.start_offset === span.start && c.end_offset === span.end && chosen.includes(c.code_id),
    );
    if (twice.length > 0) {
      fields.codes = 'surveys.interviews.error.alreadyCoded';
      params.codes = { codes: twice.map((c) => `«${c.code}»`).join(', ') };
    }
  }
  if (Object.keys(fields).length > 0) throw new InterviewInputError(fields, params);
  const added = await repo.insertCodings(
    trx,
    chosen.map((codeId) => ({
      interview_id: interviewId,
      coder_id: actor.userId,
      code_id: codeId,
      start_offset: span!.start,
      end_offset: span!.end,
      memo,
    })),
  );
  return { ...span!, added };
}

/** A coder removes one of their own codings; another coder's is not found. */
export async function removeCoding(
  trx: Trx,
  actor: StaffActor,
  interviewId: number,
  codingId: number,
): Promise<void> {
  assertDesigner(actor);
  const n = await repo.deleteCoding(trx, { id: codingId, interviewId, coderId: actor.userId });
  if (n === 0) throw notFound('Coding');
}

/** Display names of coders (staff users); a removed account shows as its number. */
export async function coderNames(db: DbOrTrx, ids: Iterable<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const id of new Set(ids)) out.set(id, (await staffMember(db, id))?.fullName ?? `#${id}`);
  return out;
}

// ---------------------------------------------------------------- analysis

export interface AnalysisFilter {
  codeBookId?: number | undefined;
  group?: string | undefined;
  /** Count one coder's segments only (frequencies, co-occurrence, excerpts). */
  coderId?: number | undefined;
}

export interface ExcerptRow {
  interviewId: number;
  title: string;
  /** Names of the coders who coded this very span with the code. */
  coders: string[];
  paragraph: number;
  text: string;
}

/** Landis and Koch's (1977) reading of kappa. */
export function kappaBand(kappa: number): MessageKey | null {
  if (Number.isNaN(kappa)) return null;
  if (kappa < 0) return 'surveys.interviews.kappa.poor';
  if (kappa <= 0.2) return 'surveys.interviews.kappa.slight';
  if (kappa <= 0.4) return 'surveys.interviews.kappa.fair';
  if (kappa <= 0.6) return 'surveys.interviews.kappa.moderate';
  if (kappa <= 0.8) return 'surveys.interviews.kappa.substantial';
  return 'surveys.interviews.kappa.almostPerfect';
}

/**
 * Everything the analysis page shows for the interviews a filter selects. Codes are named by their
 * name, qualified by the book's title when the selection spans several books (two books may both
 * have a code "Access"). Agreement is computed for every pair of coders over the interviews both
 * coded (made at least one coding in), with those interviews' paragraphs as units.
 */
export async function analysis(db: DbOrTrx, filter: AnalysisFilter) {
  const rows = await repo.codingsForAnalysis(db, filter);
  const books = new Set(rows.map((r) => r.code_book_id));
  const label = (r: (typeof rows)[number]) => (books.size > 1 ? `${r.code} (${r.code_book_title})` : r.code);
  const excerpts: CodedExcerpt[] = rows.map((r) => ({
    interviewId: String(r.interview_id),
    group: r.expert_group,
    coder: String(r.coder_id),
    code: label(r),
    start: r.start_offset,
    end: r.end_offset,
  }));
  const ids = [...new Set(rows.map((r) => r.interview_id))];
  const texts = new Map((await repo.transcripts(db, ids)).map((t) => [String(t.id), t.transcript]));
  const titles = new Map(rows.map((r) => [String(r.interview_id), r.interview_title]));
  const coders = [...new Set(rows.map((r) => r.coder_id))].sort((a, b) => a - b);
  const names = await coderNames(db, coders);
  const coder = filter.coderId === undefined ? undefined : String(filter.coderId);

  const codedBy = new Map<number, Set<string>>();
  for (const r of rows) {
    const set = codedBy.get(r.coder_id) ?? new Set();
    set.add(String(r.interview_id));
    codedBy.set(r.coder_id, set);
  }
  const agreement = [];
  for (let a = 0; a < coders.length; a++)
    for (let b = a + 1; b < coders.length; b++) {
      const shared = [...codedBy.get(coders[a]!)!].filter((id) => codedBy.get(coders[b]!)!.has(id)).sort();
      if (shared.length === 0) continue;
      const units: Unit[] = shared.flatMap((id) =>
        paragraphs(texts.get(id) ?? '').map((p) => ({ interviewId: id, start: p.start, end: p.end })),
      );
      const inShared = excerpts.filter((e) => shared.includes(e.interviewId));
      agreement.push({
        coderA: coders[a]!,
        coderB: coders[b]!,
        interviews: shared.map((id) => ({ id: Number(id), title: titles.get(id) ?? id })),
        units: units.length,
        ...codingAgreement(inShared, String(coders[a]), String(coders[b]), units),
      });
    }

  const segments = coder === undefined ? excerpts : excerpts.filter((e) => e.coder === coder);
  return {
    coders: coders.map((id) => ({ id, name: names.get(id)! })),
    interviews: ids.map((id) => ({ id, title: titles.get(String(id))! })),
    frequencies: codeFrequencies(excerpts, { coder }),
    coOccurrence: coOccurrence(excerpts, { coder }),
    // The same span coded alike by several coders is one excerpt, listing its coders.
    excerpts: excerptsByCode(segments, texts).map((g) => {
      const merged = new Map<string, ExcerptRow>();
      for (const e of g.excerpts) {
        const key = `${e.interviewId}:${e.start}:${e.end}`;
        const name = names.get(Number(e.coder)) ?? e.coder;
        const seen = merged.get(key);
        if (seen) seen.coders.push(name);
        else
          merged.set(key, {
            interviewId: Number(e.interviewId),
            title: titles.get(e.interviewId) ?? e.interviewId,
            coders: [name],
            paragraph: paragraphAt(paragraphs(texts.get(e.interviewId) ?? ''), e.start)?.number ?? 0,
            text: e.text ?? '',
          });
      }
      return { code: g.code, excerpts: [...merged.values()] };
    }),
    agreement,
  };
}
export type Analysis = Awaited<ReturnType<typeof analysis>>;

/** Every coding the filter selects, one row each, as CSV (UTF-8 with BOM for Excel). */
export async function codingsCsv(db: DbOrTrx, filter: AnalysisFilter): Promise<string> {
  const rows = (await repo.codingsForAnalysis(db, filter)).filter(
    (r) => filter.coderId === undefined || r.coder_id === filter.coderId,
  );
  const texts = new Map(
    (await repo.transcripts(db, [...new Set(rows.map((r) => r.interview_id))])).map((t) => [
      t.id,
      t.transcript,
    ]),
  );
  const units = new Map([...texts].map(([id, t]) => [id, paragraphs(t)]));
  const names = await coderNames(
    db,
    rows.map((r) => r.coder_id),
  );
  const header = [
    'interview_id',
    'interview_title',
    'expert_group',
    'expert_role',
    'interviewed_on',
    'code_book',
    'code',
    'coder',
    'paragraph',
    'start',
    'end',
    'excerpt',
    'memo',
  ];
  const lines = [header.join(',')];
  for (const r of rows) {
    const text = texts.get(r.interview_id) ?? '';
    lines.push(
      [
        r.interview_id,
        r.interview_title,
        r.expert_group,
        r.expert_role,
        r.interviewed_on,
        r.code_book_title,
        r.code,
        names.get(r.coder_id) ?? String(r.coder_id),
        paragraphAt(units.get(r.interview_id) ?? [], r.start_offset)?.number ?? null,
        r.start_offset,
        r.end_offset,
        text.slice(r.start_offset, r.end_offset),
        r.memo,
      ]
        .map((v) => csvField(v))
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
