/** The audit log: /admin/audit and its CSV. */
export const en = {} as const;

export const ru: Record<keyof typeof en, string> = {};
