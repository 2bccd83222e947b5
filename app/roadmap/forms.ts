import { z } from "zod";
import { withoutBidiControls } from "~/markdown/bidi";
import { hasVisibleText } from "~/ui/visible-text";

/** Shared by the forms in the browser and the actions on the server. */
export const ROADMAP_STATUSES = ["UNDER_REVIEW", "PLANNED", "IN_PROGRESS", "SHIPPED", "DECLINED"] as const;
export type RoadmapStatusName = (typeof ROADMAP_STATUSES)[number];

export const BOARD_SORTS = ["weighted", "votes", "newest", "changed", "status"] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export const TITLE_MAX = 140;
export const DESCRIPTION_MAX = 10_000;
export const COMMENT_MAX = 5_000;
export const NOTE_MAX = 500;
export const SEARCH_MAX = 100;

const tooLong = (max: number) => `form.tooLong|{"max":${max}}`;

const title = z.string({ error: "form.required" }).overwrite(withoutBidiControls).trim().refine(hasVisibleText, "form.required").max(TITLE_MAX, tooLong(TITLE_MAX));
const description = z.string().trim().max(DESCRIPTION_MAX, tooLong(DESCRIPTION_MAX)).optional();
const targetQuarter = z
  .string()
  .trim()
  .regex(/^20\d\d-Q[1-4]$/, "roadmap.form.quarterFormat")
  .optional();

/** What a member writes when they suggest an item. */
export const SuggestionSchema = z.object({ title, description });

/** What curators and owners write when they create or edit an item. */
export const ItemSchema = z.object({
  title,
  description,
  targetQuarter,
  status: z.enum(ROADMAP_STATUSES, { error: "form.required" }).default("UNDER_REVIEW"),
});

export const ItemEditSchema = z.object({ title, description, targetQuarter });

export const CommentSchema = z.object({
  intent: z.literal("comment"),
  body: z.string({ error: "form.required" }).trim().refine(hasVisibleText, "form.required").max(COMMENT_MAX, tooLong(COMMENT_MAX)),
});

export const CommentEditSchema = CommentSchema.extend({ intent: z.literal("edit-comment"), commentId: z.string().max(100) });

export const StatusChangeSchema = z.object({
  intent: z.literal("status"),
  status: z.enum(ROADMAP_STATUSES, { error: "form.required" }),
  note: z.string().trim().max(NOTE_MAX, tooLong(NOTE_MAX)).optional(),
});

export const MergeSchema = z.object({
  intent: z.literal("merge"),
  intoId: z.string({ error: "roadmap.merge.pickTarget" }).min(1, "roadmap.merge.pickTarget").max(100),
});

/** "2027-Q1" → "Q1 2027" */
export function formatQuarter(quarter: string): string {
  const [year, q] = quarter.split("-");
  return `${q} ${year}`;
}
