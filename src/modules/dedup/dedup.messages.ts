// Messages of the dedup module.
export const ru = {} as const;
export const en: { [K in keyof typeof ru]: string } = {};
