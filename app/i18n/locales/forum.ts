// Interface strings of the forum area (app/forum/ and its routes).
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
