// The fixed geography of the synthetic region: districts, settlements, social protection centres and MFC
// offices with addresses, phones and opening hours. It is the same for every seed.
import type { OfficeKind, Remoteness, WeeklyHours } from '../modules/geography/geography.schema.ts';
import type { MeasureSeed } from './measures.ts';
import { transliterate } from './names.ts';
import { apportion, Random } from './random.ts';
import {
  bareName,
  MUNICIPALITIES,
  type MunicipalitySeed,
  type SettlementKind,
  STREETS,
  VILLAGE_NAMES,
  VOLGOGRAD_CITY_DISTRICTS,
  VOLGOGRAD_STREETS,
} from './region-data.ts';

export interface DistrictPlan extends Omit<MunicipalitySeed, 'centre' | 'dative_ru'> {
  internet_coverage: number;
}

export interface SettlementPlan {
  district_code: string;
  kind: SettlementKind;
  name_ru: string;
  name_en: string;
  population: number;
  is_remote: boolean;
}

export interface OfficePlan {
  district_code: string;
  settlement_name_ru: string;
  kind: OfficeKind;
  name_ru: string;
  name_en: string;
  address_ru: string;
  address_en: string;
  phone: string;
  hours: WeeklyHours;
}

export interface Geography {
  districts: DistrictPlan[];
  settlements: SettlementPlan[];
  offices: OfficePlan[];
}

const COVERAGE: Record<Remoteness, number> = { urban: 0.93, suburban: 0.86, rural: 0.76, remote: 0.64 };

const lunch = (from: string, to: string): [string, string][] => [
  [from, '12:00'],
  ['12:48', to],
];
/** District social protection centres: weekdays with a lunch break (12:00–12:48), Friday shorter. */
export const CENTRE_HOURS: WeeklyHours = {
  '1': lunch('08:00', '17:00'),
  '2': lunch('08:00', '17:00'),
  '3': lunch('08:00', '17:00'),
  '4': lunch('08:00', '17:00'),
  '5': lunch('08:00', '16:00'),
  '6': [],
  '7': [],
};
const CITY_MFC_HOURS: WeeklyHours = {
  '1': [['09:00', '20:00']],
  '2': [['09:00', '20:00']],
  '3': [['09:00', '20:00']],
  '4': [['09:00', '20:00']],
  '5': [['09:00', '20:00']],
  '6': [['09:00', '15:00']],
  '7': [],
};
const DISTRICT_MFC_HOURS: WeeklyHours = {
  '1': [['08:00', '17:00']],
  '2': [['08:00', '17:00']],
  '3': [['08:00', '20:00']],
  '4': [['08:00', '17:00']],
  '5': [['08:00', '16:00']],
  '6': [['08:00', '12:00']],
  '7': [],
};
/** A remote MFC desk in a village opens two mornings a week. */
const VILLAGE_DESK_HOURS: WeeklyHours = {
  '1': [],
  '2': [['09:00', '13:00']],
  '3': [],
  '4': [['09:00', '13:00']],
  '5': [],
  '6': [],
  '7': [],
};

/** Synthetic area codes: Volgograd and Volzhsky are real (8442, 8443), the rest are made up. */
function areaCode(index: number): string {
  return index === 0 ? '8442' : index === 1 ? '8443' : `844${40 + index}`;
}

function officePhone(rng: Random, code: string): string {
  const local = String(rng.int(code.length === 4 ? 200_000 : 20_000, code.length === 4 ? 999_999 : 99_999));
  const tail = `${local.slice(-4, -2)}-${local.slice(-2)}`;
  return `+7 (${code}) ${local.slice(0, -4)}-${tail}`;
}

const districtDative = (cityDistrict: string) => `${cityDistrict.slice(0, -2)}ому району Волгограда`;

