// What residents are told, per event, in Russian and English: a subject and a body with {param}
// placeholders. A placeholder {x} takes params.x_ru or params.x_en in that language when given, else
// params.x; ISO dates (YYYY-MM-DD) are written out as dates, numbers with the language's separators,
// and parameters named *amount as money. An event may have variants chosen by one parameter
// (a decision: approved, refused, appeal dismissed).
import { formatDate, formatMoney, formatNumber } from '../../platform/i18n/i18n.ts';
import type { Lang, NotificationEvent, Params } from './notifications.schema.ts';

export interface Text {
  subject: string;
  body: string;
}
type Template = Record<Lang, Text>;
type Entry = { template: Template } | { by: string; variants: Record<string, Template> };

export const TEMPLATES: Record<NotificationEvent, Entry> = {
  application_received: {
    template: {
      ru: {
        subject: 'Заявление № {number} принято',
        body: 'Ваше заявление «{measure}» принято. Оно будет зарегистрировано не позднее следующего рабочего дня; срок рассмотрения — {days} рабочих дней со дня регистрации.',
      },
      en: {
        subject: 'Application {number} received',
        body: 'Your application "{measure}" has been received. It will be registered by the next working day; the decision is due within {days} working days of registration.',
      },
    },
  },
  application_registered: {
    template: {
      ru: {
        subject: 'Заявление № {number} зарегистрировано',
        body: 'Заявление «{measure}» зарегистрировано {date}. Решение будет принято до {deadline}.',
      },
      en: {
        subject: 'Application {number} registered',
        body: 'Application "{measure}" was registered on {date}. The decision is due by {deadline}.',
      },
    },
  },
  documents_needed: {
    template: {
      ru: { subject: 'Нужны документы по заявлению № {number}', body: '{note}' },
      en: { subject: 'Documents needed for application {number}', body: '{note}' },
    },
  },
  decision: {
    by: 'outcome',
    variants: {
      approved: {
        ru: {
          subject: 'Решение по заявлению № {number}: назначено',
          body: '«{measure}» назначена с {start}. Письмо с решением — в разделе «Мои заявления».',
        },
        en: {
          subject: 'Decision on application {number}: approved',
          body: '"{measure}" is granted from {start}. The decision letter is under "My applications".',
        },
      },
      refused: {
        ru: {
          subject: 'Решение по заявлению № {number}: отказ',
          body: 'В назначении отказано: {ground}. Решение можно обжаловать до {appeal_until}.',
        },
        en: {
          subject: 'Decision on application {number}: refused',
          body: 'The application was refused: {ground}. You can appeal until {appeal_until}.',
        },
      },
      appeal_dismissed: {
        ru: {
          subject: 'Жалоба по заявлению № {number} рассмотрена',
          body: 'Жалоба оставлена без удовлетворения: {note}',
        },
        en: {
          subject: 'Appeal on application {number} decided',
          body: 'The appeal was dismissed: {note}',
        },
      },
    },
  },
  message: {
    template: {
      ru: { subject: 'Сообщение по заявлению № {number}', body: '{text}' },
      en: { subject: 'Message about application {number}', body: '{text}' },
    },
  },
  appointment_booked: {
    template: {
      ru: {
        subject: 'Вы записаны на приём {date} в {time}',
        body: 'Вы записаны на личный приём: {date}, {time}, {office}, {address}. Возьмите с собой паспорт. Перенести или отменить запись можно на портале.',
      },
      en: {
        subject: 'Your appointment on {date} at {time}',
        body: 'You have an appointment: {date}, {time}, {office}, {address}. Please bring your passport. You can move or cancel it on the portal.',
      },
    },
  },
  appointment_moved: {
    template: {
      ru: {
        subject: 'Приём перенесён на {date} в {time}',
        body: 'Ваша запись на приём перенесена: {date}, {time}, {office}, {address}.',
      },
      en: {
        subject: 'Appointment moved to {date} at {time}',
        body: 'Your appointment has been moved: {date}, {time}, {office}, {address}.',
      },
    },
  },
  appointment_cancelled: {
    template: {
      ru: {
        subject: 'Запись на приём {date} в {time} отменена',
        body: 'Ваша запись на приём {date} в {time} ({office}) отменена. Записаться снова можно на портале.',
      },
      en: {
        subject: 'Appointment on {date} at {time} cancelled',
        body: 'Your appointment on {date} at {time} ({office}) has been cancelled. You can book again on the portal.',
      },
    },
  },
  appointment_reminder: {
    template: {
      ru: {
        subject: 'Напоминание о приёме {date} в {time}',
        body: 'Напоминаем: вы записаны на приём {date} в {time}, {office}, {address}. Если не сможете прийти, отмените запись на портале.',
      },
      en: {
        subject: 'Reminder: appointment on {date} at {time}',
        body: 'A reminder: you have an appointment on {date} at {time}, {office}, {address}. If you cannot come, please cancel it on the portal.',
      },
    },
  },
  payment: {
    template: {
      ru: {
        subject: 'Выплата: {measure}',
        body: 'Выплата «{measure}» за {period} в сумме {amount} перечислена {date}.',
      },
      en: {
        subject: 'Payment: {measure}',
        body: 'A payment of {amount} for "{measure}" for {period} was made on {date}.',
      },
    },
  },
  campaign: {
    template: {
      ru: { subject: '{subject}', body: '{body}' },
      en: { subject: '{subject}', body: '{body}' },
    },
  },
  survey_invitation: {
    template: {
      ru: {
        subject: 'Приглашение к опросу: {title}',
        body: 'Министерство социальной защиты просит вас ответить на вопросы опроса «{title}». Это займёт около {minutes} минут, участие добровольное. Ответить до {until}: {link}. Можно ответить и по телефону: позвоните в ваш центр социальной защиты.',
      },
      en: {
        subject: 'Invitation to a survey: {title}',
        body: 'The ministry of social protection asks you to answer the survey "{title}". It takes about {minutes} minutes; taking part is voluntary. Answer by {until}: {link}. You can also answer by phone: call your social protection centre.',
      },
    },
  },
};

