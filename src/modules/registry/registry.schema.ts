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
