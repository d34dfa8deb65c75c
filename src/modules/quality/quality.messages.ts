// Messages of the quality module: each indicator's title and its formula in one sentence (shown under
// every chart), the filter's errors and the targets' errors. Page texts live in quality.pages.messages.ts.
export const ru = {
  'quality.indicator.accessibility.measures_on_portal.title': 'Меры, доступные на портале',
  'quality.indicator.accessibility.measures_on_portal.formula':
    'Доля действующих мер, заявление на которые можно подать на портале, среди всех действующих мер.',
  'quality.indicator.accessibility.submitted_electronically.title': 'Заявления в электронной форме',
  'quality.indicator.accessibility.submitted_electronically.formula':
    'Доля заявлений, поданных через портал или оформленных проактивно, среди всех поданных за период (отозванные учитываются, черновики — нет).',
  'quality.indicator.accessibility.days_to_free_appointment.title': 'Дней до ближайшей свободной записи',
  'quality.indicator.accessibility.days_to_free_appointment.formula':
    'Среднее по офисам число календарных дней от сегодняшнего дня до ближайшего свободного времени приёма, открытого для всех.',
  'quality.indicator.accessibility.remote_served_by_visits.title':
    'Жители отдалённых поселений, обслуженные выездами',
  'quality.indicator.accessibility.remote_served_by_visits.formula':
    'Число жителей отдалённых поселений, чьё заявление принято на выездном приёме за период, к численности населения отдалённых поселений.',
  'quality.indicator.accessibility.offices_pages_accessible.title':
    'Офисы и страницы, соответствующие требованиям доступности',
  'quality.indicator.accessibility.offices_pages_accessible.formula':
    'Доля офисов и страниц портала, чья последняя проверка доступности (паспорт доступности офиса, проверка страницы по WCAG 2.2 AA) на конец периода признала их соответствующими требованиям, среди всех проверенных.',
  'quality.indicator.priority.decision_days_priority.title': 'Рабочих дней до решения: льготные категории',
  'quality.indicator.priority.decision_days_priority.formula':
    'Медиана рабочих дней от регистрации до решения по заявлениям льготных категорий, без дней ожидания документов от заявителя.',
  'quality.indicator.priority.decision_days_others.title': 'Рабочих дней до решения: остальные',
  'quality.indicator.priority.decision_days_others.formula':
    'Медиана рабочих дней от регистрации до решения по остальным заявлениям, без дней ожидания документов от заявителя.',
  'quality.indicator.priority.appointment_wait_priority.title': 'Дней ожидания приёма: льготные категории',
  'quality.indicator.priority.appointment_wait_priority.formula':
    'Медиана календарных дней от записи до дня приёма для льготных категорий (отменённые записи не учитываются).',
  'quality.indicator.priority.appointment_wait_others.title': 'Дней ожидания приёма: остальные',
  'quality.indicator.priority.appointment_wait_others.formula':
    'Медиана календарных дней от записи до дня приёма для остальных (отменённые записи не учитываются).',
  'quality.indicator.priority.decided_first.title': 'Льготные заявления, решённые в первую очередь',
  'quality.indicator.priority.decided_first.formula':
    'Доля решённых льготных заявлений, которые не обогнало ни одно обычное заявление того же района и меры, зарегистрированное в тот же день или позже.',
  'quality.indicator.timeliness.decided_on_time.title': 'Решения в установленный срок',
  'quality.indicator.timeliness.decided_on_time.formula':
    'Доля решений, принятых не позднее установленного законом срока, среди всех решений за период.',
  'quality.indicator.timeliness.decision_days_median.title': 'Медиана рабочих дней до решения',
  'quality.indicator.timeliness.decision_days_median.formula':
    'Медиана рабочих дней от регистрации до решения, без дней ожидания документов от заявителя.',
  'quality.indicator.timeliness.decision_days_p90.title': '90-й процентиль рабочих дней до решения',
  'quality.indicator.timeliness.decision_days_p90.formula':
    'Число рабочих дней, за которое принято 90 % решений периода, без дней ожидания документов от заявителя.',
  'quality.indicator.timeliness.overdue_now.title': 'Просроченные заявления сейчас',
  'quality.indicator.timeliness.overdue_now.formula':
    'Число заявлений в работе, срок решения по которым истёк, кроме ожидающих документов от заявителя.',
  'quality.indicator.timeliness.interagency_on_time.title': 'Межведомственные ответы в срок',
  'quality.indicator.timeliness.interagency_on_time.formula':
    'Доля межведомственных запросов со сроком ответа в периоде, на которые ответ получен не позднее срока.',
  'quality.indicator.documentation.file_complete.title': 'Полные дела на момент решения',
  'quality.indicator.documentation.file_complete.formula':
    'Доля решений, к моменту которых в деле были все документы-основания, перечисленные для меры.',
  'quality.indicator.documentation.docs_asked_per_application.title':
    'Запросов документов у заявителя на заявление',
  'quality.indicator.documentation.docs_asked_per_application.formula':
    'Число запросов документов у заявителя, делённое на число решений за период.',
  'quality.indicator.documentation.docs_obtained_per_application.title':
    'Документов по межведомственным запросам на заявление',
  'quality.indicator.documentation.docs_obtained_per_application.formula':
    'Число документов, полученных по межведомственным запросам до решения, делённое на число решений за период.',
  'quality.indicator.documentation.legal_basis_recorded.title': 'Решения с указанным правовым основанием',
  'quality.indicator.documentation.legal_basis_recorded.formula':
    'Доля решений за период, в которых записано правовое основание.',
  'quality.indicator.documentation.egisso_exported.title': 'Записи реестра, выгруженные в ЕГИССО без отказа',
  'quality.indicator.documentation.egisso_exported.formula':
    'Доля назначений реестра, которые ЕГИССО приняла в текущем виде, среди всех назначений.',
  'quality.indicator.satisfaction.overall.title': 'Удовлетворённость',
  'quality.indicator.satisfaction.overall.formula':
    'Доля завершённых анкет, в которых ответ на вопрос об удовлетворённости — один из двух высших вариантов шкалы, среди анкет, ответивших на этот вопрос, за период.',
  'quality.error.from': 'Введите начало периода как месяц, например 2026-01',
  'quality.error.to': 'Введите конец периода как месяц, например 2026-12',
  'quality.error.fromAfterTo': 'Начало периода должно быть не позже конца',
  'quality.error.future': 'Период не может заканчиваться в будущем месяце',
  'quality.error.beforeData': 'Начало периода раньше первых данных: выберите более поздний месяц начала',
  'quality.error.tooLong': 'Период не может быть длиннее 5 лет',
  'quality.error.district': 'Такого района нет: выберите район из списка',
  'quality.error.channel': 'Такого канала нет: портал, лично, МФЦ, почта или проактивно',
  'quality.error.measure': 'Такой меры нет: выберите меру из списка',
  'quality.error.indicator': 'Такого показателя нет',
  'quality.error.unavailable': 'Этот показатель пока не рассчитывается: нет источника данных',
  'quality.error.year': 'Введите год от 2000 до 2100',
  'quality.error.target': 'Введите целевое значение числом; долю — от 0 до 100 %',
  'quality.error.source': 'Укажите источник цели (программу и её пункт), до 500 знаков',
  'quality.error.targetExists': 'Цель на этот год и район уже введена: удалите её, чтобы ввести новую',
  'quality.error.audit.kind': 'Выберите, что проверено: офис или страница портала',
  'quality.error.audit.office': 'Выберите офис из списка',
  'quality.error.audit.pageRegion':
    'Страницы портала общие для всей области: их проверки вносит министерство',
  'quality.error.audit.page': 'Введите адрес страницы, начиная с /, например /measures/CHILD',
  'quality.error.audit.date': 'Введите дату проверки, например 2026-03-15',
  'quality.error.audit.future': 'Дата проверки не может быть в будущем',
  'quality.error.audit.meets': 'Выберите, соответствует ли объект требованиям',
  'quality.error.audit.findings': 'Опишите, что не соответствует требованиям',
  'quality.error.audit.findingsLong': 'Замечания должны быть не длиннее 5000 знаков',
  'quality.error.audit.source': 'Укажите источник, например номер паспорта доступности, до 500 знаков',
} as const;

