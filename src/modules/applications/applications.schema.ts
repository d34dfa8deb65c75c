import type { ColumnType, Generated } from 'kysely';

export type ApplicationChannel = 'portal' | 'in_person' | 'mfc' | 'post' | 'proactive';
export type ApplicationState =
  | 'draft'
  | 'submitted'
  | 'registered'
  | 'waiting_resident'
  | 'waiting_interagency'
  | 'under_review'
  | 'approved'
  | 'refused'
  | 'suspended'
  | 'withdrawn';
export type DocumentSource = 'resident' | 'staff' | 'agency';
export type DocumentContentType = 'application/pdf' | 'image/jpeg' | 'image/png';
export type AppealLevel = 'district_head' | 'ministry';
export type AppealState = 'registered' | 'upheld' | 'dismissed';
export type EventActorKind = 'resident' | 'staff' | 'system';

type Json<T> = ColumnType<T, T | string | undefined, T | string>;
type NullableJson<T> = ColumnType<T | null, T | string | null | undefined, T | string | null>;

/** What a resident told us that the registry does not know. */
export interface ApplicationAnswers {
  phone?: string;
  email?: string;
  payment?: { method: 'bank'; account: string; bik: string } | { method: 'post' };
  /** The resident confirmed that the information is true (check answers page). */
  declared?: boolean;
}

/** The decision as it was made, kept whole so the letter never changes after the fact. */
export interface DecisionRecord {
  outcome: 'approved' | 'refused';
  on: string;
  measureTitle: { ru: string; en: string };
  legalBasis: { ru: string; en: string };
  /** Refusals: a code from REFUSAL_GROUNDS. */
  ground?: string;
  note: string;
  amount?: number | null;
  startDate?: string;
  decidedBy: string;
  ruleVersionId?: number | null;
  /** Set when an appeal reversed a refusal. */
  onAppeal?: number;
  /** The refusal that appeal set aside. */
  reversed?: DecisionRecord;
}

export interface ApplicationTables {
  applications: {
    id: Generated<number>;
    number: string | null;
    person_id: number;
    district_id: number;
    measure_id: number;
    channel: ApplicationChannel;
    state: ApplicationState;
    answers: Json<ApplicationAnswers>;
    priority: Generated<boolean>;
    priority_reasons: Generated<string[]>;
    decision_days: number;
    registered_on: string | null;
    deadline_on: string | null;
    paused_since: string | null;
    paused_days: Generated<number>;
    interagency_due_on: string | null;
    assignee_id: number | null;
    submission_key: string | null;
    decision: NullableJson<DecisionRecord>;
    decided_at: Date | null;
    decided_by: number | null;
    assignment_id: number | null;
    created_by_staff: number | null;
    created_at: Generated<Date>;
    submitted_at: Date | null;
    updated_at: Generated<Date>;
    version: Generated<number>;
  };
  application_documents: {
    id: Generated<number>;
    application_id: number;
    measure_document_id: number | null;
    title: string;
    source: DocumentSource;
    sha256: string;
    size: number;
    content_type: DocumentContentType;
    filename: string;
    added_by_staff: number | null;
    added_at: Generated<Date>;
  };
  appeals: {
    id: Generated<number>;
    application_id: number;
    person_id: number;
    district_id: number;
    channel: Exclude<ApplicationChannel, 'proactive'>;
    level: AppealLevel;
    state: Generated<AppealState>;
    grounds: string;
    registered_on: string;
    deadline_on: string;
    outcome_note: string | null;
    decided_at: Date | null;
    decided_by: number | null;
    submission_key: string | null;
    created_at: Generated<Date>;
    version: Generated<number>;
  };
  application_events: {
    id: Generated<number>;
    application_id: number;
    appeal_id: number | null;
    at: Generated<Date>;
    actor_kind: EventActorKind;
    actor_id: number | null;
    kind: string;
    from_state: string | null;
    to_state: string | null;
    visible_to_resident: Generated<boolean>;
    details: Json<Record<string, unknown>>;
  };
}