/** Appended to campaign messages sent by email or SMS. */
export const UNSUBSCRIBE_LINE: Record<Lang, string> = {
  ru: 'Отказаться от информационных рассылок: {link}',
  en: 'To stop information campaigns: {link}',
};

/** Sample parameters for the staff preview: one set per event (and per variant). */
export const SAMPLES: Record<NotificationEvent, Params[]> = {
  application_received: [
    {
      number: '2026-000123',
      measure_ru: 'Ежемесячная денежная выплата ветеранам труда',
      measure_en: 'Monthly cash payment to labour veterans',
      days: 10,
    },
  ],
  application_registered: [
    {
      number: '2026-000123',
      measure_ru: 'Ежемесячная денежная выплата ветеранам труда',
      measure_en: 'Monthly cash payment to labour veterans',
      date: '2026-11-23',
      deadline: '2026-12-07',
    },
  ],
  documents_needed: [
    { number: '2026-000123', note: 'Справка о составе семьи, выданная не ранее 1 ноября 2026 г.' },
  ],
  decision: [
    {
      outcome: 'approved',
      number: '2026-000123',
      measure_ru: 'Ежемесячная денежная выплата ветеранам труда',
      measure_en: 'Monthly cash payment to labour veterans',
      start: '2026-11-23',
    },
    {
      outcome: 'refused',
      number: '2026-000123',
      ground_ru: 'заявитель не относится к категории получателей',
      ground_en: 'the applicant is not in the category of recipients',
      appeal_until: '2026-12-28',
    },
    { outcome: 'appeal_dismissed', number: '2026-000123', note: 'Доход семьи выше порога.' },
  ],
  message: [{ number: '2026-000123', text: 'Пожалуйста, уточните номер телефона.' }],
  appointment_booked: [
    {
      date: '2026-11-25',
      time: '10:30',
      office_ru: 'Центр социальной защиты Центрального района',
      office_en: 'Social Protection Centre, Tsentralny district',
      address: 'Волгоград, ул. Мира, 10',
    },
  ],
  appointment_moved: [
    {
      date: '2026-11-26',
      time: '14:00',
      office_ru: 'Центр социальной защиты Центрального района',
      office_en: 'Social Protection Centre, Tsentralny district',
      address: 'Волгоград, ул. Мира, 10',
    },
  ],
  appointment_cancelled: [
    {
      date: '2026-11-25',
      time: '10:30',
      office_ru: 'Центр социальной защиты Центрального района',
      office_en: 'Social Protection Centre, Tsentralny district',
    },
  ],
  appointment_reminder: [
    {
      date: '2026-11-25',
      time: '10:30',
      office_ru: 'Центр социальной защиты Центрального района',
      office_en: 'Social Protection Centre, Tsentralny district',
      address: 'Волгоград, ул. Мира, 10',
    },
  ],
  payment: [
    {
      measure_ru: 'Ежемесячная денежная выплата ветеранам труда',
      measure_en: 'Monthly cash payment to labour veterans',
      period_ru: 'ноябрь 2026',
      period_en: 'November 2026',
      amount: 1234.5,
      date: '2026-11-20',
    },
  ],
  campaign: [
    {
      subject_ru: 'Новая мера поддержки семей с детьми',
      subject_en: 'New support for families with children',
      body_ru:
        'С 1 декабря семьи с тремя и более детьми могут получить компенсацию за газ. Подать заявление можно на портале.',
      body_en:
        'From 1 December families with three or more children can get a gas bill compensation. You can apply on the portal.',
    },
  ],
  survey_invitation: [
    {
      title_ru: 'Удовлетворённость получателей мер поддержки, 2026',
      title_en: 'Satisfaction of support recipients, 2026',
      minutes: 10,
      until: '2026-12-20',
      link: 'https://opora.example/s/Kx3v9QmT2bLp7Rw4/i/abc',
    },
  ],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function value(lang: Lang, params: Params, name: string): string {
  const raw = params[`${name}_${lang}`] ?? params[name];
  if (raw === undefined) return '';
  if (typeof raw === 'number') return /amount$/.test(name) ? formatMoney(lang, raw) : formatNumber(lang, raw);
  return ISO_DATE.test(raw) ? formatDate(lang, raw) : raw;
}

/** Fills {placeholders}; a missing parameter renders as nothing rather than as "{name}". */
export function fill(text: string, lang: Lang, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => value(lang, params, name));
}

export function templateOf(event: NotificationEvent, params: Params): Template {
  const entry = TEMPLATES[event];
  if ('template' in entry) return entry.template;
  const chosen = entry.variants[String(params[entry.by] ?? '')];
  return chosen ?? (Object.values(entry.variants)[0] as Template);
}

/** The subject and body a resident reads, in their language. */
export function render(event: NotificationEvent, params: Params, lang: Lang): Text {
  const t = templateOf(event, params)[lang];
  return { subject: fill(t.subject, lang, params), body: fill(t.body, lang, params) };
}

export const EVENTS = Object.keys(TEMPLATES) as NotificationEvent[];
