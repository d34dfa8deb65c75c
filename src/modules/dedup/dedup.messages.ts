// Messages of the dedup module.
export const ru = {
  'dedup.title': 'Возможные дубликаты в реестре',
  'dedup.lead':
    'Пары записей, которые могут описывать одного человека. Откройте пару, сравните записи и объедините их или отметьте, что это разные люди. Объединение можно отменить.',
  'dedup.none': 'Непросмотренных пар в ваших районах нет.',
  'dedup.total': {
    one: 'Ждёт проверки: {count} пара',
    few: 'Ждут проверки: {count} пары',
    many: 'Ждут проверки: {count} пар',
    other: 'Ждут проверки: {count} пары',
  },
  'dedup.list.caption': 'Пары записей, сначала самые похожие',
  'dedup.list.first': 'Запись 1',
  'dedup.list.second': 'Запись 2',
  'dedup.list.why': 'Почему',
  'dedup.list.score': 'Сходство',
  'dedup.list.review': 'Сравнить',
  'dedup.list.reviewPair': 'пару {id}',
  'dedup.list.next': 'Следующие пары',
  'dedup.list.previous': 'Предыдущие пары',
  'dedup.merged.link': 'Объединённые записи',
  'dedup.back': 'Назад',
  'dedup.born': 'род. {date}',

  'dedup.reason.snils_typo': 'СНИЛС отличается одной цифрой или перестановкой соседних цифр',
  'dedup.reason.name_birth_date': 'одинаковые ФИО и дата рождения',
  'dedup.reason.fuzzy_name': 'похожие ФИО и та же дата рождения',
  'dedup.reason.name_typo': 'опечатка в имени',
  'dedup.reason.transliteration': 'имя записано латиницей',
  'dedup.reason.swapped_names': 'фамилия и имя переставлены',
  'dedup.reason.same_address': 'тот же адрес',
  'dedup.reason.similar_address': 'почти тот же адрес',
  'dedup.reason.same_phone': 'тот же телефон',
  'dedup.reason.same_email': 'та же электронная почта',
  'dedup.reason.different_sex': 'разный пол',

  'dedup.pair.title': 'Это один и тот же человек?',
  'dedup.pair.caption': 'Пара {id}',
  'dedup.pair.audited': 'Просмотр обеих записей записан в журнал с причиной «проверка дубликатов».',
  'dedup.pair.why': 'Почему пара предложена',
  'dedup.pair.compare': 'Сравнение записей',
  'dedup.pair.field': 'Поле',
  'dedup.pair.differs': 'отличается',
  'dedup.pair.household': 'Домохозяйство',
  'dedup.pair.householdSize': {
    one: '{count} человек',
    few: '{count} человека',
    many: '{count} человек',
    other: '{count} человека',
  },
  'dedup.pair.noHousehold': 'не указано',
  'dedup.keep.legend': 'Какую запись оставить?',
  'dedup.keep.hint':
    'Обращения, назначения, предложения, записи на приём, запросы в ведомства, сообщения и учётная запись портала другой записи перейдут к оставленной, а другая запись будет удалена. Объединение можно отменить.',
  'dedup.keep.option': 'Оставить запись {n}: {name}',
  'dedup.keep.required': 'Выберите, какую запись оставить',
  'dedup.continue': 'Продолжить',
  'dedup.different.title': 'Это разные люди?',
  'dedup.different.hint': 'Пара больше не будет предлагаться.',
  'dedup.different.button': 'Это разные люди',

  'dedup.confirm.title': 'Проверьте перед объединением',
  'dedup.confirm.keep': 'Оставить запись',
  'dedup.confirm.remove': 'Удалить запись и перенести её данные',
  'dedup.confirm.reasons': 'Почему пара предложена',
  'dedup.confirm.change': 'Изменить',
  'dedup.confirm.changeKeep': 'выбор записи',
  'dedup.confirm.warning':
    'Всё, что связано с удаляемой записью, перейдёт к оставленной. Объединение записывается в журнал и его можно отменить на странице «Объединённые записи».',
  'dedup.confirm.button': 'Объединить записи',

  'dedup.merged.title': 'Объединённые записи',
  'dedup.merged.lead':
    'Последние объединения в ваших районах. Отмена возвращает удалённую запись и всё, что к ней относилось.',
  'dedup.merged.none': 'Объединений пока нет.',
  'dedup.merged.caption': 'Объединения, сначала новые',
  'dedup.merged.kept': 'Оставлена',
  'dedup.merged.removed': 'Удалена',
  'dedup.merged.when': 'Когда',
  'dedup.merged.by': 'Кто',
  'dedup.merged.undo': 'Отменить объединение',
  'dedup.merged.undoOf': 'записей {name}',
  'dedup.merged.gone': 'запись удалена',

  'dedup.undo.title': 'Отменить объединение?',
  'dedup.undo.lead':
    'Удалённая запись вернётся с тем же номером и всеми данными, и к ней вернётся всё, что было перенесено при объединении. Пара снова будет ждать проверки.',
  'dedup.undo.button': 'Отменить объединение',

  'dedup.notice.merged': 'Записи объединены.',
  'dedup.notice.different': 'Пара отмечена: это разные люди.',
  'dedup.notice.undone': 'Объединение отменено, пара снова ждёт проверки.',

  'dedup.error.pair_reviewed': 'Эту пару уже проверили.',
  'dedup.error.pair_gone': 'Одной из записей этой пары уже нет в реестре.',
  'dedup.error.merge_two_accounts':
    'У обеих записей есть учётные записи портала; такие записи здесь не объединяются.',
  'dedup.error.merge_conflict_appointments':
    'Обе записи записаны на приём по одной мере; сначала отмените одну из записей на приём.',
  'dedup.error.merge_conflict_visits':
    'Обе записи записаны на один выезд по одной мере; сначала отмените одну из записей.',
  'dedup.error.merge_undo_conflict':
    'С момента объединения перенесённые данные изменились; автоматически отменить объединение нельзя.',
  'dedup.error.merge_undone': 'Это объединение уже отменено.',
} as const;

