import { db } from "~/db.server";

export const DEFAULT_CLUB = {
  name: "Coterie",
  taglineEn: "A private club",
  taglineRu: "Закрытый клуб",
  aboutEn: "",
  aboutRu: "",
  timeZone: "UTC",
} as const;

/** The club's settings row, or defaults before the owner has set it up. */
export async function getClubSettings() {
  const settings = await db.clubSettings.findUnique({ where: { id: 1 } });
  return settings ?? { id: 1, defaultLocale: "en" as const, inviteValidityDays: 14, pastDueGraceDays: 7, updatedAt: new Date(0), ...DEFAULT_CLUB };
}
