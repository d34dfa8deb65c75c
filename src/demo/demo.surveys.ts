// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// Demo survey data for `npm start`: a recipients' satisfaction questionnaire built with the designer's
// operations and published like any questionnaire, a linked wave with a stratified sample invited
// through the notification service, about 150 answers (through the portal and by interviewers) whose
// figures differ by age and channel as real ones do, and two coded expert interviews — so the results,
// crosstab and qualitative analysis pages and the satisfaction indicator have something to show.
import { listStaffUsers } from '../modules/staff/staff.service.ts';
import type { Answers } from '../modules/surveys/surveys.answers.ts';
import { checkAnswers } from '../modules/surveys/surveys.answers.ts';
import { demoInvitations, insertDemoResponse } from '../modules/surveys/surveys.demo.ts';
import {
  addGroup,
  addQuestion,
  checkDraft,
  emptyForm,
  type QuestionInput,
} from '../modules/surveys/surveys.designer.ts';
import type { Form } from '../modules/surveys/surveys.form.ts';
import {
  codeBook,
  codeParagraph,
  createCodeBook,
  paragraphs,
  recordInterview,
} from '../modules/surveys/surveys.interviews.service.ts';
import { questionnaireByFormId } from '../modules/surveys/surveys.repository.ts';
import { drawAndInvite } from '../modules/surveys/surveys.sample.service.ts';
import { importQuestionnaire } from '../modules/surveys/surveys.service.ts';
import { createWave } from '../modules/surveys/surveys.waves.service.ts';
import type { StaffActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { regionToday } from '../platform/time.ts';
import { Random } from '../seed/random.ts';

const FORM_ID = 'recipients_satisfaction_demo';

const q = (over: Partial<QuestionInput> & Pick<QuestionInput, 'type' | 'name' | 'label'>): QuestionInput => ({
  hint: {},
  required: true,
  relevant: '',
  constraint: '',
  constraintMessage: {},
  appearance: '',
  calculation: '',
  listName: '',
  choices: '',
  ...over,
});

const SAT5 =
  '1 | Совсем не удовлетворён | Very dissatisfied\n2 | Скорее не удовлетворён | Dissatisfied\n3 | Трудно сказать | Neither\n4 | Скорее удовлетворён | Satisfied\n5 | Полностью удовлетворён | Very satisfied';
const AGREE5 =
  '1 | Совсем не согласен | Strongly disagree\n2 | Скорее не согласен | Disagree\n3 | Трудно сказать | Neither\n4 | Скорее согласен | Agree\n5 | Полностью согласен | Strongly agree';

/** The questionnaire, built with the designer's operations (and so checked by the XLSForm rules). */
export async function demoForm(today: string): Promise<Form> {
  let form = emptyForm('Удовлетворённость получателей мер поддержки', FORM_ID, today.replaceAll('-', ''));
  const steps: Array<(f: Form) => ReturnType<typeof addQuestion>> = [
    (f) =>
      addGroup(
        f,
        {
          kind: 'group',
          name: 'service',
          label: { ru: 'О полученной услуге', en: 'The service you received' },
          relevant: '',
          appearance: '',
        },
        null,
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'select_one',
          name: 'channel_used',
          label: { ru: 'Как вы подавали заявление?', en: 'How did you apply?' },
          listName: 'channels',
          choices:
            'portal | Через портал | On the portal\noffice | В центре социальной защиты | At the social protection centre\nmfc | В МФЦ | At an MFC\nphone | По телефону, с помощью специалиста | By phone, with a specialist',
        }),
        'service',
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'select_one',
          name: 'satisfaction',
          label: {
            ru: 'Насколько вы удовлетворены тем, как было рассмотрено заявление?',
            en: 'How satisfied are you with how your application was handled?',
          },
          appearance: 'likert',
          listName: 'sat5',
          choices: SAT5,
        }),
        'service',
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'integer',
          name: 'waited_days',
          label: { ru: 'Сколько дней вы ждали решения?', en: 'How many days did you wait for the decision?' },
          constraint: '. >= 0 and . <= 90',
          constraintMessage: {
            ru: 'Введите число дней от 0 до 90',
            en: 'Enter a number of days from 0 to 90',
          },
        }),
        'service',
      ),
    (f) =>
      addGroup(
        f,
        {
          kind: 'group',
          name: 'staff',
          label: { ru: 'Работа специалистов', en: 'The specialists' },
          relevant: '',
          appearance: 'table-list',
        },
        null,
      ),
    ...(
      [
        ['polite', 'Со мной говорили вежливо', 'I was treated politely'],
        ['clear', 'Мне понятно объяснили, что нужно сделать', 'What to do was explained clearly'],
        ['fast', 'Меня приняли без долгого ожидания', 'I was seen without a long wait'],
      ] as const
    ).map(
      ([name, ru, en]) =>
        (f: Form) =>
          addQuestion(
            f,
            q({ type: 'select_one', name, label: { ru, en }, listName: 'agree5', choices: AGREE5 }),
            'staff',
          ),
    ),
    (f) =>
      addGroup(
        f,
        {
          kind: 'group',
          name: 'digital',
          label: { ru: 'Интернет и электронные услуги', en: 'Internet and online services' },
          relevant: '',
          appearance: '',
        },
        null,
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'select_one',
          name: 'uses_internet',
          label: { ru: 'Пользуетесь ли вы интернетом?', en: 'Do you use the internet?' },
          listName: 'yes_no',
          choices: 'yes | Да | Yes\nno | Нет | No',
        }),
        'digital',
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'select_multiple',
          name: 'devices',
          label: { ru: 'С каких устройств?', en: 'On which devices?' },
          relevant: "${uses_internet} = 'yes'",
          listName: 'devices',
          choices:
            'smartphone | Смартфон | Smartphone\ncomputer | Компьютер или ноутбук | Computer or laptop\ntablet | Планшет | Tablet',
        }),
        'digital',
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'select_one',
          name: 'remote_ready',
          label: {
            ru: 'Готовы ли вы в следующий раз подать заявление через интернет?',
            en: 'Would you apply online next time?',
          },
          appearance: 'likert',
          listName: 'agree5',
          choices: '',
        }),
        'digital',
      ),
    (f) =>
      addQuestion(
        f,
        q({
          type: 'text',
          name: 'comment',
          required: false,
          label: { ru: 'Что бы вы предложили улучшить?', en: 'What would you suggest improving?' },
        }),
        'digital',
      ),
  ];
  for (const step of steps) {
    const out = step(form);
    if (!out.ok) throw new Error(`demo questionnaire: ${JSON.stringify(out.errors)}`);
    form = out.form;
  }
  return form;
}