export const en: { [K in keyof typeof ru]: string } = {
  'quality.indicator.accessibility.measures_on_portal.title': 'Measures available on the portal',
  'quality.indicator.accessibility.measures_on_portal.formula':
    'Active measures that can be applied for on the portal, as a share of all active measures.',
  'quality.indicator.accessibility.submitted_electronically.title': 'Applications submitted electronically',
  'quality.indicator.accessibility.submitted_electronically.formula':
    'Applications submitted on the portal or opened proactively, as a share of all applications submitted in the period (withdrawn ones count, drafts do not).',
  'quality.indicator.accessibility.days_to_free_appointment.title': 'Days to the nearest free appointment',
  'quality.indicator.accessibility.days_to_free_appointment.formula':
    'Mean over offices of the calendar days from today to the nearest free reception time open to everyone.',
  'quality.indicator.accessibility.remote_served_by_visits.title':
    'Residents of remote settlements served by field visits',
  'quality.indicator.accessibility.remote_served_by_visits.formula':
    'Residents of remote settlements whose application was registered at a field visit in the period, over the population of remote settlements.',
  'quality.indicator.accessibility.offices_pages_accessible.title':
    'Offices and pages meeting accessibility requirements',
  'quality.indicator.accessibility.offices_pages_accessible.formula':
    'Offices and portal pages whose latest accessibility audit by the end of the period (the office’s accessibility passport, the page’s WCAG 2.2 AA check) found them meeting the requirements, as a share of all audited ones.',
  'quality.indicator.priority.decision_days_priority.title': 'Working days to decision: priority categories',
  'quality.indicator.priority.decision_days_priority.formula':
    'Median working days from registration to decision for applications of priority categories, without days waiting for the resident’s documents.',
  'quality.indicator.priority.decision_days_others.title': 'Working days to decision: others',
  'quality.indicator.priority.decision_days_others.formula':
    'Median working days from registration to decision for other applications, without days waiting for the resident’s documents.',
  'quality.indicator.priority.appointment_wait_priority.title':
    'Days waiting for an appointment: priority categories',
  'quality.indicator.priority.appointment_wait_priority.formula':
    'Median calendar days from booking to the day of the appointment for priority categories (cancelled bookings do not count).',
  'quality.indicator.priority.appointment_wait_others.title': 'Days waiting for an appointment: others',
  'quality.indicator.priority.appointment_wait_others.formula':
    'Median calendar days from booking to the day of the appointment for everyone else (cancelled bookings do not count).',
  'quality.indicator.priority.decided_first.title': 'Priority applications decided first',
  'quality.indicator.priority.decided_first.formula':
    'Decided priority applications that no ordinary application of the same district and measure, registered the same day or later, was decided before, as a share of decided priority applications.',
  'quality.indicator.timeliness.decided_on_time.title': 'Decisions within the statutory deadline',
  'quality.indicator.timeliness.decided_on_time.formula':
    'Decisions made on or before the statutory deadline, as a share of all decisions in the period.',
  'quality.indicator.timeliness.decision_days_median.title': 'Median working days to decision',
  'quality.indicator.timeliness.decision_days_median.formula':
    'Median working days from registration to decision, without days waiting for the resident’s documents.',
  'quality.indicator.timeliness.decision_days_p90.title': '90th percentile of working days to decision',
  'quality.indicator.timeliness.decision_days_p90.formula':
    'The working days within which 90% of the period’s decisions were made, without days waiting for the resident’s documents.',
  'quality.indicator.timeliness.overdue_now.title': 'Overdue cases now',
  'quality.indicator.timeliness.overdue_now.formula':
    'Open cases past their statutory deadline, except those waiting for the resident’s documents.',
  'quality.indicator.timeliness.interagency_on_time.title': 'Interagency responses on time',
  'quality.indicator.timeliness.interagency_on_time.formula':
    'Interagency requests due in the period that were answered on or before their due date, as a share of those due.',
  'quality.indicator.documentation.file_complete.title': 'Case files complete at decision',
  'quality.indicator.documentation.file_complete.formula':
    'Decisions at which every evidence document the measure lists was on file, as a share of all decisions.',
  'quality.indicator.documentation.docs_asked_per_application.title':
    'Documents asked from the resident per application',
  'quality.indicator.documentation.docs_asked_per_application.formula':
    'Requests for documents made to the resident, divided by the decisions in the period.',
  'quality.indicator.documentation.docs_obtained_per_application.title':
    'Documents obtained by interagency request per application',
  'quality.indicator.documentation.docs_obtained_per_application.formula':
    'Documents obtained from other agencies by interagency request before the decision, divided by the decisions in the period.',
  'quality.indicator.documentation.legal_basis_recorded.title': 'Decisions with a recorded legal basis',
  'quality.indicator.documentation.legal_basis_recorded.formula':
    'Decisions in the period that record their legal basis, as a share of all decisions.',
  'quality.indicator.documentation.egisso_exported.title':
    'Registry records exported to EGISSO without rejection',
  'quality.indicator.documentation.egisso_exported.formula':
    'Registry assignments that EGISSO accepted as they are now, as a share of all assignments.',
  'quality.indicator.satisfaction.overall.title': 'Satisfaction',
  'quality.indicator.satisfaction.overall.formula':
    'Completed survey responses whose answer to the satisfaction question is one of the two highest choices of its scale, as a share of responses that answered it, in the period.',
  'quality.error.from': 'Enter the start of the period as a month, for example 2026-01',
  'quality.error.to': 'Enter the end of the period as a month, for example 2026-12',
  'quality.error.fromAfterTo': 'The start of the period must be no later than its end',
  'quality.error.future': 'The period cannot end in a future month',
  'quality.error.beforeData': 'The period starts before the first data: choose a later first month',
  'quality.error.tooLong': 'The period cannot be longer than 5 years',
  'quality.error.district': 'There is no such district: choose one from the list',
  'quality.error.channel': 'There is no such channel: portal, in person, MFC, post or proactive',
  'quality.error.measure': 'There is no such measure: choose one from the list',
  'quality.error.indicator': 'There is no such indicator',
  'quality.error.unavailable': 'This indicator is not computed yet: it has no data source',
  'quality.error.year': 'Enter a year from 2000 to 2100',
  'quality.error.target': 'Enter the target as a number; a share from 0 to 100%',
  'quality.error.source': 'Give the target’s source (the programme and its article), up to 500 characters',
  'quality.error.targetExists':
    'A target for this year and district exists already: delete it to enter a new one',
  'quality.error.audit.kind': 'Select what was audited: an office or a portal page',
  'quality.error.audit.office': 'Select an office from the list',
  'quality.error.audit.pageRegion':
    'Portal pages are shared by the whole region: the ministry records their audits',
  'quality.error.audit.page': 'Enter the page’s address starting with /, for example /measures/CHILD',
  'quality.error.audit.date': 'Enter the date of the audit, for example 2026-03-15',
  'quality.error.audit.future': 'The date of the audit cannot be in the future',
  'quality.error.audit.meets': 'Select whether it meets the requirements',
  'quality.error.audit.findings': 'Describe what does not meet the requirements',
  'quality.error.audit.findingsLong': 'Findings must be 5,000 characters or fewer',
  'quality.error.audit.source':
    'Give the source, for example the accessibility passport’s number, up to 500 characters',
};
