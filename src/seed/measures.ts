// The catalog of support measures: regional measures of Volgograd oblast (its Social Code) and federal
// ones administered in the region. Amounts are described, not quoted: the real figures are indexed yearly.
import type {
  Agency,
  Channel,
  DocumentPurpose,
  MeasureForm,
  Periodicity,
} from '../modules/catalog/catalog.schema.ts';
import type { CategoryCode } from '../modules/registry/registry.schema.ts';
import type { DepartmentCode, LifeSituationCode, SphereCode } from './reference-data.ts';

export interface DocumentSeed {
  title_ru: string;
  title_en: string;
  /** The agency we request it from (210-FZ art. 7), or null when only the resident has it. */
  agency: Agency | null;
  purpose: DocumentPurpose;
}

export interface MeasureSeed {
  code: string;
  title_ru: string;
  title_en: string;
  summary_ru: string;
  summary_en: string;
  description_ru: string;
  description_en: string;
  eligibility_ru: string;
  eligibility_en: string;
  legal_basis_ru: string;
  legal_basis_en: string;
  sphere: SphereCode;
  department: DepartmentCode;
  form: MeasureForm;
  periodicity: Periodicity;
  channels: Channel[];
  decision_days: number;
  amount_note_ru: string;
  amount_note_en: string;
  life_situations: LifeSituationCode[];
  documents: DocumentSeed[];
  priority_categories: CategoryCode[];
}

const doc = (
  title_ru: string,
  title_en: string,
  agency: Agency | null = null,
  purpose: DocumentPurpose = 'evidence',
): DocumentSeed => ({ title_ru, title_en, agency, purpose });

const D = {
  application: doc('Заявление', 'Application', null, 'application_form'),
  passport: doc('Паспорт гражданина Российской Федерации', 'Russian passport', null, 'identity'),
  snils: doc('СНИЛС', 'SNILS (insurance account number)', 'sfr'),
  residence: doc('Сведения о регистрации по месту жительства', 'Proof of registered residence', 'mvd'),
  birth: doc('Свидетельство о рождении ребёнка', "Child's birth certificate", 'zags'),
  marriage: doc('Сведения о заключении (расторжении) брака', 'Marriage (divorce) record', 'zags'),
  death: doc('Сведения о государственной регистрации смерти', 'Death registration record', 'zags'),
  income: doc('Сведения о доходах членов семьи за 12 месяцев', 'Household income for 12 months', 'fns'),
  pension: doc('Сведения о видах и размере пенсии', 'Type and amount of pension', 'sfr'),
  disability: doc(
    'Сведения об инвалидности из федерального реестра инвалидов',
    'Disability record from the federal register of persons with disabilities',
    'sfr',
  ),
  ipra: doc(
    'Индивидуальная программа реабилитации или абилитации (ИПРА)',
    'Individual rehabilitation or habilitation programme (IPRA)',
    'sfr',
  ),
  workRecord: doc('Сведения о трудовой деятельности', 'Employment record', 'sfr'),
  awards: doc(
    'Документы о ведомственных знаках отличия в труде',
    'Documents on departmental labour insignia',
  ),
  veteranCard: doc('Удостоверение ветерана', "Veteran's certificate"),
  bills: doc('Платёжные документы за жильё и коммунальные услуги', 'Housing and utility bills'),
  property: doc(
    'Выписка из ЕГРН о правах на жилое помещение',
    'Property register extract for the dwelling',
    'rosreestr',
  ),
  unemployed: doc('Сведения о признании безработным', 'Record of registration as unemployed', 'employment'),
  bank: doc('Реквизиты банковского счёта', 'Bank account details', null, 'bank_details'),
  study: doc('Справка об обучении по очной форме', 'Certificate of full-time study'),
  medical: doc('Медицинское заключение о состоянии здоровья', 'Medical report on the state of health'),
  largeFamily: doc('Удостоверение многодетной семьи', 'Large family certificate'),
  photo: doc('Фотография 3×4 см', 'Photo, 3×4 cm'),
  plan: doc('Программа социальной адаптации', 'Social adaptation plan'),
  damage: doc('Акт обследования пострадавшего жилья', 'Inspection report on the damaged dwelling'),
  burial: doc(
    'Справка о смерти для получения пособия на погребение',
    'Death certificate for the burial benefit',
  ),
};

// Legal acts cited repeatedly.
const CODE_RU =
  'Социальный кодекс Волгоградской области (Закон Волгоградской области от 31.12.2015 № 246-ОД)';
const CODE_EN = 'Social Code of Volgograd Oblast (Law of Volgograd Oblast No. 246-OD of 31.12.2015)';
const FZ442_RU =
  'Федеральный закон от 28.12.2013 № 442-ФЗ «Об основах социального обслуживания граждан в Российской Федерации»';
const FZ442_EN =
  'Federal Law No. 442-FZ of 28.12.2013 "On the fundamentals of social services for citizens in the Russian Federation"';
const FZ5_RU = 'Федеральный закон от 12.01.1995 № 5-ФЗ «О ветеранах»';
const FZ5_EN = 'Federal Law No. 5-FZ of 12.01.1995 "On veterans"';
const FZ178_RU = 'Федеральный закон от 17.07.1999 № 178-ФЗ «О государственной социальной помощи»';
const FZ178_EN = 'Federal Law No. 178-FZ of 17.07.1999 "On state social assistance"';
const FZ181_RU =
  'Федеральный закон от 24.11.1995 № 181-ФЗ «О социальной защите инвалидов в Российской Федерации»';
const FZ181_EN =
  'Federal Law No. 181-FZ of 24.11.1995 "On the social protection of persons with disabilities in the Russian Federation"';
const FZ81_RU =
  'Федеральный закон от 19.05.1995 № 81-ФЗ «О государственных пособиях гражданам, имеющим детей»';
const FZ81_EN = 'Federal Law No. 81-FZ of 19.05.1995 "On state benefits for citizens with children"';

const INDEXED_RU = 'Размер установлен Социальным кодексом и ежегодно индексируется.';
const INDEXED_EN = 'The amount is set by the Social Code and indexed every year.';
const SERVICE_FEE_RU =
  'Бесплатно, если среднедушевой доход не выше 1,5 прожиточного минимума; иначе — плата по тарифам.';
const SERVICE_FEE_EN =
  'Free when per-capita income is at most 1.5 × the subsistence minimum; otherwise a fee by tariff.';

const REGIONAL: Pick<MeasureSeed, 'department' | 'decision_days'> = {
  department: 'social-protection',
  decision_days: 10,
};

