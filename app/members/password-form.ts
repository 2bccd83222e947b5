import { z } from "zod";
import { newPasswordFields, PASSWORD_MAX_LENGTH, PASSWORD_MISMATCH, passwordsMatch } from "~/admission/password";

/** /account's change of password: the current one, then the new one twice. (Also used in the browser.) */
export const ChangePasswordSchema = z
  .object({
    intent: z.literal("change-password"),
    currentPassword: z.string({ error: "form.required" }).max(PASSWORD_MAX_LENGTH, `form.tooLong|{"max":${PASSWORD_MAX_LENGTH}}`),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, PASSWORD_MISMATCH);
