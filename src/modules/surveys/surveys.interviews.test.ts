// Expert interviews in the service layer, on a real database: transcripts split into paragraphs and
// uploaded .txt files decoded (UTF-8, Windows-1251) or refused; code books refuse duplicate names; a
// typed excerpt becomes offsets in its paragraph and text not in it is refused; each coder's codings
// are their own; the analysis counts codes and computes Cohen's kappa with paragraphs as units.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { AppError } from '../../platform/errors.ts';
import * as svc from './surveys.interviews.service.ts';

const { db } = await testDatabase();
const staff = (userId: number, role: StaffActor['role'], fullName = 'Test'): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName,
  role,
  districtIds: [],
  sessionId: 't',
});
const anna = staff(await staffUser(db, 'anna', 'researcher'), 'researcher');
const boris = staff(await staffUser(db, 'boris', 'ministry_analyst'), 'ministry_analyst');
const specialist = staff(-1, 'specialist');
const tx = <T>(
  fn: (trx: Parameters<Parameters<ReturnType<typeof db.transaction>['execute']>[0]>[0]) => Promise<T>,
) => db.transaction().execute(fn);

/** The field errors (message keys) and their parameters of a refused input. */
async function refused(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof svc.InterviewInputError, `expected field errors, got ${String(e)}`);
    return { fields: e.fields, params: e.params };
  }
  assert.fail('expected the input to be refused');
}

