// Messages of the quality module.
export const ru = {} as const;
export const en: { [K in keyof typeof ru]: string } = {};
