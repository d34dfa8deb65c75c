// Tables of the quality module: the changed-case list written by a trigger, each case's last
// contribution, the cube of sums, and programme targets (see migration 0015); the accessibility register
// of offices and portal pages (0019).
import type { ColumnType, Generated } from 'kysely';

export interface QualityTables {
  quality_dirty_cases: { application_id: number };
  quality_case_facts: {
    application_id: number;
    district_id: number;
    measure_id: number;
    channel: string;
    priority: boolean;
    submitted_month: string | null;
    decided_month: string | null;
    registered_on: string | null;
    decided_on: string | null;
    on_time: boolean | null;
    work_days: number | null;
    file_complete: boolean | null;
    legal_basis: boolean | null;
    docs_asked: Generated<number>;
    docs_obtained: Generated<number>;
    decided_first: boolean | null;
  };
  quality_cube: {
    month: string;
    district_id: number;
    channel: string;
    measure_id: number;
    submitted: Generated<number>;
    electronic: Generated<number>;
    decided: Generated<number>;
    on_time: Generated<number>;
    work_days_sum: Generated<number>;
    work_days_hist: number[];
    priority_hist: number[];
    file_complete: Generated<number>;
    legal_basis: Generated<number>;
    docs_asked: Generated<number>;
    docs_obtained: Generated<number>;
    priority_decided: Generated<number>;
    decided_first: Generated<number>;
  };
  programme_targets: {
    id: Generated<number>;
    indicator_code: string;
    year: number;
    target: number;
    source: string;
    district_id: number | null;
    entered_by: number;
    entered_at: Generated<Date>;
  };
  accessibility_audits: {
    id: Generated<number>;
    office_id: number | null;
    page_path: string | null;
    /** ISO date (YYYY-MM-DD). */
    audited_on: ColumnType<string, string, string>;
    meets_requirements: boolean;
    findings: Generated<string>;
    source: string;
    recorded_by: number;
    recorded_at: Generated<Date>;
  };
}
