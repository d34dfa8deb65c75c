// Routes of the questionnaire designer: access (designers) → CSRF → validation → transaction →
// page. Every change posts the revision it was made on; a change that would break the form is shown
// again with its errors (422) and the draft stays as it was; a stale revision is a 409 page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type MessageKey, type Translate, translator } from '../../platform/i18n/i18n.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import {
  DraftPage,
  draftUrl,
  GroupFormPage,
  NewDraftPage,
  type ProblemLine,
  QuestionFormPage,
} from './surveys.designer.pages.tsx';
import * as designer from './surveys.designer.service.ts';
import {
  addGroup,
  addQuestion,
  changeGroup,
  changeQuestion,
  type DesignerErrors,
  type DraftProblem,
  findNode,
  type GroupInput,
  groupsOf,
  inputOf,
  languagesOf,
  moveNode,
  type QuestionInput,
  removeNode,
  setSettings,
} from './surveys.designer.ts';
import {
  type Form,
  languageKey,
  QUESTION_TYPES,
  type QuestionType,
  type Translated,
  textIn,
} from './surveys.form.ts';
import { BASE } from './surveys.pages.tsx';
import * as svc from './surveys.service.ts';
import { exportXlsForm } from './surveys.xlsform.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const NODE = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', maxLength: 200 } },
  required: ['id', 'name'],
} as const;

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

function revisionOf(request: FastifyRequest): number {
  const n = Number(field(bodyOf(request), 'revision'));
  if (!Number.isInteger(n) || n < 1)
    throw new AppError('bad_request', 400, 'The form is missing its revision');
  return n;
}

function translated(body: Record<string, unknown>, name: string, form: Form): Translated {
  return Object.fromEntries(
    languagesOf(form).map((l) => [languageKey(l), field(body, `${name}_${languageKey(l)}`)]),
  );
}

function questionInput(body: Record<string, unknown>, form: Form): QuestionInput {
  const type = field(body, 'type');
  return {
    type: ((QUESTION_TYPES as readonly string[]).includes(type) ? type : '') as QuestionType,
    name: field(body, 'name'),
    label: translated(body, 'label', form),
    hint: translated(body, 'hint', form),
    required: field(body, 'required') === 'yes',
    relevant: field(body, 'relevant'),
    constraint: field(body, 'constraint'),
    constraintMessage: translated(body, 'constraintMessage', form),
    appearance: field(body, 'appearance'),
    calculation: field(body, 'calculation'),
    listName: field(body, 'listName'),
    choices: field(body, 'choices'),
  };
}

function groupInput(body: Record<string, unknown>, form: Form): GroupInput {
  return {
    kind: field(body, 'kind') === 'repeat' ? 'repeat' : 'group',
    name: field(body, 'name'),
    label: translated(body, 'label', form),
    relevant: field(body, 'relevant'),
    appearance: field(body, 'appearance'),
  };
}

const emptyQuestion = (): QuestionInput => ({
  type: 'text',
  name: '',
  label: {},
  hint: {},
  required: false,
  relevant: '',
  constraint: '',
  constraintMessage: {},
  appearance: '',
  calculation: '',
  listName: '',
  choices: '',
});

function errorTexts(t: Translate, errors: DesignerErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([k, e]) => [k, t(e.key as MessageKey, e.params ?? {})]),
  );
}

/** The field of the question form a problem of the check is about (its column's header). */
function fieldOfHeader(header: string | null, form: Form): string {
  if (!header) return 'name';
  const [base = '', suffix] = header.split('::');
  const lang = suffix
    ? languagesOf(form).find((l) => suffix.includes(`(${l.code})`) || suffix === l.name)
    : undefined;
  const key = lang
    ? languageKey(lang)
    : languagesOf(form)[0]
      ? languageKey(languagesOf(form)[0]!)
      : 'default';
  const byBase: Record<string, string> = {
    label: `label_${key}`,
    hint: `hint_${key}`,
    constraint_message: `constraintMessage_${key}`,
    relevant: 'relevant',
    constraint: 'constraint',
    calculation: 'calculation',
    appearance: 'appearance',
    type: 'type',
    name: 'name',
    required: 'required',
  };
  return byBase[base] ?? 'name';
}

