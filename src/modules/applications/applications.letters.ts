// The papers of a case as PDF: the application for the resident's signature, the receipt for the
// documents taken at the counter, the decision letter and the appeal decision. Built from the
// case's own records (the decision is kept whole on the case), so a letter reads the same whenever
// it is printed.
import type { DbOrTrx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type PdfBlock, type PdfLetter, renderPdf } from '../../platform/pdf/pdf.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { districtCentre } from '../geography/geography.service.ts';
import { fullName, personForResident } from '../registry/registry.service.ts';
import { staffMember } from '../staff/staff.service.ts';
import * as repo from './applications.repository.ts';
import type { DecisionRecord } from './applications.schema.ts';
import type { Application } from './applications.service.ts';
import { appealOpenUntil, isRefusalGround, REFUSAL_GROUNDS } from './applications.states.ts';

export type LetterKind = 'application' | 'receipt' | 'decision' | 'appeal';
type Lang = 'ru' | 'en';

const MINISTRY = {
  ru: 'Министерство социальной защиты населения Волгоградской области',
  en: 'Ministry of Social Protection of Volgograd Oblast',
};

const L = {
  ru: {
    applicationTitle: 'Заявление о предоставлении меры социальной поддержки',
    receiptTitle: 'Расписка в получении заявления и документов',
    decisionApproved: 'Решение о назначении меры социальной поддержки',
    decisionRefused: 'Решение об отказе в назначении меры социальной поддержки',
    appealTitle: 'Решение по жалобе',
    applicant: 'Заявитель',
    name: 'Фамилия, имя, отчество',
    snils: 'СНИЛС',
    birth: 'Дата рождения',
    address: 'Адрес',
    phone: 'Телефон',
    email: 'Электронная почта',
    measure: 'Мера социальной поддержки',
    number: 'Номер заявления',
    channel: 'Способ подачи',
    registered: 'Дата регистрации',
    deadline: 'Срок принятия решения',
    payment: 'Способ выплаты',
    bank: (bik: string, account: string) => `на счёт ${account} в банке (БИК ${bik})`,
    post: 'через почтовое отделение',
    documents: 'Представленные документы',
    requested: 'Документы, которые мы запросим сами (210-ФЗ, ст. 7)',
    none: 'нет',
    ask: 'Прошу предоставить указанную меру социальной поддержки. Достоверность сведений подтверждаю. Согласен(на) на обработку персональных данных (152-ФЗ).',
    signApplicant: 'Подпись заявителя',
    signSpecialist: 'Специалист, принявший документы',
    received: (n: number) => `Приняты документы: ${n}.`,
    receiptNote: 'О ходе рассмотрения можно узнать в личном кабинете на портале или по телефону отдела.',
    legalBasis: 'Правовое основание',
    decided: 'Дата решения',
    amount: 'Размер выплаты',
    start: 'Назначена с',
    ground: 'Основание отказа',
    note: 'Пояснение',
    decidedBy: 'Решение принял',
    appealRight: (until: string) =>
      `Решение может быть обжаловано до ${until} в досудебном порядке (глава 2.1 Федерального закона № 210-ФЗ) — в личном кабинете или в отделе социальной защиты — либо в суде.`,
    onAppeal: 'Решение принято по результатам рассмотрения жалобы.',
    appealGrounds: 'Доводы жалобы',
    appealFiled: 'Дата регистрации жалобы',
    appealOutcome: 'Результат рассмотрения',
    upheld: 'жалоба удовлетворена, решение об отказе отменено, мера социальной поддержки назначена',
    dismissed: 'жалоба оставлена без удовлетворения',
    footer: 'Документ сформирован в системе «Опора»',
    rub: (n: number) => `${n.toLocaleString('ru-RU', { minimumFractionDigits: 2 })} руб.`,
    channels: {
      portal: 'портал',
      in_person: 'личный приём',
      mfc: 'МФЦ',
      post: 'почта',
      proactive: 'проактивно',
    },
  },
  en: {
    applicationTitle: 'Application for a social support measure',
    receiptTitle: 'Receipt for the application and documents',
    decisionApproved: 'Decision to grant a social support measure',
    decisionRefused: 'Decision to refuse a social support measure',
    appealTitle: 'Decision on the appeal',
    applicant: 'Applicant',
    name: 'Full name',
    snils: 'SNILS',
    birth: 'Date of birth',
    address: 'Address',
    phone: 'Phone',
    email: 'Email',
    measure: 'Social support measure',
    number: 'Application number',
    channel: 'Submitted via',
    registered: 'Registered on',
    deadline: 'Decision due by',
    payment: 'Payment',
    bank: (bik: string, account: string) => `to account ${account} (bank BIK ${bik})`,
    post: 'through the post office',
    documents: 'Documents provided',
    requested: 'Documents we request ourselves (210-FZ art. 7)',
    none: 'none',
    ask: 'I ask to be granted the measure above. I confirm the information is true. I consent to the processing of my personal data (152-FZ).',
    signApplicant: 'Applicant’s signature',
    signSpecialist: 'Specialist who received the documents',
    received: (n: number) => `Documents received: ${n}.`,
    receiptNote: 'You can follow the application in your portal account or by phoning the office.',
    legalBasis: 'Legal basis',
    decided: 'Decision date',
    amount: 'Amount',
    start: 'Granted from',
    ground: 'Ground for refusal',
    note: 'Explanation',
    decidedBy: 'Decided by',
    appealRight: (until: string) =>
      `You may appeal this decision until ${until} out of court (chapter 2.1 of Federal Law 210-FZ) — in your portal account or at the social protection office — or in court.`,
    onAppeal: 'This decision was made on an appeal.',
    appealGrounds: 'Grounds of the appeal',
    appealFiled: 'Appeal registered on',
    appealOutcome: 'Outcome',
    upheld: 'the appeal is upheld, the refusal is set aside and the measure is granted',
    dismissed: 'the appeal is dismissed',
    footer: 'Produced by Opora',
    rub: (n: number) => `${n.toLocaleString('en-GB', { minimumFractionDigits: 2 })} RUB`,
    channels: { portal: 'portal', in_person: 'in person', mfc: 'MFC', post: 'post', proactive: 'proactive' },
  },
};

