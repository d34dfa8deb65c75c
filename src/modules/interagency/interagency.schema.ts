// Tables of the interagency module.
import type { ColumnType, Generated } from 'kysely';
import type { Agency } from '../catalog/catalog.schema.ts';

export type RequestStatus = 'pending' | 'sent' | 'answered' | 'failed';
export type InboundKind = 'response' | 'error' | 'event' | 'unknown';
export type InboundStatus = 'processed' | 'rejected';

type NullableJson<T> = ColumnType<T | null, T | string | null | undefined, T | string | null>;

export type InteragencyTables = {
  interagency_requests: {
    id: Generated<number>;
    message_id: string;
    application_id: number | null;
    measure_document_id: number | null;
    person_id: number;
    district_id: number;
    agency: Agency;
    request_type: string;
    status: Generated<RequestStatus>;
    attempts: Generated<number>;
    last_attempt_error: string | null;
    error_code: string | null;
    error_text: string | null;
    due_on: string;
    facts: NullableJson<Record<string, unknown>>;
    document_id: number | null;
    created_at: Generated<Date>;
    sent_at: Date | null;
    answered_at: Date | null;
  };
  interagency_inbound: {
    id: Generated<number>;
    gateway_message_id: string | null;
    kind: InboundKind;
    request_id: number | null;
    status: InboundStatus;
    error_code: string | null;
    error_text: string | null;
    summary: Generated<string>;
    xml: string;
    received_at: Generated<Date>;
  };
};