const clamp = (x: number) => Math.max(1, Math.min(5, Math.round(x)));

/** Answers shaped like real surveys of recipients: older people apply in person and use the internet less. */
function demoAnswers(rng: Random, ageGroup: string | undefined): Answers {
  const older = ageGroup === '60-74' || ageGroup === '75+';
  const online = rng.next() < (older ? (ageGroup === '75+' ? 0.2 : 0.4) : 0.85);
  const r = rng.next();
  const channel = online ? (r < 0.7 ? 'portal' : 'mfc') : r < 0.75 ? 'office' : r < 0.9 ? 'mfc' : 'phone';
  const waited = Math.round(rng.next() * (channel === 'portal' ? 12 : 20));
  const base = 4.3 - waited / 12 + (rng.next() - 0.5) * 1.6;
  const answers: Answers = {
    channel_used: channel,
    satisfaction: String(clamp(base)),
    waited_days: waited,
    polite: String(clamp(base + 0.4 + (rng.next() - 0.5))),
    clear: String(clamp(base + (rng.next() - 0.5) * 1.2)),
    fast: String(clamp(base - 0.3 + (rng.next() - 0.5))),
    uses_internet: online ? 'yes' : 'no',
    remote_ready: String(clamp((online ? 4.2 : 2.2) + (rng.next() - 0.5) * 2)),
  };
  if (online) answers.devices = rng.next() < 0.3 ? ['smartphone', 'computer'] : ['smartphone'];
  if (rng.next() < 0.15)
    answers.comment = online
      ? 'Хотелось бы видеть в личном кабинете, на каком этапе заявление.'
      : 'Пусть чаще приезжают в наше село.';
  return answers;
}

const TRANSCRIPTS = [
  {
    title: 'Интервью с руководителем районного центра',
    role: 'Руководитель центра социальной защиты',
    group: 'Руководители районных центров',
    text: [
      'Вопрос: Как изменилась работа центра после запуска подачи заявлений через портал?',
      'Ответ: Молодые семьи почти все подают через портал, к нам приходят только за консультацией. Пенсионеры по-прежнему идут в центр, многие не умеют пользоваться смартфоном, а кто умеет — боится ошибиться.',
      'Вопрос: Что мешает больше всего?',
      'Ответ: В дальних сёлах нет устойчивого интернета, там мы работаем выездами, раз в месяц. Специалистов не хватает: на выезд уходит целый день, а очередь в центре не ждёт.',
      'Вопрос: Помогают ли межведомственные запросы?',
      'Ответ: Очень помогают: справки о доходах из Соцфонда приходят сами, людям не надо ездить в город. Но иногда ответ задерживается, и сроки рассмотрения приходится продлевать.',
    ],
  },
  {
    title: 'Интервью со специалистом по назначению мер',
    role: 'Ведущий специалист отдела назначения',
    group: 'Специалисты',
    text: [
      'Вопрос: С какими трудностями приходят заявители?',
      'Ответ: Чаще всего не понимают, какие документы нужны, и приносят лишнее. Пожилым трудно разобраться с электронной подписью и личным кабинетом.',
      'Вопрос: Доверяют ли люди электронным услугам?',
      'Ответ: Многие переспрашивают, дошло ли заявление, и приходят проверить лично. Уведомления по СМС это доверие повышают.',
      'Вопрос: Что бы вы изменили?',
      'Ответ: Больше выездных приёмов в удалённые сёла и обучение компьютерной грамотности для пожилых прямо в центре.',
    ],
  },
];

