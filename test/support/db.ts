// A fresh, migrated database for one test file, dropped when the file's tests end.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createDb, type Db } from '../../src/platform/db/database.ts';

export interface TestDatabase {
  db: Db;
  url: string;
}

function serverUrl(): string {
  const url = process.env.OPORA_TEST_SERVER_URL;
  if (!url) throw new Error('OPORA_TEST_SERVER_URL is not set: run tests with `npm test` (global setup)');
  return url;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database and registers its removal after the file's tests. */
export async function testDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template opora_template`));
  const url = serverUrl().replace(/\/postgres$/, `/${name}`);
  const db = createDb(url, 5);
  after(async () => {
    await db.destroy();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });
  return { db, url };
}
