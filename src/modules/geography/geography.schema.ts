import type { Generated } from 'kysely';

export type DistrictKind = 'city_okrug' | 'municipal_district';
export type Remoteness = 'urban' | 'suburban' | 'rural' | 'remote';
export type OfficeKind = 'social_protection_centre' | 'mfc';
/** Opening hours by ISO weekday (1 = Monday): [["08:00","17:00"]] or [] when closed. */
export type WeeklyHours = Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', [string, string][]>;

export interface GeographyTables {
  departments: {
    id: Generated<number>;
    code: string;
    level: 'federal' | 'regional' | 'municipal';
    name_ru: string;
    name_en: string;
  };
  districts: {
    id: Generated<number>;
    code: string;
    kind: DistrictKind;
    name_ru: string;
    name_en: string;
    population: number;
    remoteness: Remoteness;
    internet_coverage: number;
  };
  settlements: {
    id: Generated<number>;
    district_id: number;
    kind: 'city' | 'town' | 'village';
    name_ru: string;
    name_en: string;
    population: number;
    is_remote: Generated<boolean>;
  };
  offices: {
    id: Generated<number>;
    district_id: number;
    settlement_id: number | null;
    kind: OfficeKind;
    name_ru: string;
    name_en: string;
    address_ru: string;
    address_en: string;
    phone: string;
    hours: WeeklyHours;
  };
}
