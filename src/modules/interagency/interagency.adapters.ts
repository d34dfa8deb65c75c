// One adapter per agency and request type, behind one interface: the request payload from what
// Opora knows of the person, and the response read into typed facts and a human-readable document
// (the rows of the PDF attached to the case). The XML shapes are the schemas in ./schemas/.
import { addWorkingDays } from '../../platform/calendar/calendar.service.ts';
import type { Agency } from '../catalog/catalog.schema.ts';
import {
  buildPayload,
  type Node,
  type RequestType,
  readPayload,
  requestTypeInfo,
} from './interagency.protocol.ts';

export interface PersonForRequest {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
}

export interface AgencyAnswer {
  /** Typed facts, kept on the request (jsonb) for decision support. */
  facts: Record<string, unknown>;
  /** What the attached document says, in Russian (the case file's language): label, value. */
  rows: Array<[string, string]>;
}

export interface RequestAdapter {
  type: RequestType;
  agency: Agency;
  /** The document's title on the case. */
  title: { ru: string; en: string };
  /** The Request payload (valid against the type's schema). */
  request(person: PersonForRequest, today: string): string;
  /** Reads a Response payload already checked against the schema. */
  read(response: Node): AgencyAnswer;
}

const personFields = (p: PersonForRequest): Array<[string, string | null]> => [
  ['Snils', p.snils],
  ['LastName', p.last_name],
  ['FirstName', p.first_name],
  ['Patronymic', p.patronymic],
  ['BirthDate', p.birth_date],
];

const yes = (v: string | undefined) => v === 'true' || v === '1';
const yesNo = (b: boolean) => (b ? 'да' : 'нет');
const money = (v: string) => `${Number(v).toLocaleString('ru-RU', { minimumFractionDigits: 2 })} ₽`;
const ruDate = (iso: string) => iso.split('-').reverse().join('.');
const num = (v: string | undefined) => (v === undefined ? null : Number(v));

function simple(
  type: RequestType,
  title: { ru: string; en: string },
  read: (n: Node) => AgencyAnswer,
  extra: (today: string) => Array<[string, string]> = () => [],
): RequestAdapter {
  return {
    type,
    agency: requestTypeInfo(type).agency,
    title,
    request: (p, today) => buildPayload(type, 'Request', [...personFields(p), ...extra(today)]),
    read,
  };
}

/** The twelve months before the month of the request, as income-tested measures count income. */
export function incomePeriod(today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1, 0));
  const start = new Date(Date.UTC(y - 1, m - 1, 1));
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

