// Tables of the egisso module: classifier codes of our measures, exports, their packages, and the
// per-assignment export state (what EGISSO last received, or why the record was rejected).
import type { ColumnType, Generated } from 'kysely';

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';
export type FactState = 'exported' | 'rejected' | 'cancelled';
export type FactOperation = 'new' | 'change' | 'cancel';

/** Why a record was not exported: a stable code and the detail (field, value or schema message). */
export interface Rejection {
  code: RejectionCode;
  detail: string;
}
export type RejectionCode =
  | 'no_classifier_code'
  | 'invalid_snils'
  | 'invalid_period'
  | 'amount_missing'
  | 'no_provider'
  | 'schema';

export interface EgissoTables {
  egisso_measure_codes: {
    measure_code: string;
    kmsz_code: string;
    default_category: string;
    updated_at: Generated<Date>;
  };
  egisso_exports: {
    id: Generated<number>;
    status: Generated<ExportStatus>;
    requested_by: number | null;
    created_at: Generated<Date>;
    started_at: Date | null;
    finished_at: Date | null;
    new_records: Generated<number>;
    changed_records: Generated<number>;
    cancelled_records: Generated<number>;
    rejected_records: Generated<number>;
    error: string | null;
  };
  egisso_packages: {
    id: string;
    export_id: number;
    district_id: number;
    provider_code: string;
    blob_sha256: string;
    size: number;
    records: number;
    created_at: Generated<Date>;
  };
  egisso_facts: {
    assignment_id: number;
    fact_id: string;
    district_id: number;
    state: FactState;
    version: Generated<number>;
    source_hash: string | null;
    record: ColumnType<unknown, string | null, string | null> | null;
    last_operation: FactOperation | null;
    export_id: number | null;
    package_id: string | null;
    exported_at: Date | null;
    reasons: ColumnType<Rejection[], string, string>;
    rejected_record: ColumnType<unknown, string | null, string | null> | null;
    rejected_hash: string | null;
    rejected_export_id: number | null;
    rejected_at: Date | null;
  };
}
