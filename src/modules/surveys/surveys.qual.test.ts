import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CodedExcerpt,
  codeFrequencies,
  codingAgreement,
  cohenKappa,
  coOccurrence,
  excerptsByCode,
} from './surveys.qual.ts';

const seg = (
  interviewId: string,
  group: string,
  coder: string,
  code: string,
  start: number,
  end: number,
): CodedExcerpt => ({ interviewId, group, coder, code, start, end });

const transcript1 = 'Очереди в МФЦ длинные. Сайт неудобен. Сотрудники вежливы.';
//                   0         1         2         3         4         5
const coded: CodedExcerpt[] = [
  seg('i1', 'heads', 'anna', 'queues', 0, 22),
  seg('i1', 'heads', 'anna', 'access', 0, 22), // one passage, two codes
  seg('i1', 'heads', 'anna', 'web', 23, 38),
  seg('i1', 'heads', 'boris', 'web', 23, 38), // the same passage by a second coder counts once
  seg('i1', 'heads', 'anna', 'access', 30, 45), // overlaps "web"
  seg('i2', 'specialists', 'boris', 'queues', 0, 10),
  seg('i2', 'specialists', 'boris', 'web', 50, 60),
];

test('code frequencies per interview and per expert group, a passage coded by two coders counted once', () => {
  const f = codeFrequencies(coded);
  assert.deepEqual(f.codes, ['access', 'queues', 'web']);
  const web = f.byCode.find((c) => c.code === 'web')!;
  assert.deepEqual(web.total, { excerpts: 2, interviews: 2 });
  assert.deepEqual(web.byGroup.heads, { excerpts: 1, interviews: 1 });
  const access = f.byCode.find((c) => c.code === 'access')!;
  assert.deepEqual(access.total, { excerpts: 2, interviews: 1 });
  assert.deepEqual(f.byInterview[0], {
    interviewId: 'i1',
    group: 'heads',
    counts: { access: 2, queues: 1, web: 1 },
  });
  assert.equal(
    codeFrequencies(coded, { coder: 'boris' }).byCode.find((c) => c.code === 'web')!.total.excerpts,
    2,
  );
});

test('co-occurrence counts overlapping segments of different codes in the same interview only', () => {
  const { codes, matrix } = coOccurrence(coded);
  const at = (a: string, b: string) => matrix[codes.indexOf(a)]![codes.indexOf(b)]!;
  assert.equal(at('queues', 'access'), 1); // same passage
  assert.equal(at('web', 'access'), 1); // 23–38 overlaps 30–45
  assert.equal(at('access', 'web'), 1);
  assert.equal(at('queues', 'web'), 0); // i2's queues (0–10) and web (50–60) do not overlap; i1's neither
  assert.equal(at('queues', 'queues'), 2);
});

test('excerpts by code carry their text from the transcript', () => {
  const list = excerptsByCode(coded, new Map([['i1', transcript1]]));
  const queues = list.find((l) => l.code === 'queues')!;
  assert.equal(queues.excerpts[0]!.text, 'Очереди в МФЦ длинные.');
  assert.equal(queues.excerpts[1]!.text, null);
});

test("Cohen's kappa matches the worked example of Wikipedia (50 proposals, κ = 0.4)", () => {
  // https://en.wikipedia.org/wiki/Cohen%27s_kappa#Simple_example — A and B both yes 20, A yes B no 5,
  // A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, κ = 0.4.
  const a: string[] = [];
  const b: string[] = [];
  const add = (x: string, y: string, n: number) => {
    for (let i = 0; i < n; i++) {
      a.push(x);
      b.push(y);
    }
  };
  add('yes', 'yes', 20);
  add('yes', 'no', 5);
  add('no', 'yes', 10);
  add('no', 'no', 15);
  const k = cohenKappa(a, b);
  assert.equal(k.observed, 0.7);
  assert.equal(k.expected, 0.5);
  assert.ok(Math.abs(k.kappa - 0.4) < 1e-12);
});

test('inter-coder agreement per code over units of a transcript', () => {
  const units = [
    { interviewId: 'i1', start: 0, end: 22 },
    { interviewId: 'i1', start: 23, end: 38 },
    { interviewId: 'i1', start: 39, end: 57 },
    { interviewId: 'i2', start: 0, end: 10 },
  ];
  const { byCode } = codingAgreement(coded, 'anna', 'boris', units);
  const web = byCode.find((c) => c.code === 'web')!;
  assert.equal(web.observed, 1); // both coded unit 2 as web, neither the others
  assert.equal(web.kappa, 1);
  const queues = byCode.find((c) => c.code === 'queues')!;
  assert.equal(queues.observed, 0.5); // anna: unit 1; boris: unit 4
});
