// The municipalities of Volgograd oblast, copied so the seed works without the shared folder.
// Source: shared/domain/volgograd-region.json (names, kinds, populations rounded around the 2021 census;
// for synthetic data only). Added here: code slugs; the administrative centre of each municipal district;
// remoteness, our own classification (urban: the city okrugs; suburban: districts bordering Volgograd and
// Volzhsky; remote: the trans-Volga steppe and the smallest northern districts; rural: the rest).
// The centres of Uryupinsky and Frolovsky districts, governed from the neighbouring towns, are picked
// among their larger villages; village names elsewhere are generated.
import type { DistrictKind, Remoteness } from '../modules/geography/geography.schema.ts';
import { transliterate } from './names.ts';

export type SettlementKind = 'city' | 'town' | 'village';

export interface MunicipalitySeed {
  code: string;
  kind: DistrictKind;
  name_ru: string;
  name_en: string;
  population: number;
  remoteness: Remoteness;
  /** The town or village that hosts the district centre; for a city okrug, the city itself. */
  centre: { kind: SettlementKind; name_ru: string; name_en: string };
  /** "по …" in office names: "Центр социальной защиты населения по Быковскому району". */
  dative_ru: string;
}

export const REGION = {
  name_ru: 'Волгоградская область',
  name_en: 'Volgograd Oblast',
  population: 2_471_000,
};

type Row = [
  code: string,
  kind: 'c' | 'd',
  ru: string,
  en: string,
  population: number,
  r: Remoteness,
  centre: string,
];

