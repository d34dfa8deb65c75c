import type { Generated } from 'kysely';

export type SessionKind = 'staff' | 'resident';
export type ActorKind = 'staff' | 'resident' | 'system' | 'anonymous';

export interface PlatformTables {
  rate_limits: { key: string; window_start: Date; hits: Generated<number> };
  sessions: {
    id: string;
    kind: SessionKind;
    staff_user_id: number | null;
    resident_account_id: number | null;
    mfa_pending: Generated<boolean>;
    created_at: Generated<Date>;
    last_seen_at: Generated<Date>;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  };
  audit_log: {
    id: Generated<number>;
    at: Generated<Date>;
    actor_kind: ActorKind;
    actor_id: string | null;
    action: string;
    subject_kind: string | null;
    subject_id: string | null;
    district_id: number | null;
    ip: string | null;
    details: Generated<Record<string, unknown>>;
  };
  /** Each entry's place in the hash chain, appended by the chainer after commit (audit.service chainPending). */
  audit_chain: { seq: number; entry_id: number; prev_hash: string; hash: string };
  /** Entries committed but not linked yet (filled by a trigger on audit_log). */
  audit_pending: { id: number };
}
