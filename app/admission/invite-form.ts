import { z } from "zod";
import { consentFields, type TermsShown } from "~/club/consent-form";
import { email, requiredText } from "./application-form";
import { newPasswordFields, PASSWORD_MISMATCH, passwordsMatch } from "./password";

/**
 * The form on /invite/:token. An approval invite already knows who the invitee is; an
 * owner's code asks for their name, and for their email unless the code is bound to one.
 */
export function redeemSchema({ askDetails, askEmail, terms = null }: { askDetails: boolean; askEmail: boolean; terms?: TermsShown }) {
  return z
    .object({
      name: askDetails ? requiredText(120) : z.string().optional(),
      email: askEmail ? email : z.string().optional(),
      company: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
      jobTitle: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
      ...newPasswordFields,
      website: z.string().optional(),
      // The club's rules and privacy notice, when it has published them.
      ...consentFields(terms),
    })
    .refine(passwordsMatch, PASSWORD_MISMATCH);
}
