// Deterministic synthetic residents: households of realistic composition, names, ages, incomes and
// recipient categories, drawn from one seeded PRNG, so the same seed and reference date give the same registry.
import type { Remoteness } from '../modules/geography/geography.schema.ts';
import type {
  CategoryCode,
  PreferredChannel,
  Relationship,
  Sex,
} from '../modules/registry/registry.schema.ts';
import { snilsChecksum } from '../modules/registry/snils.ts';
import {
  FEMALE_NAMES,
  femaleSurname,
  MALE_NAMES,
  nameEra,
  PATRONYMICS,
  SURNAMES,
  transliterate,
} from './names.ts';
import { apportion, Random } from './random.ts';
import { SUBSISTENCE_MINIMUM } from './reference-data.ts';
import { type SettlementKind, STREETS, VOLGOGRAD_STREETS } from './region-data.ts';

export interface RegionIndex {
  districts: {
    id: number;
    code: string;
    population: number;
    remoteness: Remoteness;
    internet_coverage: number;
    settlements: {
      id: number;
      name_ru: string;
      kind: SettlementKind;
      population: number;
      is_remote: boolean;
    }[];
  }[];
}

export interface PersonRow {
  id: number;
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: Sex;
  district_id: number;
  settlement_id: number;
  address: string;
  phone: string | null;
  email: string | null;
  preferred_channel: PreferredChannel;
  categories: CategoryCode[];
  disability_group: number | null;
  monthly_income: number;
}

export interface HouseholdRow {
  id: number;
  district_id: number;
  settlement_id: number;
  address: string;
  members: { person: PersonRow; relationship: Relationship }[];
}

/** A resident whose details are fixed (for demos); the rest of the household is generated around them. */
export interface FixedResident {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string;
  birth_date: string;
  sex: Sex;
  district_code: string;
  categories: CategoryCode[];
  disability_group: number | null;
  monthly_income: number;
  household: 'alone' | 'with_spouse' | 'large_family';
}

export interface GenerateOptions {
  persons: number;
  seed: number;
  /** "Today" for ages, YYYY-MM-DD. */
  referenceDate: string;
  fixed?: readonly FixedResident[];
}

/** Generated SNILS numbers: 140-000-001 upwards, so fixed demo numbers below 140 million never clash. */
export const SNILS_BASE = 140_000_000;

export function snilsFor(personId: number): string {
  const nine = String(SNILS_BASE + personId);
  return nine + snilsChecksum(nine);
}

// Russian age pyramid, millions by five-year group from 0–4 to 95–99 (Rosstat, about 2023).
const PYRAMID = [
  7.2, 9.3, 9.0, 7.9, 6.9, 7.3, 10.5, 12.3, 11.0, 10.0, 9.0, 9.4, 10.3, 8.9, 6.8, 3.5, 3.0, 1.7, 0.5, 0.1,
];
const AGE_WEIGHTS = Array.from({ length: 100 }, (_, age) => PYRAMID[Math.floor(age / 5)] as number);
/** Share of men by age: women live longer. */
const maleShare = (age: number) =>
  age < 50 ? 0.5 : age < 60 ? 0.46 : age < 70 ? 0.42 : age < 80 ? 0.35 : 0.25;

/** Official retirement ages of the 2019–2028 transition as they stand around 2025. */
export const isPensionAge = (sex: Sex, age: number) => age >= (sex === 'F' ? 58 : 63);

type HouseholdKind =
  | 'single_young'
  | 'single_old'
  | 'couple_old'
  | 'couple'
  | 'couple_middle'
  | 'couple_adult_child'
  | 'couple_kids'
  | 'single_parent'
  | 'three_generations'
  | 'old_with_adult_child'
  | 'guardian';

