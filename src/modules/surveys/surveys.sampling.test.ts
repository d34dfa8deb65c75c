import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocate, type Candidate, drawStratifiedSample } from './surveys.sampling.ts';

/** 600 candidates: district A has 300, B 200, C 100; ages alternate. */
function frame(): Candidate[] {
  const out: Candidate[] = [];
  const districts: [string, number][] = [
    ['A', 300],
    ['B', 200],
    ['C', 100],
  ];
  let n = 0;
  for (const [district, count] of districts)
    for (let i = 0; i < count; i++)
      out.push({ id: `p${n++}`, strata: { district, ageGroup: i % 2 ? '65+' : '18-64', channel: 'web' } });
  return out;
}

test('proportional allocation follows the strata sizes and adds up exactly', () => {
  const s = drawStratifiedSample(frame(), {
    size: 61,
    by: ['district'],
    allocation: 'proportional',
    seed: 1,
  });
  assert.deepEqual(
    s.strata.map((x) => [x.key[0], x.allocated]),
    [
      ['A', 31],
      ['B', 20],
      ['C', 10],
    ],
  );
  assert.equal(s.ids.length, 61);
  assert.equal(s.shortfall, 0);
});

test('equal allocation gives each stratum the same; a small stratum passes what it cannot take to others', () => {
  assert.deepEqual(allocate(30, [300, 200, 100], 'equal'), [10, 10, 10]);
  assert.deepEqual(allocate(90, [300, 200, 5], 'equal'), [43, 42, 5]);
  assert.deepEqual(allocate(1000, [3, 2], 'proportional'), [3, 2]);
});

test('the same seed draws the same sample whatever the order of the list; another seed draws another', () => {
  const req = { size: 50, by: ['district', 'ageGroup'], allocation: 'proportional', seed: 42 } as const;
  const a = drawStratifiedSample(frame(), req);
  const b = drawStratifiedSample([...frame()].reverse(), req);
  assert.deepEqual(a.ids, b.ids);
  const c = drawStratifiedSample(frame(), { ...req, seed: 43 });
  assert.notDeepEqual(a.ids, c.ids);
});

test('never the same person twice, even when the list repeats a person', () => {
  const people = frame();
  const withDuplicates = [...people, ...people.slice(0, 100)];
  const s = drawStratifiedSample(withDuplicates, {
    size: 600,
    by: ['district'],
    allocation: 'proportional',
    seed: 7,
  });
  assert.equal(s.duplicates, 100);
  assert.equal(new Set(s.ids).size, s.ids.length);
  assert.equal(s.ids.length, 600);
  const more = drawStratifiedSample(people, { size: 700, by: ['district'], allocation: 'equal', seed: 7 });
  assert.equal(more.ids.length, 600);
  assert.equal(more.shortfall, 100);
});

test('every stratum member has the same chance (roughly uniform over many seeds)', () => {
  const people = frame().filter((p) => p.strata.district === 'C'); // 100 people
  const hits = new Map<string, number>();
  for (let seed = 0; seed < 500; seed++)
    for (const id of drawStratifiedSample(people, { size: 10, by: [], allocation: 'equal', seed }).ids)
      hits.set(id, (hits.get(id) ?? 0) + 1);
  // Expected 50 each (500 × 10/100); binomial sd ≈ 6.7, so 20..80 fails only on a broken shuffle.
  assert.equal(hits.size, 100);
  for (const count of hits.values()) assert.ok(count > 20 && count < 80, `${count}`);
});
