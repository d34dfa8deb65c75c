// How a person's registry record is shown, to staff and to the resident alike.
import { formatDate, formatMoney, pick } from '../../platform/i18n/i18n.ts';
import { SummaryList } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import type { HouseholdMember, PersonRecord } from './registry.service.ts';
import { formatSnils } from './snils.ts';

export const fullName = (p: { last_name: string; first_name: string; patronymic: string | null }) =>
  [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' ');

interface Props {
  ctx: PageContext;
  person: PersonRecord;
  household: HouseholdMember[];
  categoryTitles: Map<string, { ru: string; en: string }>;
  /** Staff see income; the resident sees it too, it is theirs. */
  showIncome?: boolean;
}

export function PersonDetails({ ctx, person: p, household, categoryTitles, showIncome = true }: Props) {
  const { t, locale } = ctx;
  const none = t('person.none');
  const categories = p.categories.map((c) => {
    const title = categoryTitles.get(c);
    return title ? pick(locale, title.ru, title.en) : c;
  });
  const place = [
    pick(locale, p.district_ru, p.district_en),
    p.settlement_ru && pick(locale, p.settlement_ru, p.settlement_en ?? ''),
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      <SummaryList
        rows={[
          [t('person.name'), fullName(p)],
          [t('person.snils'), formatSnils(p.snils)],
          [t('person.birthDate'), formatDate(locale, p.birth_date)],
          [t('person.sex'), t(`person.sex.${p.sex}`)],
          [t('person.district'), place],
          [t('person.address'), p.address],
          [t('person.phone'), p.phone ?? none],
          [t('person.email'), p.email ?? none],
          [t('person.channel'), t(`person.channel.${p.preferred_channel}`)],
          [t('person.categories'), categories.length ? categories.join(', ') : none],
          [t('person.disability'), p.disability_group ? String(p.disability_group) : none],
          ...(showIncome
            ? [[t('person.income'), formatMoney(locale, p.monthly_income)] as [string, string]]
            : []),
        ]}
      />
      {household.length > 1 && (
        <>
          <h2>{t('person.household')}</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('person.name')}</th>
                <th scope="col">{t('person.birthDate')}</th>
                <th scope="col">{t('person.relationship')}</th>
              </tr>
            </thead>
            <tbody>
              {household.map((m) => (
                <tr key={m.id}>
                  <td>{fullName(m)}</td>
                  <td>{formatDate(locale, m.birth_date)}</td>
                  <td>{t(`person.relationship.${m.relationship}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
