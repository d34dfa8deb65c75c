import type { ColumnType, Generated } from 'kysely';

export type Sex = 'M' | 'F';
export type PreferredChannel = 'portal' | 'email' | 'sms' | 'post';
export type Relationship = 'head' | 'spouse' | 'child' | 'parent' | 'other';
/** Recipient categories kept on a person; codes match recipient_categories. */
export type CategoryCode =
  | 'pensioner'
  | 'labour_veteran'
  | 'disabled'
  | 'large_family'
  | 'low_income'
  | 'single_parent'
  | 'war_veteran'
  | 'home_front_worker'
  | 'orphan'
  | 'unemployed'
  | 'emergency_victim';

export interface RegistryTables {
  persons: {
    id: Generated<number>;
    snils: string;
    last_name: string;
    first_name: string;
    patronymic: string | null;
    /** ISO date, YYYY-MM-DD (dates are kept as text to avoid time-zone shifts). */
    birth_date: string;
    sex: Sex;
    district_id: number;
    settlement_id: number | null;
    address: string;
    phone: string | null;
    email: string | null;
    preferred_channel: Generated<PreferredChannel>;
    categories: Generated<CategoryCode[]>;
    disability_group: number | null;
    monthly_income: ColumnType<number, number | undefined, number>;
    /** ISO date of death from the civil registry (agency events); null while alive. */
    died_on: ColumnType<string | null, string | null | undefined, string | null>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  households: {
    id: Generated<number>;
    district_id: number;
    settlement_id: number | null;
    address: string;
  };
  household_members: { household_id: number; person_id: number; relationship: Relationship };
}

export type AssignmentStatus = 'active' | 'suspended' | 'ended';
export type AssignmentBasis = 'application' | 'proactive' | 'mass_extension' | 'emergency';
export type AssignmentEventKind =
  | 'created'
  | 'extended'
  | 'suspended'
  | 'resumed'
  | 'ended'
  | 'recalculated'
  | 'reverted';
export type AccrualKind = 'accrual' | 'arrears' | 'overpayment';
type JsonMap = ColumnType<
  Record<string, unknown>,
  string | Record<string, unknown> | undefined,
  string | Record<string, unknown>
>;

export interface AssignmentTables {
  assignments: {
    id: Generated<number>;
    person_id: number;
    measure_id: number;
    status: Generated<AssignmentStatus>;
    basis: AssignmentBasis;
    amount: number;
    start_date: string;
    end_date: string | null;
    rule_version_id: number | null;
    parameters: JsonMap;
    decided_by: number | null;
    decided_at: Generated<Date>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  assignment_events: {
    id: Generated<number>;
    assignment_id: number;
    kind: AssignmentEventKind;
    batch_id: number | null;
    at: Generated<Date>;
    actor_id: number | null;
    details: JsonMap;
  };
  mass_extensions: {
    id: Generated<number>;
    measure_codes: string[];
    months: number;
    reason: string;
    created_by: number | null;
    created_at: Generated<Date>;
    affected: Generated<number>;
    reverted_by: number | null;
    reverted_at: Date | null;
  };
  accruals: {
    id: Generated<number>;
    assignment_id: number;
    period: string;
    kind: AccrualKind;
    amount: number;
    rule_version_id: number | null;
    parameters: JsonMap;
    reason: Generated<string>;
    created_at: Generated<Date>;
  };
  registry_history: {
    id: Generated<number>;
    table_name: 'persons' | 'households' | 'household_members' | 'assignments';
    row_id: number;
    changed_at: Generated<Date>;
    operation: 'UPDATE' | 'DELETE';
    old_row: Record<string, unknown>;
  };
}
