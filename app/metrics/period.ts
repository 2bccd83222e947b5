import { z } from "zod";

/**
 * A dashboard period: whole days, from `from` to `to` inclusive, in the club's time zone
 * (ClubSettings.timeZone). Dates are calendar dates written YYYY-MM-DD; turning them into
 * instants is left to PostgreSQL (AT TIME ZONE), which knows every zone's history.
 */
export const PRESETS = ["30d", "quarter", "year", "custom"] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = "year";

/** The longest period the dashboard computes (five years and a leap day). */
export const MAX_PERIOD_DAYS = 5 * 365 + 2;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1970;
}

function toUtcDate(value: string): Date {
  const [year, month, day] = value.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function fromUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(value: string, days: number): string {
  const date = toUtcDate(value);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtcDate(date);
}

/** The same day `months` later, or the month's last day when it is shorter. */
export function addMonths(value: string, months: number): string {
  const [year, month, day] = value.split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, last));
  return fromUtcDate(first);
}

/** The first day of the month of a date. */
export function monthOf(value: string): string {
  return `${value.slice(0, 7)}-01`;
}

/** Whole months from the month of `from` to the month of `to`. */
export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcDate(to).getTime() - toUtcDate(from).getTime()) / 86_400_000);
}

/** Today's date in a time zone. */
// Building an Intl.DateTimeFormat costs more than using one: one per time zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function todayIn(timeZone: string, now = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export type Period = { from: string; to: string };

/** The presets end today: the last 30 days, the last three months, the last twelve months. */
export function presetPeriod(preset: Exclude<Preset, "custom">, today: string): Period {
  switch (preset) {
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "quarter":
      return { from: addDays(addMonths(today, -3), 1), to: today };
    case "year":
      return { from: addDays(addMonths(today, -12), 1), to: today };
  }
}

const dateField = z
  .string({ error: "form.required" })
  .trim()
  .refine(isCalendarDate, "metrics.period.invalidDate");

/**
 * The period form (GET /admin/metrics and /admin/metrics.json). Messages are i18n keys.
 * `today` is the club's today: a period may end in the future (it is counted to now) but
 * may not start after today.
 */
// A schema is built once per day, not once per request (building one costs more than parsing).
let schemaOfToday: { today: string; schema: ReturnType<typeof buildPeriodSchema> } | undefined;

export function periodSchema(today: string) {
  if (schemaOfToday?.today !== today) schemaOfToday = { today, schema: buildPeriodSchema(today) };
  return schemaOfToday.schema;
}

function buildPeriodSchema(today: string) {
  return z
    .object({
      preset: z.enum(PRESETS, { error: "metrics.period.invalid" }).default(DEFAULT_PRESET),
      from: dateField.optional(),
      to: dateField.optional(),
      tier: z.string({ error: "metrics.cohorts.unknownTier" }).trim().max(100, "metrics.cohorts.unknownTier").optional(),
    })
    .superRefine((value, ctx) => {
      if (value.preset !== "custom") return;
      if (!value.from) ctx.addIssue({ code: "custom", path: ["from"], message: "form.required" });
      if (!value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "form.required" });
      if (!value.from || !value.to) return;
      // A date that is not one has its own message; comparing it would add wrong ones.
      if (!isCalendarDate(value.from) || !isCalendarDate(value.to)) return;
      if (value.to < value.from) {
        ctx.addIssue({ code: "custom", path: ["to"], message: "metrics.period.endBeforeStart" });
      } else if (daysBetween(value.from, value.to) + 1 > MAX_PERIOD_DAYS) {
        ctx.addIssue({ code: "custom", path: ["to"], message: "metrics.period.tooLong" });
      }
      if (value.from > today) ctx.addIssue({ code: "custom", path: ["from"], message: "metrics.period.startsInFuture" });
    })
    .transform((value) => {
      const period = value.preset === "custom" ? { from: value.from!, to: value.to! } : presetPeriod(value.preset, today);
      return { preset: value.preset, ...period, tier: value.tier || null };
    });
}

export type PeriodInput = z.output<ReturnType<typeof periodSchema>>;

/**
 * The query string the JSON and CSV exports take: from and to, both or neither. Without them,
 * the default preset. This is the same schema as the form's, fed as a custom period.
 */
export function searchParamsForPeriod(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  if (!out.has("preset") && (out.has("from") || out.has("to"))) out.set("preset", "custom");
  return out;
}

/**
 * The period before a period, of the same length: as many days as the period has counted (up
 * to today when it reaches today), ending the day before it starts.
 */
export function previousPeriod(from: string, to: string, today: string): Period {
  const last = to < today ? to : today;
  const days = daysBetween(from, last) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}
