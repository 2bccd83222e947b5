import { z } from "zod";
import { isCalendarDate } from "~/metrics/period";
import { requiredText } from "~/ui/visible-text";

/** Answers per page of /admin/metrics/comments; "older" continues after the last one. */
export const FEED_PAGE_SIZE = 20;
export const REPLY_MAX = 2000;

/** Score groups as NPS counts them. */
export const SCORE_GROUPS = { promoters: [9, 10], passives: [7, 8], detractors: [0, 6] } as const;
export type ScoreGroup = keyof typeof SCORE_GROUPS;

const dateField = z.string().trim().refine(isCalendarDate, "touches.feed.filter.invalidDate");

/**
 * The feed's filters (a GET form): score group, the tier held when answering, a saved segment
 * (its members now), calendar days in the club's time zone (both included), the "older" cursor,
 * or one answer (the dashboard's "Reply" link). Messages are i18n keys.
 */
export const FeedFilterSchema = z
  .object({
    group: z.enum(["promoters", "passives", "detractors"], { error: "touches.feed.filter.unknownGroup" }).optional(),
    tier: z.string().trim().max(64, "touches.feed.filter.unknownTier").optional(),
    segment: z.string().trim().max(64, "touches.feed.filter.unknownSegment").optional(),
    from: dateField.optional(),
    to: dateField.optional(),
    before: z.string().regex(/^\d{1,15}~[^~]{1,64}$/, "touches.feed.filter.invalidCursor").optional(),
    answer: z.string().trim().max(64).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && isCalendarDate(value.from) && isCalendarDate(value.to) && value.to < value.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "touches.feed.filter.endBeforeStart" });
    }
  });

export type FeedFilter = z.output<typeof FeedFilterSchema>;

/** A curator's reply to one answer: one form per answer. */
export const ReplySchema = z.object({
  responseId: z.string({ error: "form.required" }).min(1, "form.required").max(64),
  body: requiredText(REPLY_MAX),
});
