export const ru = {
  'residents.inbox.title': 'Сообщения',
  'residents.inbox.empty': 'Сообщений пока нет.',
  'residents.inbox.new': 'новое',
  'residents.signIn.title': 'Вход в личный кабинет',
  'residents.signIn.lead': 'Войдите через Госуслуги — отдельная регистрация не нужна.',
  'residents.signIn.why':
    'После входа вы увидите свои данные из регистра получателей мер социальной поддержки, сведения о семье и сможете подавать заявления.',
  'residents.signIn.button': 'Войти через Госуслуги',
  'residents.signIn.what':
    'Госуслуги передадут нам ваши ФИО, дату рождения, пол, СНИЛС и адрес электронной почты. Пароль от Госуслуг мы не видим.',
  'residents.signIn.noAccount':
    'Нет учётной записи на Госуслугах? Обратитесь в центр социальной защиты или МФЦ: вам помогут подать заявление лично.',
  'residents.failed.cancelledTitle': 'Вход отменён',
  'residents.failed.cancelled': 'Вы отменили вход на Госуслугах. Вы можете попробовать ещё раз.',
  'residents.failed.invalidTitle': 'Не удалось войти',
  'residents.failed.invalid':
    'Ссылка для входа устарела или уже была использована. Начните вход заново с этой страницы.',
  'residents.failed.refusedTitle': 'Не удалось войти',
  'residents.failed.refused':
    'Госуслуги не подтвердили вход. Попробуйте ещё раз; если ошибка повторится, обратитесь в центр социальной защиты.',
  'residents.failed.unavailableTitle': 'Госуслуги временно недоступны',
  'residents.failed.unavailable':
    'Не удалось связаться с Госуслугами. Попробуйте войти через несколько минут.',
  'residents.failed.tryAgain': 'Попробовать снова',
  'residents.me.title': 'Мой профиль',
  'residents.me.lead':
    'Сведения о вас из регистра получателей мер социальной поддержки Волгоградской области.',
  'residents.me.appointments': 'Мои записи на приём',
  'residents.me.notifications': 'Как сообщать мне о новостях',
  'residents.me.wrong':
    'Если сведения неверны, обратитесь в центр социальной защиты населения по месту жительства — их исправят по документам.',
  'residents.me.security': 'Безопасность',
  'residents.me.securityText':
    'Если вы входили с чужого устройства и забыли выйти, завершите все сеансы — потребуется войти заново.',
  'residents.me.signOutEverywhere': 'Выйти на всех устройствах',
} as const;

export const en: Record<keyof typeof ru, string> = {
  'residents.inbox.title': 'Messages',
  'residents.inbox.empty': 'There are no messages yet.',
  'residents.inbox.new': 'new',
  'residents.signIn.title': 'Sign in to your account',
  'residents.signIn.lead':
    'Sign in with Gosuslugi, the state services portal — there is nothing else to register.',
  'residents.signIn.why':
    'Once signed in, you will see your record in the register of social support recipients and your household, and you can apply for support.',
  'residents.signIn.button': 'Sign in with Gosuslugi',
  'residents.signIn.what':
    'Gosuslugi will share your name, date of birth, sex, SNILS and email address with us. We never see your Gosuslugi password.',
  'residents.signIn.noAccount':
    'No Gosuslugi account? Visit a social protection centre or an MFC: they will help you apply in person.',
  'residents.failed.cancelledTitle': 'Sign-in cancelled',
  'residents.failed.cancelled': 'You cancelled signing in at Gosuslugi. You can try again.',
  'residents.failed.invalidTitle': 'Sign-in failed',
  'residents.failed.invalid':
    'The sign-in link has expired or was already used. Start signing in again from this page.',
  'residents.failed.refusedTitle': 'Sign-in failed',
  'residents.failed.refused':
    'Gosuslugi did not confirm the sign-in. Try again; if it happens again, contact a social protection centre.',
  'residents.failed.unavailableTitle': 'Gosuslugi is unavailable',
  'residents.failed.unavailable': 'We could not reach Gosuslugi. Try signing in again in a few minutes.',
  'residents.failed.tryAgain': 'Try again',
  'residents.me.title': 'My profile',
  'residents.me.lead': 'Your record in the register of social support recipients of Volgograd oblast.',
  'residents.me.appointments': 'My appointments',
  'residents.me.notifications': 'How we contact me',
  'residents.me.wrong':
    'If anything is wrong, contact the social protection centre where you live — they will correct it from your documents.',
  'residents.me.security': 'Security',
  'residents.me.securityText':
    'If you signed in on someone else’s device and forgot to sign out, end all sessions — you will need to sign in again.',
  'residents.me.signOutEverywhere': 'Sign out on all devices',
};
