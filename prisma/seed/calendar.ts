import type { BillingInterval } from "../../app/generated/prisma/client";

/**
 * Billing periods as Stripe counts them: a monthly plan renews on the same day of the next
 * month, a yearly one on the same day of the next year, at the same time of day (UTC). A day
 * the month does not have becomes its last day (31 January, 28 February, 31 March), always
 * counted from the anchor, so a period never drifts.
 */
export function addMonths(anchor: Date | number, months: number): Date {
  const from = new Date(anchor);
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}

/** Months in one billing period of the interval. */
export const monthsOf = (interval: BillingInterval | null) => (interval === "YEAR" ? 12 : 1);

/** The start of the k-th billing period (k = 0 is the first) of a plan that began at `anchor`. */
export const periodStartOf = (anchor: Date | number, interval: BillingInterval | null, k: number) => addMonths(anchor, k * monthsOf(interval));

/** The billing period of a plan begun at `anchor` that contains `at` (at or after the anchor). */
export function periodAt(anchor: Date | number, interval: BillingInterval | null, at: Date | number): { index: number; start: Date; end: Date } {
  const time = new Date(at).getTime();
  let index = 0;
  while (periodStartOf(anchor, interval, index + 1).getTime() <= time) index += 1;
  return { index, start: periodStartOf(anchor, interval, index), end: periodStartOf(anchor, interval, index + 1) };
}
