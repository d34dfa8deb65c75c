// The whole application on a real port, over a fresh test database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { type TestDatabase, testDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Base URL of the running app, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  database: TestDatabase;
  config: Config;
}

const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export function testConfig(overrides: Partial<Config> = {}): Config {
  process.env.OPORA_SECRET ??= TEST_SECRET;
  return {
    ...loadConfig({ ...process.env, LOG_LEVEL: 'warn' }),
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Each test app keeps its documents in its own directory, never in the developer's .data/.
    storage: { kind: 'local', dir: mkdtempSync(join(tmpdir(), 'opora-blobs-')) },
    ...overrides,
  };
}

/** Starts the app on a free port; closes it after the file's tests. Pass `db` to share a database. */
export async function startTestApp(
  options: { database?: TestDatabase; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const database = options.database ?? (await testDatabase());
  const config = testConfig(options.config);
  const app = await createApp({ config, db: database.db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  after(() => app.close());
  return { app, db: database.db, baseUrl: `http://127.0.0.1:${port}`, database, config };
}

export type { Db };
