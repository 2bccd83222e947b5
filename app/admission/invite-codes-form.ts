import { z } from "zod";

/** The owner's form for issuing invite codes. */
export const IssueCodesSchema = z
  .object({
    intent: z.literal("issue"),
    count: z.coerce.number({ error: "form.required" }).int("admission.invites.countInvalid").min(1, "admission.invites.countInvalid").max(200, "admission.invites.countInvalid"),
    email: z.string().trim().toLowerCase().email("form.invalidEmail").max(320, 'form.tooLong|{"max":320}').optional(),
    validDays: z.coerce.number({ error: "form.required" }).int("admission.invites.daysInvalid").min(1, "admission.invites.daysInvalid").max(365, "admission.invites.daysInvalid"),
    note: z.string().trim().max(200, 'form.tooLong|{"max":200}').optional(),
    sendEmail: z.boolean().default(false),
    locale: z.enum(["en", "ru"]).default("en"),
  })
  .refine((value) => !value.email || value.count === 1, { path: ["email"], message: "admission.invites.emailOnlyOne" })
  // Ticking "email the code" without an address would issue a code and send nothing.
  .refine((value) => !value.sendEmail || Boolean(value.email), { path: ["email"], message: "admission.invites.emailToSend" });

export type IssueCodesForm = z.input<typeof IssueCodesSchema>;
