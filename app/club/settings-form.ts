import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/**
 * The owner's form on /admin/settings. The same schema validates in the browser and in the
 * action; the time zones come from the server (its Intl list), so both sides check one list.
 */
export const CLUB_NAME_MAX = 80;
export const TAGLINE_MAX = 160;
export const ABOUT_MAX = 4000;
export const INVITE_VALIDITY_DAYS = { min: 1, max: 90 } as const;
export const PAST_DUE_GRACE_DAYS = { min: 0, max: 60 } as const;

const wholeNumber = ({ min, max }: { min: number; max: number }) =>
  z
    .number({ error: "club.settings.wholeNumber" })
    .int("club.settings.wholeNumber")
    .min(min, `club.settings.between|{"min":${min},"max":${max}}`)
    .max(max, `club.settings.between|{"min":${min},"max":${max}}`);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `form.tooLong|{"max":${max}}`)
    .optional()
    .transform((value) => value ?? "");

export function clubSettingsSchema(timeZones: readonly string[]) {
  const known = new Set(timeZones);
  return z.object({
    name: requiredText(CLUB_NAME_MAX),
    taglineEn: requiredText(TAGLINE_MAX),
    taglineRu: requiredText(TAGLINE_MAX),
    aboutEn: optionalText(ABOUT_MAX),
    aboutRu: optionalText(ABOUT_MAX),
    timeZone: z
      .string({ error: "form.required" })
      .trim()
      .refine((value) => known.has(value), "club.settings.timeZoneUnknown"),
    defaultLocale: z.enum(["en", "ru"], { error: "club.settings.languageInvalid" }),
    inviteValidityDays: wholeNumber(INVITE_VALIDITY_DAYS),
    pastDueGraceDays: wholeNumber(PAST_DUE_GRACE_DAYS),
    staffTwoFactorRequired: z.boolean().optional().transform((value) => value ?? false),
  });
}

export type ClubSettingsInput = z.infer<ReturnType<typeof clubSettingsSchema>>;

export const SETTINGS_FIELDS = [
  "name",
  "taglineEn",
  "taglineRu",
  "aboutEn",
  "aboutRu",
  "timeZone",
  "defaultLocale",
  "inviteValidityDays",
  "pastDueGraceDays",
  "staffTwoFactorRequired",
] as const satisfies ReadonlyArray<keyof ClubSettingsInput>;