const CODES = `skills — Недостаток цифровых навыков
access — Нет интернета или устройства
trust — Доверие к электронным услугам
workload — Нагрузка на специалистов
interagency — Межведомственное взаимодействие
rural — Удалённые населённые пункты`;

/** Which code each coder puts on which paragraph (1-based), so the kappa page has agreement and disagreement. */
const CODING: Record<string, Array<[number, number, string[]]>> = {
  researcher: [
    [0, 2, ['skills']],
    [0, 4, ['access', 'rural', 'workload']],
    [0, 6, ['interagency']],
    [1, 2, ['skills']],
    [1, 4, ['trust']],
    [1, 6, ['rural', 'skills']],
  ],
  analyst: [
    [0, 2, ['skills', 'trust']],
    [0, 4, ['rural', 'workload']],
    [0, 6, ['interagency']],
    [1, 2, ['skills']],
    [1, 4, ['trust']],
    [1, 6, ['rural']],
  ],
};

async function staffActor(db: Db, login: string): Promise<StaffActor | null> {
  const user = (await listStaffUsers(db)).find((u) => u.login === login);
  if (!user) return null;
  return {
    kind: 'staff',
    userId: user.id,
    login: user.login,
    fullName: user.full_name,
    role: user.role,
    districtIds: user.district_ids,
    sessionId: 'demo',
  };
}

const daysFrom = (today: string, n: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** Seeds the demo survey once (nothing when its questionnaire exists); returns the number of responses. */
export async function ensureDemoSurveys(db: Db, baseUrl: string): Promise<number> {
  if (await questionnaireByFormId(db, FORM_ID)) return 0;
  const researcher = await staffActor(db, 'researcher');
  const analyst = await staffActor(db, 'analyst');
  const specialist = await staffActor(db, 'spec.volgograd');
  if (!researcher || !analyst) return 0;
  const today = regionToday();
  const form = await demoForm(today);
  const checked = await checkDraft(form);
  if (!checked.form) throw new Error('demo questionnaire does not pass the XLSForm check');

  return await db.transaction().execute(async (trx) => {
    const imported = await importQuestionnaire(trx, researcher, checked.xlsx);
    if (!imported.ok) throw new Error('demo questionnaire was refused');
    const waveId = await createWave(trx, researcher, {
      versionId: imported.versionId,
      title: 'Удовлетворённость получателей мер поддержки, 2026',
      mode: 'linked',
      opensOn: daysFrom(today, -14),
      closesOn: daysFrom(today, 30),
      satisfactionQuestion: 'satisfaction',
    });
    await drawAndInvite(
      trx,
      researcher,
      waveId,
      {
        size: 400,
        strata: ['district', 'ageGroup'],
        allocation: 'proportional',
        seed: 2026,
        districtIds: [],
      },
      { baseUrl, today },
    );
    const rng = new Random(2026);
    const invitations = await demoInvitations(trx, waveId);
    let responses = 0;
    for (const [i, inv] of invitations.entries()) {
      const r = rng.next();
      if (r > 0.42) continue; // most invited residents do not answer
      const answers = demoAnswers(rng, inv.strata.ageGroup);
      if (checkAnswers(checked.form!, answers, { today }).length > 0)
        throw new Error('demo answers do not pass the form');
      const byInterviewer = specialist !== null && r < 0.08;
      await insertDemoResponse(trx, {
        waveId,
        versionId: imported.versionId,
        invitation: inv,
        interviewerId: byInterviewer ? specialist.userId : null,
        answers,
        complete: i % 17 !== 0,
      });
      responses++;
    }

    const bookId = await createCodeBook(trx, researcher, {
      title: 'Барьеры и ресурсы электронных услуг',
      codes: CODES,
    });
    const codes = new Map((await codeBook(trx, bookId)).codes.map((c) => [c.name, c.id]));
    const interviewIds: number[] = [];
    for (const [k, t] of TRANSCRIPTS.entries())
      interviewIds.push(
        await recordInterview(trx, researcher, {
          title: t.title,
          guideId: '',
          codeBookId: String(bookId),
          expertRole: t.role,
          expertGroup: t.group,
          districtId: '',
          interviewedOn: daysFrom(today, -20 + k * 3),
          interviewer: researcher.fullName,
          durationMinutes: String(45 + k * 10),
          transcript: t.text.join('\n'),
        }),
      );
    for (const [login, plan] of Object.entries(CODING)) {
      const coder = login === 'researcher' ? researcher : analyst;
      for (const [which, paragraph, names] of plan) {
        if (!paragraphs(TRANSCRIPTS[which]!.text.join('\n')).some((p) => p.number === paragraph)) continue;
        await codeParagraph(trx, coder, interviewIds[which]!, {
          paragraph,
          excerpt: '',
          codeIds: names.map((n) => codes.get(n)!),
          memo: '',
        });
      }
    }
    return responses;
  });
}
