// Every rule set in rules/ (version control), checked and run against its own test cases with the
// parameters of rules/parameters.yaml: one test per case, named "<CODE>: <case name>".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEASURES } from '../../seed/measures.ts';
import { checkRule } from './rules.check.ts';
import { type CompiledRule, compileRule, runCase } from './rules.engine.ts';
import {
  type MeasureFile,
  paramsOn,
  type RuleFiles,
  readRuleFiles,
  type VersionFile,
  versionInForce,
} from './rules.yaml.ts';

let files: RuleFiles | null = null;
try {
  files = readRuleFiles();
} catch (error) {
  test('rules/ files are well-formed', () =>
    assert.fail(error instanceof Error ? error.message : String(error)));
}

const catalog = new Set(MEASURES.map((m) => m.code));

function checkVersion(all: RuleFiles, m: MeasureFile, v: VersionFile): void {
  const ctx = {
    known: new Set(all.parameters.map((p) => p.code)),
    inForce: new Set(Object.keys(paramsOn(all.parameters, v.effective_from))),
    effectiveFrom: v.effective_from,
  };
  const problems = checkRule(v.definition, ctx).map((p) => `${p.where}: ${p.message}`);
  assert.deepEqual(problems, [], `${m.measure} version ${v.version}:\n${problems.join('\n')}`);
}

if (files) {
  const all = files;
  for (const m of all.measures) {
    test(`${m.measure}: is a catalog measure`, () =>
      assert.ok(catalog.has(m.measure), `${m.measure} is not in src/seed/measures.ts`));
    const compiled = new Map<VersionFile, CompiledRule>();
    for (const v of m.versions) {
      test(`${m.measure}: version ${v.version} passes the check`, () => {
        checkVersion(all, m, v);
        compiled.set(v, compileRule(m.measure, v.definition, { version: v.version }));
      });
    }
    for (const c of m.tests) {
      test(`${m.measure}: ${c.name}`, () => {
        const v = versionInForce(m.versions, c.as_of);
        assert.ok(v, `no version is in force on ${c.as_of}`);
        const rule = compiled.get(v) ?? compileRule(m.measure, v.definition, { version: v.version });
        const result = runCase(rule, c, paramsOn(all.parameters, c.as_of));
        assert.ok(result.passed, `version ${v.version} on ${c.as_of}: ${result.message}`);
      });
    }
  }
}
