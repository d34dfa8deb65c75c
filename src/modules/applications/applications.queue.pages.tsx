// The work queue: open cases of the reader's districts, priority first, then the deadline; filters
// are a GET form, so the page works (and can be bookmarked) without JavaScript.
import { pick } from '../../platform/i18n/i18n.ts';
import { BackLink, Button, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { fullName, type PersonName } from '../registry/registry.service.ts';
import type { Application } from './applications.service.ts';
import {
  type Choice,
  Deadline,
  type Names,
  nameOf,
  PriorityTags,
  Select,
  StateTag,
  type Titles,
} from './applications.staff.pages.tsx';

export interface QueueFilters {
  assignee: 'mine' | 'unassigned' | 'all';
  measure: string;
  page: number;
}

interface QueueProps {
  ctx: PageContext;
  rows: Application[];
  total: number;
  pageSize: number;
  filters: QueueFilters;
  persons: Map<number, PersonName>;
  measures: { id: number; code: string; title_ru: string; title_en: string }[];
  assignees: Names;
  titles: Titles;
  today: string;
  canRegister: boolean;
}

export function QueuePage(p: QueueProps) {
  const { ctx } = p;
  const { t, locale } = ctx;
  const measureOf = new Map(p.measures.map((m) => [m.id, m]));
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const link = (page: number) => {
    const q = new URLSearchParams({ assignee: p.filters.assignee, page: String(page) });
    if (p.filters.measure) q.set('measure', p.filters.measure);
    return `/staff/applications?${q}`;
  };
  const assigneeChoices: Choice[] = (['all', 'mine', 'unassigned'] as const).map((a) => ({
    value: a,
    label: t(`applications.staff.queue.assignee.${a}`),
  }));
  return (
    <Layout ctx={ctx} title={t('applications.staff.queue.title')} area="staff">
      <BackLink href="/staff">{t('nav.staffHome')}</BackLink>
      <h1>{t('applications.staff.queue.title')}</h1>
      <p class="lead">{t('applications.staff.queue.lead')}</p>
      {p.canRegister && (
        <p>
          <a href="/staff/applications/new">{t('applications.staff.new.title')}</a>
        </p>
      )}
      <form method="get" action="/staff/applications">
        <Select
          ctx={ctx}
          id="assignee"
          name="assignee"
          label={t('applications.staff.queue.assignee')}
          choices={assigneeChoices}
          value={p.filters.assignee}
        />
        <Select
          ctx={ctx}
          id="measure"
          name="measure"
          label={t('applications.staff.queue.measure')}
          placeholder={t('applications.staff.queue.allMeasures')}
          choices={p.measures.map((m) => ({ value: m.code, label: pick(locale, m.title_ru, m.title_en) }))}
          value={p.filters.measure}
        />
        <Button secondary>{t('applications.staff.queue.show')}</Button>
      </form>
      <p>{t('applications.staff.queue.count', { count: p.total })}</p>
      {p.rows.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">{t('applications.staff.queue.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('applications.staff.number')}</th>
              <th scope="col">{t('applications.staff.applicant')}</th>
              <th scope="col">{t('applications.staff.measure')}</th>
              <th scope="col">{t('applications.staff.channel')}</th>
              <th scope="col">{t('applications.staff.state')}</th>
              <th scope="col">{t('applications.staff.priority')}</th>
              <th scope="col">{t('applications.staff.deadline')}</th>
              <th scope="col">{t('applications.staff.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((a) => {
              const person = p.persons.get(a.person_id);
              const measure = measureOf.get(a.measure_id);
              return (
                <tr key={a.id} data-application={a.number ?? a.id}>
                  <td>
                    <a href={`/staff/applications/${a.id}`}>{a.number ?? a.id}</a>
                  </td>
                  <td>{person ? fullName(person) : '—'}</td>
                  <td>{measure ? pick(locale, measure.title_ru, measure.title_en) : a.measure_id}</td>
                  <td>{t(`applications.channel.${a.channel}`)}</td>
                  <td>
                    <StateTag ctx={ctx} state={a.state} />
                    {a.state === 'waiting_interagency' &&
                      a.interagency_due_on &&
                      a.interagency_due_on < p.today && (
                        <>
                          {' '}
                          <Tag tone="red">{t('applications.staff.interagencyOverdue')}</Tag>
                        </>
                      )}
                  </td>
                  <td>
                    <PriorityTags ctx={ctx} reasons={a.priority_reasons} titles={p.titles} />
                  </td>
                  <td>
                    <Deadline ctx={ctx} app={a} today={p.today} />
                  </td>
                  <td>{nameOf(p.assignees, a.assignee_id, t('applications.staff.unassigned'))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav aria-label={t('applications.staff.queue.pages')}>
          <ul class="list">
            {p.filters.page > 1 && (
              <li>
                <a href={link(p.filters.page - 1)} rel="prev">
                  {t('applications.staff.queue.previous')}
                </a>
              </li>
            )}
            <li>{t('applications.staff.queue.pageOf', { page: p.filters.page, pages })}</li>
            {p.filters.page < pages && (
              <li>
                <a href={link(p.filters.page + 1)} rel="next">
                  {t('applications.staff.queue.next')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </Layout>
  );
}
