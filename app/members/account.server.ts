import { z } from "zod";
import { db } from "~/db.server";

export const ProfileSchema = z.object({
  name: z.string({ error: "form.required" }).trim().min(1, "form.required").max(120, 'form.tooLong|{"max":120}'),
  company: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
  jobTitle: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
  locale: z.enum(["en", "ru"], { error: "form.required" }),
  notifyReplies: z.boolean().default(false),
  notifyMentions: z.boolean().default(false),
  weeklyDigest: z.boolean().default(false),
});

export type Profile = z.infer<typeof ProfileSchema>;

/** Only the member's own profile fields; role, tier and email are never taken from the form. */
export function updateProfile(userId: string, profile: Profile) {
  return db.user.update({
    where: { id: userId },
    data: {
      name: profile.name,
      company: profile.company || null,
      jobTitle: profile.jobTitle || null,
      locale: profile.locale,
      notifyReplies: profile.notifyReplies,
      notifyMentions: profile.notifyMentions,
      weeklyDigest: profile.weeklyDigest,
    },
  });
}
