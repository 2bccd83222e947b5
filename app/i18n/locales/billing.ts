// Interface strings of the billing area (app/billing/ and its routes).
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
