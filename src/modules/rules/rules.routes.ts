// The rule editor for ministry analysts (administrators may look): versions of every measure's rule,
// a form for a new version, and a version's check, tests and dry run, then four-eyes publishing.
// The service checks, audits and enforces four eyes; these routes turn its answers into pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dump, load } from 'js-yaml';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { AppDeps, RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import { measureRefs } from '../catalog/catalog.service.ts';
import { invalidateRuleBooks, today } from '../entitlements/entitlements.service.ts';
import { listDistricts } from '../geography/geography.service.ts';
import { factsForPerson, sampleResidentIds } from '../registry/facts.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { listStaffUsers } from '../staff/staff.service.ts';
import {
  CONDITION_ID,
  caseShapeProblems,
  ISO_DATE,
  type Problem,
  type RuleCase,
  type RuleDefinition,
} from './rules.format.ts';
import {
  type ConditionForm,
  type DryRunRow,
  type EditorForm,
  EditorPage,
  MeasureRulesPage,
  RefusedPage,
  RulesHomePage,
  VersionPage,
} from './rules.pages.tsx';
import * as rules from './rules.service.ts';

const READERS: readonly StaffRole[] = ['ministry_analyst', 'administrator'];
const ANALYSTS: readonly StaffRole[] = ['ministry_analyst'];
const DRY_RUN_SIZE = 20;
const MAX_CONDITIONS = 40;

const CODE = {
  type: 'object',
  properties: { code: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } },
} as const;
const ID = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } as const;

// ------------------------------------------------------------ the form ↔ a definition

const blankCondition = (): ConditionForm => ({
  id: '',
  expr: '',
  pass_ru: '',
  pass_en: '',
  fail_ru: '',
  fail_en: '',
});

/** The first day of next month: the usual start of a change in benefits. */
function nextMonth(): string {
  const [y, m] = today().split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

function formFrom(v: rules.RuleVersion | undefined): EditorForm {
  const def = v?.definition;
  return {
    effective_from: nextMonth(),
    note: '',
    conditions: def
      ? def.conditions.map((c) => ({
          id: c.id,
          expr: c.expr,
          pass_ru: c.pass.ru,
          pass_en: c.pass.en,
          fail_ru: c.fail.ru,
          fail_en: c.fail.en,
        }))
      : [blankCondition()],
    amount_expr: def?.amount?.expr ?? '',
    amount_explain_ru: def?.amount?.explain.ru ?? '',
    amount_explain_en: def?.amount?.explain.en ?? '',
    tests: v?.tests.length ? dump(v.tests, { flowLevel: 2 }) : '',
  };
}

/** Reads the posted form; a condition whose fields are all cleared is removed. */
function readForm(body: unknown): EditorForm {
  // Texts keep their inner spacing; only the ends are trimmed (field() does that).
  const count = Math.min(MAX_CONDITIONS, Math.max(0, Number.parseInt(field(body, 'conditions'), 10) || 0));
  const conditions: ConditionForm[] = [];
  for (let i = 0; i < count; i++) {
    const c = blankCondition();
    for (const key of Object.keys(c) as (keyof ConditionForm)[]) c[key] = field(body, `c${i}_${key}`);
    if (Object.values(c).some(Boolean)) conditions.push(c);
  }
  const raw = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).tests : '';
  return {
    effective_from: field(body, 'effective_from'),
    note: field(body, 'note'),
    conditions,
    amount_expr: field(body, 'amount_expr'),
    amount_explain_ru: field(body, 'amount_explain_ru'),
    amount_explain_en: field(body, 'amount_explain_en'),
    tests: typeof raw === 'string' ? raw : '',
  };
}

type Parsed = { errors: FieldErrors } | { definition: RuleDefinition; tests: RuleCase[] };

