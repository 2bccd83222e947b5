/** Playbooks (app/playbooks/): follow-ups that run themselves, their templates and control groups; /admin/playbooks. */
export const en = {
  "playbooks.title": "Playbooks",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "playbooks.title": "Сценарии дожима",
};
