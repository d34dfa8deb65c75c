// A throwaway PostgreSQL for benchmarks: embedded, in a temp dir, with one database, deleted on stop.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/platform/db/embedded.ts';

/**
 * Bench settings for throwaway data, never for data you keep: no durability (fsync, full page writes,
 * synchronous commit off), minimal WAL (lets COPY into a table truncated in the same transaction skip
 * WAL), room for big sorts and hashes, and no checkpoints or autovacuum in the middle of a load.
 */
export const BENCH_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  shared_buffers: '1GB',
  work_mem: '64MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  autovacuum: 'off',
};

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startBenchDatabase(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `opora-bench-${name}-`));
  chmodSync(dir, 0o755); // the server runs as the 'postgres' user when we are root
  const server = await startEmbedded({ dir: join(dir, 'data'), persistent: false, settings: BENCH_SETTINGS });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('create database opora_bench');
  await admin.end();
  return {
    url: server.url('opora_bench'),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
