// One embedded PostgreSQL server for the whole `npm test` run. Migrations run once into a template
// database; each test file then gets its own copy (CREATE DATABASE … TEMPLATE), which takes ~100 ms.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb } from '../src/platform/db/database.ts';
import { type EmbeddedServer, startEmbedded } from '../src/platform/db/embedded.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';

let server: EmbeddedServer | undefined;
let dir: string | undefined;
export const TEMPLATE_DB = 'opora_template';

export async function globalSetup(): Promise<void> {
  let serverUrl = process.env.OPORA_TEST_SERVER_URL;
  if (!serverUrl) {
    dir = mkdtempSync(join(tmpdir(), 'opora-test-pg-'));
    chmodSync(dir, 0o755); // the server runs as the 'postgres' user when we are root
    server = await startEmbedded({
      dir: join(dir, 'data'),
      persistent: false,
      // Throwaway data: durability settings off for speed.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    serverUrl = server.url('postgres');
    process.env.OPORA_TEST_SERVER_URL = serverUrl;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = serverUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`);
  const db = createDb(templateUrl, 1);
  await migrateToLatest(db);
  await db.destroy();
  await migrateJobQueue(templateUrl);
}

export async function globalTeardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