/** What the form itself can tell (in the page's language) before the engine checks the rule. */
function parseForm(form: EditorForm, t: ReturnType<typeof translator>): Parsed {
  const errors: FieldErrors = {};
  if (!ISO_DATE.test(form.effective_from) || Number.isNaN(Date.parse(form.effective_from)))
    errors.effective_from = t('rules.e.effectiveFrom');
  if (!form.note) errors.note = t('rules.e.note');
  if (form.conditions.length === 0) errors.c0_id = t('rules.e.noConditions');
  form.conditions.forEach((c, i) => {
    if (!CONDITION_ID.test(c.id)) errors[`c${i}_id`] = t('rules.e.id');
    if (!c.expr) errors[`c${i}_expr`] = t('rules.e.expr');
    for (const key of ['pass_ru', 'pass_en', 'fail_ru', 'fail_en'] as const)
      if (!c[key]) errors[`c${i}_${key}`] = t('rules.e.text');
  });
  if (form.amount_expr) {
    if (!form.amount_explain_ru) errors.amount_explain_ru = t('rules.e.amountExplain');
    if (!form.amount_explain_en) errors.amount_explain_en = t('rules.e.amountExplain');
  }
  let tests: unknown = [];
  try {
    tests = form.tests.trim() ? load(form.tests) : [];
    if (!Array.isArray(tests)) errors.tests = t('rules.e.testsList');
  } catch (error) {
    errors.tests = t('rules.e.yaml', { message: (error as Error).message.split('\n')[0] ?? '' });
  }
  if (Object.keys(errors).length > 0) return { errors };
  const definition: RuleDefinition = {
    conditions: form.conditions.map((c) => ({
      id: c.id,
      expr: c.expr,
      pass: { ru: c.pass_ru, en: c.pass_en },
      fail: { ru: c.fail_ru, en: c.fail_en },
    })),
    ...(form.amount_expr
      ? {
          amount: {
            expr: form.amount_expr,
            explain: { ru: form.amount_explain_ru, en: form.amount_explain_en },
          },
        }
      : {}),
  };
  return { definition, tests: tests as RuleCase[] };
}

/**
 * The field a problem from the engine belongs to. Its `where` reads "condition <id>[, pass text (ru)]",
 * "condition #<n>", "amount[, explanation (en)]", "params.<code>", "test …" or "effective_from".
 */
function problemField(where: string, message: string, form: EditorForm): string {
  const condition = /^condition (?:#(\d+)|(\S+?))(?:,? (pass|fail)(?: text)?(?: \((ru|en)\))?)?$/.exec(where);
  if (condition) {
    const [, n, id, text, lang] = condition;
    const ids = form.conditions.map((c) => c.id);
    const i = n ? Number(n) - 1 : message.includes('duplicate') ? ids.lastIndexOf(id!) : ids.indexOf(id!);
    const at = Math.max(0, i);
    if (text) return `c${at}_${text}_${lang ?? 'ru'}`;
    return message.startsWith('id ') ? `c${at}_id` : `c${at}_expr`;
  }
  const amount = /^amount(?:,? explain(?:ation)?(?: \((ru|en)\))?)?$/.exec(where);
  if (amount) return where === 'amount' ? 'amount_expr' : `amount_explain_${amount[1] ?? 'ru'}`;
  if (where.startsWith('test') || where === 'tests') return 'tests';
  if (where === 'definition') return 'c0_id';
  return 'effective_from';
}

function problemErrors(problems: Problem[], form: EditorForm, t: ReturnType<typeof translator>): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of problems) {
    const name = problemField(p.where, p.message, form);
    const text = t('rules.e.problem', { where: p.where, message: p.message });
    errors[name] = errors[name] ? `${errors[name]}; ${text}` : text;
  }
  return errors;
}

// ------------------------------------------------------------ reading for the pages

async function staffNames(db: AppDeps['db']): Promise<Map<number, string>> {
  return new Map((await listStaffUsers(db)).map((u) => [u.id, u.full_name]));
}

async function measureTitle(db: AppDeps['db'], code: string) {
  const [measure] = await measureRefs(db, { codes: [code] });
  if (!measure) throw notFound('Measure');
  return { code: measure.code, title: { ru: measure.title_ru, en: measure.title_en } };
}

