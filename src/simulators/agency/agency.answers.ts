// How each simulated agency answers a request type: a Response payload built from the registry.
import {
  buildPayload,
  group,
  type Node,
  type RequestType,
} from '../../modules/interagency/interagency.protocol.ts';
import type { AgencyPerson } from './agency.registry.ts';
import { derived } from './agency.registry.ts';

const ageOn = (birth: string, today: string) => {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
};
const plusYears = (iso: string, years: number) =>
  `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`.replace('-02-29', '-02-28');
const act = (snils: string, what: string, i = 0) =>
  `${1 + derived(snils, `${what}${i}`, 9)}${String(derived(snils, `${what}#${i}`, 10 ** 8)).padStart(8, '0')}`;
const money = (v: number) => v.toFixed(2);

/** The Response payload for a request, as the agency would write it. */
export function answer(type: RequestType, p: AgencyPerson, request: Node, today: string): string {
  const s = p.snils;
  const R = (fields: Parameters<typeof buildPayload>[2]) =>
    buildPayload(type, 'Response', [['Snils', s], ...fields]);
  switch (type) {
    case 'SFR_INSURED': {
      const working = ageOn(p.birthDate, today) >= 18;
      return R([
        ['FullName', [p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' ')],
        ['Insured', true],
        ['EmploymentPeriods', working ? 1 + derived(s, 'periods', 6) : 0],
        [
          'CurrentlyEmployed',
          working && !p.categories.includes('unemployed') && !p.categories.includes('pensioner'),
        ],
      ]);
    }
    case 'SFR_PENSION': {
      const disabled = p.disabilityGroup !== null;
      const pensioner = p.categories.includes('pensioner') || disabled;
      if (!pensioner) return R([['Pensioner', false]]);
      const kind = p.categories.includes('pensioner') ? 'old_age' : 'disability';
      return R([
        ['Pensioner', true],
        ['PensionKind', kind],
        ['MonthlyAmount', money(Math.max(p.monthlyIncome, 14_000 + derived(s, 'pension', 16_000)))],
        ['Since', plusYears(p.birthDate, kind === 'old_age' ? (p.sex === 'F' ? 58 : 63) : 30)],
      ]);
    }
    case 'SFR_DISABILITY': {
      if (p.disabilityGroup === null) return R([['Disabled', false]]);
      const established = `${Number(today.slice(0, 4)) - 1 - derived(s, 'dis', 5)}-0${1 + derived(s, 'dism', 9)}-1${derived(s, 'disd', 9)}`;
      return R([
        ['Disabled', true],
        ['Group', p.disabilityGroup],
        ['EstablishedOn', established],
        ...(p.disabilityGroup === 1 ? [] : [['ReviewOn', plusYears(established, 2)] as [string, string]]),
      ]);
    }
    case 'FNS_INCOME': {
      const from = request.text('PeriodFrom');
      const to = request.text('PeriodTo');
      const months = p.monthlyIncome > 0 ? 12 : 0;
      return R([
        ['PeriodFrom', from],
        ['PeriodTo', to],
        ['TotalIncome', money(p.monthlyIncome * 12)],
        ['Months', months],
      ]);
    }
    case 'ZAGS_BIRTH':
      return R(
        p.children.slice(0, 20).map((c, i) =>
          group('Child', [
            ['FullName', c.fullName],
            ['BirthDate', c.birthDate],
            ['ActNumber', act(s, 'birth', i)],
          ]),
        ),
      );
    case 'ZAGS_MARRIAGE':
      return R(
        p.spouse
          ? [
              ['Married', true],
              ['SpouseName', p.spouse],
              ['ActNumber', act(s, 'marriage')],
            ]
          : [['Married', false]],
      );
    case 'ZAGS_DEATH':
      return R(
        p.deathsInHousehold.slice(0, 20).map((d, i) =>
          group('Record', [
            ['FullName', d.fullName],
            ['DiedOn', d.diedOn],
            ['ActNumber', act(s, 'death', i)],
          ]),
        ),
      );
    case 'MVD_PASSPORT': {
      // A passport is replaced at 20 and 45 (Government decree No. 828): the current one was issued
      // at the last of those ages the person has reached; one not replaced in time is invalid.
      const age = ageOn(p.birthDate, today);
      const issuedAt = age >= 45 ? 45 : age >= 20 ? 20 : 14;
      return R([
        ['Valid', p.diedOn === null && derived(s, 'pvalid', 50) !== 0],
        ['Series', String(1800 + derived(s, 'pser', 99)).padStart(4, '0')],
        ['Number', String(derived(s, 'pnum', 1_000_000)).padStart(6, '0')],
        ['IssuedOn', plusYears(p.birthDate, issuedAt)],
      ]);
    }
    case 'MVD_ADDRESS':
      return R([
        ['Registered', true],
        ['Address', p.address],
        ['Since', plusYears(p.birthDate, Math.min(ageOn(p.birthDate, today), 18 + derived(s, 'addr', 20)))],
      ]);
    case 'ROSREESTR_PROPERTY': {
      const owns = ageOn(p.birthDate, today) >= 18 && derived(s, 'owns', 10) < 6;
      if (!owns) return R([]);
      return R([
        group('Object', [
          ['Kind', derived(s, 'kind', 3) === 0 ? 'house' : 'flat'],
          [
            'CadastralNumber',
            `34:34:${String(derived(s, 'cad1', 999999)).padStart(6, '0')}:${derived(s, 'cad2', 9999)}`,
          ],
          ['Address', p.address],
          ['AreaM2', (28 + derived(s, 'area', 700) / 10).toFixed(1)],
          ['Share', derived(s, 'share', 3) === 0 ? '1/2' : '1'],
        ]),
      ]);
    }
    case 'EMPLOYMENT_STATUS': {
      const unemployed = p.categories.includes('unemployed');
      return R(
        unemployed
          ? [
              ['Unemployed', true],
              ['RegisteredOn', `${Number(today.slice(0, 4)) - 1}-0${1 + derived(s, 'unm', 9)}-15`],
              ['BenefitMonthly', money(1_500 + derived(s, 'ben', 13_000))],
            ]
          : [['Unemployed', false]],
      );
    }
  }
}
