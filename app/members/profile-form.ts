import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/**
 * The /account profile form, shared by the browser (validation as the member types) and the
 * action. It lives outside `.server` modules: the client build empties those, and a schema
 * imported from one is undefined in the browser.
 */
export const ProfileSchema = z.object({
  name: requiredText(120),
  company: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
  jobTitle: z.string().trim().max(160, 'form.tooLong|{"max":160}').optional(),
  locale: z.enum(["en", "ru"], { error: "form.required" }),
});

export type Profile = z.infer<typeof ProfileSchema>;