/** The same fixed geography for every seed: districts, settlements, centres and MFC offices. */
export function buildGeography(): Geography {
  const rng = new Random(2015); // the Social Code's year; any constant keeps the geography stable
  const districts: DistrictPlan[] = [];
  const settlements: SettlementPlan[] = [];
  const offices: OfficePlan[] = [];

  MUNICIPALITIES.forEach((m, index) => {
    const { centre, dative_ru: _dative, ...rest } = m;
    const coverage = m.code === 'volgograd' ? 0.96 : COVERAGE[m.remoteness] + (rng.next() - 0.5) * 0.06;
    districts.push({ ...rest, internet_coverage: Math.round(coverage * 1000) / 1000 });

    // The centre takes a large share; villages share the rest unevenly; far villages are flagged remote.
    const villageCount = m.kind === 'city_okrug' ? 0 : 4 + Math.floor(m.population / 8000);
    const names = rng.shuffled(VILLAGE_NAMES).slice(0, villageCount);
    const weights = names.map(() => 0.4 + rng.next() * 1.2);
    const centreShare = villageCount === 0 ? 1 : centre.kind === 'town' ? 0.45 : 0.35;
    const parts = apportion(m.population, [
      (centreShare * weights.reduce((a, b) => a + b, 0)) / (1 - centreShare || 1),
      ...weights,
    ]);
    settlements.push({
      district_code: m.code,
      ...centre,
      population: parts[0] ?? m.population,
      is_remote: false,
    });
    const remoteShare = m.remoteness === 'remote' ? 0.5 : m.remoteness === 'rural' ? 0.25 : 0;
    names.forEach((name, i) => {
      settlements.push({
        district_code: m.code,
        kind: 'village',
        name_ru: name,
        name_en: transliterate(bareName(name)),
        population: parts[i + 1] ?? 0,
        is_remote: rng.chance(remoteShare),
      });
    });

    const code = areaCode(index);
    const streets = m.code === 'volgograd' ? VOLGOGRAD_STREETS : STREETS;
    const office = (
      kind: OfficeKind,
      where: { name_ru: string; name_en: string },
      names: [string, string],
    ) => {
      const [streetRu, streetEn] = rng.pick(streets);
      const house = rng.int(1, 120);
      const hours =
        kind === 'social_protection_centre'
          ? CENTRE_HOURS
          : m.kind === 'city_okrug'
            ? CITY_MFC_HOURS
            : DISTRICT_MFC_HOURS;
      offices.push({
        district_code: m.code,
        settlement_name_ru: where.name_ru,
        kind,
        name_ru: names[0],
        name_en: names[1],
        address_ru: `${where.name_ru}, ${streetRu}, д. ${house}`,
        address_en: `${house} ${streetEn}, ${where.name_en}`,
        phone: officePhone(rng, code),
        hours,
      });
    };
    const cityDistricts = m.code === 'volgograd' ? VOLGOGRAD_CITY_DISTRICTS : null;
    for (const [ru, en] of cityDistricts ?? [[null, null]]) {
      const by = ru ? districtDative(ru) : m.dative_ru;
      const byEn = en ? `${en} district of Volgograd` : m.name_en;
      office('social_protection_centre', centre, [
        `ГКУ «Центр социальной защиты населения по ${by}»`,
        `Social Protection Centre, ${byEn}`,
      ]);
      office('mfc', centre, [`МФЦ «Мои документы», филиал по ${by}`, `MFC "My Documents", ${byEn} branch`]);
    }
    if (m.code === 'volzhsky') {
      office('mfc', centre, [
        'МФЦ «Мои документы», филиал № 2 по г. Волжскому',
        'MFC "My Documents", Volzhsky branch 2',
      ]);
    }
    // Larger villages have a remote MFC desk: the nearest door for rural residents.
    for (const s of settlements) {
      if (s.district_code !== m.code || s.name_ru === centre.name_ru || s.population < 1500) continue;
      const [streetRu, streetEn] = rng.pick(STREETS);
      const house = rng.int(1, 60);
      offices.push({
        district_code: m.code,
        settlement_name_ru: s.name_ru,
        kind: 'mfc',
        name_ru: `МФЦ «Мои документы», удалённое рабочее место, ${s.name_ru}`,
        name_en: `MFC "My Documents", remote desk, ${s.name_en}`,
        address_ru: `${s.name_ru}, ${streetRu}, д. ${house}`,
        address_en: `${house} ${streetEn}, ${s.name_en}`,
        phone: officePhone(rng, code),
        hours: VILLAGE_DESK_HOURS,
      });
    }
  });
  return { districts, settlements, offices };
}

/**
 * Which measures an office takes applications for: a centre, every in-person measure of the regional
 * ministry; an MFC, every in-person measure that can also be applied for online (paperwork it can pass on),
 * whoever provides it. In-person-only measures need the centre's specialist.
 */
export function officeServes(kind: OfficeKind, measure: MeasureSeed): boolean {
  if (!measure.channels.includes('in_person')) return false;
  if (kind === 'social_protection_centre') return measure.department === 'social-protection';
  return measure.channels.includes('portal');
}