export const ADAPTERS: Record<RequestType, RequestAdapter> = {
  SFR_INSURED: simple(
    'SFR_INSURED',
    {
      ru: 'Сведения СФР о застрахованном лице и трудовой деятельности',
      en: 'Social Fund: insured person and employment record',
    },
    (n) => {
      const insured = yes(n.opt('Insured'));
      const periods = Number(n.text('EmploymentPeriods'));
      const employed = yes(n.opt('CurrentlyEmployed'));
      return {
        facts: { snils: n.text('Snils'), insured, employmentPeriods: periods, currentlyEmployed: employed },
        rows: [
          ['СНИЛС', n.text('Snils')],
          ['Застрахованное лицо', n.text('FullName')],
          ['Зарегистрирован в системе обязательного пенсионного страхования', yesNo(insured)],
          ['Периодов трудовой деятельности', String(periods)],
          ['Работает в настоящее время', yesNo(employed)],
        ],
      };
    },
  ),
  SFR_PENSION: simple(
    'SFR_PENSION',
    { ru: 'Сведения СФР о видах и размере пенсии', en: 'Social Fund: type and amount of pension' },
    (n) => {
      const pensioner = yes(n.opt('Pensioner'));
      const kind = n.opt('PensionKind');
      const amount = n.opt('MonthlyAmount');
      const KINDS: Record<string, string> = {
        old_age: 'страховая по старости',
        disability: 'по инвалидности',
        survivor: 'по случаю потери кормильца',
        social: 'социальная',
      };
      return {
        facts: {
          pensioner,
          pensionKind: kind ?? null,
          monthlyAmount: num(amount),
          since: n.opt('Since') ?? null,
        },
        rows: [
          ['Получатель пенсии', yesNo(pensioner)],
          ...(kind ? [['Вид пенсии', KINDS[kind] ?? kind] as [string, string]] : []),
          ...(amount ? [['Размер пенсии в месяц', money(amount)] as [string, string]] : []),
          ...(n.opt('Since') ? [['Назначена с', ruDate(n.text('Since'))] as [string, string]] : []),
        ],
      };
    },
  ),
  SFR_DISABILITY: simple(
    'SFR_DISABILITY',
    {
      ru: 'Сведения ФГИС ФРИ об инвалидности',
      en: 'Federal register of persons with disabilities: disability record',
    },
    (n) => {
      const disabled = yes(n.opt('Disabled'));
      const group = num(n.opt('Group'));
      return {
        facts: {
          disabled,
          group,
          establishedOn: n.opt('EstablishedOn') ?? null,
          reviewOn: n.opt('ReviewOn') ?? null,
        },
        rows: [
          ['Инвалидность установлена', yesNo(disabled)],
          ...(group ? [['Группа инвалидности', String(group)] as [string, string]] : []),
          ...(n.opt('EstablishedOn')
            ? [['Дата установления', ruDate(n.text('EstablishedOn'))] as [string, string]]
            : []),
          ...(n.opt('ReviewOn')
            ? [['Дата очередного освидетельствования', ruDate(n.text('ReviewOn'))] as [string, string]]
            : []),
        ],
      };
    },
  ),
  FNS_INCOME: simple(
    'FNS_INCOME',
    { ru: 'Сведения ФНС о доходах за 12 месяцев', en: 'Tax Service: income for 12 months' },
    (n) => {
      const total = Number(n.text('TotalIncome'));
      const months = Number(n.text('Months'));
      return {
        facts: {
          periodFrom: n.text('PeriodFrom'),
          periodTo: n.text('PeriodTo'),
          totalIncome: total,
          months,
          monthlyAverage: months ? Math.round((total / months) * 100) / 100 : 0,
        },
        rows: [
          ['Период', `${ruDate(n.text('PeriodFrom'))} – ${ruDate(n.text('PeriodTo'))}`],
          ['Доход за период', money(n.text('TotalIncome'))],
          ['Месяцев с доходом', String(months)],
        ],
      };
    },
    (today) => {
      const p = incomePeriod(today);
      return [
        ['PeriodFrom', p.from],
        ['PeriodTo', p.to],
      ];
    },
  ),
  ZAGS_BIRTH: simple(
    'ZAGS_BIRTH',
    { ru: 'Сведения ЕГР ЗАГС о рождении детей', en: 'Civil registry: births of children' },
    (n) => {
      const children = n.children('Child').map((c) => ({
        fullName: c.text('FullName'),
        birthDate: c.text('BirthDate'),
        act: c.text('ActNumber'),
      }));
      return {
        facts: { children },
        rows: children.length
          ? children.map((c) => [
              `Запись акта о рождении № ${c.act}`,
              `${c.fullName}, ${ruDate(c.birthDate)}`,
            ])
          : [['Записи актов о рождении детей', 'не найдены']],
      };
    },
  ),
  ZAGS_MARRIAGE: simple(
    'ZAGS_MARRIAGE',
    { ru: 'Сведения ЕГР ЗАГС о заключении брака', en: 'Civil registry: marriage record' },
    (n) => {
      const married = yes(n.opt('Married'));
      return {
        facts: { married, spouse: n.opt('SpouseName') ?? null },
        rows: [
          ['Состоит в зарегистрированном браке', yesNo(married)],
          ...(n.opt('SpouseName') ? [['Супруг(а)', n.text('SpouseName')] as [string, string]] : []),
          ...(n.opt('ActNumber')
            ? [['Запись акта о заключении брака №', n.text('ActNumber')] as [string, string]]
            : []),
        ],
      };
    },
  ),
  ZAGS_DEATH: simple(
    'ZAGS_DEATH',
    { ru: 'Сведения ЕГР ЗАГС о смерти членов семьи', en: 'Civil registry: deaths in the family' },
    (n) => {
      const records = n.children('Record').map((r) => ({
        fullName: r.text('FullName'),
        diedOn: r.text('DiedOn'),
        act: r.text('ActNumber'),
      }));
      return {
        facts: { deaths: records },
        rows: records.length
          ? records.map((r) => [`Запись акта о смерти № ${r.act}`, `${r.fullName}, ${ruDate(r.diedOn)}`])
          : [['Записи актов о смерти членов семьи', 'не найдены']],
      };
    },
  ),
  MVD_PASSPORT: simple(
    'MVD_PASSPORT',
    { ru: 'Сведения МВД о действительности паспорта', en: 'Interior Ministry: passport validity' },
    (n) => {
      const valid = yes(n.opt('Valid'));
      return {
        facts: { valid, series: n.text('Series'), number: n.text('Number'), issuedOn: n.text('IssuedOn') },
        rows: [
          ['Паспорт', `${n.text('Series')} ${n.text('Number')}, выдан ${ruDate(n.text('IssuedOn'))}`],
          ['Паспорт действителен', yesNo(valid)],
        ],
      };
    },
  ),
  MVD_ADDRESS: simple(
    'MVD_ADDRESS',
    { ru: 'Сведения МВД о регистрации по месту жительства', en: 'Interior Ministry: registered address' },
    (n) => {
      const registered = yes(n.opt('Registered'));
      return {
        facts: { registered, address: n.opt('Address') ?? null, since: n.opt('Since') ?? null },
        rows: [
          ['Зарегистрирован по месту жительства', yesNo(registered)],
          ...(n.opt('Address') ? [['Адрес', n.text('Address')] as [string, string]] : []),
          ...(n.opt('Since') ? [['Дата регистрации', ruDate(n.text('Since'))] as [string, string]] : []),
        ],
      };
    },
  ),
  ROSREESTR_PROPERTY: simple(
    'ROSREESTR_PROPERTY',
    { ru: 'Выписка из ЕГРН о правах на объекты недвижимости', en: 'Property register (EGRN) extract' },
    (n) => {
      const KINDS: Record<string, string> = {
        flat: 'квартира',
        house: 'жилой дом',
        land: 'земельный участок',
      };
      const objects = n.children('Object').map((o) => ({
        kind: o.text('Kind'),
        cadastralNumber: o.text('CadastralNumber'),
        address: o.text('Address'),
        areaM2: Number(o.text('AreaM2')),
        share: o.text('Share'),
      }));
      return {
        facts: { objects },
        rows: objects.length
          ? objects.map((o) => [
              `${KINDS[o.kind] ?? o.kind}, кадастровый № ${o.cadastralNumber}`,
              `${o.address}; ${o.areaM2} м²; доля ${o.share}`,
            ])
          : [['Права на объекты недвижимости', 'не зарегистрированы']],
      };
    },
  ),
  EMPLOYMENT_STATUS: simple(
    'EMPLOYMENT_STATUS',
    { ru: 'Сведения службы занятости о признании безработным', en: 'Employment service: unemployed status' },
    (n) => {
      const unemployed = yes(n.opt('Unemployed'));
      return {
        facts: {
          unemployed,
          registeredOn: n.opt('RegisteredOn') ?? null,
          benefitMonthly: num(n.opt('BenefitMonthly')),
        },
        rows: [
          ['Признан безработным', yesNo(unemployed)],
          ...(n.opt('RegisteredOn')
            ? [['Дата признания', ruDate(n.text('RegisteredOn'))] as [string, string]]
            : []),
          ...(n.opt('BenefitMonthly')
            ? [['Пособие в месяц', money(n.text('BenefitMonthly'))] as [string, string]]
            : []),
        ],
      };
    },
  ),
};

