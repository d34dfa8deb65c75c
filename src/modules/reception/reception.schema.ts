// Table types of the reception module (see migration 0006_reception).
import type { ColumnType, Generated } from 'kysely';

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
/** One weekday of a reception schedule: opening, closing and breaks ("HH:MM"), or null when closed. */
export type ScheduleDay = { open: string; close: string; breaks: [string, string][] } | null;
export type ScheduleDays = Record<Weekday, ScheduleDay>;

export type AppointmentChannel = 'portal' | 'phone' | 'desk';
export type AppointmentStatus = 'booked' | 'checked_in' | 'called' | 'served' | 'no_show' | 'cancelled';
export type SignupStatus = 'signed_up' | 'registered' | 'no_show' | 'cancelled';

type Json<T> = ColumnType<T, T | string, T | string>;

export interface ReceptionTables {
  reception_schedules: {
    office_id: number;
    days: Json<ScheduleDays>;
    slot_minutes: Generated<number>;
    priority_share: Generated<number>;
    days_ahead: Generated<number>;
    updated_by: number | null;
    updated_at: Generated<Date>;
    version: Generated<number>;
  };
  reception_desks: {
    id: Generated<number>;
    office_id: number;
    name: string;
    measure_ids: Generated<number[]>;
    is_active: Generated<boolean>;
    created_at: Generated<Date>;
  };
  reception_slot_lengths: { office_id: number; measure_id: number; minutes: number };
  slots: {
    id: Generated<number>;
    office_id: number;
    desk_id: number;
    starts_at: Date;
    ends_at: Date;
    reserved_for_priority: Generated<boolean>;
    is_open: Generated<boolean>;
  };
  appointments: {
    id: Generated<number>;
    slot_id: number;
    office_id: number;
    day: string;
    person_id: number;
    measure_id: number;
    channel: AppointmentChannel;
    status: Generated<AppointmentStatus>;
    priority: Generated<boolean>;
    ticket: string | null;
    desk_id: number | null;
    created_by_staff: number | null;
    application_id: number | null;
    booking_key: string | null;
    reminded_at: Date | null;
    checked_in_at: Date | null;
    called_at: Date | null;
    served_at: Date | null;
    cancelled_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    version: Generated<number>;
  };
  field_visits: {
    id: Generated<number>;
    district_id: number;
    visit_on: string;
    route: string;
    team_note: Generated<string>;
    settlement_ids: number[];
    created_by: number;
    created_at: Generated<Date>;
    version: Generated<number>;
  };
  field_visit_signups: {
    id: Generated<number>;
    visit_id: number;
    person_id: number;
    settlement_id: number;
    position: number;
    at_time: string | null;
    measure_id: number;
    status: Generated<SignupStatus>;
    application_id: number | null;
    created_by_staff: number;
    created_at: Generated<Date>;
    version: Generated<number>;
  };
}