/** Household mix (weights per household), with the number of children for families. */
const KINDS: [HouseholdKind, number, number][] = [
  ['single_young', 0.13, 0],
  ['single_old', 0.15, 0],
  ['couple_old', 0.13, 0],
  ['couple', 0.05, 0],
  ['couple_middle', 0.09, 0],
  ['couple_adult_child', 0.08, 0],
  ['couple_kids', 0.12, 1],
  ['couple_kids', 0.1, 2],
  ['couple_kids', 0.025, 3],
  ['couple_kids', 0.007, 4],
  ['couple_kids', 0.002, 5],
  ['single_parent', 0.05, 1],
  ['single_parent', 0.025, 2],
  ['single_parent', 0.004, 3],
  ['three_generations', 0.04, 2],
  ['old_with_adult_child', 0.05, 0],
  ['guardian', 0.004, 1],
];
const KIND_WEIGHTS: Record<Remoteness, number[]> = {
  urban: KINDS.map(([, w]) => w),
  suburban: KINDS.map(([, w]) => w),
  // Villages are older and have more large families.
  rural: KINDS.map(([k, w, n]) =>
    k === 'single_old' || k === 'couple_old' ? w * 1.25 : n >= 3 ? w * 1.5 : w,
  ),
  remote: KINDS.map(([k, w, n]) =>
    k === 'single_old' || k === 'couple_old' ? w * 1.4 : n >= 3 ? w * 1.7 : w,
  ),
};
const WAGE_MEDIAN: Record<Remoteness, number> = {
  urban: 47_000,
  suburban: 43_000,
  rural: 37_000,
  remote: 33_000,
};
const EMAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru'];

interface Draft {
  sex: Sex;
  age: number;
  relationship: Relationship;
  /** Family surname, male form. */
  surname: string;
  firstName: string;
  /** Father's first name, for the patronymic. */
  father: string;
  orphan?: boolean;
  fixed?: FixedResident;
}

type Settlement = RegionIndex['districts'][number]['settlements'][number];
type District = RegionIndex['districts'][number];

