// What a command of the `opora` CLI gets: the configuration and an open database.
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

export interface CliRuntime {
  config: Config;
  db: Db;
  /** The database's connection string (embedded or DATABASE_URL). */
  url: string;
}
