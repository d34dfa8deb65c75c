// Tables of the dedup module.
import type { Generated } from 'kysely';

export type CandidateStatus = 'pending' | 'not_duplicate' | 'merged';

export interface DedupTables {
  dedup_candidates: {
    id: Generated<number>;
    person_a: number;
    person_b: number;
    score: number;
    reasons: string[];
    status: Generated<CandidateStatus>;
    found_at: Generated<Date>;
    reviewed_by: number | null;
    reviewed_at: Date | null;
  };
  dedup_merges: {
    id: Generated<number>;
    candidate_id: number;
    survivor_id: number;
    duplicate_id: number;
    district_ids: number[];
    duplicate_row: unknown;
    moved: unknown;
    merged_by: number;
    merged_at: Generated<Date>;
    undone_by: number | null;
    undone_at: Date | null;
  };
}