/** Yields households (with their members) in id order: the fixed ones first, then district by district. */
export function* generateHouseholds(region: RegionIndex, options: GenerateOptions): Generator<HouseholdRow> {
  const rng = new Random(options.seed);
  const ref = parseDate(options.referenceDate);
  const birthDates = new BirthDates(ref);
  const latin = cached((name: string) =>
    transliterate(name)
      .toLowerCase()
      .replace(/[^a-z]/g, ''),
  );
  let nextPerson = 1;
  let nextHousehold = 1;
  const byCode = new Map(region.districts.map((d) => [d.code, d]));

  const sampleAge = (min: number, max: number) => min + rng.weighted(AGE_WEIGHTS.slice(min, max + 1));
  const ctx: DraftContext = { rng, ref, refYear: ref.year, sampleAge };

  function person(d: Draft, district: District, settlement: Settlement, address: string): PersonRow {
    const f = d.fixed;
    const age = d.age;
    const categories: CategoryCode[] = f ? [...f.categories] : [];
    const add = (c: CategoryCode) => {
      if (!categories.includes(c)) categories.push(c);
    };
    let group: number | null = f ? f.disability_group : null;
    if (!f) {
      const pDisabled = age < 18 ? 0.012 : age < 45 ? 0.03 : age < 60 ? 0.07 : age < 75 ? 0.14 : 0.25;
      if (rng.chance(pDisabled)) {
        add('disabled');
        if (age >= 18) group = [1, 2, 2, 3, 3, 3, 2, 3][rng.int(0, age >= 75 ? 7 : 5)] as number;
      }
      if (d.orphan) add('orphan');
    }
    const pensionAge = isPensionAge(d.sex, age);
    const working = !pensionAge && age >= 18 && group !== 1;
    let income = f ? f.monthly_income : 0;
    if (!f) {
      if (pensionAge) {
        add('pensioner');
        if (rng.chance(age >= 65 ? 0.42 : 0.25)) add('labour_veteran');
        income = rng.logNormal(categories.includes('labour_veteran') ? 22_500 : 20_000, 0.18);
        if (age < 70 && rng.chance(0.22))
          income += rng.logNormal(WAGE_MEDIAN[district.remoteness] * 0.7, 0.4);
      } else if (group !== null && (group === 1 || rng.chance(0.6))) {
        add('pensioner'); // a disability pension
        income = rng.logNormal(15_000, 0.2);
      } else if (working) {
        const u = rng.next();
        const wage = () => rng.logNormal(WAGE_MEDIAN[district.remoteness] * (d.sex === 'F' ? 0.8 : 1), 0.45);
        if (age <= 22 && u < 0.6)
          income = d.relationship === 'child' ? (rng.chance(0.4) ? 2_500 : 0) : wage() * 0.5;
        else if (u < 0.05) {
          add('unemployed');
          income = rng.chance(0.5) ? rng.int(1_500, 12_000) : 0;
        } else if (u < 0.13 && d.relationship === 'spouse')
          income = 0; // keeps house
        else income = wage();
      }
      if (d.sex === 'M' && age >= 22 && age <= 75 && rng.chance(0.015)) add('war_veteran');
      if (ref.year - age <= 1931 && rng.chance(0.7)) add('home_front_worker');
    }

    const first = d.firstName;
    const last = f ? f.last_name : d.sex === 'F' ? femaleSurname(d.surname) : d.surname;
    const patronymic = f ? f.patronymic : (PATRONYMICS[d.father] as [string, string])[d.sex === 'M' ? 0 : 1];
    const phone = age >= 14 && rng.chance(age < 60 ? 0.92 : age < 75 ? 0.75 : 0.5) ? mobile(rng) : null;
    const emailChance =
      age < 16 ? 0 : (age < 45 ? 0.6 : age < 60 ? 0.4 : 0.15) * (0.6 + 0.4 * district.internet_coverage);
    const email = rng.chance(emailChance)
      ? `${latin(first)}.${latin(last)}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}`
      : null;
    const id = nextPerson++;
    return {
      id,
      snils: f ? f.snils.replace(/\D/g, '') : snilsFor(id),
      last_name: last,
      first_name: first,
      patronymic,
      birth_date: f ? f.birth_date : birthDates.random(rng, age),
      sex: d.sex,
      district_id: district.id,
      settlement_id: settlement.id,
      address,
      phone,
      email,
      preferred_channel: channel(rng, age, settlement, district, phone !== null, email !== null),
      categories,
      disability_group: group,
      monthly_income: Math.round(income),
    };
  }

  function household(
    drafts: Draft[],
    district: District,
    settlement: Settlement,
    address: string,
  ): HouseholdRow {
    const members = drafts.map((d) => ({
      person: person(d, district, settlement, address),
      relationship: d.relationship,
    }));
    // Household-level categories: large family, low income, single parent, emergency.
    const minors = drafts.filter((d) => d.age < 18).length;
    const incomeSum = members.reduce((s, m) => s + m.person.monthly_income, 0);
    const lowIncome = incomeSum / members.length < SUBSISTENCE_MINIMUM;
    const emergency = rng.chance(
      district.remoteness === 'rural' || district.remoteness === 'remote' ? 0.006 : 0.003,
    );
    const hasSpouse = drafts.some((d) => d.relationship === 'spouse');
    for (const [i, m] of members.entries()) {
      const c = m.person.categories;
      const d = drafts[i] as Draft;
      const parentOrChild = m.relationship === 'head' || m.relationship === 'spouse' || d.age < 18;
      if (minors >= 3 && parentOrChild && !c.includes('large_family')) c.push('large_family');
      if (lowIncome && !c.includes('low_income')) c.push('low_income');
      if (
        m.relationship === 'head' &&
        !hasSpouse &&
        minors > 0 &&
        drafts.some((x) => x.relationship === 'child')
      ) {
        if (!c.includes('single_parent')) c.push('single_parent');
      }
      if (emergency && !c.includes('emergency_victim')) c.push('emergency_victim');
    }
    return { id: nextHousehold++, district_id: district.id, settlement_id: settlement.id, address, members };
  }

  // The fixed (demo) households come first and count towards their districts.
  const fixedCount = new Map<string, number>();
  for (const f of options.fixed ?? []) {
    const district = byCode.get(f.district_code);
    if (!district) throw new Error(`unknown district "${f.district_code}" for a fixed resident`);
    const settlement = district.settlements[0] as Settlement;
    const drafts = fixedDrafts(f, ctx);
    fixedCount.set(district.code, (fixedCount.get(district.code) ?? 0) + drafts.length);
    yield household(drafts, district, settlement, address(rng, district, settlement));
  }

  const quotas = apportion(
    options.persons,
    region.districts.map((d) => d.population),
  ).map((q, i) => q - (fixedCount.get(region.districts[i]?.code ?? '') ?? 0));
  // A fixed household larger than a small district's share (tiny N) is made up for by the largest district.
  const overflow = quotas.reduce((sum, q) => sum + Math.max(0, -q), 0);
  const largest = quotas.indexOf(Math.max(...quotas));
  quotas[largest] = (quotas[largest] as number) - overflow;
  for (const [di, district] of region.districts.entries()) {
    const quota = Math.max(0, quotas[di] as number);
    const perSettlement = apportion(
      quota,
      district.settlements.map((s) => s.population),
    );
    const weights = KIND_WEIGHTS[district.remoteness];
    for (const [si, settlement] of district.settlements.entries()) {
      let left = perSettlement[si] as number;
      while (left > 0) {
        const [kind, , children] = KINDS[rng.weighted(weights)] as [HouseholdKind, number, number];
        let drafts = draftHousehold(kind, children, ctx);
        if (drafts.length > left)
          drafts = draftHousehold(rng.chance(0.5) ? 'single_young' : 'single_old', 0, ctx);
        left -= drafts.length;
        yield household(drafts, district, settlement, address(rng, district, settlement));
      }
    }
  }
}

