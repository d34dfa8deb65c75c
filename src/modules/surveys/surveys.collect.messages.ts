// Messages of surveys — Collection of responses: waves, portal self-completion, interviewer mode (/staff/fieldwork).
import type { Plural } from '../../platform/i18n/i18n.ts';

export const ru = {} as const;

export const en: { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Plural } = {};
