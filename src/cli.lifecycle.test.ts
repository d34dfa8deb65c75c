// Starting and stopping the real command in its own process. `npm start` as a newcomer runs it: a
// fresh data directory, no DATABASE_URL (so the embedded PostgreSQL), demo data, the home page; then
// Ctrl+C. A terminal sends Ctrl+C's SIGINT to the whole foreground process group, the embedded
// PostgreSQL included, so the database begins its own fast shutdown while the app is still stopping
// in order; the app must take that quietly. And `opora serve` in production stops on SIGTERM by
// finishing what it is doing, not by exiting on the spot.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { testDatabase } from '../test/support/db.ts';
import { freePort } from './platform/db/embedded.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'opora-start-'));
chmodSync(dir, 0o755); // the database runs as the 'postgres' user when we are root
after(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a fresh machine: every outside system is the demo's own simulator. */
async function freshEnv(dataDir = join(dir, 'data')): Promise<NodeJS.ProcessEnv> {
  // None of the project's settings: no DATABASE_URL, no NODE_ENV, no OPORA_* (the test runner's too).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'DATABASE_URL' && name !== 'NODE_ENV' && !name.startsWith('OPORA_'),
    ),
  );
  Object.assign(env, { OPORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  for (const name of ['PORT', 'OPORA_IDP_PORT', 'OPORA_SMS_SIM_PORT', 'OPORA_AGENCY_SIM_PORT'])
    env[name] = String(await freePort());
  return env;
}

interface Running {
  child: ChildProcess;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | string | null>;
  stdout: () => string;
  stderr: () => string;
  output: () => string;
}

/** `opora <args>` as its own process group, as a terminal or a service manager runs it. */
function run(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(
    process.execPath,
    ['--import', './src/platform/loader/register.ts', 'bin/opora.ts', ...args],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => `stdout:\n${stdout.slice(-3000)}\nstderr:\n${stderr.slice(-3000)}`,
  };
}

/** The exit code, or 'hung' if the process has not exited within a minute. */
async function exitCode(running: Running): Promise<number | string | null> {
  return await Promise.race([
    running.exited,
    new Promise<string>((r) => setTimeout(() => r('hung'), 60_000).unref()),
  ]);
}

function killGroup(running: Running): void {
  try {
    process.kill(-running.child.pid!, 'SIGKILL');
  } catch {
    // the group has gone, as it should
  }
}

/** Whether a process runs (one that has ended but not been reaped by its new parent has not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitForPage(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) assert.fail(`npm start exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) assert.fail(`no page at ${url} after 150 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('npm start on a fresh machine', () => {
  test('serves the portal with demo data, and Ctrl+C stops it and its database without an error', {
    timeout: 240_000,
  }, async () => {
    const env = await freshEnv();
    const start = run(['start', '--persons', '300'], env);
    try {
      const home = await waitForPage(`http://localhost:${env.PORT}/`, start.child, start.output);
      assert.match(await home.text(), /<html lang="ru"/);
      assert.match(start.stderr(), /Staff accounts/, 'the demo accounts are printed for the newcomer');

      process.kill(-start.child.pid!, 'SIGINT'); // what Ctrl+C in the terminal does
      assert.equal(await exitCode(start), 0, start.output());
      assert.doesNotMatch(
        start.stderr(),
        /\berror\b|connection lost|terminating connection/i,
        start.output(),
      );
      assert.ok(!existsSync(join(dir, 'data', 'pg', 'postmaster.pid')), 'the embedded database has stopped');
    } finally {
      killGroup(start);
    }
  });
});

describe('opora serve under a service manager', () => {
  test('SIGTERM stops it in order: the server closes, the worker stops, the process exits 0', {
    timeout: 120_000,
  }, async () => {
    const database = await testDatabase();
    const port = String(await freePort());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: port,
      NODE_ENV: 'production',
      OPORA_SECRET: 'lifecycle-test-secret-lifecycle-test-0123',
      OPORA_DATA_DIR: join(dir, 'serve'),
      LOG_LEVEL: 'warn',
    };
    const serve = run(['serve'], env);
    try {
      await waitForPage(`http://localhost:${port}/healthz`, serve.child, serve.output);
      serve.child.kill('SIGTERM'); // the process alone, as systemd or Kubernetes sends it
      assert.equal(await exitCode(serve), 0, serve.output());
      assert.match(serve.stderr(), /Stopping…/);
      assert.doesNotMatch(serve.stderr(), /\berror\b/i, serve.output());
    } finally {
      killGroup(serve);
    }
  });
});

describe('a one-shot command on the embedded database', () => {
  test('told to stop (SIGTERM to it alone) in the middle, it ends and its database shuts down too', {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(dir, 'seed');
    const seed = run(['seed', '--persons', '2000000'], await freshEnv(dataDir));
    try {
      const deadline = Date.now() + 90_000;
      while (!/Seeding residents/.test(seed.stderr())) {
        if (seed.child.exitCode !== null || Date.now() > deadline) assert.fail(seed.output());
        await new Promise((r) => setTimeout(r, 200));
      }
      const pidFile = join(dataDir, 'pg', 'postmaster.pid');
      const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      seed.child.kill('SIGTERM');
      assert.equal(await exitCode(seed), 'SIGTERM', seed.output());
      // PostgreSQL's fast shutdown finishes on its own: its pid file goes, then the process.
      const stopBy = Date.now() + 30_000;
      while ((existsSync(pidFile) || alive(postmaster)) && Date.now() < stopBy)
        await new Promise((r) => setTimeout(r, 200));
      assert.ok(!existsSync(pidFile), 'the embedded database shut down cleanly');
      assert.ok(!alive(postmaster), 'no PostgreSQL left running');
    } finally {
      killGroup(seed);
    }
  });
});