// ---------------------------------------------------------------- household composition

interface DraftContext {
  rng: Random;
  ref: { year: number; month: number; day: number };
  refYear: number;
  sampleAge: (min: number, max: number) => number;
}

function firstNameFor(ctx: DraftContext, sex: Sex, age: number): string {
  return ctx.rng.pick((sex === 'M' ? MALE_NAMES : FEMALE_NAMES)[nameEra(ctx.refYear - age)] as string[]);
}

function draftHousehold(kind: HouseholdKind, children: number, ctx: DraftContext): Draft[] {
  const { rng, sampleAge } = ctx;
  const surname = rng.pick(SURNAMES);
  /** The father of an adult is not in the household: any name of the cohort before theirs. */
  const fatherOf = (age: number) => firstNameFor(ctx, 'M', Math.min(99, age + 28));
  const member = (sex: Sex, age: number, relationship: Relationship, father = fatherOf(age)): Draft => ({
    sex,
    age,
    relationship,
    // Some wives keep their own surname.
    surname: sex === 'F' && relationship === 'spouse' && rng.chance(0.15) ? rng.pick(SURNAMES) : surname,
    firstName: firstNameFor(ctx, sex, age),
    father,
  });
  const sexAt = (age: number): Sex => (rng.chance(maleShare(age)) ? 'M' : 'F');
  /** Ages of children under 18, oldest first, drawn from the pyramid (the mother's age follows). */
  const childAges = (n: number): number[] =>
    Array.from({ length: n }, () => sampleAge(0, 17)).sort((a, b) => b - a);
  const motherAge = (ages: number[]) => {
    const atFirstBirth = Math.max(19, Math.min(40, Math.round(26 + 4.5 * rng.normal())));
    return Math.max((ages[0] as number) + atFirstBirth, (ages.at(-1) as number) + 19);
  };
  const kids = (father: string, ages: number[], relationship: Relationship = 'child'): Draft[] =>
    ages.map((age) => member(rng.chance(0.51) ? 'M' : 'F', age, relationship, father));
  const husbandFor = (wifeAge: number) =>
    Math.max(18, Math.min(99, wifeAge + Math.round(2 + 3 * rng.normal())));
  const coupleAged = (wifeAge: number): [Draft, Draft] => [
    member('M', husbandFor(wifeAge), 'head'),
    member('F', wifeAge, 'spouse'),
  ];
  const couple = (wifeMin: number, wifeMax: number) => coupleAged(sampleAge(wifeMin, wifeMax));

  switch (kind) {
    case 'single_young':
      return [member(rng.chance(0.55) ? 'M' : 'F', sampleAge(18, 59), 'head')];
    case 'single_old': {
      const age = sampleAge(60, 99);
      return [member(sexAt(age), age, 'head')];
    }
    case 'couple_old':
      return couple(58, 92);
    case 'couple':
      return couple(20, 34);
    case 'couple_middle':
      return couple(45, 60);
    case 'couple_adult_child': {
      const [husband, wife] = couple(42, 62);
      const childAge = rng.int(18, Math.min(32, wife.age - 20));
      return [husband, wife, member(rng.chance(0.55) ? 'M' : 'F', childAge, 'child', husband.firstName)];
    }
    case 'couple_kids': {
      const ages = childAges(children);
      const [husband, wife] = coupleAged(Math.min(50, motherAge(ages)));
      return [husband, wife, ...kids(husband.firstName, ages)];
    }
    case 'single_parent': {
      const ages = childAges(children);
      const age = Math.min(55, motherAge(ages));
      const head = member(rng.chance(0.9) ? 'F' : 'M', age, 'head');
      const father = head.sex === 'M' ? head.firstName : firstNameFor(ctx, 'M', age + 2);
      return [head, ...kids(father, ages)];
    }
    case 'three_generations': {
      const ages = childAges(children);
      const [husband, wife] = coupleAged(Math.min(50, motherAge(ages)));
      const elderAge = Math.min(99, wife.age + rng.int(20, 32));
      return [husband, wife, ...kids(husband.firstName, ages), member(sexAt(elderAge), elderAge, 'parent')];
    }
    case 'old_with_adult_child': {
      const age = sampleAge(62, 95);
      const head = member(sexAt(age), age, 'head');
      const father = head.sex === 'M' ? head.firstName : firstNameFor(ctx, 'M', age + 2);
      return [
        head,
        member(rng.chance(0.5) ? 'M' : 'F', Math.max(20, age - rng.int(22, 35)), 'child', father),
      ];
    }
    case 'guardian': {
      // A grandparent raising an orphaned grandchild under guardianship.
      const age = sampleAge(50, 80);
      const head = member(rng.chance(0.8) ? 'F' : 'M', age, 'head');
      const ages = childAges(children).map((a) => Math.max(3, a));
      const orphans = kids(firstNameFor(ctx, 'M', age - 25), ages, 'other');
      return [head, ...orphans.map((k) => ({ ...k, orphan: true }))];
    }
  }
}

