// Matching without a database: transliteration folding, the distance, SNILS typos and pair scores.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonical, damerauLevenshtein, type MatchPerson, scorePair, snilsTypo } from './dedup.match.ts';

const person = (over: Partial<MatchPerson>): MatchPerson => ({
  id: 1,
  snils: '11223344595',
  last_name: 'Кузнецова',
  first_name: 'Наталья',
  patronymic: 'Игоревна',
  birth_date: '1968-03-14',
  sex: 'F',
  address: 'Волжский, ул. Мира, д. 5, кв. 12',
  phone: null,
  email: null,
  ...over,
});

describe('name folding', () => {
  test('the usual Latin spellings of one Russian name meet', () => {
    for (const spelling of ['Юрий', 'Yuriy', 'Iurii', 'Jurij', 'Yuri'])
      assert.equal(canonical(spelling), canonical('Юрий'), spelling);
    assert.equal(canonical('Наталья'), canonical('Natalia'));
    assert.equal(canonical('Natalya'), canonical('Natalia'));
    assert.equal(canonical('Михаил'), canonical('Mikhail'));
    assert.equal(canonical('Фёдор'), canonical('Федор'));
    assert.equal(canonical('Римский-Корсаков'), canonical('Rimskiy Korsakov'));
  });
  test('different names stay different', () => {
    assert.notEqual(canonical('Иван'), canonical('Илья'));
    assert.notEqual(canonical('Анна'), canonical('Алла'));
  });
});

describe('Damerau–Levenshtein', () => {
  test('counts edits, an adjacent swap as one', () => {
    assert.equal(damerauLevenshtein('иванов', 'иванов'), 0);
    assert.equal(damerauLevenshtein('иванов', 'ивнаов'), 1);
    assert.equal(damerauLevenshtein('иванов', 'иванова'), 1);
    assert.equal(damerauLevenshtein('иванов', 'ивакнов'), 1);
    assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
    assert.equal(damerauLevenshtein('', 'abc'), 3);
  });
  test('stops early past the limit', () => {
    assert.equal(damerauLevenshtein('абвгдежз', 'зжедгвба', 2), 3);
  });
});

describe('SNILS typed in by hand', () => {
  test('one digit off or two adjacent digits swapped', () => {
    assert.ok(snilsTypo('11223344595', '11223344596'));
    assert.ok(snilsTypo('11223344595', '12123344595'));
    assert.ok(!snilsTypo('11223344595', '11223344595'));
    assert.ok(!snilsTypo('11223344595', '21223344596'));
    assert.ok(!snilsTypo('11223344595', '15223344195'));
  });
});

describe('pair scores', () => {
  test('a typo, a transliteration and swapped names at one address are proposed, with reasons', () => {
    const typo = scorePair(person({}), person({ id: 2, snils: '99988877766', last_name: 'Кузнецва' }));
    assert.ok(typo);
    assert.deepEqual(typo.reasons.slice(0, 2), ['fuzzy_name', 'name_typo']);
    const latin = scorePair(
      person({}),
      person({
        id: 2,
        snils: '99988877766',
        last_name: 'Kuznetsova',
        first_name: 'Natalia',
        patronymic: null,
      }),
    );
    assert.ok(latin?.reasons.includes('transliteration'));
    const swapped = scorePair(
      person({}),
      person({ id: 2, snils: '99988877766', last_name: 'Наталья', first_name: 'Кузнецова' }),
    );
    assert.ok(swapped?.reasons.includes('swapped_names'));
  });
  test('namesakes born on one day at different addresses are not proposed', () => {
    assert.equal(
      scorePair(person({}), person({ id: 2, snils: '99988877766', address: 'Камышин, ул. Ленина, д. 40' })),
      null,
    );
  });
  test('a SNILS typo with the same name and birth date is proposed even after a move', () => {
    const moved = scorePair(
      person({}),
      person({ id: 2, snils: '11223344559', address: 'Камышин, ул. Ленина, д. 40' }),
    );
    assert.ok(moved?.reasons.includes('snils_typo'));
  });
  test('a different birth date is never a pair', () => {
    assert.equal(
      scorePair(person({}), person({ id: 2, snils: '11223344596', birth_date: '1968-03-15' })),
      null,
    );
  });
});
