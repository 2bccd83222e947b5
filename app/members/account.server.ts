import type { Profile } from "./profile-form";
import { db } from "~/db.server";

/** Only the member's own profile fields; role, tier and email are never taken from the form. */
export function updateProfile(userId: string, profile: Profile) {
  return db.user.update({
    where: { id: userId },
    data: {
      name: profile.name,
      company: profile.company || null,
      jobTitle: profile.jobTitle || null,
      locale: profile.locale,
    },
  });
}
