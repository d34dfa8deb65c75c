import type { ColumnType, Generated } from 'kysely';

export type SweepStatus = 'queued' | 'running' | 'done' | 'failed';
export type ProposalStatus = 'open' | 'accepted' | 'declined';

export interface ProactiveTables {
  sweeps: {
    id: Generated<number>;
    measure_id: number;
    as_of: string;
    status: Generated<SweepStatus>;
    total: Generated<number>;
    processed: Generated<number>;
    eligible: Generated<number>;
    proposals_created: Generated<number>;
    started_by: number | null;
    created_at: Generated<Date>;
    started_at: Date | null;
    finished_at: Date | null;
    error: string | null;
    /** When residents were told of the sweep's proposals (the inform job). */
    informed_at: Date | null;
    /** Assign at once (measures offered proactively) instead of proposing to a specialist. */
    auto_assign: Generated<boolean>;
  };
  proposals: {
    id: Generated<number>;
    person_id: number;
    measure_id: number;
    sweep_id: number | null;
    status: Generated<ProposalStatus>;
    amount: number | null;
    rule_version_id: number;
    parameters: ColumnType<Record<string, number>, string | Record<string, number>, string>;
    /** Explanation (rules.engine.ts) */
    explanation: ColumnType<unknown, string | unknown, string>;
    created_at: Generated<Date>;
    decided_by: number | null;
    decided_at: Date | null;
    assignment_id: number | null;
  };
}
