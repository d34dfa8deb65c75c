// Reference data of the catalog: who provides measures, spheres, life situations, recipient categories.
import type { CategoryCode } from '../modules/registry/registry.schema.ts';

export interface DepartmentSeed {
  code: string;
  level: 'federal' | 'regional' | 'municipal';
  name_ru: string;
  name_en: string;
}

export interface TitledSeed<C extends string = string> {
  code: C;
  title_ru: string;
  title_en: string;
}

export const DEPARTMENTS = [
  {
    code: 'social-protection',
    level: 'regional',
    name_ru: 'Комитет социальной защиты населения Волгоградской области',
    name_en: 'Committee of Social Protection of the Population of Volgograd Oblast',
  },
  {
    code: 'labour-employment',
    level: 'regional',
    name_ru: 'Комитет по труду и занятости населения Волгоградской области',
    name_en: 'Committee for Labour and Employment of Volgograd Oblast',
  },
  {
    code: 'mfc',
    level: 'regional',
    name_ru:
      'ГКУ Волгоградской области «Многофункциональный центр предоставления государственных и муниципальных услуг»',
    name_en: 'Multifunctional Centre for State and Municipal Services of Volgograd Oblast (MFC)',
  },
  {
    code: 'sfr',
    level: 'federal',
    name_ru: 'Отделение Социального фонда России по Волгоградской области',
    name_en: 'Social Fund of Russia, Volgograd Oblast branch',
  },
  {
    code: 'volgograd-city',
    level: 'municipal',
    name_ru: 'Администрация Волгограда',
    name_en: 'Volgograd City Administration',
  },
  {
    code: 'volzhsky-city',
    level: 'municipal',
    name_ru: 'Администрация городского округа – город Волжский',
    name_en: 'Administration of the Volzhsky City Okrug',
  },
] as const satisfies readonly DepartmentSeed[];

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

export const SPHERES = [
  { code: 'families', title_ru: 'Семьи с детьми', title_en: 'Families with children' },
  { code: 'older_people', title_ru: 'Граждане пожилого возраста', title_en: 'Older people' },
  { code: 'disability', title_ru: 'Люди с инвалидностью', title_en: 'People with disabilities' },
  { code: 'low_income', title_ru: 'Малоимущие граждане', title_en: 'Low-income households' },
  { code: 'veterans', title_ru: 'Ветераны', title_en: 'Veterans' },
  { code: 'housing', title_ru: 'Жильё и ЖКУ', title_en: 'Housing and utilities' },
  { code: 'social_services', title_ru: 'Социальное обслуживание', title_en: 'Social services' },
  { code: 'employment', title_ru: 'Занятость', title_en: 'Employment' },
  { code: 'emergencies', title_ru: 'Чрезвычайные ситуации', title_en: 'Emergencies' },
] as const satisfies readonly TitledSeed[];

export type SphereCode = (typeof SPHERES)[number]['code'];

export const LIFE_SITUATIONS = [
  { code: 'child_birth', title_ru: 'Рождение ребёнка', title_en: 'Birth of a child' },
  { code: 'raising_children', title_ru: 'Воспитание детей', title_en: 'Raising children' },
  { code: 'large_family', title_ru: 'Многодетная семья', title_en: 'Large family' },
  { code: 'retirement', title_ru: 'Выход на пенсию', title_en: 'Retirement' },
  { code: 'old_age_care', title_ru: 'Пожилой возраст, нужен уход', title_en: 'Old age, need for care' },
  { code: 'disability', title_ru: 'Инвалидность', title_en: 'Disability' },
  { code: 'job_loss', title_ru: 'Потеря работы', title_en: 'Job loss' },
  { code: 'low_income', title_ru: 'Низкий доход', title_en: 'Low income' },
  { code: 'loss_of_breadwinner', title_ru: 'Потеря кормильца', title_en: 'Loss of a breadwinner' },
  { code: 'bereavement', title_ru: 'Смерть близкого человека', title_en: 'Death of a relative' },
  { code: 'emergency', title_ru: 'Чрезвычайная ситуация', title_en: 'Emergency' },
  {
    code: 'housing_costs',
    title_ru: 'Оплата жилья и коммунальных услуг',
    title_en: 'Housing and utility costs',
  },
  { code: 'veteran_status', title_ru: 'Статус ветерана', title_en: 'Veteran status' },
  { code: 'orphanhood', title_ru: 'Сиротство', title_en: 'Orphanhood' },
] as const satisfies readonly TitledSeed[];

export type LifeSituationCode = (typeof LIFE_SITUATIONS)[number]['code'];

export const RECIPIENT_CATEGORIES: readonly TitledSeed<CategoryCode>[] = [
  { code: 'pensioner', title_ru: 'Пенсионер', title_en: 'Pensioner' },
  { code: 'labour_veteran', title_ru: 'Ветеран труда', title_en: 'Labour veteran' },
  { code: 'disabled', title_ru: 'Инвалид', title_en: 'Person with a disability' },
  { code: 'large_family', title_ru: 'Многодетная семья', title_en: 'Large family (3+ children)' },
  { code: 'low_income', title_ru: 'Малоимущая семья', title_en: 'Low-income family' },
  { code: 'single_parent', title_ru: 'Одинокий родитель', title_en: 'Single parent' },
  { code: 'war_veteran', title_ru: 'Ветеран боевых действий', title_en: 'War (combat) veteran' },
  { code: 'home_front_worker', title_ru: 'Труженик тыла', title_en: 'Home-front worker (1941–1945)' },
  { code: 'orphan', title_ru: 'Ребёнок-сирота', title_en: 'Orphan' },
  { code: 'unemployed', title_ru: 'Безработный', title_en: 'Unemployed' },
  { code: 'emergency_victim', title_ru: 'Пострадавший в ЧС', title_en: 'Victim of an emergency' },
];

/**
 * Regional per-capita subsistence minimum (прожиточный минимум на душу населения), roubles a month:
 * the synthetic registry's low-income threshold. Approximate; the real figure is set yearly.
 */
export const SUBSISTENCE_MINIMUM = 14_000;
