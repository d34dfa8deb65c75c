import type { Generated } from 'kysely';

export interface ResidentTables {
  resident_accounts: {
    id: Generated<number>;
    person_id: number;
    oidc_subject: string;
    created_at: Generated<Date>;
    last_sign_in_at: Date | null;
  };
  oidc_logins: {
    state: string;
    nonce: string;
    code_verifier: string;
    return_to: string;
    created_at: Generated<Date>;
  };
}
