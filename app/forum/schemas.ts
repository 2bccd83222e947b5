import { z } from "zod";
import { withoutBidiControls } from "~/markdown/bidi";
import { hasVisibleText } from "~/ui/visible-text";

/** Form schemas of the forum, used by the forms (Conform) and by the actions alike. */
export const MAX_POST_LENGTH = 50_000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_REPORT_LENGTH = 1_000;
export const MAX_NOTE_LENGTH = 2_000;
export const MAX_SEARCH_LENGTH = 200;

/** Direction overrides go first (app/markdown/bidi.ts): one in a title reverses what follows it. */
const required = (max: number) =>
  z
    .string({ error: "form.required" })
    .overwrite(withoutBidiControls)
    .trim()
    .refine(hasVisibleText, "form.required")
    .max(max, `form.tooLong|{"max":${max}}`);

export const postBody = required(MAX_POST_LENGTH);

export const ReplySchema = z.object({
  intent: z.literal("reply"),
  body: postBody,
});

export const NewThreadSchema = z.object({
  title: required(MAX_TITLE_LENGTH),
  body: postBody,
});

export const EditPostSchema = z.object({
  intent: z.literal("save"),
  /** Only the opening post has a title; the action ignores it for replies. */
  title: required(MAX_TITLE_LENGTH).optional(),
  body: postBody,
});

export const ReportSchema = z.object({
  reason: required(MAX_REPORT_LENGTH),
});

export const ResolveReportSchema = z.object({
  intent: z.literal("resolve"),
  reportId: z.string({ error: "form.required" }),
  note: required(MAX_NOTE_LENGTH),
  hidePost: z.boolean().default(false),
});

/** Category slugs: lower-case letters, digits and hyphens; "t" and "p" belong to routes. */
export const RESERVED_SLUGS = ["t", "p", "new"];

export const TIER_ACCESS = ["none", "read", "post"] as const;
export type TierAccess = (typeof TIER_ACCESS)[number];

export const CategorySchema = z.object({
  slug: z
    .string({ error: "form.required" })
    .trim()
    .toLowerCase()
    .min(2, 'form.tooShort|{"min":2}')
    .max(60, 'form.tooLong|{"max":60}')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "forumAdmin.slugFormat")
    .refine((slug) => !RESERVED_SLUGS.includes(slug), "forumAdmin.slugReserved"),
  nameEn: required(120),
  nameRu: required(120),
  descriptionEn: z.string().trim().max(500, 'form.tooLong|{"max":500}').default(""),
  descriptionRu: z.string().trim().max(500, 'form.tooLong|{"max":500}').default(""),
  position: z.coerce
    .number({ error: "forumAdmin.positionNumber" })
    .int("forumAdmin.positionNumber")
    .min(0, "forumAdmin.positionNumber")
    .max(10_000, "forumAdmin.positionNumber"),
  /** tierId → none | read | post */
  access: z.record(z.string(), z.enum(TIER_ACCESS)).default({}),
});

export type CategoryInput = z.infer<typeof CategorySchema>;
