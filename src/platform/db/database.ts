// One typed Kysely instance over a pg pool. The Database type is the union of each feature's tables.
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { ApplicationTables } from '../../modules/applications/applications.schema.ts';
import type { CampaignsTables } from '../../modules/campaigns/campaigns.schema.ts';
import type { CatalogTables } from '../../modules/catalog/catalog.schema.ts';
import type { DedupTables } from '../../modules/dedup/dedup.schema.ts';
import type { EgissoTables } from '../../modules/egisso/egisso.schema.ts';
import type { GeographyTables } from '../../modules/geography/geography.schema.ts';
import type { ImportsTables } from '../../modules/imports/imports.schema.ts';
import type { InboxTables } from '../../modules/inbox/inbox.schema.ts';
import type { InteragencyTables } from '../../modules/interagency/interagency.schema.ts';
import type { NotificationsTables } from '../../modules/notifications/notifications.schema.ts';
import type { ProactiveTables } from '../../modules/proactive/proactive.schema.ts';
import type { QualityTables } from '../../modules/quality/quality.schema.ts';
import type { ReceptionTables } from '../../modules/reception/reception.schema.ts';
import type { AssignmentTables, RegistryTables } from '../../modules/registry/registry.schema.ts';
import type { ResidentTables } from '../../modules/residents/residents.schema.ts';
import type { RulesTables } from '../../modules/rules/rules.schema.ts';
import type { StaffTables } from '../../modules/staff/staff.schema.ts';
import type { SurveysTables } from '../../modules/surveys/surveys.schema.ts';
import type { PlatformTables } from './platform.schema.ts';

export interface Database
  extends PlatformTables,
    GeographyTables,
    CatalogTables,
    RegistryTables,
    StaffTables,
    ResidentTables,
    RulesTables,
    AssignmentTables,
    ProactiveTables,
    InboxTables,
    ApplicationTables,
    ReceptionTables,
    NotificationsTables,
    CampaignsTables,
    InteragencyTables,
    DedupTables,
    ImportsTables,
    EgissoTables,
    QualityTables,
    SurveysTables {}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either: the caller decides whether the work is in a transaction. */
export type DbOrTrx = Db | Trx;

// int8 ids stay far below 2^53; numerics are amounts in roubles; dates stay ISO text.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'opora' });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  const lost = (error: Error) => process.stderr.write(`[db] connection lost: ${error.message}\n`);
  pool.on('error', lost);
  // A checked-out client can fail too (the worker holds one for LISTEN): log it, never crash.
  pool.on('connect', (client) => {
    client.on('error', lost);
    wrapQuery(client);
  });
  return pool;
}

/**
 * Marks a hot statement (in its text, e.g. `.modifyEnd(PREPARED)` or at the start of a `sql`
 * template) to run as a prepared statement: parsed once per connection and, after a few runs,
 * planned once (plan_cache_mode auto). Only marked texts are prepared, so each connection keeps a
 * handful, not one per distinct query; a marked text must not vary with its input (use
 * `= any(${array})`, not `in (…)`). Behind a pooler in transaction mode this needs PgBouncer ≥ 1.21
 * with max_prepared_statements set. Not for a search in a table that may grow fast from small: the
 * generic plan is made once from the statistics of that moment and kept until the next ANALYZE (a
 * lookup planned on an empty table scanned all of it for every batch as it grew).
 */
export const PREPARED_MARK = '/* prepared */';
export const PREPARED = sql.raw(PREPARED_MARK);

const statementNames = new Map<string, string>();

type Query = (...args: unknown[]) => unknown;

/**
 * Wraps a connection's query(): a marked text runs as a named statement (above), and a call that
 * wants a promise (Kysely's way) goes to pg with a callback, the promise made here. pg's own promise
 * (a promise with a catch handler around the query's callback) often left each query's garbage
 * alive through two young-generation collections, so it was promoted and only a full collection
 * freed it: measured through Kysely at 500 queries a second, 1.36 MB promoted per scavenge that way
 * and almost none this way. At the intake's peak that fed a full collection every ~2.5 s, each one
 * a stall of the slowest requests (docs/performance.md, Intake, fourth session).
 */
function wrapQuery(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (text, values, ...rest) => {
    // Streams, query objects and callers with their own callback keep pg's own path.
    if (typeof text !== 'string' || !Array.isArray(values) || rest.length > 0)
      return query(text, values, ...rest);
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result));
      if (!text.includes(PREPARED_MARK)) query(text, values, done);
      else query({ name: statementName(text), text, values }, done);
    });
  };
}

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `opora_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

export function createDb(connectionString: string, max = 10): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(connectionString, max) }) });
}