/** The published version in force today, if any. */
function inForce(versions: rules.RuleVersion[], asOf = today()): rules.RuleVersion | undefined {
  return versions
    .filter((v) => v.status === 'published' && v.effective_from <= asOf)
    .sort((a, b) => b.effective_from.localeCompare(a.effective_from) || b.version - a.version)[0];
}

/** The version on sample residents as of its start: district and age only, no one identified. */
async function dryRun(db: AppDeps['db'], v: rules.RuleVersion, locale: 'ru' | 'en'): Promise<DryRunRow[]> {
  let rule: rules.CompiledRule;
  try {
    rule = await rules.compileVersion(db, v.id);
  } catch {
    return []; // the check above already says why
  }
  const [ids, params, districts] = await Promise.all([
    sampleResidentIds(db, DRY_RUN_SIZE, v.id),
    rules.paramsAsOf(db, v.effective_from),
    listDistricts(db),
  ]);
  const names = new Map(districts.map((d) => [d.code, locale === 'ru' ? d.name_ru : d.name_en]));
  const rows: DryRunRow[] = [];
  for (const id of ids) {
    const facts = await factsForPerson(db, id, v.effective_from);
    const row = {
      district: names.get(facts.person.district) ?? facts.person.district,
      age: facts.person.age,
    };
    try {
      const e = rule.evaluate(facts, params);
      rows.push({ ...row, eligible: e.eligible, amount: e.amount });
    } catch (error) {
      rows.push({ ...row, eligible: null, amount: null, error: (error as Error).message });
    }
  }
  return rows;
}

// ------------------------------------------------------------ routes

