// Tables of the imports module: one row per uploaded file, its row-level errors, and the progress
// of its write (a table of its own, updated outside the data transaction).
import type { ColumnType, Generated } from 'kysely';

export type ImportKind = 'residents' | 'assignments';
export type ImportStatus = 'preview' | 'queued' | 'running' | 'done' | 'failed';
export type ImportFormat = 'csv' | 'xlsx';

type Json<T> = ColumnType<T, string | undefined, string>;

/** One row of the preview: the values as they will be stored, already formatted for display. */
export interface SampleRow {
  sheet: string | null;
  row: number;
  table: 'residents' | 'assignments';
  /** true: a new person (residents); false: an update of a person in the registry. */
  isNew: boolean;
  cells: Record<string, string>;
}

export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  assignments: number;
}

export interface ImportsTables {
  imports: {
    id: Generated<number>;
    kind: ImportKind;
    status: Generated<ImportStatus>;
    filename: string;
    format: ImportFormat;
    file_sha256: string;
    size_bytes: number;
    created_by: number;
    created_at: Generated<Date>;
    district_ids: ColumnType<number[], number[] | undefined, number[]>;
    total_rows: Generated<number>;
    new_persons: Generated<number>;
    updated_persons: Generated<number>;
    new_assignments: Generated<number>;
    error_count: Generated<number>;
    sample: Json<SampleRow[]>;
    confirmed_by: number | null;
    confirmed_at: Date | null;
    scope_all: Generated<boolean>;
    scope_district_ids: ColumnType<number[], number[] | undefined, number[]>;
    started_at: Date | null;
    finished_at: Date | null;
    result: ColumnType<ImportResult | null, string | null | undefined, string | null>;
    failure: string | null;
  };
  import_errors: {
    import_id: number;
    seq: number;
    sheet: string | null;
    row_number: number | null;
    column_name: string | null;
    message_key: string;
    params: Json<Record<string, string | number>>;
  };
  import_progress: {
    import_id: number;
    processed: Generated<number>;
    total: Generated<number>;
    updated_at: Generated<Date>;
  };
}
