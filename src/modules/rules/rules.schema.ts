import type { ColumnType, Generated } from 'kysely';

export type ParameterUnit = 'rub' | 'coefficient' | 'share' | 'years' | 'count' | 'months';
export type RuleStatus = 'draft' | 'proposed' | 'published' | 'rejected';
type Json<T> = ColumnType<T, string | T, string | T>;

export interface RulesTables {
  rule_parameters: { code: string; unit: ParameterUnit; title_ru: string; title_en: string };
  rule_parameter_values: {
    parameter_code: string;
    /** ISO date */
    effective_from: string;
    value: number;
    source: string;
    created_at: Generated<Date>;
  };
  rule_versions: {
    id: Generated<number>;
    measure_id: number;
    version: number;
    effective_from: string;
    status: Generated<RuleStatus>;
    /** RuleDefinition (rules.format.ts) */
    definition: Json<unknown>;
    /** RuleCase[] (rules.format.ts) */
    tests: Json<unknown>;
    note: Generated<string>;
    created_by: number | null;
    created_at: Generated<Date>;
    proposed_by: number | null;
    proposed_at: Date | null;
    reviewed_by: number | null;
    reviewed_at: Date | null;
    review_note: string | null;
  };
}
