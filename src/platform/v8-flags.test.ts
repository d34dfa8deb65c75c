// The V8 settings the app runs with (v8-flags.ts), checked for the effect they are there for, in a
// child process each (a flag set here would change the test runner itself).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const FLAGS_MODULE = new URL('./v8-flags.ts', import.meta.url).href;

/**
 * Objects from one allocation site first live long (as a server's do while it starts), then die
 * young (as a request's do under load). Returns how much the old generation grew in the second
 * phase, in MB, young collections only.
 */
function oldGrowthMb(withAppFlags: boolean): number {
  const script = `
    ${withAppFlags ? `await import(${JSON.stringify(FLAGS_MODULE)});` : ''}
    const v8 = await import('node:v8');
    const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;
    function make(i) { return { i, next: null, list: [i, i, i, i] }; }
    const keep = [];
    for (let round = 0; round < 3; round++) {
      for (let r = 0; r < 5; r++) {
        for (let i = 0; i < 20000; i++) keep.push(make(i));
        gc({ type: 'minor' });
      }
      gc();
    }
    const before = old();
    for (let r = 0; r < 40; r++) {
      for (let i = 0; i < 20000; i++) make(i);
      gc({ type: 'minor' });
    }
    process.stdout.write(String((old() - before) / 1e6) + ' ' + keep.length);`;
  // A fixed young generation: V8 decides to pretenure only at a scavenge of a full-size one.
  const young = ['--min-semi-space-size=4', '--max-semi-space-size=4'];
  const out = execFileSync(process.execPath, ['--expose-gc', ...young, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(out.split(' ')[0]);
}

describe('V8 settings', () => {
  test('every command runs with them: the entry point imports them before anything else', () => {
    const entry = readFileSync(new URL('../../bin/opora.ts', import.meta.url), 'utf8');
    const firstImport = /^import .*$/m.exec(entry)?.[0];
    assert.equal(firstImport, "import '../src/platform/v8-flags.ts';");
  });

  test('short-lived objects do not fill the old generation after their allocation site once held long-lived ones', () => {
    const withFlags = oldGrowthMb(true);
    assert.ok(withFlags < 1, `old generation grew ${withFlags.toFixed(2)} MB with the app's flags`);
  });

  test('…which V8 does by default (why the flag is set; if this fails, V8 changed and the flag may go)', () => {
    // V8's decision depends on its timing as well: the most of three tries.
    const without = Math.max(oldGrowthMb(false), oldGrowthMb(false), oldGrowthMb(false));
    assert.ok(without > 2, `old generation grew only ${without.toFixed(2)} MB without the app's flags`);
  });
});
