import { z } from "zod";
import { hasVisibleText, requiredText } from "~/ui/visible-text";
import type { CriterionKind } from "~/generated/prisma/enums";
import { consentFields, type TermsShown } from "~/club/consent-form";

/**
 * The application form is built from the club's criteria, in the visitor's language.
 * The same schema validates in the browser and in the action.
 */
export type CriterionForForm = {
  id: string;
  kind: CriterionKind;
  required: boolean;
  title: string;
  description: string;
  options: string[];
};

export const SCALE_VALUES = ["1", "2", "3", "4", "5"] as const;
export const TEXT_ANSWER_MAX = 2000;

/** An email address, compared and stored in lower case. */
export const email = z
  .string({ error: "form.required" })
  .trim()
  .toLowerCase()
  .email("form.invalidEmail")
  .max(320, 'form.tooLong|{"max":320}');

export { requiredText };

function answerSchema(criterion: CriterionForForm) {
  switch (criterion.kind) {
    case "TEXT": {
      const text = z
        .string({ error: "form.required" })
        .trim()
        .max(TEXT_ANSWER_MAX, `form.tooLong|{"max":${TEXT_ANSWER_MAX}}`);
      return criterion.required ? text.refine(hasVisibleText, "form.required") : text.optional();
    }
    case "CHOICE": {
      const choice = z.enum(
        criterion.options.map((_, index) => String(index)) as [string, ...string[]],
        { error: criterion.required ? "admission.apply.chooseOne" : "admission.apply.invalidChoice" },
      );
      return criterion.required ? choice : choice.optional();
    }
    case "SCALE": {
      const scale = z.enum(SCALE_VALUES, { error: criterion.required ? "admission.apply.chooseOne" : "admission.apply.invalidChoice" });
      return criterion.required ? scale : scale.optional();
    }
  }
}

/** `terms`: the club's rules and privacy notice the form shows (null: none published, no box). */
export function applicationSchema(criteria: CriterionForForm[], terms: TermsShown = null) {
  const answers: Record<string, z.ZodType<string | undefined>> = {};
  for (const criterion of criteria) answers[criterion.id] = answerSchema(criterion);
  return z.object({
    name: requiredText(120),
    email,
    company: requiredText(160),
    jobTitle: requiredText(160),
    code: z.string().trim().max(100, 'form.tooLong|{"max":100}').optional(),
    consent: z.boolean({ error: "admission.apply.consentRequired" }),
    ...consentFields(terms),
    // The honeypot: people never see it, so a value means a bot (see honeypot.tsx).
    website: z.string().optional(),
    // Without any answer filled in, the browser sends no answers at all.
    answers: z.preprocess((value) => value ?? {}, z.object(answers)),
  });
}

export type ApplicationInput = z.infer<ReturnType<typeof applicationSchema>>;

/** What a reviewer chooses for a criterion the applicant never answered, to leave it unscored. */
export const SKIP_SCORE = "skip";

/**
 * A reviewer's 1–5 score for every criterion, and an optional comment. A criterion the
 * applicant never answered (one added after they applied) may be skipped: left empty or
 * SKIP_SCORE. Skipped criteria get no score, so averages ignore them.
 */
export function reviewSchema(criteria: Array<Pick<CriterionForForm, "id"> & { answered?: boolean }>) {
  const scores: Record<string, z.ZodType<string | undefined>> = {};
  for (const criterion of criteria) {
    scores[criterion.id] =
      criterion.answered === false
        ? z.enum([...SCALE_VALUES, SKIP_SCORE], { error: "admission.review.scoreRequired" }).optional()
        : z.enum(SCALE_VALUES, { error: "admission.review.scoreRequired" });
  }
  return z.object({
    intent: z.literal("review"),
    scores: z.object(scores),
    comment: z.string().trim().max(4000, 'form.tooLong|{"max":4000}').optional(),
  });
}
