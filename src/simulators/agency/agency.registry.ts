// What the simulated agencies know about a person. Real agencies keep their own registers; the
// simulator stands in for them by READING the Opora database (read-only: it never writes there),
// plus values derived deterministically from the SNILS for what the synthetic region does not hold
// (pension amounts, passport numbers, property, act record numbers).
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';

export interface AgencyPerson {
  snils: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  address: string;
  categories: string[];
  disabilityGroup: number | null;
  monthlyIncome: number;
  diedOn: string | null;
  children: Array<{ fullName: string; birthDate: string }>;
  spouse: string | null;
  deathsInHousehold: Array<{ fullName: string; diedOn: string }>;
}

export interface AgencyRegistry {
  /** undefined: the agency has no record of this SNILS (answered NOT_FOUND). */
  person(snils: string): Promise<AgencyPerson | undefined>;
}

const fullName = (p: { last_name: string; first_name: string; patronymic: string | null }) =>
  [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' ');

/** The synthetic registry in Opora's database, read-only. */
export function dbRegistry(db: Db): AgencyRegistry {
  return {
    async person(snils) {
      const p = await db
        .selectFrom('persons')
        .select([
          'id',
          'last_name',
          'first_name',
          'patronymic',
          'birth_date',
          'sex',
          'address',
          'categories',
          'disability_group',
          'monthly_income',
          'died_on',
        ])
        .where('snils', '=', snils)
        .executeTakeFirst();
      if (!p) return undefined;
      const family = await db
        .selectFrom('household_members as me')
        .innerJoin('household_members as other', 'other.household_id', 'me.household_id')
        .innerJoin('persons as o', 'o.id', 'other.person_id')
        .select([
          'me.relationship as my_role',
          'other.relationship as role',
          'o.last_name',
          'o.first_name',
          'o.patronymic',
          'o.birth_date',
          'o.died_on',
        ])
        .where('me.person_id', '=', p.id)
        .whereRef('other.person_id', '<>', 'me.person_id')
        .execute();
      const parent = (r: (typeof family)[number]) => r.my_role === 'head' || r.my_role === 'spouse';
      const spouse = family.find(
        (r) => (r.my_role === 'head' && r.role === 'spouse') || (r.my_role === 'spouse' && r.role === 'head'),
      );
      return {
        snils,
        lastName: p.last_name,
        firstName: p.first_name,
        patronymic: p.patronymic,
        birthDate: p.birth_date,
        sex: p.sex,
        address: p.address,
        categories: p.categories,
        disabilityGroup: p.disability_group,
        monthlyIncome: Number(p.monthly_income),
        diedOn: p.died_on,
        children: family
          .filter((r) => parent(r) && r.role === 'child')
          .map((r) => ({ fullName: fullName(r), birthDate: r.birth_date })),
        spouse: spouse ? fullName(spouse) : null,
        deathsInHousehold: family
          .filter((r): r is typeof r & { died_on: string } => r.died_on !== null)
          .map((r) => ({ fullName: fullName(r), diedOn: r.died_on })),
      };
    },
  };
}

/** A number in [0, n) that is always the same for this SNILS and purpose. */
export function derived(snils: string, purpose: string, n: number): number {
  const h = createHash('sha256').update(`${purpose}:${snils}`).digest();
  return h.readUInt32BE(0) % n;
}