/** A demo resident's household: alone, with a spouse, or with a spouse and three children. */
function fixedDrafts(f: FixedResident, ctx: DraftContext): Draft[] {
  const age = ageOn(f.birth_date, ctx.ref);
  const surname = maleSurname(f.last_name);
  const head: Draft = {
    sex: f.sex,
    age,
    relationship: 'head',
    surname,
    firstName: f.first_name,
    father: 'Иван',
    fixed: f,
  };
  if (f.household === 'alone') return [head];
  const spouseSex: Sex = f.sex === 'F' ? 'M' : 'F';
  const spouseAge = Math.max(18, age + (f.sex === 'F' ? 2 : -2));
  const spouse: Draft = {
    sex: spouseSex,
    age: spouseAge,
    relationship: 'spouse',
    surname,
    firstName: firstNameFor(ctx, spouseSex, spouseAge),
    father: firstNameFor(ctx, 'M', spouseAge + 28),
  };
  if (f.household === 'with_spouse') return [head, spouse];
  const father = f.sex === 'M' ? f.first_name : spouse.firstName;
  const child = (sex: Sex, age: number): Draft => ({
    sex,
    age,
    relationship: 'child',
    surname,
    firstName: firstNameFor(ctx, sex, age),
    father,
  });
  return [head, spouse, child('M', 13), child('F', 9), child('M', 4)];
}