export const MEASURES: MeasureSeed[] = [
  // Veterans
  {
    ...REGIONAL,
    code: 'VETERAN-EDV',
    title_ru: 'Ежемесячная денежная выплата ветеранам труда',
    title_en: 'Monthly cash payment to labour veterans',
    summary_ru: 'Ежемесячная выплата (ЕДВ) ветеранам труда, проживающим в Волгоградской области.',
    summary_en: 'A monthly cash payment (EDV) to labour veterans living in Volgograd oblast.',
    description_ru:
      'ЕДВ назначается с месяца обращения и выплачивается ежемесячно через почту или банк. Если звание присвоено в области, выплата может быть назначена без заявления.',
    description_en:
      'The payment is assigned from the month of application and paid monthly by post or to a bank account. When the title was conferred in the region the payment can be assigned without an application.',
    eligibility_ru: 'Ветераны труда и ветераны труда Волгоградской области, достигшие пенсионного возраста.',
    eligibility_en: 'Labour veterans (federal and Volgograd oblast title) of pensionable age.',
    legal_basis_ru: `${FZ5_RU}, ст. 22; ${CODE_RU}`,
    legal_basis_en: `${FZ5_EN}, art. 22; ${CODE_EN}`,
    sphere: 'veterans',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person', 'proactive'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['retirement', 'veteran_status'],
    documents: [D.application, D.passport, D.veteranCard, D.pension, D.bank],
    priority_categories: ['labour_veteran'],
  },
  {
    ...REGIONAL,
    code: 'VETERAN-HCS-COMP',
    title_ru: 'Компенсация 50% расходов на оплату жилья и коммунальных услуг ветеранам труда',
    title_en: '50% housing and utilities compensation for labour veterans',
    summary_ru: 'Ежемесячная компенсация половины платы за жильё и коммунальные услуги.',
    summary_en: 'Monthly compensation of half the housing and utility costs.',
    description_ru:
      'Компенсируется 50% платы за жилое помещение и коммунальные услуги в пределах регионального стандарта нормативной площади и нормативов потребления. Выплата при отсутствии долгов за ЖКУ.',
    description_en:
      'Half of the rent and utility charges is reimbursed within the regional standard floor area and consumption norms. Paid while there are no housing and utility arrears.',
    eligibility_ru: 'Ветераны труда, проживающие в Волгоградской области.',
    eligibility_en: 'Labour veterans resident in Volgograd oblast.',
    legal_basis_ru: `${CODE_RU}, ст. 27`,
    legal_basis_en: `${CODE_EN}, art. 27`,
    sphere: 'housing',
    form: 'compensation',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: '50% начислений за ЖКУ в пределах нормативов.',
    amount_note_en: '50% of housing and utility charges within the norms.',
    life_situations: ['housing_costs', 'veteran_status'],
    documents: [D.application, D.passport, D.veteranCard, D.bills, D.property, D.residence, D.bank],
    priority_categories: ['labour_veteran'],
  },
  {
    ...REGIONAL,
    code: 'VETERAN-DENTAL',
    title_ru: 'Бесплатное изготовление и ремонт зубных протезов ветеранам труда',
    title_en: 'Free dentures for labour veterans',
    summary_ru: 'Изготовление и ремонт зубных протезов в государственных стоматологических поликлиниках.',
    summary_en: 'Dentures made and repaired free of charge at state dental clinics.',
    description_ru:
      'Ветеран встаёт на учёт в центре социальной защиты, после чего получает направление в стоматологическую поликлинику. Драгоценные металлы и металлокерамика не оплачиваются.',
    description_en:
      'The veteran is put on the waiting list at the district centre and is referred to a dental clinic. Precious metals and metal-ceramics are not covered.',
    eligibility_ru: 'Ветераны труда, нуждающиеся в зубопротезировании по заключению врача.',
    eligibility_en: 'Labour veterans who need dentures according to a dentist.',
    legal_basis_ru: `${FZ5_RU}, ст. 22; ${CODE_RU}`,
    legal_basis_en: `${FZ5_EN}, art. 22; ${CODE_EN}`,
    sphere: 'veterans',
    form: 'service',
    periodicity: 'as_needed',
    channels: ['in_person'],
    amount_note_ru: 'В порядке очереди.',
    amount_note_en: 'In order of the waiting list.',
    life_situations: ['veteran_status', 'old_age_care'],
    documents: [D.application, D.passport, D.veteranCard, D.medical],
    priority_categories: ['labour_veteran', 'home_front_worker'],
  },
  {
    ...REGIONAL,
    code: 'VETERAN-TITLE',
    title_ru: 'Присвоение звания «Ветеран труда» и выдача удостоверения',
    title_en: 'Labour veteran title and certificate',
    summary_ru: 'Оформление звания «Ветеран труда» для получения мер поддержки.',
    summary_en: 'Conferring the labour veteran title that opens the related support measures.',
    description_ru:
      'Звание присваивается при наличии ведомственного знака отличия в труде и необходимого трудового стажа. Удостоверение выдаётся в центре социальной защиты или МФЦ.',
    description_en:
      'The title is conferred to holders of departmental labour insignia with the required length of service. The certificate is issued at the district centre or an MFC.',
    eligibility_ru:
      'Награждённые ведомственными знаками отличия в труде, имеющие стаж не менее 25 лет (мужчины) или 20 лет (женщины).',
    eligibility_en:
      'Holders of departmental labour insignia with at least 25 (men) or 20 (women) years of service.',
    legal_basis_ru: `${FZ5_RU}, ст. 7`,
    legal_basis_en: `${FZ5_EN}, art. 7`,
    sphere: 'veterans',
    form: 'service',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    amount_note_ru: '',
    amount_note_en: '',
    life_situations: ['retirement', 'veteran_status'],
    documents: [D.application, D.passport, D.awards, D.workRecord, D.photo],
    priority_categories: ['pensioner'],
  },
  {
    ...REGIONAL,
    code: 'HOMEFRONT-EDV',
    title_ru: 'Ежемесячная денежная выплата труженикам тыла',
    title_en: 'Monthly cash payment to home-front workers',
    summary_ru: 'Ежемесячная выплата лицам, работавшим в тылу в годы Великой Отечественной войны.',
    summary_en: 'A monthly payment to people who worked on the home front during the Great Patriotic War.',
    description_ru:
      'Выплата назначается труженикам тыла — проработавшим в тылу не менее шести месяцев в период с 22.06.1941 по 09.05.1945 — и выплачивается ежемесячно.',
    description_en:
      'Paid monthly to home-front workers: people who worked at least six months in the rear between 22.06.1941 and 09.05.1945.',
    eligibility_ru: 'Труженики тыла, проживающие в Волгоградской области.',
    eligibility_en: 'Home-front workers living in Volgograd oblast.',
    legal_basis_ru: `${FZ5_RU}, ст. 20, 22; ${CODE_RU}`,
    legal_basis_en: `${FZ5_EN}, arts. 20, 22; ${CODE_EN}`,
    sphere: 'veterans',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person', 'proactive'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['veteran_status', 'old_age_care'],
    documents: [D.application, D.passport, D.veteranCard, D.bank],
    priority_categories: ['home_front_worker'],
  },
  {
    code: 'VETERAN-FED-EDV',
    title_ru: 'Ежемесячная денежная выплата ветеранам боевых действий',
    title_en: 'Monthly cash payment to combat veterans',
    summary_ru: 'Федеральная ЕДВ ветеранам боевых действий, назначаемая Социальным фондом.',
    summary_en: 'The federal monthly cash payment to combat veterans, assigned by the Social Fund.',
    description_ru:
      'Выплата назначается Социальным фондом России. Часть её можно получать в натуральной форме как набор социальных услуг (лекарства, санаторий, проезд).',
    description_en:
      'Assigned by the Social Fund of Russia. Part of it may be taken in kind as the set of social services (medicines, sanatorium, travel).',
    eligibility_ru: 'Ветераны боевых действий, инвалиды войны, участники Великой Отечественной войны.',
    eligibility_en: 'Combat veterans, war invalids and participants of the Great Patriotic War.',
    legal_basis_ru: `${FZ5_RU}, ст. 23.1`,
    legal_basis_en: `${FZ5_EN}, art. 23.1`,
    sphere: 'veterans',
    department: 'sfr',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    decision_days: 10,
    amount_note_ru: 'Федеральный размер, индексируется ежегодно с 1 февраля.',
    amount_note_en: 'A federal amount, indexed every 1 February.',
    life_situations: ['veteran_status'],
    documents: [D.application, D.passport, D.veteranCard],
    priority_categories: ['war_veteran'],
  },
  // Families with children
  {
    ...REGIONAL,
    code: 'CHILD-BENEFIT',
    title_ru: 'Ежемесячное пособие на ребёнка малоимущим семьям',
    title_en: 'Monthly child benefit for low-income families',
    summary_ru: 'Ежемесячное пособие на каждого ребёнка до 16 (учащегося — до 18) лет в малоимущей семье.',
    summary_en: 'A monthly benefit for each child under 16 (18 if at school) in a low-income family.',
    description_ru:
      'Пособие назначается на 12 месяцев, если среднедушевой доход семьи ниже прожиточного минимума. Для одиноких родителей и семей военнослужащих по призыву размер повышен.',
    description_en:
      "Assigned for 12 months when the family's per-capita income is below the subsistence minimum. Single parents and conscripts' families receive an increased amount.",
    eligibility_ru: 'Семьи со среднедушевым доходом ниже регионального прожиточного минимума.',
    eligibility_en: 'Families whose per-capita income is below the regional subsistence minimum.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'families',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: `${INDEXED_RU} Повышенный размер — одиноким матерям.`,
    amount_note_en: `${INDEXED_EN} Higher for single mothers.`,
    life_situations: ['raising_children', 'low_income'],
    documents: [D.application, D.passport, D.birth, D.income, D.residence, D.bank],
    priority_categories: ['low_income', 'single_parent', 'large_family'],
  },
  {
    ...REGIONAL,
    code: 'BIRTH-SECOND-CHILD',
    title_ru: 'Единовременная выплата при рождении второго ребёнка',
    title_en: 'One-off payment at the birth of a second child',
    summary_ru: 'Разовая региональная выплата семье при рождении (усыновлении) второго ребёнка.',
    summary_en: 'A one-off regional payment to a family at the birth (adoption) of its second child.',
    description_ru: 'Заявление подаётся в течение шести месяцев со дня рождения ребёнка.',
    description_en: "Apply within six months of the child's birth.",
    eligibility_ru: 'Один из родителей, проживающий в Волгоградской области, при рождении второго ребёнка.',
    eligibility_en: 'A parent living in Volgograd oblast, at the birth of the second child.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'families',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['child_birth'],
    documents: [D.application, D.passport, D.birth, D.residence, D.bank],
    priority_categories: [],
  },
  {
    ...REGIONAL,
    code: 'REGIONAL-MATCAP',
    title_ru: 'Региональный материнский (семейный) капитал',
    title_en: 'Regional maternity (family) capital',
    summary_ru: 'Сертификат на региональный капитал при рождении третьего или последующего ребёнка.',
    summary_en: 'A certificate for regional family capital at the birth of a third or later child.',
    description_ru:
      'Средства можно направить на улучшение жилищных условий, образование детей, приобретение транспорта или газификацию жилья.',
    description_en:
      "The capital can be spent on better housing, the children's education, a vehicle or connecting the home to gas.",
    eligibility_ru:
      'Семьи, проживающие в области, при рождении (усыновлении) третьего или последующего ребёнка.',
    eligibility_en: 'Families living in the oblast, at the birth (adoption) of a third or later child.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'families',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['child_birth', 'large_family'],
    documents: [D.application, D.passport, D.birth, D.residence],
    priority_categories: ['large_family'],
  },
  {
    code: 'FED-MATCAP',
    title_ru: 'Материнский (семейный) капитал',
    title_en: 'Federal maternity (family) capital',
    summary_ru: 'Федеральный сертификат, оформляемый Социальным фондом без заявления после рождения ребёнка.',
    summary_en: 'The federal certificate, issued by the Social Fund without an application after a birth.',
    description_ru:
      'После регистрации рождения в ЗАГС Социальный фонд оформляет сертификат проактивно и направляет уведомление в личный кабинет на Госуслугах.',
    description_en:
      'Once the birth is registered, the Social Fund issues the certificate proactively and notifies the family in its state services account.',
    eligibility_ru: 'Семьи при рождении (усыновлении) первого или второго ребёнка с 2007 года.',
    eligibility_en: 'Families at the birth (adoption) of a first or second child since 2007.',
    legal_basis_ru:
      'Федеральный закон от 29.12.2006 № 256-ФЗ «О дополнительных мерах государственной поддержки семей, имеющих детей»',
    legal_basis_en:
      'Federal Law No. 256-FZ of 29.12.2006 "On additional measures of state support for families with children"',
    sphere: 'families',
    department: 'sfr',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['proactive', 'portal', 'in_person'],
    decision_days: 5,
    amount_note_ru: 'Федеральный размер, ежегодно индексируется.',
    amount_note_en: 'A federal amount, indexed every year.',
    life_situations: ['child_birth'],
    documents: [D.application, D.passport, D.birth],
    priority_categories: [],
  },
  {
    code: 'UNIFIED-ALLOWANCE',
    title_ru: 'Единое пособие в связи с рождением и воспитанием ребёнка',
    title_en: 'Unified allowance for the birth and upbringing of a child',
    summary_ru:
      'Ежемесячное пособие беременным женщинам и семьям с детьми до 17 лет с доходом ниже прожиточного минимума.',
    summary_en:
      'A monthly allowance for pregnant women and families with children under 17 whose income is below the subsistence minimum.',
    description_ru:
      'Назначается Социальным фондом на 12 месяцев с учётом доходов и имущества семьи. Размер — 50, 75 или 100% регионального прожиточного минимума на ребёнка.',
    description_en:
      'Assigned by the Social Fund for 12 months after an income and assets test: 50, 75 or 100% of the regional child subsistence minimum.',
    eligibility_ru: 'Семьи со среднедушевым доходом ниже прожиточного минимума, прошедшие оценку имущества.',
    eligibility_en:
      'Families with per-capita income below the subsistence minimum that pass the assets test.',
    legal_basis_ru: `${FZ81_RU}; постановление Правительства РФ от 16.12.2022 № 2330`,
    legal_basis_en: `${FZ81_EN}; Government Decree No. 2330 of 16.12.2022`,
    sphere: 'families',
    department: 'sfr',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    decision_days: 10,
    amount_note_ru: '50/75/100% прожиточного минимума на ребёнка.',
    amount_note_en: '50/75/100% of the child subsistence minimum.',
    life_situations: ['child_birth', 'raising_children', 'low_income'],
    documents: [D.application, D.passport, D.birth, D.income, D.property, D.marriage],
    priority_categories: ['low_income', 'large_family', 'single_parent'],
  },
  {
    code: 'BIRTH-ALLOWANCE',
    title_ru: 'Единовременное пособие при рождении ребёнка',
    title_en: 'One-off birth allowance',
    summary_ru: 'Федеральное пособие одному из родителей при рождении ребёнка.',
    summary_en: 'The federal allowance to a parent at the birth of a child.',
    description_ru:
      'Работающим родителям пособие назначается по месту работы через Социальный фонд, неработающим — Социальным фондом по заявлению.',
    description_en:
      'Working parents get it through the employer and the Social Fund; parents who do not work apply to the Social Fund.',
    eligibility_ru: 'Один из родителей либо лицо, его заменяющее.',
    eligibility_en: 'One of the parents or a person acting in their place.',
    legal_basis_ru: `${FZ81_RU}, ст. 11, 12`,
    legal_basis_en: `${FZ81_EN}, arts. 11, 12`,
    sphere: 'families',
    department: 'sfr',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    decision_days: 10,
    amount_note_ru: 'Федеральный размер, индексируется с 1 февраля.',
    amount_note_en: 'A federal amount, indexed every 1 February.',
    life_situations: ['child_birth'],
    documents: [D.application, D.passport, D.birth],
    priority_categories: [],
  },
  {
    ...REGIONAL,
    code: 'LARGE-FAMILY-CERT',
    title_ru: 'Выдача удостоверения многодетной семьи',
    title_en: 'Large family certificate',
    summary_ru: 'Удостоверение, подтверждающее статус многодетной семьи в Волгоградской области.',
    summary_en: 'The certificate that confirms large family status in Volgograd oblast.',
    description_ru:
      'Статус даёт право на меры поддержки многодетных семей. Удостоверение действует, пока младшему ребёнку не исполнится 18 лет (23 года при очном обучении).',
    description_en:
      'The status opens the support measures for large families. It is valid until the youngest child turns 18 (23 in full-time education).',
    eligibility_ru: 'Семьи, воспитывающие трёх и более детей в возрасте до 18 лет.',
    eligibility_en: 'Families raising three or more children under 18.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'families',
    form: 'service',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    amount_note_ru: '',
    amount_note_en: '',
    life_situations: ['large_family', 'child_birth'],
    documents: [D.application, D.passport, D.birth, D.marriage, D.residence, D.photo],
    priority_categories: ['large_family'],
  },
  {
    ...REGIONAL,
    code: 'LARGE-FAMILY-STUDENT',
    title_ru: 'Ежемесячная выплата на учащихся из многодетных малоимущих семей',
    title_en: 'Monthly payment for students from large low-income families',
    summary_ru:
      'Ежемесячная выплата на каждого ребёнка, обучающегося по очной форме, в многодетной малоимущей семье.',
    summary_en: 'A monthly payment for each child in full-time education in a large low-income family.',
    description_ru:
      'Выплачивается в течение учебного года до окончания обучения, но не дольше чем до 23 лет.',
    description_en: 'Paid during studies until graduation, at the latest until the student turns 23.',
    eligibility_ru: 'Многодетные семьи со среднедушевым доходом ниже прожиточного минимума.',
    eligibility_en: 'Large families with per-capita income below the subsistence minimum.',
    legal_basis_ru: `${CODE_RU}, ст. 39`,
    legal_basis_en: `${CODE_EN}, art. 39`,
    sphere: 'families',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['large_family', 'low_income'],
    documents: [D.application, D.passport, D.largeFamily, D.study, D.income, D.bank],
    priority_categories: ['large_family', 'low_income'],
  },
  {
    ...REGIONAL,
    code: 'LARGE-FAMILY-UNIFORM',
    title_ru: 'Ежегодная выплата на приобретение школьной формы детям из многодетных семей',
    title_en: 'Yearly school uniform payment for large families',
    summary_ru: 'Ежегодная выплата на комплект школьной и спортивной формы для каждого школьника.',
    summary_en: 'A yearly payment for a set of school and sports uniform for each pupil.',
    description_ru:
      'Семьям, включённым в реестр многодетных, выплата назначается перед началом учебного года без заявления.',
    description_en:
      'Families already in the large family register receive it before the school year without applying.',
    eligibility_ru: 'Многодетные семьи, дети которых обучаются в общеобразовательных организациях.',
    eligibility_en: 'Large families whose children attend general education schools.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'families',
    form: 'cash',
    periodicity: 'yearly',
    channels: ['proactive', 'portal', 'in_person'],
    amount_note_ru: 'Фиксированная сумма на каждого школьника.',
    amount_note_en: 'A fixed sum per pupil.',
    life_situations: ['large_family', 'raising_children'],
    documents: [D.application, D.largeFamily, D.study, D.bank],
    priority_categories: ['large_family'],
  },
  {
    ...REGIONAL,
    code: 'LARGE-FAMILY-HCS',
    title_ru: 'Компенсация расходов на оплату жилья и коммунальных услуг многодетным семьям',
    title_en: 'Housing and utilities compensation for large families',
    summary_ru: 'Ежемесячная компенсация части платы за жильё и коммунальные услуги.',
    summary_en: 'A monthly compensation of part of the housing and utility costs.',
    description_ru:
      'Компенсация рассчитывается в пределах нормативов потребления и регионального стандарта площади.',
    description_en: 'Calculated within the consumption norms and the regional standard floor area.',
    eligibility_ru: 'Семьи, имеющие удостоверение многодетной семьи.',
    eligibility_en: 'Families holding the large family certificate.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'housing',
    form: 'compensation',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: 'Часть начислений за ЖКУ в пределах нормативов.',
    amount_note_en: 'A share of the housing and utility charges within the norms.',
    life_situations: ['large_family', 'housing_costs'],
    documents: [D.application, D.passport, D.largeFamily, D.bills, D.residence, D.bank],
    priority_categories: ['large_family'],
  },
  // Low income
  {
    ...REGIONAL,
    code: 'SOCIAL-CONTRACT',
    title_ru: 'Государственная социальная помощь на основании социального контракта',
    title_en: 'State social assistance under a social contract',
    summary_ru: 'Выплата малоимущей семье в обмен на выполнение программы выхода из трудной ситуации.',
    summary_en: 'Payments to a low-income family in exchange for following a plan to get out of hardship.',
    description_ru:
      'Контракт заключается по одному из направлений: поиск работы, открытие своего дела, ведение личного подсобного хозяйства или преодоление иной трудной жизненной ситуации. Специалист вместе с заявителем составляет программу социальной адаптации.',
    description_en:
      'The contract covers one of: finding a job, starting a business, running a household plot, or another way out of hardship. A specialist draws up the social adaptation plan with the applicant.',
    eligibility_ru:
      'Малоимущие семьи и одиноко проживающие граждане с доходом ниже прожиточного минимума по независящим причинам.',
    eligibility_en:
      'Low-income families and people living alone whose income is below the subsistence minimum for reasons beyond their control.',
    legal_basis_ru: `${FZ178_RU}, ст. 8.1; ${CODE_RU}`,
    legal_basis_en: `${FZ178_EN}, art. 8.1; ${CODE_EN}`,
    sphere: 'low_income',
    form: 'cash',
    periodicity: 'as_needed',
    channels: ['portal', 'in_person'],
    amount_note_ru: 'Зависит от направления: от ежемесячной выплаты до единовременной суммы на своё дело.',
    amount_note_en: 'Depends on the track: from monthly payments to a lump sum for a business.',
    life_situations: ['low_income', 'job_loss'],
    documents: [D.application, D.passport, D.income, D.property, D.residence, D.plan, D.bank],
    priority_categories: ['low_income', 'unemployed', 'single_parent', 'large_family'],
  },
  {
    ...REGIONAL,
    code: 'STATE-AID-LOWINC',
    title_ru: 'Государственная социальная помощь малоимущим семьям',
    title_en: 'State social assistance to low-income families',
    summary_ru: 'Единовременная денежная помощь малоимущим семьям и одиноко проживающим гражданам.',
    summary_en: 'One-off cash assistance to low-income families and people living alone.',
    description_ru:
      'Помощь оказывается не чаще одного раза в год при среднедушевом доходе ниже прожиточного минимума.',
    description_en: 'Granted at most once a year when per-capita income is below the subsistence minimum.',
    eligibility_ru: 'Малоимущие семьи и одиноко проживающие граждане.',
    eligibility_en: 'Low-income families and people living alone.',
    legal_basis_ru: `${FZ178_RU}, ст. 7, 8; ${CODE_RU}`,
    legal_basis_en: `${FZ178_EN}, arts. 7, 8; ${CODE_EN}`,
    sphere: 'low_income',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['portal', 'in_person'],
    amount_note_ru: INDEXED_RU,
    amount_note_en: INDEXED_EN,
    life_situations: ['low_income'],
    documents: [D.application, D.passport, D.income, D.residence, D.bank],
    priority_categories: ['low_income', 'pensioner', 'disabled'],
  },
  {
    ...REGIONAL,
    code: 'HOUSING-SUBSIDY',
    title_ru: 'Субсидия на оплату жилого помещения и коммунальных услуг',
    title_en: 'Housing and utilities subsidy',
    summary_ru: 'Субсидия, если расходы на ЖКУ превышают 22% совокупного дохода семьи.',
    summary_en: 'A subsidy when housing and utility costs exceed 22% of the household income.',
    description_ru:
      'Назначается на шесть месяцев; при отсутствии изменений в доходах продлевается. Рассчитывается по региональным стандартам стоимости ЖКУ.',
    description_en:
      'Assigned for six months and renewed when income is unchanged. Calculated from the regional standards of housing costs.',
    eligibility_ru:
      'Граждане, чьи расходы на ЖКУ превышают максимально допустимую долю дохода, при отсутствии долгов за ЖКУ.',
    eligibility_en:
      'Residents whose housing costs exceed the maximum share of income and who have no arrears.',
    legal_basis_ru: 'Жилищный кодекс РФ, ст. 159; постановление Правительства РФ от 14.12.2005 № 761',
    legal_basis_en:
      'Housing Code of the Russian Federation, art. 159; Government Decree No. 761 of 14.12.2005',
    sphere: 'housing',
    form: 'compensation',
    periodicity: 'monthly',
    channels: ['portal', 'in_person', 'proactive'],
    amount_note_ru: 'Разница между стандартом стоимости ЖКУ и 22% дохода семьи.',
    amount_note_en: 'The standard housing cost minus 22% of household income.',
    life_situations: ['housing_costs', 'low_income'],
    documents: [D.application, D.passport, D.income, D.bills, D.property, D.residence, D.bank],
    priority_categories: ['low_income', 'pensioner'],
  },
  {
    ...REGIONAL,
    code: 'CAPREPAIR-COMP',
    title_ru: 'Компенсация взноса на капитальный ремонт пенсионерам 70 и 80 лет',
    title_en: 'Capital repair contribution compensation for pensioners aged 70+ and 80+',
    summary_ru:
      'Компенсация 50% (с 70 лет) или 100% (с 80 лет) взноса на капремонт одиноко проживающим собственникам.',
    summary_en:
      'Compensation of 50% (from 70) or 100% (from 80) of the capital repair contribution for owners living alone.',
    description_ru:
      'Выплачивается ежемесячно при отсутствии задолженности по взносам; назначается по данным регистра без заявления.',
    description_en:
      'Paid monthly while there are no arrears; assigned from registry data without an application.',
    eligibility_ru:
      'Неработающие собственники жилья старше 70 лет, проживающие одни или с неработающими пенсионерами.',
    eligibility_en: 'Non-working home owners over 70 living alone or only with non-working pensioners.',
    legal_basis_ru: `Жилищный кодекс РФ, ст. 169, ч. 2.1; ${CODE_RU}`,
    legal_basis_en: `Housing Code of the Russian Federation, art. 169(2.1); ${CODE_EN}`,
    sphere: 'housing',
    form: 'compensation',
    periodicity: 'monthly',
    channels: ['proactive', 'portal', 'in_person'],
    amount_note_ru: '50% или 100% взноса в пределах нормативной площади.',
    amount_note_en: '50% or 100% of the contribution within the standard floor area.',
    life_situations: ['housing_costs', 'old_age_care'],
    documents: [D.application, D.passport, D.property, D.bills, D.pension],
    priority_categories: ['pensioner'],
  },
  // Disability
  {
    ...REGIONAL,
    code: 'DISABLED-HCS-COMP',
    title_ru: 'Компенсация 50% расходов на ЖКУ инвалидам и семьям с детьми-инвалидами',
    title_en: '50% housing and utilities compensation for people with disabilities',
    summary_ru: 'Ежемесячная компенсация половины платы за жильё и коммунальные услуги.',
    summary_en: 'Monthly compensation of half the housing and utility costs.',
    description_ru:
      'Федеральная мера, полномочия по которой переданы региону; рассчитывается в пределах нормативов.',
    description_en: 'A federal measure delegated to the region; calculated within the norms.',
    eligibility_ru: 'Инвалиды и семьи, имеющие детей-инвалидов.',
    eligibility_en: 'People with disabilities and families raising children with disabilities.',
    legal_basis_ru: `${FZ181_RU}, ст. 17`,
    legal_basis_en: `${FZ181_EN}, art. 17`,
    sphere: 'disability',
    form: 'compensation',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: '50% начислений за ЖКУ в пределах нормативов.',
    amount_note_en: '50% of housing and utility charges within the norms.',
    life_situations: ['disability', 'housing_costs'],
    documents: [D.application, D.passport, D.disability, D.bills, D.residence, D.bank],
    priority_categories: ['disabled'],
  },
  {
    code: 'DISABLED-TSR',
    title_ru: 'Обеспечение техническими средствами реабилитации',
    title_en: 'Technical rehabilitation aids',
    summary_ru: 'Коляски, протезы, слуховые аппараты и другие средства реабилитации по ИПРА.',
    summary_en:
      'Wheelchairs, prostheses, hearing aids and other aids listed in the rehabilitation programme.',
    description_ru:
      'Средство выдаётся в натуральной форме или компенсируется его стоимость, если человек купил его сам. Можно оформить электронный сертификат.',
    description_en:
      'The aid is provided in kind, or its cost is reimbursed when bought by the person. An electronic certificate is also available.',
    eligibility_ru: 'Инвалиды и дети-инвалиды, которым средство рекомендовано ИПРА.',
    eligibility_en: 'Adults and children with disabilities whose IPRA recommends the aid.',
    legal_basis_ru: `${FZ181_RU}, ст. 11.1`,
    legal_basis_en: `${FZ181_EN}, art. 11.1`,
    sphere: 'disability',
    department: 'sfr',
    form: 'in_kind',
    periodicity: 'as_needed',
    channels: ['portal', 'in_person'],
    decision_days: 15,
    amount_note_ru: 'В натуральной форме или компенсация стоимости.',
    amount_note_en: 'In kind, or reimbursement of the cost.',
    life_situations: ['disability'],
    documents: [D.application, D.passport, D.ipra],
    priority_categories: ['disabled'],
  },
  {
    ...REGIONAL,
    code: 'SOCIAL-TAXI',
    title_ru: 'Социальное такси',
    title_en: 'Social taxi',
    summary_ru: 'Перевозка на специально оборудованном транспорте к медицинским и социальным учреждениям.',
    summary_en: 'Rides in adapted vehicles to medical and social institutions.',
    description_ru:
      'Поездки заказываются по телефону комплексного центра социального обслуживания; часть стоимости оплачивает область.',
    description_en:
      'Trips are booked by phone with the comprehensive social service centre; the oblast pays part of the fare.',
    eligibility_ru: 'Инвалиды I и II группы, дети-инвалиды, граждане старше 80 лет.',
    eligibility_en: 'People with group I or II disabilities, disabled children and people over 80.',
    legal_basis_ru: `${FZ442_RU}; ${CODE_RU}`,
    legal_basis_en: `${FZ442_EN}; ${CODE_EN}`,
    sphere: 'disability',
    form: 'service',
    periodicity: 'as_needed',
    channels: ['portal', 'in_person'],
    decision_days: 5,
    amount_note_ru: 'Льготный тариф за километр.',
    amount_note_en: 'A reduced fare per kilometre.',
    life_situations: ['disability', 'old_age_care'],
    documents: [D.application, D.passport, D.disability],
    priority_categories: ['disabled', 'war_veteran'],
  },
  {
    code: 'SANATORIUM',
    title_ru: 'Санаторно-курортное лечение в составе набора социальных услуг',
    title_en: 'Sanatorium treatment in the set of social services',
    summary_ru: 'Путёвка в санаторий и бесплатный проезд к месту лечения для получателей ЕДВ.',
    summary_en: 'A sanatorium voucher and free travel to it for recipients of the federal monthly payment.',
    description_ru:
      'Путёвка предоставляется по медицинским показаниям в порядке очереди; можно отказаться в пользу денег.',
    description_en:
      'The voucher is given on medical grounds in order of the waiting list; it can be exchanged for cash.',
    eligibility_ru: 'Получатели федеральной ЕДВ: инвалиды, ветераны боевых действий и другие.',
    eligibility_en:
      'Recipients of the federal monthly cash payment: people with disabilities, combat veterans and others.',
    legal_basis_ru: `${FZ178_RU}, ст. 6.1, 6.2`,
    legal_basis_en: `${FZ178_EN}, arts. 6.1, 6.2`,
    sphere: 'disability',
    department: 'sfr',
    form: 'in_kind',
    periodicity: 'yearly',
    channels: ['portal', 'in_person'],
    decision_days: 10,
    amount_note_ru: 'Путёвка на 18 дней (детям-инвалидам — 21 день).',
    amount_note_en: 'An 18-day stay (21 days for disabled children).',
    life_situations: ['disability', 'veteran_status'],
    documents: [D.application, D.passport, D.medical],
    priority_categories: ['disabled', 'war_veteran'],
  },
  // Social services (442-FZ): the recognition decision is due in 5 working days.
  {
    ...REGIONAL,
    code: 'HOME-CARE',
    title_ru: 'Социальное обслуживание на дому',
    title_en: 'Home-based social services',
    summary_ru: 'Социальный работник помогает по дому: покупки, уборка, лекарства, оплата услуг.',
    summary_en: 'A social worker helps at home: shopping, cleaning, medicines, paying bills.',
    description_ru:
      'После признания нуждающимся в течение 10 рабочих дней составляется индивидуальная программа предоставления социальных услуг (ИППСУ) и заключается договор.',
    description_en:
      'Once the person is recognised as in need, an individual social service programme (IPPSU) is drawn up within 10 working days and a contract is signed.',
    eligibility_ru:
      'Граждане, частично утратившие способность к самообслуживанию из-за возраста, болезни или инвалидности.',
    eligibility_en:
      'People who have partly lost the ability to care for themselves through age, illness or disability.',
    legal_basis_ru: `${FZ442_RU}, ст. 15, 19`,
    legal_basis_en: `${FZ442_EN}, arts. 15, 19`,
    sphere: 'social_services',
    form: 'service',
    periodicity: 'as_needed',
    channels: ['portal', 'in_person'],
    decision_days: 5,
    amount_note_ru: SERVICE_FEE_RU,
    amount_note_en: SERVICE_FEE_EN,
    life_situations: ['old_age_care', 'disability'],
    documents: [D.application, D.passport, D.medical, D.income, D.disability],
    priority_categories: ['pensioner', 'disabled', 'war_veteran', 'home_front_worker'],
  },
  {
    ...REGIONAL,
    code: 'DAY-CARE',
    title_ru: 'Полустационарное социальное обслуживание',
    title_en: 'Day care (semi-residential social services)',
    summary_ru: 'Отделения дневного пребывания: досуг, реабилитация, питание, консультации.',
    summary_en: 'Day centres: activities, rehabilitation, meals, advice.',
    description_ru:
      'Услуги оказываются в комплексных центрах социального обслуживания в определённое время суток.',
    description_en: 'Provided at comprehensive social service centres during set hours of the day.',
    eligibility_ru: 'Пожилые граждане, инвалиды, семьи с детьми в трудной жизненной ситуации.',
    eligibility_en: 'Older people, people with disabilities, families with children in difficulty.',
    legal_basis_ru: `${FZ442_RU}, ст. 15, 19`,
    legal_basis_en: `${FZ442_EN}, arts. 15, 19`,
    sphere: 'social_services',
    form: 'service',
    periodicity: 'as_needed',
    channels: ['portal', 'in_person'],
    decision_days: 5,
    amount_note_ru: SERVICE_FEE_RU,
    amount_note_en: SERVICE_FEE_EN,
    life_situations: ['old_age_care', 'disability', 'raising_children'],
    documents: [D.application, D.passport, D.medical, D.income],
    priority_categories: ['pensioner', 'disabled', 'single_parent'],
  },
  {
    ...REGIONAL,
    code: 'RESIDENTIAL-CARE',
    title_ru: 'Стационарное социальное обслуживание',
    title_en: 'Residential social care',
    summary_ru: 'Постоянное или временное проживание в доме-интернате с уходом.',
    summary_en: 'Permanent or temporary residence with care in a care home.',
    description_ru:
      'Требуется медицинское заключение об отсутствии противопоказаний. Плата — не более 75% среднедушевого дохода получателя.',
    description_en:
      "A medical report confirming no contraindications is required. The fee is at most 75% of the recipient's per-capita income.",
    eligibility_ru:
      'Граждане, полностью утратившие способность к самообслуживанию и нуждающиеся в постоянном уходе.',
    eligibility_en: 'People who have fully lost the ability to care for themselves and need constant care.',
    legal_basis_ru: `${FZ442_RU}, ст. 15, 19, 32`,
    legal_basis_en: `${FZ442_EN}, arts. 15, 19, 32`,
    sphere: 'social_services',
    form: 'service',
    periodicity: 'as_needed',
    channels: ['in_person'],
    decision_days: 5,
    amount_note_ru: 'Не более 75% среднедушевого дохода.',
    amount_note_en: 'At most 75% of per-capita income.',
    life_situations: ['old_age_care', 'disability'],
    documents: [D.application, D.passport, D.medical, D.income, D.disability, D.pension],
    priority_categories: ['pensioner', 'disabled', 'war_veteran'],
  },
  {
    ...REGIONAL,
    code: 'URGENT-SOCIAL-SERVICES',
    title_ru: 'Срочные социальные услуги',
    title_en: 'Urgent social services',
    summary_ru: 'Продуктовые наборы, одежда, горячее питание, помощь в получении жилья и юридической помощи.',
    summary_en: 'Food parcels, clothes, hot meals, help finding shelter and legal aid.',
    description_ru:
      'Оказываются без составления индивидуальной программы, в сроки, обусловленные нуждаемостью.',
    description_en: 'Provided without an individual programme, as quickly as the need requires.',
    eligibility_ru: 'Граждане, оказавшиеся в трудной жизненной ситуации.',
    eligibility_en: 'Anyone in a difficult life situation.',
    legal_basis_ru: `${FZ442_RU}, ст. 21`,
    legal_basis_en: `${FZ442_EN}, art. 21`,
    sphere: 'social_services',
    form: 'in_kind',
    periodicity: 'as_needed',
    channels: ['in_person'],
    decision_days: 1,
    amount_note_ru: 'Бесплатно.',
    amount_note_en: 'Free of charge.',
    life_situations: ['emergency', 'low_income', 'job_loss'],
    documents: [D.application, D.passport],
    priority_categories: ['emergency_victim', 'low_income', 'orphan'],
  },
  // Employment, emergencies, bereavement, orphans
  {
    code: 'UNEMPLOYMENT-BENEFIT',
    title_ru: 'Пособие по безработице',
    title_en: 'Unemployment benefit',
    summary_ru: 'Пособие гражданам, признанным безработными, на время поиска работы.',
    summary_en: 'A benefit for registered unemployed people while they look for work.',
    description_ru:
      'Заявление подаётся через портал «Работа России» или в центре занятости. Центр предлагает подходящие вакансии и обучение.',
    description_en:
      'Apply through the "Work in Russia" portal or at an employment centre, which offers suitable vacancies and training.',
    eligibility_ru: 'Трудоспособные граждане без работы и заработка, зарегистрированные в центре занятости.',
    eligibility_en: 'Able-bodied people with no job or earnings, registered with the employment service.',
    legal_basis_ru: 'Федеральный закон от 12.12.2023 № 565-ФЗ «О занятости населения в Российской Федерации»',
    legal_basis_en: 'Federal Law No. 565-FZ of 12.12.2023 "On employment in the Russian Federation"',
    sphere: 'employment',
    department: 'labour-employment',
    form: 'cash',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    decision_days: 10,
    amount_note_ru: 'Зависит от прежнего заработка, в пределах федеральных минимума и максимума.',
    amount_note_en: 'Depends on previous earnings, within the federal minimum and maximum.',
    life_situations: ['job_loss'],
    documents: [D.application, D.passport, D.workRecord, D.income],
    priority_categories: ['unemployed'],
  },
  {
    ...REGIONAL,
    code: 'EMERGENCY-AID',
    title_ru: 'Единовременная материальная помощь пострадавшим в чрезвычайных ситуациях',
    title_en: 'One-off financial aid to victims of emergencies',
    summary_ru:
      'Разовая выплата гражданам, пострадавшим от пожара, паводка или другой чрезвычайной ситуации.',
    summary_en: 'A one-off payment to people affected by a fire, flood or another emergency.',
    description_ru:
      'Выплачивается на основании списков пострадавших, утверждённых органом местного самоуправления, и акта обследования жилья.',
    description_en:
      'Paid from lists of victims approved by the local authority and the inspection report on the dwelling.',
    eligibility_ru:
      'Граждане, постоянно проживающие в зоне чрезвычайной ситуации и включённые в списки пострадавших.',
    eligibility_en: 'Permanent residents of the emergency zone included in the lists of victims.',
    legal_basis_ru:
      'Федеральный закон от 21.12.1994 № 68-ФЗ «О защите населения и территорий от чрезвычайных ситуаций природного и техногенного характера», ст. 18',
    legal_basis_en:
      'Federal Law No. 68-FZ of 21.12.1994 "On the protection of the population and territories from natural and man-made emergencies", art. 18',
    sphere: 'emergencies',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['in_person'],
    amount_note_ru: 'Размер зависит от ущерба (частичная или полная утрата имущества).',
    amount_note_en: 'Depends on the damage (partial or total loss of property).',
    life_situations: ['emergency'],
    documents: [D.application, D.passport, D.damage, D.residence, D.property, D.bank],
    priority_categories: ['emergency_victim'],
  },
  {
    ...REGIONAL,
    code: 'FUNERAL-BENEFIT',
    title_ru: 'Социальное пособие на погребение',
    title_en: 'Social burial benefit',
    summary_ru: 'Пособие лицу, взявшему на себя организацию похорон неработающего гражданина.',
    summary_en: 'A benefit to whoever arranges the funeral of a person who did not work.',
    description_ru:
      'Выплачивается в день обращения, если обращение последовало не позднее шести месяцев со дня смерти.',
    description_en: 'Paid on the day of application if it is made within six months of the death.',
    eligibility_ru: 'Супруг, родственники или иное лицо, взявшее на себя обязанность осуществить погребение.',
    eligibility_en: 'The spouse, a relative or anyone who took on the funeral arrangements.',
    legal_basis_ru: 'Федеральный закон от 12.01.1996 № 8-ФЗ «О погребении и похоронном деле», ст. 10',
    legal_basis_en: 'Federal Law No. 8-FZ of 12.01.1996 "On burial and funeral services", art. 10',
    sphere: 'low_income',
    form: 'cash',
    periodicity: 'one_off',
    channels: ['in_person'],
    decision_days: 1,
    amount_note_ru: 'Федеральный гарантированный размер с районным коэффициентом.',
    amount_note_en: 'The federal guaranteed amount with the regional coefficient.',
    life_situations: ['bereavement', 'loss_of_breadwinner'],
    documents: [D.application, D.passport, D.burial, D.death, D.workRecord],
    priority_categories: [],
  },
  {
    ...REGIONAL,
    code: 'ORPHAN-HOUSING',
    title_ru: 'Предоставление жилья детям-сиротам',
    title_en: 'Housing for orphans',
    summary_ru:
      'Благоустроенное жильё специализированного фонда для детей-сирот и детей без попечения родителей.',
    summary_en:
      'A furnished flat from the specialised housing stock for orphans and children left without parental care.',
    description_ru:
      'Жильё предоставляется по договору найма на пять лет по достижении 18 лет, если своего жилья нет.',
    description_en:
      'Provided under a five-year tenancy from the age of 18 when the person has no housing of their own.',
    eligibility_ru:
      'Дети-сироты и лица из их числа в возрасте от 18 до 23 лет, не имеющие закреплённого жилья.',
    eligibility_en: 'Orphans and former orphans aged 18 to 23 with no housing assigned to them.',
    legal_basis_ru:
      'Федеральный закон от 21.12.1996 № 159-ФЗ «О дополнительных гарантиях по социальной поддержке детей-сирот и детей, оставшихся без попечения родителей», ст. 8',
    legal_basis_en:
      'Federal Law No. 159-FZ of 21.12.1996 "On additional guarantees of social support for orphans and children left without parental care", art. 8',
    sphere: 'housing',
    form: 'in_kind',
    periodicity: 'one_off',
    channels: ['in_person'],
    decision_days: 30,
    amount_note_ru: 'В порядке очереди.',
    amount_note_en: 'In order of the waiting list.',
    life_situations: ['orphanhood'],
    documents: [D.application, D.passport, D.death, D.property, D.residence],
    priority_categories: ['orphan'],
  },
  {
    ...REGIONAL,
    code: 'SOCIAL-TRAVEL-CARD',
    title_ru: 'Льготный проезд на общественном транспорте (социальная транспортная карта)',
    title_en: 'Reduced-fare public transport (social travel card)',
    summary_ru: 'Льготный проезд на городском и пригородном транспорте по социальной карте.',
    summary_en: 'Reduced fares on urban and suburban transport with a social travel card.',
    description_ru: 'Карта оформляется один раз; пополнение — ежемесячно в пунктах продаж.',
    description_en: 'The card is issued once and topped up monthly at sales points.',
    eligibility_ru: 'Ветераны труда, труженики тыла, реабилитированные лица, инвалиды, пенсионеры.',
    eligibility_en:
      'Labour veterans, home-front workers, rehabilitated persons, people with disabilities and pensioners.',
    legal_basis_ru: CODE_RU,
    legal_basis_en: CODE_EN,
    sphere: 'older_people',
    form: 'in_kind',
    periodicity: 'monthly',
    channels: ['portal', 'in_person'],
    amount_note_ru: 'Стоимость льготного проездного устанавливается ежегодно.',
    amount_note_en: 'The price of the reduced-fare pass is set every year.',
    life_situations: ['retirement', 'disability', 'veteran_status'],
    documents: [D.application, D.passport, D.veteranCard, D.photo],
    priority_categories: ['labour_veteran', 'home_front_worker', 'disabled', 'pensioner'],
  },
];
