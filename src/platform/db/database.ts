// One typed Kysely instance over a pg pool. The Database type is the union of each feature's tables.
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
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
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

export function createDb(connectionString: string, max = 10): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(connectionString, max) }) });
}