export const ruleRoutes: RouteModule = (app, deps) => {
  const { db } = deps;
  const actorOf = (request: FastifyRequest) => request.actor as StaffActor;

  async function renderVersion(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const version = await rules.getVersion(db, id);
    if (!version) throw notFound('Rule version');
    const ctx = pageContext(request, reply);
    const [problems, cases, rows, names, measure] = await Promise.all([
      rules.checkDefinition(db, version.definition, version.effective_from),
      rules.runCases(db, version.measure_code, version.definition, version.tests).catch(() => []),
      dryRun(db, version, ctx.locale),
      staffNames(db),
      measureTitle(db, version.measure_code),
    ]);
    const actor = actorOf(request);
    const page = h(VersionPage, {
      ctx,
      version,
      title: measure.title,
      names,
      problems,
      cases,
      dryRun: rows,
      analystId: ANALYSTS.includes(actor.role) ? actor.userId : null,
      errors,
      noteValue: field(request.body, 'note'),
    });
    return sendPage(reply, page, status);
  }

  function refused(request: FastifyRequest, reply: FastifyReply, id: number, error: unknown) {
    if (!(error instanceof AppError)) throw error;
    const ctx = pageContext(request, reply);
    const fourEyes = error.code === 'four_eyes';
    const page = h(RefusedPage, {
      ctx,
      versionId: id,
      title: ctx.t(fourEyes ? 'rules.fourEyes.title' : 'rules.refused.title'),
      text: ctx.t(fourEyes ? 'rules.fourEyes.text' : 'rules.refused.text'),
    });
    return sendPage(reply, page, fourEyes ? 403 : error.status);
  }

  app.get('/staff/rules', { config: { access: READERS } }, async (request, reply) => {
    const [measures, names] = await Promise.all([measureRefs(db), staffNames(db)]);
    const histories = await Promise.all(measures.map((m) => rules.listVersions(db, m.code)));
    const all = histories.flat();
    const page = h(RulesHomePage, {
      ctx: pageContext(request, reply),
      measures: measures.map((m, i) => ({
        code: m.code,
        title: { ru: m.title_ru, en: m.title_en },
        inForce: inForce(histories[i]!),
      })),
      awaiting: all.filter((v) => v.status === 'proposed'),
      drafts: all.filter((v) => v.status === 'draft'),
      names,
    });
    return sendPage(reply, page);
  });

  app.get(
    '/staff/rules/:code',
    { config: { access: READERS }, schema: { params: CODE } },
    async (request, reply) => {
      const { code, title } = await measureTitle(db, (request.params as { code: string }).code.toUpperCase());
      const [versions, names] = await Promise.all([rules.listVersions(db, code), staffNames(db)]);
      const canDraft = ANALYSTS.includes(actorOf(request).role);
      const ctx = pageContext(request, reply);
      return sendPage(reply, h(MeasureRulesPage, { ctx, code, title, versions, names, canDraft }));
    },
  );

  app.get(
    '/staff/rules/:code/new',
    { config: { access: ANALYSTS }, schema: { params: CODE } },
    async (request, reply) => {
      const { code, title } = await measureTitle(db, (request.params as { code: string }).code.toUpperCase());
      const versions = await rules.listVersions(db, code);
      const form = formFrom(inForce(versions) ?? versions.at(-1));
      return sendPage(
        reply,
        h(EditorPage, { ctx: pageContext(request, reply), code, title, form, errors: {} }),
      );
    },
  );

  app.post(
    '/staff/rules/:code/new',
    { config: { access: ANALYSTS }, schema: { params: CODE } },
    async (request, reply) => {
      const { code, title } = await measureTitle(db, (request.params as { code: string }).code.toUpperCase());
      const form = readForm(request.body);
      const ctx = pageContext(request, reply);
      const again = (errors: FieldErrors, status: number) => {
        if (form.conditions.length === 0) form.conditions.push(blankCondition());
        return sendPage(reply, h(EditorPage, { ctx, code, title, form, errors }), status);
      };
      // "Add a condition" works without JavaScript: the form comes back with one more blank fieldset.
      if (field(request.body, 'action') === 'add') {
        form.conditions.push(blankCondition());
        return again({}, 200);
      }
      const parsed = parseForm(form, ctx.t);
      if ('errors' in parsed) return again(parsed.errors, 422);
      const problems = [
        ...(await rules.checkDefinition(db, parsed.definition, form.effective_from)),
        ...parsed.tests.flatMap((c, i) => caseShapeProblems(c, i)),
      ];
      if (problems.length > 0) return again(problemErrors(problems, form, ctx.t), 422);
      try {
        const id = await rules.createDraft(db, {
          measureCode: code,
          effectiveFrom: form.effective_from,
          definition: parsed.definition,
          tests: parsed.tests,
          note: form.note,
          actorId: actorOf(request).userId,
        });
        return seeOther(reply, `/staff/rules/versions/${id}`);
      } catch (error) {
        if (error instanceof rules.RuleProblemsError)
          return again(problemErrors(error.problems, form, ctx.t), 422);
        throw error;
      }
    },
  );

  app.get(
    '/staff/rules/versions/:id',
    { config: { access: READERS }, schema: { params: ID } },
    async (request, reply) => {
      return await renderVersion(request, reply, (request.params as { id: number }).id);
    },
  );

  app.post(
    '/staff/rules/versions/:id/propose',
    { config: { access: ANALYSTS }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      try {
        await rules.propose(db, id, actorOf(request).userId);
      } catch (error) {
        // A check or test that fails: the version page lists exactly what.
        if (error instanceof rules.RuleProblemsError) return await renderVersion(request, reply, id, {}, 422);
        return refused(request, reply, id, error);
      }
      return seeOther(reply, `/staff/rules/versions/${id}`);
    },
  );

  app.post(
    '/staff/rules/versions/:id/review',
    { config: { access: ANALYSTS }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const note = field(request.body, 'note');
      const approve = field(request.body, 'decision') === 'approve';
      const actorId = actorOf(request).userId;
      if (!approve && !note) {
        const t = translator(request.locale);
        return await renderVersion(request, reply, id, { note: t('rules.e.rejectNote') }, 422);
      }
      try {
        if (approve) await rules.approve(db, id, actorId, note || undefined);
        else await rules.reject(db, id, actorId, note);
      } catch (error) {
        return refused(request, reply, id, error);
      }
      // This instance answers with the new version at once; others within the rule-book TTL.
      if (approve) invalidateRuleBooks();
      return seeOther(reply, `/staff/rules/versions/${id}`);
    },
  );
};
