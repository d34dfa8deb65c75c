// Messages of surveys — Expert interviews: metadata, transcripts, code books and coding by several coders.
import type { Plural } from '../../platform/i18n/i18n.ts';

export const ru = {} as const;

export const en: { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Plural } = {};
