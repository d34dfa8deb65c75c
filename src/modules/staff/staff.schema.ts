import type { Generated } from 'kysely';

export type StaffRole = 'specialist' | 'district_head' | 'ministry_analyst' | 'administrator' | 'researcher';

export interface StaffTables {
  staff_users: {
    id: Generated<number>;
    login: string;
    full_name: string;
    email: string | null;
    role: StaffRole;
    password_hash: string;
    totp_secret: string | null;
    failed_attempts: Generated<number>;
    locked_until: Date | null;
    is_disabled: Generated<boolean>;
    created_at: Generated<Date>;
  };
  staff_user_districts: { staff_user_id: number; district_id: number };
}
