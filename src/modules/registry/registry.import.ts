// Bulk reads and writes of persons for imports of district offices' files (modules/imports). An
// update goes through the persons table's history trigger like any other, so registry_history
// keeps every replaced row; a row that would not change is not touched (no empty history).
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';

/** The registry's persons behind some SNILS (11 digits each), with their district. */
export async function personsBySnils(db: DbOrTrx, snils: string[]) {
  if (snils.length === 0) return [];
  const { rows } = await sql<{ id: number; snils: string; district_id: number }>`
    select id, snils, district_id from persons where snils = any(${snils}::text[])`.execute(db);
  return rows;
}

/** Columns an import may leave out; when it does, an update keeps the stored value. */
export const OPTIONAL_PERSON_COLUMNS = [
  'settlement_id',
  'phone',
  'email',
  'categories',
  'disability_group',
  'monthly_income',
] as const;
export type OptionalPersonColumn = (typeof OPTIONAL_PERSON_COLUMNS)[number];

export interface ImportedPerson {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  district_id: number;
  address: string;
  settlement_id?: number | null;
  phone?: string | null;
  email?: string | null;
  categories?: string[];
  disability_group?: number | null;
  monthly_income?: number;
}

const REQUIRED = [
  'last_name',
  'first_name',
  'patronymic',
  'birth_date',
  'sex',
  'district_id',
  'address',
] as const;

/**
 * Inserts new persons and updates existing ones (by SNILS) in one statement per call. `columns`
 * names the optional columns the file had: only those (and the required ones) are updated.
 * Returns the ids of the rows inserted or changed; unchanged rows are not returned.
 */
export async function upsertPersons(
  trx: Trx,
  persons: ImportedPerson[],
  columns: readonly OptionalPersonColumn[],
): Promise<{ id: number; snils: string; inserted: boolean }[]> {
  if (persons.length === 0) return [];
  const updated = [...REQUIRED, ...OPTIONAL_PERSON_COLUMNS.filter((c) => columns.includes(c))];
  const set = sql.join(
    [...updated.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`), sql`updated_at = now()`],
    sql`, `,
  );
  const before = sql.join(
    updated.map((c) => sql`p.${sql.ref(c)}`),
    sql`, `,
  );
  const after = sql.join(
    updated.map((c) => sql`excluded.${sql.ref(c)}`),
    sql`, `,
  );
  const { rows } = await sql<{ id: number; snils: string; inserted: boolean }>`
    insert into persons as p (snils, last_name, first_name, patronymic, birth_date, sex, district_id,
                              address, settlement_id, phone, email, categories, disability_group,
                              monthly_income)
    select x.snils, x.last_name, x.first_name, x.patronymic, x.birth_date, x.sex, x.district_id,
           x.address, x.settlement_id, x.phone, x.email, coalesce(x.categories, '{}'),
           x.disability_group, coalesce(x.monthly_income, 0)
      from jsonb_to_recordset(${JSON.stringify(persons)}::jsonb) as x(
             snils text, last_name text, first_name text, patronymic text, birth_date date, sex text,
             district_id integer, address text, settlement_id integer, phone text, email text,
             categories text[], disability_group smallint, monthly_income numeric)
    on conflict (snils) do update set ${set}
     where (${before}) is distinct from (${after})
    returning p.id, p.snils, (p.xmax = 0) as inserted`.execute(trx);
  return rows;
}
