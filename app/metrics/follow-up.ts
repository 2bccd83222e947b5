import { z } from "zod";

/** Forms of the at-risk list and the follow-up template editor (shared by server and browser). */

export const FOLLOW_UP_PLACEHOLDERS = ["name", "club"] as const;

const unknownPlaceholder = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).find((name) => !(FOLLOW_UP_PLACEHOLDERS as readonly string[]).includes(name));

function templateText(max: number) {
  return z
    .string({ error: "form.required" })
    .trim()
    .min(1, "form.required")
    .max(max, `form.tooLong|{"max":${max}}`)
    .superRefine((text, ctx) => {
      const name = unknownPlaceholder(text);
      if (name) ctx.addIssue({ code: "custom", message: `metrics.template.unknownPlaceholder|{"name":"${name}"}` });
    });
}

export const TemplateSchema = z.object({
  followUpSubjectEn: templateText(200),
  followUpBodyEn: templateText(5000),
  followUpSubjectRu: templateText(200),
  followUpBodyRu: templateText(5000),
});
export type FollowUpTemplate = z.infer<typeof TemplateSchema>;

export const NoteSchema = z.object({
  intent: z.literal("note"),
  memberId: z.string({ error: "form.required" }).min(1).max(100),
  note: z.string({ error: "form.required" }).trim().min(1, "form.required").max(2000, 'form.tooLong|{"max":2000}'),
});

export const ContactSchema = z.object({
  intent: z.enum(["follow-up", "contacted"]),
  memberId: z.string({ error: "form.required" }).min(1).max(100),
});

/** Fills {name} and {club} in a template; other braces are left as written. */
export function fillTemplate(text: string, values: { name: string; club: string }): string {
  return text.replace(/\{(name|club)\}/g, (_, key: "name" | "club") => values[key]);
}
