/** The club's settings (/admin/settings) and its legal texts with consent (/admin/settings/legal, /rules, /privacy). */
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
