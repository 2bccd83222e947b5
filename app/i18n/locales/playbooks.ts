/** Playbooks (app/playbooks/): follow-ups that run themselves, their templates and control groups; /admin/playbooks. */
export const en = {
  "playbooks.title": "Playbooks",
  "playbooks.engine.applicantNote": "You are receiving this email because you applied to join {club}.",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "playbooks.title": "Сценарии дожима",
  "playbooks.engine.applicantNote": "Вы получили это письмо, потому что подали заявку на вступление в клуб «{club}».",
};
