// Table types of the notifications module (migration 0007_notifications).
import type { ColumnType, Generated } from 'kysely';

export type NotificationEvent =
  | 'application_received'
  | 'application_registered'
  | 'documents_needed'
  | 'decision'
  | 'message'
  | 'appointment_booked'
  | 'appointment_moved'
  | 'appointment_cancelled'
  | 'appointment_reminder'
  | 'payment'
  | 'campaign'
  | 'survey_invitation';

export type Channel = 'portal' | 'email' | 'sms' | 'post';
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
export type Lang = 'ru' | 'en';
export type Params = Record<string, string | number>;

export interface NotificationsTables {
  notification_messages: {
    id: Generated<number>;
    event: NotificationEvent;
    params: ColumnType<Params, Params | string, Params | string>;
    campaign_id: number | null;
    created_at: Generated<Date>;
  };
  notifications: {
    id: Generated<number>;
    message_id: number;
    person_id: number;
    channel: Channel | null;
    destination: string | null;
    lang: Lang | null;
    status: Generated<NotificationStatus>;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    last_error: string | null;
    sent_at: Date | null;
    provider_id: string | null;
    created_at: Generated<Date>;
  };
  notification_settings: {
    person_id: number;
    campaigns_opt_out: Generated<boolean>;
    lang: Generated<Lang>;
    updated_at: Generated<Date>;
  };
  notification_throttle: {
    channel: Channel;
    window_start: Date;
    used: number;
  };
  letter_batches: {
    id: Generated<number>;
    district_id: number;
    batch_date: string;
    letters: number;
    sha256: string;
    size_bytes: number;
    created_at: Generated<Date>;
  };
}
