import { z } from "zod";
import { unknownPlaceholder } from "~/i18n/placeholders";
import { hasVisibleText, requiredText } from "~/ui/visible-text";

/** Forms of the at-risk list and the follow-up template editor (shared by server and browser). */

export const FOLLOW_UP_PLACEHOLDERS = ["name", "club"] as const;

function templateText(max: number) {
  return z
    .string({ error: "form.required" })
    .trim()
    .refine(hasVisibleText, "form.required")
    .max(max, `form.tooLong|{"max":${max}}`)
    .superRefine((text, ctx) => {
      const name = unknownPlaceholder(text, FOLLOW_UP_PLACEHOLDERS);
      if (name) ctx.addIssue({ code: "custom", message: `metrics.template.unknownPlaceholder|{"name":"${name}"}` });
    });
}

/** Two emails, one per reason: followUp* tells a quiet member "we miss you"; detractor* asks a detractor what went wrong. */
export const TemplateSchema = z.object({
  followUpSubjectEn: templateText(200),
  followUpBodyEn: templateText(5000),
  followUpSubjectRu: templateText(200),
  followUpBodyRu: templateText(5000),
  detractorSubjectEn: templateText(200),
  detractorBodyEn: templateText(5000),
  detractorSubjectRu: templateText(200),
  detractorBodyRu: templateText(5000),
});
export type FollowUpTemplate = z.infer<typeof TemplateSchema>;

export const NoteSchema = z.object({
  intent: z.literal("note"),
  memberId: z.string({ error: "form.required" }).min(1).max(100),
  note: requiredText(2000),
});

export const ContactSchema = z.object({
  intent: z.enum(["follow-up", "contacted"]),
  memberId: z.string({ error: "form.required" }).min(1).max(100),
});

export type FollowUpReason = "detractor" | "inactive";

/** A detractor is asked what went wrong, even when also quiet; anyone else is told "we miss you". */
export function followUpReason(member: { detractor: boolean }): FollowUpReason {
  return member.detractor ? "detractor" : "inactive";
}

/** The subject and text for a reason, in a language, before {name} and {club} are filled. */
export function templateFor(template: FollowUpTemplate, reason: FollowUpReason, locale: "en" | "ru"): { subject: string; body: string } {
  const lang = locale === "ru" ? "Ru" : "En";
  const prefix = reason === "detractor" ? "detractor" : "followUp";
  return { subject: template[`${prefix}Subject${lang}`], body: template[`${prefix}Body${lang}`] };
}

