// SQL for residents' accounts and pending OpenID Connect sign-ins.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

export interface NewLogin {
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
}

export async function insertLogin(db: DbOrTrx, login: NewLogin): Promise<void> {
  await db.insertInto('oidc_logins').values(login).execute();
}

/** Takes a pending sign-in out: a state can be used once, by whichever instance receives it. */
export async function takeLogin(db: DbOrTrx, state: string) {
  return await db
    .deleteFrom('oidc_logins')
    .where('state', '=', state)
    .returning(['nonce', 'code_verifier', 'return_to', 'created_at'])
    .executeTakeFirst();
}

export async function deleteLoginsBefore(db: DbOrTrx, before: Date): Promise<number> {
  const result = await db.deleteFrom('oidc_logins').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Finds or creates the person's account in one statement (safe against two sign-ins at once).
 * The identity provider vouches for the SNILS, so a new subject for the same person relinks the account.
 */
export async function upsertAccount(db: DbOrTrx, personId: number, subject: string) {
  return await db
    .insertInto('resident_accounts')
    .values({ person_id: personId, oidc_subject: subject, last_sign_in_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({ oidc_subject: subject, last_sign_in_at: sql<Date>`now()` }),
    )
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
}
