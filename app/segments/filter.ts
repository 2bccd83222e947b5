import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/**
 * A segment's filter: the conditions a current member must all meet (an absent field is no
 * condition). Stored as `Segment.filter` (JSON) and compiled to one SQL query by
 * `segmentMembersSql` (segments.server.ts). Events attended is not here: the club has no
 * events yet.
 *  - tierIds: the tier held now is one of these.
 *  - tenureMonths: whole months since first joined (the N-month anniversary has passed), min and max inclusive.
 *  - locale: the member's language.
 *  - npsGroups: the group of the member's latest answer with a score (9–10 promoter, 7–8
 *    passive, 0–6 detractor); NONE = never answered.
 *  - inactiveDays: whole days since the last activity, or since first joining when later or none.
 *  - vouchedBy: joined through this member's vouch, or "ANY" member's.
 *  - telegramLinked: whether a Telegram account is linked.
 */
export const NPS_GROUPS = ["PROMOTER", "PASSIVE", "DETRACTOR", "NONE"] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];
export const SEGMENT_LOCALES = ["en", "ru"] as const;
export const ANY_VOUCHER = "ANY";
/** 100 years: a bound that keeps the interval arithmetic far from overflow. */
export const MAX_TENURE_MONTHS = 1200;
export const MAX_INACTIVE_DAYS = 36500;
export const SEGMENT_NAME_MAX = 80;

function range(max: number) {
  return z
    .object({ min: z.number().int().min(0).max(max).optional(), max: z.number().int().min(0).max(max).optional() })
    .strict()
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: "segments.form.minAboveMax", path: ["max"] });
}

export const segmentFilterSchema = z
  .object({
    tierIds: z.array(z.string().min(1)).min(1).max(50).optional(),
    tenureMonths: range(MAX_TENURE_MONTHS).optional(),
    locale: z.enum(SEGMENT_LOCALES).optional(),
    npsGroups: z.array(z.enum(NPS_GROUPS)).min(1).max(NPS_GROUPS.length).optional(),
    inactiveDays: range(MAX_INACTIVE_DAYS).optional(),
    vouchedBy: z.string().min(1).max(100).optional(),
    telegramLinked: z.boolean().optional(),
  })
  .strict();

export type SegmentFilter = z.infer<typeof segmentFilterSchema>;

