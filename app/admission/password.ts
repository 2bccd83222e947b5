import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 10;
// Argon2 hashes whatever it is given; a cap keeps a huge password from costing the server.
export const PASSWORD_MAX_LENGTH = 200;

/** A new password, with its confirmation: long enough and not one of the most common. */
export const newPasswordFields = {
  password: z
    .string({ error: "form.required" })
    .min(PASSWORD_MIN_LENGTH, `form.tooShort|{"min":${PASSWORD_MIN_LENGTH}}`)
    .max(PASSWORD_MAX_LENGTH, `form.tooLong|{"max":${PASSWORD_MAX_LENGTH}}`)
    .refine((value) => value.trim() !== "", "admission.password.blank")
    .refine((value) => !isCommonPassword(value), "admission.password.common"),
  confirmPassword: z.string({ error: "form.required" }),
};

export function passwordsMatch(value: { password: string; confirmPassword: string }) {
  return value.password === value.confirmPassword;
}

export const PASSWORD_MISMATCH = { path: ["confirmPassword"], message: "admission.password.mismatch" };
