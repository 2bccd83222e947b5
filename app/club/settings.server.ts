import { recordAudit } from "~/audit/audit.server";
import { DEFAULT_CLUB, forgetClubSettings } from "~/club.server";
import { db, type Tx } from "~/db.server";
import { SETTINGS_FIELDS, type ClubSettingsInput } from "./settings-form";

type SettingsValues = ClubSettingsInput;

const DEFAULTS: SettingsValues = {
  ...DEFAULT_CLUB,
  defaultLocale: "en",
  inviteValidityDays: 14,
  pastDueGraceDays: 7,
  staffTwoFactorRequired: false,
};

/** The time zones the owner may choose: every IANA zone this runtime knows, and UTC. */
export function knownTimeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

/** The values the form edits, read fresh (never the layout's cached copy). */
export async function readSettingsValues(client: Tx | typeof db = db): Promise<SettingsValues> {
  const row = await client.clubSettings.findUnique({ where: { id: 1 } });
  if (!row) return DEFAULTS;
  const values = {} as Record<keyof SettingsValues, unknown>;
  for (const field of SETTINGS_FIELDS) values[field] = row[field];
  return values as SettingsValues;
}

/** Whether this person has confirmed a second factor (the settings page warns an owner who has not). */
export async function hasTwoFactor(userId: string): Promise<boolean> {
  const credential = await db.twoFactorCredential.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(credential?.confirmedAt);
}

export type SaveSettingsResult = { changed: Array<keyof SettingsValues> };

/**
 * Saves the owner's settings and writes one audit row holding only the fields that changed,
 * before and after, in the same transaction. Nothing changed: no write, no row. The cached
 * copy the layout reads is forgotten once the transaction has committed.
 */
export async function saveClubSettings(actorId: string, input: ClubSettingsInput): Promise<SaveSettingsResult> {
  const changed = await db.$transaction(async (tx) => {
    // One owner's save at a time, so that the audit row's "before" is what was really replaced.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('club-settings'))`;
    const current = await readSettingsValues(tx);
    const fields = SETTINGS_FIELDS.filter((field) => current[field] !== input[field]);
    if (!fields.length) return fields;
    const before: Record<string, string | number | boolean> = {};
    const after: Record<string, string | number | boolean> = {};
    for (const field of fields) {
      before[field] = current[field];
      after[field] = input[field];
    }
    await tx.clubSettings.upsert({ where: { id: 1 }, update: after, create: { id: 1, ...current, ...after } });
    await recordAudit(tx, { actorId, action: "club.settings", subjectType: "ClubSettings", subjectId: "1", before, after });
    return fields;
  });
  if (changed.length) forgetClubSettings();
  return { changed };
}
