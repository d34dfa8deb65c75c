// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// The XLSForm expression subset: what parses (and where and why not), and what relevant / constraint
// expressions evaluate to with ODK's treatment of unanswered questions (the empty string).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type EvalContext,
  ExprError,
  evaluate,
  holds,
  parseExpr,
  references,
  type Value,
  XDate,
} from './surveys.expr.ts';

const answers = (values: Record<string, Value>, extra: Partial<EvalContext> = {}): EvalContext => ({
  ref: (name) => values[name] ?? '',
  today: '2026-11-23',
  ...extra,
});
const value = (src: string, ctx: EvalContext = answers({})) => evaluate(parseExpr(src), ctx);
const parseError = (src: string, options = {}) => {
  try {
    parseExpr(src, options);
  } catch (e) {
    if (e instanceof ExprError) return { position: e.position, reason: e.reason, detail: e.detail };
    throw e;
  }
  assert.fail(`${src} parsed`);
};

describe('parsing', () => {
  test('the spec examples parse, and their references are listed', () => {
    for (const src of [
      "${has_child} = 'yes'",
      '. >= 0 and . <= 150',
      "selected(${colors}, 'red') or count-selected(${colors}) > 2",
      "string-length(.) = 10 and regex(., '^[0-9]+$')",
      '${a} + ${b} * 2 div 4 mod 3 - -1',
      "if(${age} >= 18, 'adult', 'minor')",
      'not(${x} != 1)',
      "coalesce(${nick}, ${name}) != ''",
      '. <= today()',
    ])
      assert.doesNotThrow(() => parseExpr(src), src);
    assert.deepEqual(
      references(parseExpr("${a} > 1 and selected(${b}, 'x')")).map((r) => [r.name, r.pos]),
      [
        ['a', 1],
        ['b', 23],
      ],
    );
  });

  test('errors give a 1-based position and a reason', () => {
    assert.deepEqual(parseError('${age} >= '), { position: 11, reason: 'unexpectedEnd', detail: '' });
    assert.deepEqual(parseError('${age} >> 3'), { position: 9, reason: 'unexpectedToken', detail: '>' });
    assert.deepEqual(parseError('${age'), { position: 1, reason: 'badReference', detail: '${age' });
    assert.deepEqual(parseError("${q} = 'yes"), { position: 8, reason: 'unterminatedString', detail: '' });
    assert.deepEqual(parseError('foo(${q})'), { position: 1, reason: 'unknownFunction', detail: 'foo' });
    assert.deepEqual(parseError('selected(${q})'), { position: 1, reason: 'arity', detail: 'selected' });
    assert.deepEqual(parseError('(${a} = 1'), { position: 10, reason: 'unexpectedEnd', detail: '' });
    assert.deepEqual(parseError('/data/age > 3'), { position: 1, reason: 'path', detail: '/' });
    assert.deepEqual(parseError('age > 3'), { position: 1, reason: 'bareName', detail: 'age' });
    assert.deepEqual(parseError('${a} # 1'), { position: 6, reason: 'unexpectedChar', detail: '#' });
    assert.deepEqual(parseError("regex(., '[')"), { position: 1, reason: 'badRegex', detail: '[' });
    assert.deepEqual(parseError('  '), { position: 1, reason: 'empty', detail: '' });
  });

  test('bare names are choice columns in choice_filter only', () => {
    assert.doesNotThrow(() => parseExpr('district = ${district}', { fields: true }));
    const ctx = answers({ district: 'north' }, { field: (n) => (n === 'district' ? 'north' : '') });
    assert.equal(evaluate(parseExpr('district = ${district}', { fields: true }), ctx), true);
    assert.equal(
      evaluate(
        parseExpr('district = ${district}', { fields: true }),
        answers({ district: 'south' }, { field: ctx.field! }),
      ),
      false,
    );
  });
});

describe('evaluation', () => {
  test('precedence: * and div before + and -, comparisons before and/or', () => {
    assert.equal(value('1 + 2 * 3'), 7);
    assert.equal(value('(1 + 2) * 3'), 9);
    assert.equal(value('7 mod 4'), 3);
    assert.equal(value('9 div 2'), 4.5);
    assert.equal(value('1 = 1 or 1 = 2 and 1 = 2'), true);
    assert.equal(value('-2 * -3'), 6);
  });

  test('relevant: skip logic on answers', () => {
    const ctx = answers({ has_child: 'yes', age: 34, colors: 'red blue' });
    assert.equal(holds("${has_child} = 'yes'", ctx), true);
    assert.equal(holds("${has_child} = 'no'", ctx), false);
    assert.equal(holds('${age} >= 18 and ${age} < 65', ctx), true);
    assert.equal(holds("selected(${colors}, 'blue')", ctx), true);
    assert.equal(holds("selected(${colors}, 'green')", ctx), false);
    assert.equal(holds('count-selected(${colors}) = 2', ctx), true);
    assert.equal(value("if(${age} >= 18, 'adult', 'minor')", ctx), 'adult');
  });

  test('unanswered questions are the empty string, as in ODK', () => {
    const ctx = answers({});
    // number('') is NaN: every comparison with it is false, both ways.
    assert.equal(holds('${age} > 18', ctx), false);
    assert.equal(holds('${age} <= 18', ctx), false);
    assert.equal(holds("${age} = ''", ctx), true);
    assert.equal(holds("${name} != ''", ctx), false);
    assert.equal(holds('${consent}', ctx), false);
    assert.equal(holds('not(${consent})', ctx), true);
    assert.ok(Number.isNaN(value('${a} + 1', ctx)));
    assert.equal(value('count-selected(${colors})', ctx), 0);
    assert.equal(holds("selected(${colors}, 'red')", ctx), false);
    assert.equal(value('string-length(${name})', ctx), 0);
    assert.equal(value("coalesce(${nick}, 'none')", ctx), 'none');
    assert.equal(value("coalesce(${nick}, 'none')", answers({ nick: 'Ann' })), 'Ann');
  });

  test('constraints: . is the answer being checked', () => {
    const check = (src: string, current: Value) => holds(src, answers({}, { current }));
    assert.equal(check('. >= 0 and . <= 120', 34), true);
    assert.equal(check('. >= 0 and . <= 120', 130), false);
    assert.equal(check("regex(., '^[0-9]{10}$')", '8442123456'), true);
    assert.equal(check("regex(., '^[0-9]{10}$')", '844212'), false);
    assert.equal(check('string-length(.) <= 5', 'Пётр'), true);
    assert.equal(check('. <= today()', XDate.parse('2026-11-23')!), true);
    assert.equal(check('. <= today()', XDate.parse('2026-11-24')!), false);
    assert.equal(check(". > '2000-01-01'", XDate.parse('2001-05-05')!), true);
  });

  test('equality follows XPath: numbers compare as numbers, strings as strings', () => {
    assert.equal(value("'1.0' = 1"), true);
    assert.equal(value("'1.0' = '1'"), false);
    assert.equal(value('true() = 1'), true);
    assert.equal(value("'abc' < 'b'"), false, 'relational operators compare numbers (NaN)');
  });
});
