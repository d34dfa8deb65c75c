// Sections of the case page: documents (with the scan upload), notes and messages, appeals, history.
import { formatDate, formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import { Button, Tag } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import type { CaseProps } from './applications.case.pages.tsx';
import { documentsWeRequest } from './applications.service.ts';
import {
  Area,
  CaseForm,
  formatTime,
  Input,
  nameOf,
  Radios,
  Select,
  StateTag,
} from './applications.staff.pages.tsx';
import { appealOpenUntil, isRefusalGround, OPEN_STATES, REFUSAL_GROUNDS } from './applications.states.ts';

const KB = 1024;
const size = (ctx: PageContext, bytes: number) =>
  bytes < KB * KB
    ? ctx.t('applications.staff.documents.kb', {
        size: formatNumber(ctx.locale, Math.max(1, Math.round(bytes / KB))),
      })
    : ctx.t('applications.staff.documents.mb', {
        size: formatNumber(ctx.locale, Math.round((bytes / KB / KB) * 10) / 10),
      });

export function DocumentsSection({ ctx, view, errors, values, canWork }: CaseProps) {
  const { t, locale } = ctx;
  const { app, measure, documents, names } = view;
  const requested = documentsWeRequest(measure);
  const open = (OPEN_STATES as readonly string[]).includes(app.state);
  return (
    <>
      <h2 id="documents">{t('applications.staff.documents')}</h2>
      {documents.length === 0 ? (
        <p>{t('applications.staff.documents.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('applications.staff.documents')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('applications.staff.documents.title')}</th>
              <th scope="col">{t('applications.staff.documents.file')}</th>
              <th scope="col">{t('applications.staff.documents.from')}</th>
              <th scope="col">{t('applications.staff.documents.added')}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td>
                  <a href={`/staff/documents/${d.id}`}>{d.filename}</a> ({size(ctx, d.size)})
                </td>
                <td>
                  {d.source === 'staff'
                    ? nameOf(names, d.added_by_staff, t('applications.staff.documents.source.staff'))
                    : t(`applications.staff.documents.source.${d.source}` as MessageKey)}
                </td>
                <td>{formatTime(ctx, d.added_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {requested.length > 0 && (
        <>
          <h3>{t('applications.staff.documents.requested')}</h3>
          <ul class="list">
            {requested.map((d) => (
              <li key={d.id}>{pick(locale, d.title_ru, d.title_en)}</li>
            ))}
          </ul>
          {app.state === 'waiting_interagency' && app.interagency_due_on && (
            <p>
              {t('applications.staff.documents.interagencyDue', {
                date: formatDate(locale, app.interagency_due_on),
              })}
              {app.interagency_due_on < view.today && (
                <>
                  {' '}
                  <Tag tone="red">{t('applications.staff.interagencyOverdue')}</Tag>
                </>
              )}
            </p>
          )}
        </>
      )}
      {canWork && open && (
        <>
          <h3 id="upload">{t('applications.staff.upload')}</h3>
          <CaseForm ctx={ctx} action={`/staff/applications/${app.id}/documents`} multipart>
            <Select
              ctx={ctx}
              id="upload-document"
              name="document"
              label={t('applications.staff.upload.which')}
              placeholder={t('applications.staff.choose')}
              choices={[
                ...measure.documents.map((d) => ({
                  value: String(d.id),
                  label: pick(locale, d.title_ru, d.title_en),
                })),
                { value: 'other', label: t('applications.staff.upload.other') },
              ]}
              value={values['upload-document'] ?? ''}
              error={errors['upload-document']}
            />
            <Input
              ctx={ctx}
              id="upload-title"
              name="title"
              label={t('applications.staff.upload.title')}
              hint={t('applications.staff.upload.titleHint')}
              value={values['upload-title']}
              error={errors['upload-title']}
            />
            <div class={`field${errors['upload-file'] ? ' field--error' : ''}`}>
              <label class="label" for="upload-file">
                {t('applications.staff.upload.file')}
              </label>
              <div class="hint" id="upload-file-hint">
                {t('applications.staff.upload.fileHint')}
              </div>
              {errors['upload-file'] && (
                <p class="field-error" id="upload-file-error">
                  <span class="visually-hidden">{t('form.errorPrefix')} </span>
                  {errors['upload-file']}
                </p>
              )}
              <input
                type="file"
                id="upload-file"
                name="file"
                accept="application/pdf,image/jpeg,image/png"
                aria-invalid={errors['upload-file'] ? 'true' : undefined}
                aria-describedby={`upload-file-hint${errors['upload-file'] ? ' upload-file-error' : ''}`}
              />
            </div>
            <Button secondary>{t('applications.staff.upload.submit')}</Button>
          </CaseForm>
        </>
      )}
    </>
  );
}

export function NotesSection({ ctx, view, errors, values, canWork }: CaseProps) {
  const { t } = ctx;
  const notes = view.events.filter((e) => e.kind === 'note' || e.kind === 'message');
  return (
    <>
      <h2 id="notes">{t('applications.staff.notes')}</h2>
      {notes.length === 0 ? (
        <p>{t('applications.staff.notes.none')}</p>
      ) : (
        <ul class="list">
          {notes.map((n) => (
            <li key={n.id}>
              <Tag tone={n.kind === 'message' ? 'blue' : 'grey'}>
                {t(
                  n.kind === 'message' ? 'applications.staff.notes.message' : 'applications.staff.notes.note',
                )}
              </Tag>{' '}
              {formatTime(ctx, n.at)}, {nameOf(view.names, n.actor_id)}: {String(n.details.text ?? '')}
            </li>
          ))}
        </ul>
      )}
      {canWork && (
        <CaseForm ctx={ctx} action={`/staff/applications/${view.app.id}/notes`}>
          <Area
            ctx={ctx}
            id="note-text"
            name="text"
            label={t('applications.staff.notes.text')}
            value={values['note-text']}
            error={errors['note-text']}
          />
          <Radios
            ctx={ctx}
            id="note-to"
            name="to"
            legend={t('applications.staff.notes.to')}
            checked={[values['note-to'] ?? 'internal']}
            choices={[
              { value: 'internal', label: t('applications.staff.notes.internal') },
              {
                value: 'resident',
                label: t('applications.staff.notes.resident'),
                hint: t('applications.staff.notes.residentHint'),
              },
            ]}
          />
          <Button secondary>{t('applications.staff.notes.submit')}</Button>
        </CaseForm>
      )}
    </>
  );
}

export function AppealsSection({ ctx, view, errors, values, canWork, appealKey }: CaseProps) {
  const { t, locale } = ctx;
  const { app, appeals } = view;
  const until = app.state === 'refused' && app.decision ? appealOpenUntil(app.decision.on) : undefined;
  const pending = appeals.some((a) => a.state === 'registered');
  if (appeals.length === 0 && !until) return null;
  return (
    <>
      <h2 id="appeals">{t('applications.staff.appeals')}</h2>
      {appeals.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">{t('applications.staff.appeals')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('applications.staff.appeal.filed')}</th>
              <th scope="col">{t('applications.staff.appeal.level')}</th>
              <th scope="col">{t('applications.staff.state')}</th>
              <th scope="col">{t('applications.staff.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {appeals.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`/staff/appeals/${a.id}`}>{formatDate(locale, a.registered_on)}</a>
                </td>
                <td>{t(`applications.appeal.level.${a.level}`)}</td>
                <td>{t(`applications.appeal.state.${a.state}`)}</td>
                <td>{formatDate(locale, a.deadline_on)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWork && until && !pending && (
        <>
          <h3>{t('applications.staff.appeal.file')}</h3>
          {until < view.today ? (
            <p>{t('applications.staff.appeal.tooLate', { date: formatDate(locale, until) })}</p>
          ) : (
            <CaseForm ctx={ctx} action={`/staff/applications/${app.id}/appeals`}>
              <input type="hidden" name="key" value={appealKey} />
              <Area
                ctx={ctx}
                id="appeal-grounds"
                name="grounds"
                label={t('applications.staff.appeal.grounds')}
                hint={t('applications.staff.appeal.groundsHint', { date: formatDate(locale, until) })}
                value={values['appeal-grounds']}
                error={errors['appeal-grounds']}
                rows={5}
              />
              <Radios
                ctx={ctx}
                id="appeal-channel"
                name="channel"
                legend={t('applications.staff.measureStep.channel')}
                checked={[values['appeal-channel'] ?? 'in_person']}
                choices={(['in_person', 'mfc', 'post'] as const).map((c) => ({
                  value: c,
                  label: t(`applications.channel.${c}`),
                }))}
              />
              <Button secondary>{t('applications.staff.appeal.submit')}</Button>
            </CaseForm>
          )}
        </>
      )}
    </>
  );
}

const EVENT_KINDS = new Set([
  'draft_started',
  'submitted',
  'registered',
  'register',
  'start_review',
  'request_documents',
  'request_interagency',
  'documents_received',
  'suspend',
  'resume',
  'refuse',
  'approve',
  'approved_on_appeal',
  'assigned',
  'note',
  'message',
  'document_added',
  'withdrawn',
  'appeal_filed',
  'appeal_upheld',
  'appeal_dismissed',
  'agency_document',
  'agency_error',
]);

export function HistorySection({ ctx, view }: CaseProps) {
  const { t, locale } = ctx;
  const who = (kind: string, id: number | null) =>
    kind === 'staff'
      ? nameOf(view.names, id)
      : t(kind === 'resident' ? 'applications.staff.actor.resident' : 'applications.staff.actor.system');
  const details = (e: CaseProps['view']['events'][number]) => {
    const d = e.details;
    const parts: string[] = [];
    if (typeof d.ground === 'string' && isRefusalGround(d.ground)) {
      const g = REFUSAL_GROUNDS[d.ground];
      parts.push(pick(locale, g.ru, g.en));
    }
    for (const k of ['note', 'text', 'title', 'grounds'] as const)
      if (typeof d[k] === 'string' && d[k]) parts.push(d[k] as string);
    if (e.kind === 'assigned' && typeof d.to === 'number')
      parts.push(t('applications.staff.event.assignedTo', { name: nameOf(view.names, d.to) }));
    if (typeof d.deadline === 'string')
      parts.push(t('applications.staff.event.deadline', { date: formatDate(locale, d.deadline) }));
    if (typeof d.startDate === 'string')
      parts.push(t('applications.staff.event.startDate', { date: formatDate(locale, d.startDate) }));
    return parts.join('; ');
  };
  return (
    <>
      <h2 id="history">{t('applications.staff.history')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('applications.staff.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('applications.staff.history.when')}</th>
            <th scope="col">{t('applications.staff.history.who')}</th>
            <th scope="col">{t('applications.staff.history.what')}</th>
            <th scope="col">{t('applications.staff.history.details')}</th>
          </tr>
        </thead>
        <tbody>
          {view.events.map((e) => (
            <tr key={e.id}>
              <td>{formatTime(ctx, e.at)}</td>
              <td>{who(e.actor_kind, e.actor_id)}</td>
              <td>
                {EVENT_KINDS.has(e.kind) ? t(`applications.staff.event.${e.kind}` as MessageKey) : e.kind}
                {e.to_state && e.to_state !== e.from_state && (
                  <>
                    {' '}
                    <StateTag ctx={ctx} state={e.to_state as CaseProps['view']['app']['state']} />
                  </>
                )}
              </td>
              <td>{details(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
