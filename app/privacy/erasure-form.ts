import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "~/admission/password";

/** /account/data's deletion form: the password and a ticked confirmation. (Also used in the browser.) */
export const EraseAccountSchema = z.object({
  password: z.string({ error: "form.required" }).max(PASSWORD_MAX_LENGTH, `form.tooLong|{"max":${PASSWORD_MAX_LENGTH}}`),
  confirm: z.literal("on", { error: "privacy.erase.mustConfirm" }),
});