const unavailable = (what: string) =>
  new AppError('letter_unavailable', 404, `${what} is not available for this application`);

const ruDate = (iso: string, lang: Lang) => (lang === 'ru' ? iso.split('-').reverse().join('.') : iso);

/** Renders one of the case's letters; AppError 404 'letter_unavailable' when it does not exist yet. */
export async function renderLetter(
  db: DbOrTrx,
  app: Application,
  kind: LetterKind,
  lang: Lang,
  appealId?: number,
): Promise<Buffer> {
  const w = L[lang];
  const [{ person }, measure, centre, documents] = await Promise.all([
    personForResident(db, app.person_id),
    measureForApplication(db, { id: app.measure_id }),
    districtCentre(db, app.district_id),
    repo.documentsOf(db, app.id),
  ]);
  const issuer = [MINISTRY[lang]];
  if (centre)
    issuer.push(
      lang === 'ru' ? centre.name_ru : centre.name_en,
      lang === 'ru' ? centre.address_ru : centre.address_en,
      centre.phone,
    );
  const number = app.number ?? String(app.id);
  const reference = `№ ${number}${app.registered_on ? ` · ${ruDate(app.registered_on, lang)}` : ''}`;
  const applicant: PdfBlock = {
    kind: 'fields',
    rows: [
      [w.name, fullName(person)],
      [w.snils, person.snils.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1-$2-$3 $4')],
      [w.birth, ruDate(person.birth_date, lang)],
      [w.address, person.address],
    ],
  };
  const caseRows: Array<[string, string]> = [
    [w.number, number],
    [w.measure, lang === 'ru' ? measure.title_ru : measure.title_en],
    [w.channel, w.channels[app.channel]],
  ];
  if (app.registered_on) caseRows.push([w.registered, ruDate(app.registered_on, lang)]);
  if (app.deadline_on) caseRows.push([w.deadline, ruDate(app.deadline_on, lang)]);
  const docList = documents.length ? documents.map((d) => d.title) : [w.none];
  const requested = measure.documents
    .filter((d) => d.interagency_agency !== null)
    .map((d) => (lang === 'ru' ? d.title_ru : d.title_en));
  let letter: Omit<PdfLetter, 'lang' | 'issuer' | 'reference' | 'footer'>;

  if (kind === 'application') {
    const a = app.answers;
    const contact: Array<[string, string]> = [
      [w.phone, a.phone ?? w.none],
      [w.email, a.email ?? w.none],
    ];
    if (a.payment)
      contact.push([
        w.payment,
        a.payment.method === 'bank' ? w.bank(a.payment.bik, a.payment.account) : w.post,
      ]);
    letter = {
      title: w.applicationTitle,
      blocks: [
        { kind: 'heading', text: w.applicant },
        applicant,
        { kind: 'fields', rows: [...caseRows, ...contact] },
        { kind: 'heading', text: w.documents },
        { kind: 'list', items: docList },
        { kind: 'heading', text: w.requested },
        { kind: 'list', items: requested.length ? requested : [w.none] },
        { kind: 'paragraph', text: w.ask },
        { kind: 'signature', label: w.signApplicant },
      ],
    };
  } else if (kind === 'receipt') {
    if (!app.registered_on) throw unavailable('A receipt');
    letter = {
      title: w.receiptTitle,
      blocks: [
        { kind: 'fields', rows: [[w.name, fullName(person)], ...caseRows] },
        { kind: 'paragraph', text: w.received(documents.length) },
        { kind: 'list', items: docList },
        { kind: 'heading', text: w.requested },
        { kind: 'list', items: requested.length ? requested : [w.none] },
        { kind: 'paragraph', text: w.receiptNote },
        { kind: 'signature', label: w.signSpecialist },
      ],
    };
  } else if (kind === 'decision') {
    if (!app.decision) throw unavailable('A decision letter');
    letter = decisionLetter(app.decision, applicant, caseRows, lang);
  } else {
    const appeal = appealId === undefined ? undefined : await repo.findAppeal(db, appealId);
    if (!appeal || appeal.application_id !== app.id || appeal.state === 'registered' || !appeal.decided_by)
      throw unavailable('An appeal decision');
    const decider = await staffMember(db, appeal.decided_by);
    letter = {
      title: w.appealTitle,
      blocks: [
        applicant,
        {
          kind: 'fields',
          rows: [...caseRows.slice(0, 2), [w.appealFiled, ruDate(appeal.registered_on, lang)]],
        },
        { kind: 'heading', text: w.appealGrounds },
        { kind: 'paragraph', text: appeal.grounds },
        {
          kind: 'fields',
          rows: [
            [w.appealOutcome, appeal.state === 'upheld' ? w.upheld : w.dismissed],
            [w.note, appeal.outcome_note ?? ''],
            [w.decidedBy, decider?.fullName ?? ''],
          ],
        },
      ],
    };
  }
  return await renderPdf({ ...letter, lang, issuer, reference, footer: w.footer });
}

function decisionLetter(
  d: DecisionRecord,
  applicant: PdfBlock,
  caseRows: Array<[string, string]>,
  lang: Lang,
) {
  const w = L[lang];
  const approved = d.outcome === 'approved';
  const rows: Array<[string, string]> = [
    ...caseRows.slice(0, 2),
    [w.decided, ruDate(d.on, lang)],
    [w.legalBasis, d.legalBasis[lang]],
  ];
  if (approved) {
    if (d.amount) rows.push([w.amount, w.rub(d.amount)]);
    if (d.startDate) rows.push([w.start, ruDate(d.startDate, lang)]);
  } else if (d.ground && isRefusalGround(d.ground)) {
    rows.push([w.ground, REFUSAL_GROUNDS[d.ground][lang]]);
  }
  if (d.note) rows.push([w.note, d.note]);
  rows.push([w.decidedBy, d.decidedBy]);
  const blocks: PdfBlock[] = [applicant, { kind: 'fields', rows }];
  if (d.onAppeal) blocks.push({ kind: 'paragraph', text: w.onAppeal });
  if (!approved) blocks.push({ kind: 'paragraph', text: w.appealRight(ruDate(appealOpenUntil(d.on), lang)) });
  return { title: approved ? w.decisionApproved : w.decisionRefused, blocks };
}
