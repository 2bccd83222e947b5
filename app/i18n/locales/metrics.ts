// Interface strings of the metrics area (app/metrics/ and its routes).
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
