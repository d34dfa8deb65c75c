// Messages of the surveys module.
export const ru = {} as const;
export const en: { [K in keyof typeof ru]: string } = {};
