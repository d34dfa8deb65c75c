import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSnils, isValidSnils, normalizeSnils, snilsChecksum } from './snils.ts';

describe('SNILS', () => {
  it('computes the check number by the weighted sum rule', () => {
    assert.equal(snilsChecksum('112233445'), '95'); // S = 95 (< 100)
    assert.equal(snilsChecksum('123456789'), '64'); // S = 165 → 165 mod 101 = 64
    assert.equal(snilsChecksum('111222333'), '72');
    assert.equal(snilsChecksum('100108998'), '00'); // S = 100 → 00
    assert.equal(snilsChecksum('100108999'), '00'); // S = 101 → 00
    assert.equal(snilsChecksum('087654303'), '00'); // S = 202 → 202 mod 101 = 0
    assert.equal(snilsChecksum('999999999'), '01'); // S = 405 → 405 mod 101 = 1
  });

  it('accepts known valid numbers with or without separators', () => {
    for (const s of ['112-233-445 95', '11223344595', '123-456-789 64', ' 111-222-333 72 ']) {
      assert.equal(isValidSnils(s), true, s);
    }
  });

  it('rejects wrong check numbers and malformed input', () => {
    for (const s of [
      '112-233-445 96',
      '123-456-789 46',
      '1122334459',
      '112233445950',
      'abc-def-ghi 12',
      '',
    ]) {
      assert.equal(isValidSnils(s), false, s);
    }
  });

  it('does not check numbers up to 001-001-998, which predate the rule', () => {
    assert.equal(isValidSnils('001-001-998 00'), true);
    assert.equal(isValidSnils('000-000-000 00'), false);
  });

  it('normalizes and formats', () => {
    assert.equal(normalizeSnils('112-233-445 95'), '11223344595');
    assert.equal(normalizeSnils('112.233.445 95'), null);
    assert.equal(formatSnils('11223344595'), '112-233-445 95');
  });
});