export const en: {
  [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : { [F in keyof (typeof ru)[K]]: string };
} = {
  'dedup.title': 'Possible duplicates in the registry',
  'dedup.lead':
    'Pairs of records that may describe one person. Open a pair, compare the records, then merge them or mark them as different people. A merge can be undone.',
  'dedup.none': 'There are no pairs to review in your districts.',
  'dedup.total': {
    one: '{count} pair to review',
    few: '{count} pairs to review',
    many: '{count} pairs to review',
    other: '{count} pairs to review',
  },
  'dedup.list.caption': 'Pairs of records, most alike first',
  'dedup.list.first': 'Record 1',
  'dedup.list.second': 'Record 2',
  'dedup.list.why': 'Why',
  'dedup.list.score': 'Likeness',
  'dedup.list.review': 'Compare',
  'dedup.list.reviewPair': 'pair {id}',
  'dedup.list.next': 'Next pairs',
  'dedup.list.previous': 'Previous pairs',
  'dedup.merged.link': 'Merged records',
  'dedup.back': 'Back',
  'dedup.born': 'born {date}',

  'dedup.reason.snils_typo': 'SNILS differs by one digit or two neighbouring digits swapped',
  'dedup.reason.name_birth_date': 'same full name and birth date',
  'dedup.reason.fuzzy_name': 'similar full name and the same birth date',
  'dedup.reason.name_typo': 'a typo in the name',
  'dedup.reason.transliteration': 'name written in Latin letters',
  'dedup.reason.swapped_names': 'last and first name swapped',
  'dedup.reason.same_address': 'same address',
  'dedup.reason.similar_address': 'nearly the same address',
  'dedup.reason.same_phone': 'same phone',
  'dedup.reason.same_email': 'same e-mail',
  'dedup.reason.different_sex': 'different sex',

  'dedup.pair.title': 'Is this the same person?',
  'dedup.pair.caption': 'Pair {id}',
  'dedup.pair.audited': 'Reading both records was logged with the reason "duplicate review".',
  'dedup.pair.why': 'Why the pair is proposed',
  'dedup.pair.compare': 'The records compared',
  'dedup.pair.field': 'Field',
  'dedup.pair.differs': 'differs',
  'dedup.pair.household': 'Household',
  'dedup.pair.householdSize': {
    one: '{count} person',
    few: '{count} people',
    many: '{count} people',
    other: '{count} people',
  },
  'dedup.pair.noHousehold': 'none',
  'dedup.keep.legend': 'Which record do you want to keep?',
  'dedup.keep.hint':
    "The other record's applications, assignments, proposals, appointments, agency requests, messages and portal account move to the one you keep, and the other record is removed. A merge can be undone.",
  'dedup.keep.option': 'Keep record {n}: {name}',
  'dedup.keep.required': 'Choose which record to keep',
  'dedup.continue': 'Continue',
  'dedup.different.title': 'Are these different people?',
  'dedup.different.hint': 'The pair will not be proposed again.',
  'dedup.different.button': 'These are different people',

  'dedup.confirm.title': 'Check before merging',
  'dedup.confirm.keep': 'Record to keep',
  'dedup.confirm.remove': 'Record to remove, its data moved',
  'dedup.confirm.reasons': 'Why the pair is proposed',
  'dedup.confirm.change': 'Change',
  'dedup.confirm.changeKeep': 'the record to keep',
  'dedup.confirm.warning':
    'Everything linked to the removed record moves to the kept one. The merge is logged and can be undone from "Merged records".',
  'dedup.confirm.button': 'Merge records',

  'dedup.merged.title': 'Merged records',
  'dedup.merged.lead':
    'Recent merges in your districts. Undoing one brings the removed record back with everything that was moved.',
  'dedup.merged.none': 'No merges yet.',
  'dedup.merged.caption': 'Merges, newest first',
  'dedup.merged.kept': 'Kept',
  'dedup.merged.removed': 'Removed',
  'dedup.merged.when': 'When',
  'dedup.merged.by': 'By',
  'dedup.merged.undo': 'Undo the merge',
  'dedup.merged.undoOf': 'of {name}',
  'dedup.merged.gone': 'record removed',

  'dedup.undo.title': 'Undo this merge?',
  'dedup.undo.lead':
    'The removed record comes back with the same number and all its data, and everything moved by the merge goes back to it. The pair will wait for review again.',
  'dedup.undo.button': 'Undo the merge',

  'dedup.notice.merged': 'The records have been merged.',
  'dedup.notice.different': 'The pair is marked as different people.',
  'dedup.notice.undone': 'The merge has been undone; the pair waits for review again.',

  'dedup.error.pair_reviewed': 'This pair has already been reviewed.',
  'dedup.error.pair_gone': 'One of the records of this pair is no longer in the registry.',
  'dedup.error.merge_two_accounts': 'Both records have a portal account; such records are not merged here.',
  'dedup.error.merge_conflict_appointments':
    'Both records have an appointment for the same measure; cancel one of the appointments first.',
  'dedup.error.merge_conflict_visits':
    'Both records are signed up for the same field visit and measure; cancel one of them first.',
  'dedup.error.merge_undo_conflict':
    'The moved data has changed since the merge; it cannot be undone automatically.',
  'dedup.error.merge_undone': 'This merge has already been undone.',
};
