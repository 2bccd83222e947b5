// Interface strings of the admission area (app/admission/ and its routes).
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
