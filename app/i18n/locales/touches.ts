/** A member's touch map (/admin/members/:userId), the NPS comment feed and replies, curators' tasks. */
export const en = {
  "touches.title": "Touch map",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "touches.title": "Карта касаний",
};
