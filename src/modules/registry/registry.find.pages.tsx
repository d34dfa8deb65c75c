// The finder's two forms (SNILS; name and date of birth) and its results, for any staff page that
// starts from a person. `next` is the path a found person's id is appended to.
import { formatDate } from '../../platform/i18n/i18n.ts';
import { Button, TextField } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import type { PersonBrief, PersonQuery } from './registry.find.ts';
import { fullName } from './registry.service.ts';
import { formatSnils } from './snils.ts';

export function PersonSearch(p: {
  ctx: PageContext;
  action: string;
  next: string;
  values: Partial<PersonQuery>;
  errors: Record<string, string>;
  results?: PersonBrief[] | undefined;
}) {
  const { ctx, values, errors } = p;
  const { t, locale } = ctx;
  return (
    <>
      <h2>{t('registry.find.bySnils')}</h2>
      <form method="get" action={p.action} novalidate>
        <input type="hidden" name="by" value="snils" />
        <TextField
          ctx={ctx}
          name="snils"
          label={t('person.snils')}
          hint={t('registry.find.snilsHint')}
          value={values.snils}
          error={errors.snils}
          inputMode="numeric"
          width="half"
        />
        <Button>{t('registry.find.submit')}</Button>
      </form>
      <h2>{t('registry.find.byName')}</h2>
      <form method="get" action={p.action} novalidate>
        <input type="hidden" name="by" value="name" />
        <TextField
          ctx={ctx}
          name="last_name"
          label={t('registry.find.lastName')}
          value={values.last_name}
          error={errors.last_name}
          width="half"
        />
        <TextField
          ctx={ctx}
          name="first_name"
          label={t('registry.find.firstName')}
          value={values.first_name}
          error={errors.first_name}
          width="half"
        />
        <TextField
          ctx={ctx}
          name="birth_date"
          type="date"
          label={t('person.birthDate')}
          value={values.birth_date}
          error={errors.birth_date}
          width="half"
        />
        <Button>{t('registry.find.submit')}</Button>
      </form>
      {p.results && (
        <>
          <h2 id="results">{t('registry.find.results')}</h2>
          {p.results.length === 0 ? (
            <p>{t('registry.find.none')}</p>
          ) : (
            <table class="table">
              <caption class="visually-hidden">{t('registry.find.results')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('person.name')}</th>
                  <th scope="col">{t('person.snils')}</th>
                  <th scope="col">{t('person.birthDate')}</th>
                  <th scope="col">{t('person.address')}</th>
                </tr>
              </thead>
              <tbody>
                {p.results.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={`${p.next}${r.id}`}>{fullName(r)}</a>
                    </td>
                    <td>{formatSnils(r.snils)}</td>
                    <td>{formatDate(locale, r.birth_date)}</td>
                    <td>{r.address}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
