import { db, type Tx } from "~/db.server";

export const DEFAULT_CLUB = {
  name: "Coterie",
  taglineEn: "A private club",
  taglineRu: "Закрытый клуб",
  aboutEn: "",
  aboutRu: "",
  timeZone: "UTC",
} as const;

type ClubSettings = Awaited<ReturnType<typeof readClubSettings>>;

async function readClubSettings(client: Tx | typeof db = db) {
  const settings = await client.clubSettings.findUnique({ where: { id: 1 } });
  return settings ?? { id: 1, defaultLocale: "en" as const, inviteValidityDays: 14, pastDueGraceDays: 7, staffTwoFactorRequired: false, updatedAt: new Date(0), ...DEFAULT_CLUB };
}

let recent: { at: number; settings: Promise<ClubSettings> } | undefined;

/**
 * The club's settings row, or defaults before the owner has set it up. Pages that only
 * show the club's name and tagline on every request (the layout, the landing page) may
 * accept a copy up to `maxAgeMs` old; everything that acts on a setting reads it fresh.
 */
export function getClubSettings({ maxAgeMs = 0, tx }: { maxAgeMs?: number; tx?: Tx } = {}): Promise<ClubSettings> {
  const now = Date.now();
  if (maxAgeMs > 0 && recent && now - recent.at < maxAgeMs) return recent.settings;
  // Inside a transaction, read through it: never a second connection from within one.
  if (tx) return readClubSettings(tx);
  const settings = readClubSettings();
  recent = { at: now, settings };
  settings.catch(() => (recent = undefined));
  return settings;
}

/** Drops the cached copy, so this process's next read sees a change the owner just saved. */
export function forgetClubSettings(): void {
  recent = undefined;
}

/** How long the layout may show an old club name after an owner changes it. */
export const LAYOUT_SETTINGS_MAX_AGE_MS = 5_000;