/** Windows-1251 for the Russian alphabet and ASCII (enough for a test transcript). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      if (c === 0x401) return 0xa8;
      if (c === 0x451) return 0xb8;
      if (c === 0x2014) return 0x97;
      throw new Error(`no cp1251 byte for ${ch}`);
    }),
  );
}

const TRANSCRIPT = [
  'И: Расскажите, как жители узнают о мерах поддержки.',
  '',
  '  Р: Чаще всего через соседей. Соседи — главный источник, и соседи же путают условия.  ',
  'И: А портал?',
  'Р: Портал знают молодые; пожилым нужен звонок или визит.',
].join('\r\n');

describe('transcripts', () => {
  test('paragraphs are the non-blank lines, offsets into the normalised transcript', () => {
    const text = svc.normalizeTranscript(TRANSCRIPT);
    assert.ok(!text.includes('\r'));
    const units = svc.paragraphs(text);
    assert.equal(units.length, 4);
    assert.deepEqual(
      units.map((p) => p.number),
      [1, 2, 3, 4],
    );
    for (const p of units) assert.equal(text.slice(p.start, p.end), p.text);
    assert.equal(
      units[1]!.text,
      'Р: Чаще всего через соседей. Соседи — главный источник, и соседи же путают условия.',
    );
  });

  test('a .txt in UTF-8 (with a byte order mark) or Windows-1251 is read; other files are refused', () => {
    const text = 'Р: Пожилым нужен звонок — или визит. Ёлка, ёж.';
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    assert.equal(svc.decodeTranscriptFile({ filename: 'a.txt', bytes: bom }), text);
    const win = cp1251(text);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(win));
    assert.equal(svc.decodeTranscriptFile({ filename: 'Интервью.TXT', bytes: win }), text);

    const reason = (filename: string, bytes: Buffer) => {
      try {
        svc.decodeTranscriptFile({ filename, bytes });
      } catch (e) {
        assert.ok(e instanceof svc.InterviewInputError);
        return e.fields.file;
      }
      return 'accepted';
    };
    assert.equal(reason('a.docx', Buffer.from('PK\u0003\u0004')), 'surveys.interviews.error.fileNotTxt');
    assert.equal(
      reason('a.txt', Buffer.from(`\ufeff${text}`, 'utf16le')),
      'surveys.interviews.error.fileNotText',
    );
    assert.equal(
      reason('a.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      'surveys.interviews.error.fileNotText',
    );
    assert.equal(reason('a.txt', Buffer.from('  \n ')), 'surveys.interviews.error.fileEmpty');
    assert.equal(
      reason('a.txt', Buffer.alloc(svc.MAX_TRANSCRIPT_BYTES + 1, 0x41)),
      'surveys.interviews.error.fileTooLarge',
    );
  });

  test('an excerpt is found in its paragraph: exactly, across folded whitespace, the occurrence nearest the selection', () => {
    const text = svc.normalizeTranscript(TRANSCRIPT);
    const p = svc.paragraphs(text)[1]!;
    const at = (s: { start: number; end: number } | null) => (s ? text.slice(s.start, s.end) : null);
    assert.equal(at(svc.locateExcerpt(p, ' главный источник ')), 'главный источник');
    assert.deepEqual(svc.locateExcerpt(p, ''), { start: p.start, end: p.end });
    assert.equal(at(svc.locateExcerpt(p, 'главный\n  источник')), 'главный источник');
    // "соседи" three times (case-sensitive: "соседей", "Соседи", "соседи"): the first, or the one near 60.
    const first = svc.locateExcerpt(p, 'соседи')!;
    assert.equal(first.start - p.start, p.text.indexOf('соседи'));
    const near = svc.locateExcerpt(p, 'соседи', p.text.lastIndexOf('соседи') - 2)!;
    assert.equal(near.start - p.start, p.text.lastIndexOf('соседи'));
    assert.equal(svc.locateExcerpt(p, 'портал'), null);
    assert.equal(svc.locateExcerpt(p, 'Портал знают молодые'), null, 'text of another paragraph');
  });
});

describe('code books', () => {
  test('codes typed one a line, "name — description"; duplicates in any letter case refused', async () => {
    assert.deepEqual(svc.parseCodeLines('Доступность — можно ли добраться\n\n  Доверие - верят ли\nСоседи'), [
      { name: 'Доступность', description: 'можно ли добраться' },
      { name: 'Доверие', description: 'верят ли' },
      { name: 'Соседи', description: '' },
    ]);
    const twice = await refused(
      tx((trx) => svc.createCodeBook(trx, anna, { title: 'Книга', codes: 'Доверие — а\nдоверие — б' })),
    );
    assert.deepEqual(twice.fields, { codes: 'surveys.interviews.error.codeTwice' });
    assert.deepEqual(twice.params.codes, { name: 'доверие' });
    const empty = await refused(tx((trx) => svc.createCodeBook(trx, anna, { title: '', codes: '' })));
    assert.deepEqual(empty.fields, {
      title: 'surveys.interviews.error.titleMissing',
      codes: 'surveys.interviews.error.noCodes',
    });

    const id = await tx((trx) =>
      svc.createCodeBook(trx, anna, { title: 'Каналы', codes: 'Соседи\nПортал — сайт' }),
    );
    const exists = await refused(tx((trx) => svc.addCodes(trx, anna, id, 'Звонок\nПОРТАЛ')));
    assert.deepEqual(exists.fields, { codes: 'surveys.interviews.error.codeExists' });
    assert.equal((await svc.codeBook(db, id)).codes.length, 2, 'nothing added');
    assert.equal(await tx((trx) => svc.addCodes(trx, anna, id, 'Звонок — телефон')), 1);
    assert.deepEqual(
      (await svc.codeBook(db, id)).codes.map((c) => c.name),
      ['Звонок', 'Портал', 'Соседи'],
    );
    await assert.rejects(
      tx((trx) => svc.createCodeBook(trx, specialist, { title: 'x', codes: 'y' })),
      (e: AppError) => e.code === 'forbidden',
    );
  });
});

describe('interviews and coding', () => {
  const input = (over: Partial<svc.InterviewInput>): svc.InterviewInput => ({
    title: 'Интервью 1',
    guideId: '',
    codeBookId: '',
    expertRole: 'руководитель районного центра',
    expertGroup: 'руководители центров',
    districtId: '',
    interviewedOn: '2026-11-02',
    interviewer: 'Петрова',
    durationMinutes: '45',
    transcript: '',
    ...over,
  });
  let book = 0;
  let other = 0;
  let codes: Map<string, number>;

  test('an interview is recorded from pasted text or a Windows-1251 file; problems are reported together', async () => {
    book = await tx((trx) =>
      svc.createCodeBook(trx, anna, { title: 'Информирование', codes: 'Соседи\nПортал\nЗвонок' }),
    );
    other = await tx((trx) => svc.createCodeBook(trx, anna, { title: 'Другая', codes: 'Чужой' }));
    codes = new Map((await svc.codeBook(db, book)).codes.map((c) => [c.name, c.id]));

    const all = await refused(
      tx((trx) =>
        svc.recordInterview(
          trx,
          anna,
          input({
            title: ' ',
            expertGroup: '',
            interviewedOn: '2099-01-01',
            durationMinutes: '0',
            districtId: '999999',
            guideId: '12345',
          }),
        ),
      ),
    );
    assert.deepEqual(all.fields, {
      title: 'surveys.interviews.error.titleMissing',
      expert_group: 'surveys.interviews.error.groupMissing',
      guide: 'surveys.interviews.error.guideUnknown',
      code_book: 'surveys.interviews.error.codeBookMissing',
      district: 'surveys.interviews.error.districtUnknown',
      interviewed_on: 'surveys.interviews.error.dateFuture',
      duration: 'surveys.interviews.error.durationInvalid',
      transcript: 'surveys.interviews.error.transcriptMissing',
    });
    const both = await refused(
      tx((trx) =>
        svc.recordInterview(
          trx,
          anna,
          input({
            codeBookId: String(book),
            transcript: 'текст',
            file: { filename: 'a.txt', bytes: Buffer.from('x') },
          }),
        ),
      ),
    );
    assert.deepEqual(both.fields, { transcript: 'surveys.interviews.error.transcriptTwice' });

    const pasted = await tx((trx) =>
      svc.recordInterview(trx, anna, input({ codeBookId: String(book), transcript: TRANSCRIPT })),
    );
    const iv = await svc.interview(db, pasted);
    assert.equal(iv.transcript, svc.normalizeTranscript(TRANSCRIPT));
    assert.equal(iv.paragraphs.length, 4);
    assert.equal(iv.codeBook.title, 'Информирование');
    assert.equal(iv.durationMinutes, 45);
    assert.equal(iv.interviewedOn, '2026-11-02');

    const uploaded = await tx((trx) =>
      svc.recordInterview(
        trx,
        anna,
        input({
          title: 'Интервью 2',
          expertGroup: 'специалисты',
          codeBookId: String(book),
          file: { filename: 'интервью.txt', bytes: cp1251('И: Как узнают?\r\nР: Через соседей и портал.') },
        }),
      ),
    );
    assert.equal(
      (await svc.interview(db, uploaded)).transcript,
      'И: Как узнают?\nР: Через соседей и портал.',
    );
    const [audit] = await db
      .selectFrom('audit_log')
      .select(['action'])
      .where('subject_id', '=', String(uploaded))
      .where('action', '=', 'expert_interview.recorded')
      .execute();
    assert.ok(audit);
  });

  test('an excerpt becomes offsets in the transcript; text not in the paragraph, foreign codes and repeats are refused', async () => {
    const [first] = await svc.interviews(db, { group: 'руководители центров' });
    const iv = await svc.interview(db, first!.id);
    const out = await tx((trx) =>
      svc.codeParagraph(trx, anna, iv.id, {
        paragraph: 2,
        excerpt: 'главный источник',
        codeIds: [codes.get('Соседи')!],
        memo: 'ключевая мысль',
      }),
    );
    assert.equal(iv.transcript.slice(out.start, out.end), 'главный источник');
    assert.equal(out.start, iv.transcript.indexOf('главный источник'));

    const notThere = await refused(
      tx((trx) =>
        svc.codeParagraph(trx, anna, iv.id, {
          paragraph: 2,
          excerpt: 'Портал знают',
          codeIds: [codes.get('Портал')!],
          memo: '',
        }),
      ),
    );
    assert.deepEqual(notThere.fields, { excerpt: 'surveys.interviews.error.excerptNotFound' });
    const foreignCode = (await svc.codeBook(db, other)).codes[0]!.id;
    const foreign = await refused(
      tx((trx) =>
        svc.codeParagraph(trx, anna, iv.id, {
          paragraph: 2,
          excerpt: '',
          codeIds: [foreignCode],
          memo: '',
        }),
      ),
    );
    assert.deepEqual(foreign.fields, { codes: 'surveys.interviews.error.codeUnknown' });
    const none = await refused(
      tx((trx) => svc.codeParagraph(trx, anna, iv.id, { paragraph: 2, excerpt: '', codeIds: [], memo: '' })),
    );
    assert.deepEqual(none.fields, { codes: 'surveys.interviews.error.chooseCode' });
    const again = await refused(
      tx((trx) =>
        svc.codeParagraph(trx, anna, iv.id, {
          paragraph: 2,
          excerpt: 'главный   источник',
          codeIds: [codes.get('Соседи')!, codes.get('Портал')!],
          memo: '',
        }),
      ),
    );
    assert.deepEqual(again.fields, { codes: 'surveys.interviews.error.alreadyCoded' });
    assert.deepEqual(again.params.codes, { codes: '«Соседи»' });
    assert.equal((await svc.codings(db, iv, anna.userId)).length, 1, 'nothing more stored');
  });

  test('two coders are kept apart: each sees and removes only their own codings', async () => {
    const [first] = await svc.interviews(db, { group: 'руководители центров' });
    const iv = await svc.interview(db, first!.id);
    // Boris codes the same excerpt with the same code: his own coding, not a duplicate of Anna's.
    await tx((trx) =>
      svc.codeParagraph(trx, boris, iv.id, {
        paragraph: 2,
        excerpt: 'главный источник',
        codeIds: [codes.get('Соседи')!],
        memo: '',
      }),
    );
    const annas = await svc.codings(db, iv, anna.userId);
    const boriss = await svc.codings(db, iv, boris.userId);
    assert.equal(annas.length, 1);
    assert.equal(boriss.length, 1);
    assert.equal(annas[0]!.memo, 'ключевая мысль');
    assert.equal(boriss[0]!.coderId, boris.userId);
    assert.equal(boriss[0]!.paragraph, 2);
    assert.equal(boriss[0]!.text, 'главный источник');
    assert.equal((await svc.codings(db, iv)).length, 2);
    await assert.rejects(
      tx((trx) => svc.removeCoding(trx, anna, iv.id, boriss[0]!.id)),
      (e: AppError) => e.code === 'not_found',
    );
    await tx((trx) => svc.removeCoding(trx, boris, iv.id, boriss[0]!.id));
    assert.equal((await svc.codings(db, iv)).length, 1);
    assert.equal((await svc.codings(db, iv))[0]!.coderId, anna.userId);
  });

  test('the analysis: frequencies by code, interview and group, co-occurrence, excerpts, and kappa', async () => {
    // A fresh book and interview with four paragraphs so the expected kappa can be worked by hand.
    const kb = await tx((trx) => svc.createCodeBook(trx, anna, { title: 'Каппа', codes: 'X\nY' }));
    const kcodes = new Map((await svc.codeBook(db, kb)).codes.map((c) => [c.name, c.id]));
    const text = 'первый абзац\nвторой абзац\nтретий абзац\nчетвёртый абзац';
    const id = await tx((trx) =>
      svc.recordInterview(trx, anna, input({ title: 'К', codeBookId: String(kb), transcript: text })),
    );
    const code = (who: StaffActor, paragraph: number, name: string, excerpt = '') =>
      tx((trx) =>
        svc.codeParagraph(trx, who, id, { paragraph, excerpt, codeIds: [kcodes.get(name)!], memo: '' }),
      );
    // Anna: X on 1 and 2, Y on 3. Boris: X on 1, Y on 3 and 4 (and "абзац" in 4 with X: overlaps Y).
    await code(anna, 1, 'X');
    await code(anna, 2, 'X');
    await code(anna, 3, 'Y');
    await code(boris, 1, 'X');
    await code(boris, 3, 'Y');
    await code(boris, 4, 'Y');

    const a = await svc.analysis(db, { codeBookId: kb });
    assert.deepEqual(a.frequencies.codes, ['X', 'Y']);
    // Anna's and Boris's identical X on 1 and Y on 3 count once.
    const x = a.frequencies.byCode.find((c) => c.code === 'X')!;
    assert.deepEqual(x.total, { excerpts: 2, interviews: 1 });
    assert.deepEqual(x.byGroup['руководители центров'], { excerpts: 2, interviews: 1 });
    assert.deepEqual(a.frequencies.byInterview, [
      { interviewId: String(id), group: 'руководители центров', counts: { X: 2, Y: 2 } },
    ]);
    assert.deepEqual(a.coOccurrence, {
      codes: ['X', 'Y'],
      matrix: [
        [2, 0],
        [0, 2],
      ],
    });
    assert.deepEqual(
      a.excerpts.find((g) => g.code === 'Y')!.excerpts.map((e) => [e.paragraph, e.text, e.coders]),
      [
        [3, 'третий абзац', ['Test anna', 'Test boris']],
        [4, 'четвёртый абзац', ['Test boris']],
      ],
    );

    assert.equal(a.agreement.length, 1);
    const pair = a.agreement[0]!;
    assert.deepEqual([pair.coderA, pair.coderB], [anna.userId, boris.userId]);
    assert.equal(pair.units, 4);
    // Per code: p_o = 3/4, p_e = 1/2, kappa = 1/2. Pooled over 8 decisions: p_o = 6/8,
    // p_e = (3/8)² + (5/8)² = 34/64, kappa = (48/64 − 34/64) / (30/64) = 7/15.
    for (const k of pair.byCode) {
      assert.equal(k.observed, 0.75);
      assert.equal(k.expected, 0.5);
      assert.equal(k.kappa, 0.5);
    }
    assert.ok(Math.abs(pair.pooled.kappa - 7 / 15) < 1e-12);
    assert.equal(svc.kappaBand(pair.pooled.kappa), 'surveys.interviews.kappa.moderate');

    // Across code books, a code is named with its book (two books may share a name).
    assert.deepEqual((await svc.analysis(db, {})).frequencies.codes, [
      'Соседи (Информирование)',
      'X (Каппа)',
      'Y (Каппа)',
    ]);

    const onlyBoris = await svc.analysis(db, { codeBookId: kb, coderId: boris.userId });
    assert.deepEqual(onlyBoris.frequencies.byInterview[0]!.counts, { X: 1, Y: 2 });

    const csv = await svc.codingsCsv(db, { codeBookId: kb });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 7);
    assert.match(lines[0]!, /^interview_id,interview_title,expert_group/);
    assert.match(lines[1]!, /,К,руководители центров,.*,Каппа,X,Test anna,1,0,12,первый абзац,$/);
  });
});
