import { z } from "zod";

/** The NPS survey form (shared by the layout prompt, /survey and its action). */
export const SURVEY_SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export const SurveySchema = z.object({
  score: z
    .number({ error: "metrics.survey.scoreRequired" })
    .int("metrics.survey.scoreRequired")
    .min(0, "metrics.survey.scoreRequired")
    .max(10, "metrics.survey.scoreRequired"),
  comment: z.string({ error: "form.invalid" }).trim().max(2000, 'form.tooLong|{"max":2000}').optional(),
});