// Centre: "<prefix> <name>"; the prefix gives the kind (г. city or town, р.п. urban-type settlement, others villages).
const ROWS: Row[] = [
  ['volgograd', 'c', 'Волгоград', 'Volgograd', 1_004_000, 'urban', 'г. Волгоград'],
  ['volzhsky', 'c', 'Волжский', 'Volzhsky', 323_000, 'urban', 'г. Волжский'],
  ['kamyshin', 'c', 'Камышин', 'Kamyshin', 107_000, 'urban', 'г. Камышин'],
  ['mikhaylovka', 'c', 'Михайловка', 'Mikhaylovka', 85_000, 'urban', 'г. Михайловка'],
  ['uryupinsk', 'c', 'Урюпинск', 'Uryupinsk', 38_000, 'urban', 'г. Урюпинск'],
  ['frolovo', 'c', 'Фролово', 'Frolovo', 36_000, 'urban', 'г. Фролово'],
  ['alekseyevsky', 'd', 'Алексеевский', 'Alekseyevsky', 15_000, 'remote', 'ст-ца Алексеевская'],
  ['bykovsky', 'd', 'Быковский', 'Bykovsky', 20_000, 'remote', 'р.п. Быково'],
  ['gorodishchensky', 'd', 'Городищенский', 'Gorodishchensky', 60_000, 'suburban', 'р.п. Городище'],
  ['danilovsky', 'd', 'Даниловский', 'Danilovsky', 15_000, 'remote', 'р.п. Даниловка'],
  ['dubovsky', 'd', 'Дубовский', 'Dubovsky', 28_000, 'suburban', 'г. Дубовка'],
  ['yelansky', 'd', 'Еланский', 'Yelansky', 27_000, 'rural', 'р.п. Елань'],
  ['zhirnovsky', 'd', 'Жирновский', 'Zhirnovsky', 38_000, 'rural', 'г. Жирновск'],
  ['ilovlinsky', 'd', 'Иловлинский', 'Ilovlinsky', 31_000, 'rural', 'р.п. Иловля'],
  ['kalachyovsky', 'd', 'Калачёвский', 'Kalachyovsky', 52_000, 'rural', 'г. Калач-на-Дону'],
  ['kamyshinsky', 'd', 'Камышинский', 'Kamyshinsky', 48_000, 'rural', 'г. Петров Вал'],
  ['kikvidzensky', 'd', 'Киквидзенский', 'Kikvidzensky', 15_000, 'remote', 'ст-ца Преображенская'],
  ['kletsky', 'd', 'Клетский', 'Kletsky', 17_000, 'rural', 'ст-ца Клетская'],
  ['kotelnikovsky', 'd', 'Котельниковский', 'Kotelnikovsky', 35_000, 'rural', 'г. Котельниково'],
  ['kotovsky', 'd', 'Котовский', 'Kotovsky', 30_000, 'rural', 'г. Котово'],
  ['kumylzhensky', 'd', 'Кумылженский', 'Kumylzhensky', 20_000, 'rural', 'ст-ца Кумылженская'],
  ['leninsky', 'd', 'Ленинский', 'Leninsky', 31_000, 'rural', 'г. Ленинск'],
  ['nekhayevsky', 'd', 'Нехаевский', 'Nekhayevsky', 13_000, 'remote', 'ст-ца Нехаевская'],
  ['nikolayevsky', 'd', 'Николаевский', 'Nikolayevsky', 28_000, 'remote', 'г. Николаевск'],
  ['novoanninsky', 'd', 'Новоаннинский', 'Novoanninsky', 33_000, 'rural', 'г. Новоаннинский'],
  ['novonikolayevsky', 'd', 'Новониколаевский', 'Novonikolayevsky', 16_000, 'rural', 'р.п. Новониколаевский'],
  ['oktyabrsky', 'd', 'Октябрьский', 'Oktyabrsky', 20_000, 'rural', 'р.п. Октябрьский'],
  ['olkhovsky', 'd', 'Ольховский', 'Olkhovsky', 16_000, 'rural', 'с. Ольховка'],
  ['pallasovsky', 'd', 'Палласовский', 'Pallasovsky', 38_000, 'remote', 'г. Палласовка'],
  ['rudnyansky', 'd', 'Руднянский', 'Rudnyansky', 16_000, 'rural', 'р.п. Рудня'],
  ['svetloyarsky', 'd', 'Светлоярский', 'Svetloyarsky', 36_000, 'suburban', 'р.п. Светлый Яр'],
  ['serafimovichsky', 'd', 'Серафимовичский', 'Serafimovichsky', 24_000, 'rural', 'г. Серафимович'],
  [
    'sredneakhtubinsky',
    'd',
    'Среднеахтубинский',
    'Sredneakhtubinsky',
    58_000,
    'suburban',
    'р.п. Средняя Ахтуба',
  ],
  ['staropoltavsky', 'd', 'Старополтавский', 'Staropoltavsky', 17_000, 'remote', 'с. Старая Полтавка'],
  ['surovikinsky', 'd', 'Суровикинский', 'Surovikinsky', 32_000, 'rural', 'г. Суровикино'],
  ['uryupinsky', 'd', 'Урюпинский', 'Uryupinsky', 20_000, 'rural', 'ст-ца Добринка'],
  ['frolovsky', 'd', 'Фроловский', 'Frolovsky', 14_000, 'rural', 'с. Лычак'],
  ['chernyshkovsky', 'd', 'Чернышковский', 'Chernyshkovsky', 15_000, 'remote', 'р.п. Чернышковский'],
];

// Dative forms of the city names ("по г. Камышину"); district names follow one rule (-ский → -скому району).
const CITY_DATIVE: Record<string, string> = {
  volgograd: 'г. Волгограду',
  volzhsky: 'г. Волжскому',
  kamyshin: 'г. Камышину',
  mikhaylovka: 'г. Михайловке',
  uryupinsk: 'г. Урюпинску',
  frolovo: 'г. Фролово',
};

/** Settlement prefixes and their kinds; the English name is the romanised bare name. */
export const SETTLEMENT_PREFIXES: Record<string, SettlementKind> = {
  'г.': 'town',
  'р.п.': 'town',
  'ст-ца': 'village',
  'с.': 'village',
  'х.': 'village',
  'п.': 'village',
};

export function bareName(name: string): string {
  return name.slice(name.indexOf(' ') + 1);
}