/** Reads a response payload of a type: schema check, then the adapter (ProtocolError when invalid). */
export function readResponse(type: RequestType, payload: string): AgencyAnswer {
  return readPayload(type, payload, 'Response', (n) => ADAPTERS[type].read(n));
}

/**
 * Which request answers which catalog document. The catalog names the agency of each document
 * (measure_documents.interagency_agency); the request type follows from the document itself.
 * Keyed by the document's English title (the seed's stable wording); an unknown document of an
 * agency falls back to that agency's main request.
 */
const BY_TITLE: Record<string, RequestType> = {
  'SNILS (insurance account number)': 'SFR_INSURED',
  'Employment record': 'SFR_INSURED',
  'Type and amount of pension': 'SFR_PENSION',
  'Disability record from the federal register of persons with disabilities': 'SFR_DISABILITY',
  'Individual rehabilitation or habilitation programme (IPRA)': 'SFR_DISABILITY',
  'Household income for 12 months': 'FNS_INCOME',
  "Child's birth certificate": 'ZAGS_BIRTH',
  'Marriage (divorce) record': 'ZAGS_MARRIAGE',
  'Death registration record': 'ZAGS_DEATH',
  'Proof of registered residence': 'MVD_ADDRESS',
  'Property register extract for the dwelling': 'ROSREESTR_PROPERTY',
  'Record of registration as unemployed': 'EMPLOYMENT_STATUS',
};
const BY_AGENCY: Record<Agency, RequestType> = {
  sfr: 'SFR_INSURED',
  fns: 'FNS_INCOME',
  zags: 'ZAGS_BIRTH',
  mvd: 'MVD_ADDRESS',
  rosreestr: 'ROSREESTR_PROPERTY',
  employment: 'EMPLOYMENT_STATUS',
};

export function requestTypeForDocument(d: {
  interagency_agency: Agency | null;
  title_en: string;
}): RequestType | undefined {
  if (!d.interagency_agency) return undefined;
  const byTitle = BY_TITLE[d.title_en];
  return byTitle && requestTypeInfo(byTitle).agency === d.interagency_agency
    ? byTitle
    : BY_AGENCY[d.interagency_agency];
}

/** The statutory answer date of a request sent today (210-FZ art. 7.2: five working days). */
export const responseDueOn = (today: string, days: number) => addWorkingDays(today, days);
