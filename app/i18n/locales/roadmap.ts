// Interface strings of the roadmap area (app/roadmap/ and its routes).
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