export const MUNICIPALITIES: MunicipalitySeed[] = ROWS.map(
  ([code, k, ru, en, population, remoteness, centre]) => {
    const prefix = centre.slice(0, centre.indexOf(' '));
    const city = k === 'c';
    return {
      code,
      kind: city ? 'city_okrug' : 'municipal_district',
      name_ru: city ? ru : `${ru} муниципальный район`,
      name_en: city ? en : `${en} District`,
      population,
      remoteness,
      centre: {
        kind: city ? 'city' : (SETTLEMENT_PREFIXES[prefix] ?? 'village'),
        name_ru: centre,
        name_en: city ? en : transliterate(bareName(centre)),
      },
      dative_ru: CITY_DATIVE[code] ?? `${ru.slice(0, -2)}ому району`,
    };
  },
);

/** Volgograd has a social protection centre in each of its eight city districts. */
export const VOLGOGRAD_CITY_DISTRICTS: [ru: string, en: string][] = [
  ['Ворошиловский', 'Voroshilovsky'],
  ['Дзержинский', 'Dzerzhinsky'],
  ['Кировский', 'Kirovsky'],
  ['Красноармейский', 'Krasnoarmeysky'],
  ['Краснооктябрьский', 'Krasnooktyabrsky'],
  ['Советский', 'Sovetsky'],
  ['Тракторозаводский', 'Traktorozavodsky'],
  ['Центральный', 'Tsentralny'],
];

/** Typical village names of the region; the generator picks a few per district. */
export const VILLAGE_NAMES: readonly string[] = [
  'х. Заречный',
  'с. Покровка',
  'с. Александровка',
  'х. Красный',
  'с. Ивановка',
  'х. Садки',
  'с. Дмитриевка',
  'п. Степной',
  'х. Лесной',
  'с. Верхняя Добринка',
  'х. Грачи',
  'с. Берёзовка',
  'п. Пригородный',
  'х. Песковатка',
  'с. Сосновка',
  'х. Медведев',
  'с. Вязовка',
  'п. Комсомольский',
  'с. Никольское',
  'х. Новоалександровский',
  'с. Краснополье',
  'х. Камышовка',
  'с. Орловка',
  'х. Тишанка',
  'п. Садовый',
  'с. Громки',
  'х. Бобры',
  'с. Солодча',
  'х. Вербовка',
  'с. Лучка',
  'х. Ярки',
  'п. Мирный',
  'с. Каменка',
  'х. Ветютнев',
  'с. Раздоры',
];

/** [Russian, English] street names; Volgograd gets some of its own. */
export const STREETS: [string, string][] = [
  ['ул. Ленина', 'Lenina St'],
  ['ул. Мира', 'Mira St'],
  ['ул. Советская', 'Sovetskaya St'],
  ['ул. Садовая', 'Sadovaya St'],
  ['ул. Школьная', 'Shkolnaya St'],
  ['ул. Молодёжная', 'Molodyozhnaya St'],
  ['ул. Центральная', 'Tsentralnaya St'],
  ['ул. Гагарина', 'Gagarina St'],
  ['ул. Пушкина', 'Pushkina St'],
  ['ул. Комсомольская', 'Komsomolskaya St'],
  ['ул. Победы', 'Pobedy St'],
  ['ул. Набережная', 'Naberezhnaya St'],
  ['ул. Октябрьская', 'Oktyabrskaya St'],
  ['ул. Кирова', 'Kirova St'],
  ['ул. Степная', 'Stepnaya St'],
  ['ул. Полевая', 'Polevaya St'],
];
export const VOLGOGRAD_STREETS: [string, string][] = [
  ['пр-т им. В. И. Ленина', 'V. I. Lenin Ave'],
  ['ул. Землячки', 'Zemlyachki St'],
  ['ул. Рабоче-Крестьянская', 'Raboche-Krestyanskaya St'],
  ['ул. Козловская', 'Kozlovskaya St'],
  ['бул. 30-летия Победы', '30-letiya Pobedy Blvd'],
  ['ул. Краснознаменская', 'Krasnoznamenskaya St'],
  ['ул. Маршала Чуйкова', 'Marshala Chuykova St'],
  ['ул. 64-й Армии', '64-y Armii St'],
  ['Университетский пр-т', 'Universitetsky Ave'],
  ['ул. Хорошева', 'Khorosheva St'],
  ['ул. Ангарская', 'Angarskaya St'],
  ['ул. Грушевская', 'Grushevskaya St'],
  ...STREETS.slice(0, 8),
];
