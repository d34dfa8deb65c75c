// Resolves where the database is: DATABASE_URL, or the embedded server under the data directory.
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { embeddedUrl, runningPort, startEmbedded } from './embedded.ts';

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if we started one. */
  close(): Promise<void>;
}

/** Creates the database on the server if it is missing (the embedded server starts with 'postgres' only). */
async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  } catch (error) {
    // Two instances starting at once may race to create it; the loser finds it there.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

export async function openDatabase(config: Config, log: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, close: async () => {} };
  const dir = join(config.dataDir, 'pg');
  const port = runningPort(dir);
  // Another opora process already runs the embedded server: share it, and leave stopping it to that process.
  if (port) return { url: embeddedUrl(port, 'opora'), close: async () => {} };
  const server = await startEmbedded({ dir, persistent: true, log });
  await ensureDatabase(server.url('postgres'), 'opora');
  return { url: server.url('opora'), close: () => server.stop() };
}
