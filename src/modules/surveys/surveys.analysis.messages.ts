// Messages of surveys — Analysis of responses: frequencies, crosstabs, Likert scales, charts, group comparisons, exports, PDF report.
import type { Plural } from '../../platform/i18n/i18n.ts';

export const ru = {} as const;

export const en: { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Plural } = {};
