// Messages of surveys — Sampling recipients for a wave and inviting them through the notification service.
import type { Plural } from '../../platform/i18n/i18n.ts';

export const ru = {} as const;

export const en: { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Plural } = {};