/** The male form of a surname (the family's), from either form. */
export function maleSurname(surname: string): string {
  if (surname.endsWith('ская')) return `${surname.slice(0, -4)}ский`;
  if (/(ова|ева|ёва|ина|ына)$/.test(surname)) return surname.slice(0, -1);
  return surname;
}

// ---------------------------------------------------------------- small helpers

function mobile(rng: Random): string {
  return `+79${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

/** Older and rural residents prefer letters and SMS; the young and connected prefer the portal. */
function channel(
  rng: Random,
  age: number,
  settlement: Settlement,
  district: District,
  phone: boolean,
  email: boolean,
): PreferredChannel {
  if (age < 14) return 'portal';
  const rural = settlement.kind === 'village' || district.remoteness === 'remote';
  const old = age >= 60;
  const portal =
    (old ? (rural ? 0.12 : 0.3) : 0.55) * district.internet_coverage * (settlement.is_remote ? 0.7 : 1);
  const weights = [
    portal,
    email ? (old ? 0.1 : 0.25) : 0,
    phone ? (old ? 0.33 : 0.15) : 0,
    old ? (rural ? 0.45 : 0.25) : 0.05,
  ];
  return (['portal', 'email', 'sms', 'post'] as const)[rng.weighted(weights)] as PreferredChannel;
}

function address(rng: Random, district: District, settlement: Settlement): string {
  const volgograd = district.code === 'volgograd';
  const [street] = rng.pick(volgograd ? VOLGOGRAD_STREETS : STREETS);
  const flats = settlement.kind === 'city' ? 0.9 : settlement.kind === 'town' ? 0.5 : 0;
  const house = `д. ${rng.int(1, settlement.kind === 'village' ? 90 : 150)}`;
  const flat = rng.chance(flats) ? `, кв. ${rng.int(1, 200)}` : '';
  return `${settlement.name_ru}, ${street}, ${house}${flat}`;
}

/** Full years between a YYYY-MM-DD birth date and the reference date. */
export function ageOn(birthDate: string, ref: { year: number; month: number; day: number }): number {
  const b = parseDate(birthDate);
  const beforeBirthday = ref.month < b.month || (ref.month === b.month && ref.day < b.day);
  return ref.year - b.year - (beforeBirthday ? 1 : 0);
}

export function parseDate(iso: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`reference date must be YYYY-MM-DD, got "${iso}"`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const DAY = 86_400_000;

/** Memoises a function of one argument (names and dates repeat millions of times). */
function cached<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = fn(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** ISO birth dates for a given age on the reference date, from a cache of formatted days (formatting is hot). */
class BirthDates {
  private readonly ref: { year: number; month: number; day: number };
  private readonly format = cached((day: number) => new Date(day * DAY).toISOString().slice(0, 10));

  constructor(ref: { year: number; month: number; day: number }) {
    this.ref = ref;
  }

  /** A date on which someone born is exactly `age` years old on the reference date. */
  random(rng: Random, age: number): string {
    const anniversary = Date.UTC(this.ref.year - age, this.ref.month - 1, this.ref.day) / DAY;
    return this.format(anniversary - rng.int(0, 364));
  }
}