function problemLines(t: Translate, problems: DraftProblem[]): ProblemLine[] {
  return problems.map((p, i) => {
    const reason = svc.problemText(t, p.problem).reason;
    return { id: `p${i}`, text: p.name ? t('surveys.designer.problemIn', { name: p.name, reason }) : reason };
  });
}

export const surveysDesignerRoutes: RouteModule = (app, { db }) => {
  const access = svc.SURVEY_DESIGNERS;

  const showDraft = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: { errors?: FieldErrors; problems?: ProblemLine[]; notice?: string | null; status?: number } = {},
  ) => {
    const d = await designer.draft(db, id);
    const title = d.questionnaireId ? (await svc.questionnaire(db, d.questionnaireId)).title : null;
    return sendPage(
      reply,
      h(DraftPage, {
        ctx: pageContext(request, reply),
        draft: d,
        questionnaireTitle: title,
        errors: extra.errors ?? {},
        problems: extra.problems ?? [],
        notice: extra.notice ?? null,
      }),
      extra.status ?? 200,
    );
  };

  const groupChoices = (form: Form, locale: string) =>
    groupsOf(form).map((g) => ({ name: g.name, label: textIn(g.label, locale, form) || g.name }));

  app.get(`${BASE}/designer/new`, { config: { access } }, async (request, reply) =>
    sendPage(
      reply,
      h(NewDraftPage, { ctx: pageContext(request, reply), values: { title: '', formId: '' }, errors: {} }),
    ),
  );

  app.post(`${BASE}/designer`, { config: { access } }, async (request, reply) => {
    const values = { title: field(bodyOf(request), 'title'), formId: field(bodyOf(request), 'formId') };
    const out = await db.transaction().execute((trx) => designer.createDraft(trx, actorOf(request), values));
    if (out.ok) return seeOther(reply, draftUrl(out.id));
    const errors = errorTexts(translator(request.locale), out.errors);
    return sendPage(reply, h(NewDraftPage, { ctx: pageContext(request, reply), values, errors }), 422);
  });

  app.post(`${BASE}/:id/designer`, { config: { access }, schema: { params: ID } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const draftId = await db.transaction().execute((trx) => designer.openDraft(trx, actorOf(request), id));
    return seeOther(reply, draftUrl(draftId));
  });

  app.get(`${BASE}/drafts/:id`, { config: { access }, schema: { params: ID } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const q = request.query as Record<string, unknown>;
    const t = translator(request.locale);
    const notice =
      q.saved === '1'
        ? t('surveys.designer.saved')
        : typeof q.published === 'string' && /^\d+$/.test(q.published)
          ? t('surveys.designer.published', { number: Number(q.published) })
          : null;
    return showDraft(request, reply, id, { notice });
  });

  app.get(
    `${BASE}/drafts/:id/form.xlsx`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const d = await designer.draft(db, id);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="${d.form.settings.formId ?? 'draft'}-draft.xlsx"`,
        )
        .header('cache-control', 'no-store')
        .send(await exportXlsForm(d.form));
    },
  );

  /** Runs a change; on refusal shows the given form again with the errors. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    operation: Parameters<typeof designer.changeDraft>[4],
    again: (errors: FieldErrors, problems: DraftProblem[]) => Promise<FastifyReply> | FastifyReply,
  ) => {
    const t = translator(request.locale);
    try {
      const out = await db
        .transaction()
        .execute((trx) => designer.changeDraft(trx, actorOf(request), id, revisionOf(request), operation));
      if (out.ok) return seeOther(reply, `${draftUrl(id)}?saved=1`);
      if ('errors' in out) return again(errorTexts(t, out.errors), []);
      return again({}, out.problems);
    } catch (e) {
      if (e instanceof AppError && e.code === 'draft_changed')
        return showDraft(request, reply, id, {
          errors: { problems: t('surveys.designer.error.stale') },
          status: 409,
        });
      throw e;
    }
  };

  const nodeForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    editing: string | null,
    kind: 'question' | 'group',
    values: { question?: QuestionInput; group?: GroupInput; into?: string },
    errors: FieldErrors,
    status = 200,
  ) => {
    const d = await designer.draft(db, id);
    const common = {
      ctx: pageContext(request, reply),
      draft: d,
      editing,
      into: values.into ?? '',
      groups: groupChoices(d.form, request.locale),
      langs: languagesOf(d.form),
      errors,
    };
    return sendPage(
      reply,
      kind === 'question'
        ? h(QuestionFormPage, { ...common, input: values.question ?? emptyQuestion() })
        : h(GroupFormPage, {
            ...common,
            input: values.group ?? { kind: 'group', name: '', label: {}, relevant: '', appearance: '' },
          }),
      status,
    );
  };

  /** Problems of the check as field errors of the node being edited, the others listed by question. */
  const problemsAsErrors = (request: FastifyRequest, form: Form, name: string, problems: DraftProblem[]) => {
    const t = translator(request.locale);
    const errors: FieldErrors = {};
    for (const p of problems) {
      const reason = svc.problemText(t, p.problem).reason;
      const key =
        p.name === name ? fieldOfHeader(p.problem.header, form) : p.name ? `problem-${p.name}` : 'name';
      errors[key] ??=
        p.name && p.name !== name ? t('surveys.designer.problemIn', { name: p.name, reason }) : reason;
    }
    return errors;
  };

  app.get(
    `${BASE}/drafts/:id/add`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const kind = (request.query as Record<string, unknown>).kind === 'group' ? 'group' : 'question';
      return nodeForm(request, reply, id, null, kind, {}, {});
    },
  );

  app.post(
    `${BASE}/drafts/:id/add`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const body = bodyOf(request);
      const form = (await designer.draft(db, id)).form;
      const into = field(body, 'into');
      const kind = field(body, 'kind') === 'question' ? 'question' : 'group';
      const question = kind === 'question' ? questionInput(body, form) : undefined;
      const group = kind === 'group' ? groupInput(body, form) : undefined;
      return change(
        request,
        reply,
        id,
        (f) => (question ? addQuestion(f, question, into || null) : addGroup(f, group!, into || null)),
        (errors, problems) =>
          nodeForm(
            request,
            reply,
            id,
            null,
            kind,
            { question, group, into },
            { ...errors, ...problemsAsErrors(request, form, (question ?? group)!.name.trim(), problems) },
            422,
          ),
      );
    },
  );

  app.get(
    `${BASE}/drafts/:id/nodes/:name`,
    { config: { access }, schema: { params: NODE } },
    async (request, reply) => {
      const { id, name } = request.params as { id: number; name: string };
      const form = (await designer.draft(db, id)).form;
      const node = findNode(form, name);
      if (!node) throw new AppError('not_found', 404, 'No such question in the draft');
      return node.kind === 'question'
        ? nodeForm(request, reply, id, name, 'question', { question: inputOf(form, node) }, {})
        : nodeForm(
            request,
            reply,
            id,
            name,
            'group',
            {
              group: {
                kind: node.kind,
                name: node.name,
                label: node.label,
                relevant: node.relevant ?? '',
                appearance: node.appearance ?? '',
              },
            },
            {},
          );
    },
  );

  app.post(
    `${BASE}/drafts/:id/nodes/:name`,
    { config: { access }, schema: { params: NODE } },
    async (request, reply) => {
      const { id, name } = request.params as { id: number; name: string };
      const body = bodyOf(request);
      const form = (await designer.draft(db, id)).form;
      const node = findNode(form, name);
      if (!node) throw new AppError('not_found', 404, 'No such question in the draft');
      const question = node.kind === 'question' ? questionInput(body, form) : undefined;
      const group = node.kind !== 'question' ? groupInput(body, form) : undefined;
      return change(
        request,
        reply,
        id,
        (f) => (question ? changeQuestion(f, name, question) : changeGroup(f, name, group!)),
        (errors, problems) =>
          nodeForm(
            request,
            reply,
            id,
            name,
            question ? 'question' : 'group',
            { question, group },
            { ...errors, ...problemsAsErrors(request, form, (question ?? group)!.name.trim(), problems) },
            422,
          ),
      );
    },
  );

  const draftWithProblems =
    (request: FastifyRequest, reply: FastifyReply, id: number) =>
    (errors: FieldErrors, problems: DraftProblem[]) =>
      showDraft(request, reply, id, {
        errors: {
          ...errors,
          ...(problems.length ? { problems: translator(request.locale)('surveys.designer.problems') } : {}),
        },
        problems: problemLines(translator(request.locale), problems),
        status: 422,
      });

  app.post(
    `${BASE}/drafts/:id/nodes/:name/move`,
    { config: { access }, schema: { params: NODE } },
    async (request, reply) => {
      const { id, name } = request.params as { id: number; name: string };
      const direction = field(bodyOf(request), 'direction') === 'up' ? 'up' : 'down';
      return change(
        request,
        reply,
        id,
        (f) => ({ ok: true, form: moveNode(f, name, direction) }),
        draftWithProblems(request, reply, id),
      );
    },
  );

  app.post(
    `${BASE}/drafts/:id/nodes/:name/remove`,
    { config: { access }, schema: { params: NODE } },
    async (request, reply) => {
      const { id, name } = request.params as { id: number; name: string };
      return change(
        request,
        reply,
        id,
        (f) => ({ ok: true, form: removeNode(f, name) }),
        draftWithProblems(request, reply, id),
      );
    },
  );

  app.post(
    `${BASE}/drafts/:id/settings`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const title = field(bodyOf(request), 'title');
      const version = field(bodyOf(request), 'version');
      if (title.trim() === '' || title.length > 200)
        return showDraft(request, reply, id, {
          errors: { title: translator(request.locale)('surveys.designer.error.title') },
          status: 422,
        });
      return change(
        request,
        reply,
        id,
        (f) => ({ ok: true, form: setSettings(f, { title, version }) }),
        draftWithProblems(request, reply, id),
      );
    },
  );

  app.post(
    `${BASE}/drafts/:id/publish`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const t = translator(request.locale);
      try {
        const out = await db
          .transaction()
          .execute((trx) =>
            designer.publishDraft(trx, actorOf(request), id, revisionOf(request), request.ip),
          );
        if (out.ok) return seeOther(reply, `${draftUrl(id)}?published=${out.number}`);
        if ('reason' in out) {
          const key = out.reason === 'formIdTaken' ? 'publishFormIdTaken' : out.reason;
          return showDraft(request, reply, id, {
            errors: { publish: t(`surveys.designer.error.${key}` as MessageKey) },
            status: 422,
          });
        }
        return draftWithProblems(request, reply, id)({}, out.problems);
      } catch (e) {
        if (e instanceof AppError && e.code === 'draft_changed')
          return showDraft(request, reply, id, {
            errors: { problems: t('surveys.designer.error.stale') },
            status: 409,
          });
        throw e;
      }
    },
  );

  app.post(
    `${BASE}/drafts/:id/discard`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const d = await db
        .transaction()
        .execute((trx) => designer.discardDraft(trx, actorOf(request), id, revisionOf(request)));
      return seeOther(reply, d.questionnaireId ? `${BASE}/${d.questionnaireId}` : BASE);
    },
  );
};
