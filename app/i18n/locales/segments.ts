/** Segments (app/segments/): saved filters over members, /admin/segments. */
export const en = {
  "segments.title": "Segments",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "segments.title": "Сегменты",
};
