import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/** One option per line; blank lines are dropped. */
export function optionLines(value: string | undefined): string[] {
  return (value ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

const title = requiredText(200);
const description = z.string().trim().max(1000, 'form.tooLong|{"max":1000}').optional();
const options = z.string().max(4000, 'form.tooLong|{"max":4000}').optional();

/** The owner's criterion settings form (create and edit). */
export const CriterionSchema = z
  .object({
    intent: z.enum(["create", "update"]),
    criterionId: z.string().optional(),
    titleEn: title,
    titleRu: title,
    descriptionEn: description,
    descriptionRu: description,
    kind: z.enum(["TEXT", "CHOICE", "SCALE"], { error: "form.required" }),
    optionsEn: options,
    optionsRu: options,
    required: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    if (value.kind !== "CHOICE") return;
    const en = optionLines(value.optionsEn);
    const ru = optionLines(value.optionsRu);
    if (en.length < 2) ctx.addIssue({ code: "custom", path: ["optionsEn"], message: "admission.criteria.optionsTooFew" });
    if (ru.length < 2) ctx.addIssue({ code: "custom", path: ["optionsRu"], message: "admission.criteria.optionsTooFew" });
    if (en.length >= 2 && ru.length >= 2 && en.length !== ru.length) {
      ctx.addIssue({ code: "custom", path: ["optionsRu"], message: "admission.criteria.optionsMismatch" });
    }
    for (const [path, lines] of [["optionsEn", en], ["optionsRu", ru]] as const) {
      if (lines.some((line) => line.length > 200)) {
        ctx.addIssue({ code: "custom", path: [path], message: 'form.tooLong|{"max":200}' });
      }
    }
  });

export type CriterionInput = z.infer<typeof CriterionSchema>;