/** A stored filter read back: anything that no longer parses matches nobody rather than everybody. */
export function readFilter(json: unknown): SegmentFilter | null {
  const parsed = segmentFilterSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Whether the filter has no condition at all (the segment is every current member). */
export function isEveryone(filter: SegmentFilter): boolean {
  return Object.values(filter).every((value) => value === undefined);
}

// --- the form ---------------------------------------------------------------------------

/** Flat fields as the form posts them: checkbox lists, number inputs, selects. */
const WHOLE = /^\d+$/;

function countField(max: number) {
  return z
    .string()
    .trim()
    .max(12, "segments.form.notWholeNumber")
    .optional()
    .superRefine((text, ctx) => {
      if (text === undefined || text === "") return;
      if (/^-/.test(text)) ctx.addIssue({ code: "custom", message: "segments.form.negative" });
      else if (!WHOLE.test(text)) ctx.addIssue({ code: "custom", message: "segments.form.notWholeNumber" });
      else if (Number(text) > max) ctx.addIssue({ code: "custom", message: `segments.form.tooLarge|{"max":${max}}` });
    });
}

const filterFields = {
  tierIds: z.array(z.string().max(100)).max(50).optional(),
  tenureMin: countField(MAX_TENURE_MONTHS),
  tenureMax: countField(MAX_TENURE_MONTHS),
  locale: z.enum(SEGMENT_LOCALES, { error: "segments.form.unknownLocale" }).optional(),
  npsGroups: z.array(z.enum(NPS_GROUPS, { error: "segments.form.unknownGroup" })).max(NPS_GROUPS.length).optional(),
  inactiveMin: countField(MAX_INACTIVE_DAYS),
  inactiveMax: countField(MAX_INACTIVE_DAYS),
  vouchedBy: z.string().max(100).optional(),
  telegram: z.enum(["yes", "no"], { error: "segments.form.unknownTelegram" }).optional(),
};

export type SegmentFormChoices = {
  /** The club's tiers (the checkboxes). */
  tierIds: string[];
  /** Members who vouched for someone (the vouched-by select). */
  voucherIds: string[];
};

/**
 * The segment form's schema, the same in the action and in the browser. `intent=preview`
 * counts without saving, so the name is required only to save. Unknown tiers and members
 * are refused at their field, from the choices the page offers.
 */
export function segmentFormSchema(choices: SegmentFormChoices) {
  return z
    .discriminatedUnion("intent", [
      z.object({ intent: z.literal("save"), name: requiredText(SEGMENT_NAME_MAX), ...filterFields }),
      z.object({ intent: z.literal("preview"), name: z.string().max(SEGMENT_NAME_MAX, `form.tooLong|{"max":${SEGMENT_NAME_MAX}}`).optional(), ...filterFields }),
    ])
    .superRefine((form, ctx) => {
      if (form.tierIds?.some((id) => !choices.tierIds.includes(id))) ctx.addIssue({ code: "custom", path: ["tierIds"], message: "segments.form.unknownTier" });
      if (form.vouchedBy && form.vouchedBy !== ANY_VOUCHER && !choices.voucherIds.includes(form.vouchedBy)) {
        ctx.addIssue({ code: "custom", path: ["vouchedBy"], message: "segments.form.unknownMember" });
      }
      for (const [min, max] of [
        ["tenureMin", "tenureMax"],
        ["inactiveMin", "inactiveMax"],
      ] as const) {
        const low = form[min];
        const high = form[max];
        if (low && high && WHOLE.test(low) && WHOLE.test(high) && Number(low) > Number(high)) {
          ctx.addIssue({ code: "custom", path: [max], message: "segments.form.minAboveMax" });
        }
      }
    });
}

export type SegmentForm = z.infer<ReturnType<typeof segmentFormSchema>>;

const count = (text: string | undefined) => (text === undefined || text === "" ? undefined : Number(text));

function rangeOf(min: string | undefined, max: string | undefined) {
  const r = { min: count(min), max: count(max) };
  return r.min === undefined && r.max === undefined ? undefined : Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

/** The filter a valid form describes (absent fields dropped, so the stored JSON stays small). */
export function filterFromForm(form: SegmentForm): SegmentFilter {
  const filter: SegmentFilter = {
    tierIds: form.tierIds?.length ? [...new Set(form.tierIds)] : undefined,
    tenureMonths: rangeOf(form.tenureMin, form.tenureMax),
    locale: form.locale,
    npsGroups: form.npsGroups?.length ? NPS_GROUPS.filter((g) => form.npsGroups!.includes(g)) : undefined,
    inactiveDays: rangeOf(form.inactiveMin, form.inactiveMax),
    vouchedBy: form.vouchedBy || undefined,
    telegramLinked: form.telegram === undefined ? undefined : form.telegram === "yes",
  };
  return segmentFilterSchema.parse(Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)));
}

/** A stored filter as the form's default values. */
export function formFromFilter(filter: SegmentFilter) {
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    tierIds: filter.tierIds ?? [],
    tenureMin: text(filter.tenureMonths?.min),
    tenureMax: text(filter.tenureMonths?.max),
    locale: filter.locale ?? "",
    npsGroups: filter.npsGroups ?? [],
    inactiveMin: text(filter.inactiveDays?.min),
    inactiveMax: text(filter.inactiveDays?.max),
    vouchedBy: filter.vouchedBy ?? "",
    telegram: filter.telegramLinked === undefined ? "" : filter.telegramLinked ? "yes" : "no",
  };
}
