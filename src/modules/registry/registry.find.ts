// Finding a resident at a desk — by SNILS, or by name and date of birth within the reader's districts —
// the same way wherever staff start from a person (registering an application, booking a visit).
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { field } from '../../platform/http/validate.ts';
import type { MessageKey, Translate } from '../../platform/i18n/i18n.ts';
import { findPersonIdBySnils, searchPersonsForStaff } from './registry.service.ts';

export type PersonQuery = {
  snils: string;
  last_name: string;
  first_name: string;
  birth_date: string;
};

export type PersonBrief = Awaited<ReturnType<typeof searchPersonsForStaff>>[number];

export type FindOutcome =
  | {
      kind: 'form';
      values: PersonQuery;
      errors: Partial<Record<keyof PersonQuery, MessageKey>>;
      status: number;
    }
  | { kind: 'found'; personId: number }
  | { kind: 'results'; values: PersonQuery; results: PersonBrief[] };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Reads the finder's query (`by=snils` or `by=name`); the name search is audited as one read. */
export async function findPersonFromQuery(
  db: Db,
  staff: StaffActor,
  query: unknown,
  ip: string,
): Promise<FindOutcome> {
  const values: PersonQuery = {
    snils: field(query, 'snils'),
    last_name: field(query, 'last_name'),
    first_name: field(query, 'first_name'),
    birth_date: field(query, 'birth_date'),
  };
  const form = (errors: Partial<Record<keyof PersonQuery, MessageKey>>, status = 422): FindOutcome => ({
    kind: 'form',
    values,
    errors,
    status,
  });
  const by = field(query, 'by');
  if (by === 'snils') {
    if (!values.snils) return form({ snils: 'registry.find.snilsMissing' });
    let personId: number | undefined;
    try {
      personId = await findPersonIdBySnils(db, values.snils);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_snils')
        return form({ snils: 'registry.find.snilsInvalid' });
      throw error;
    }
    return personId ? { kind: 'found', personId } : form({ snils: 'registry.find.notFound' }, 404);
  }
  if (by === 'name') {
    const errors: Partial<Record<keyof PersonQuery, MessageKey>> = {};
    if (!values.last_name || values.last_name.length > 100)
      errors.last_name = 'registry.find.lastNameMissing';
    if (!values.first_name || values.first_name.length > 100)
      errors.first_name = 'registry.find.firstNameMissing';
    if (!isDate(values.birth_date)) errors.birth_date = 'registry.find.birthDateInvalid';
    if (Object.keys(errors).length > 0) return form(errors);
    const results = await db
      .transaction()
      .execute((trx) =>
        searchPersonsForStaff(
          trx,
          staff,
          { lastName: values.last_name, firstName: values.first_name, birthDate: values.birth_date },
          ip,
        ),
      );
    return { kind: 'results', values, results };
  }
  return form({}, 200);
}

/** The finder's errors in the reader's language, for the error summary. */
export function translateErrors(
  t: Translate,
  errors: Partial<Record<string, MessageKey>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, t(key as MessageKey)]));
}
