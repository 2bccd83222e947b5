import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/**
 * Billing's form schemas, shared by the forms (validation in the browser) and the actions
 * (the same validation on the server). Messages are i18n keys (app/i18n/locales/billing.ts).
 */

export const CURRENCIES = ["eur", "usd", "gbp", "rub"] as const;

const interval = z.enum(["MONTH", "YEAR"], { error: "billing.join.chooseInterval" });
const tierId = requiredText(64, "billing.join.chooseTier");

export const CheckoutSchema = z.object({
  tierId,
  interval,
  /** Random per visit of the form; part of the idempotency key, so a retry reuses the same checkout. */
  attempt: z.string({ error: "billing.join.expired" }).regex(/^[A-Za-z0-9_-]{16,64}$/, "billing.join.expired"),
});

export type CheckoutInput = z.infer<typeof CheckoutSchema>;

const money = z
  .string({ error: "billing.tier.amountInvalid" })
  .trim()
  // "1 000,50" as Russian writes it: a space (or a non-breaking one) between groups of three digits.
  .transform((value) => value.replace(/(\d)[ \u00a0\u202f](?=\d{3}(?!\d))/g, "$1"))
  .pipe(
    z
      .string()
      .regex(/^\d{1,7}([.,]\d{1,2})?$/, "billing.tier.amountInvalid")
      // A membership that is not billed is a complimentary one, granted on the member's page.
      .refine((value) => /[1-9]/.test(value), "billing.tier.amountPositive"),
  )
  .optional();
const priceId = z
  .string({ error: "billing.tier.priceIdInvalid" })
  .trim()
  .regex(/^price_[A-Za-z0-9_]{1,200}$/, "billing.tier.priceIdInvalid")
  .optional();
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: "billing.form.wholeNumber" })
    .int("billing.form.wholeNumber")
    .min(min, `billing.form.between|{"min":${min},"max":${max}}`)
    .max(max, `billing.form.between|{"min":${min},"max":${max}}`);

export const TierSchema = z.object({
  slug: z
    .string({ error: "form.required" })
    .trim()
    .min(2, 'form.tooShort|{"min":2}')
    .max(40, 'form.tooLong|{"max":40}')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "billing.tier.slugInvalid"),
  nameEn: requiredText(80),
  nameRu: requiredText(80),
  descriptionEn: z.string({ error: "form.invalid" }).trim().max(2000, 'form.tooLong|{"max":2000}').optional(),
  descriptionRu: z.string({ error: "form.invalid" }).trim().max(2000, 'form.tooLong|{"max":2000}').optional(),
  position: wholeNumber(1, 99),
  currency: z.enum(CURRENCIES, { error: "form.required" }),
  stripeMonthlyPriceId: priceId,
  stripeYearlyPriceId: priceId,
  monthlyPrice: money,
  yearlyPrice: money,
  canVote: z.boolean({ error: "form.invalid" }).default(false),
  voteWeight: wholeNumber(1, 100),
  referralQuota: wholeNumber(0, 1000),
});

export type TierInput = z.infer<typeof TierSchema>;

/** A card number as typed: spaces and dashes between the digits are allowed. */
export function cardDigits(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** The Luhn check every card number passes (a typo in one digit fails it). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** "MM/YY" or "MM/YYYY" (also with spaces around the slash) as a month and a full year. */
export function parseExpiry(value: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return month >= 1 && month <= 12 ? { month, year } : null;
}

/** The test billing portal's card form (test mode only: the Stripe Billing Portal takes cards in production). */
export const TestCardSchema = z.object({
  intent: z.literal("update-card"),
  number: z
    .string({ error: "billing.card.numberRequired" })
    .max(40, "billing.card.numberInvalid")
    .refine((value) => /^\d{12,19}$/.test(cardDigits(value)) && passesLuhn(cardDigits(value)), "billing.card.numberInvalid"),
  expiry: z.string({ error: "billing.card.expiryRequired" }).refine((value) => parseExpiry(value) !== null, "billing.card.expiryInvalid"),
  cvc: z.string({ error: "billing.card.cvcRequired" }).trim().regex(/^\d{3,4}$/, "billing.card.cvcInvalid"),
});

export type TestCardInput = z.infer<typeof TestCardSchema>;

export const TestPortalSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("change-plan"), tierId, interval }),
  z.object({ intent: z.literal("cancel-at-period-end") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("simulate-period-end") }),
  z.object({ intent: z.literal("simulate-failed-payment") }),
  z.object({ intent: z.literal("pay-invoice"), invoiceId: z.string({ error: "billing.invoices.notOpen" }).regex(/^in_[A-Za-z0-9_]{1,80}$/, "billing.invoices.notOpen") }),
  TestCardSchema,
]);

/** The owner's test clock for a member's subscription (test mode only). */
export const TestClockSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("clock-fail-payment") }),
  z.object({ intent: z.literal("clock-end-grace"), outcome: z.enum(["cancel", "unpaid"], { error: "billing.clock.chooseOutcome" }) }),
  z.object({ intent: z.literal("clock-renew") }),
]);

export type TestClockInput = z.infer<typeof TestClockSchema>;

export type TestPortalInput = z.infer<typeof TestPortalSchema>;

export const GrantSchema = z.object({ intent: z.literal("grant"), tierId });
export const RoleSchema = z.object({
  intent: z.literal("role"),
  role: z.enum(["MEMBER", "CURATOR"], { error: "form.required" }),
});

export const BillingSettingsSchema = z.object({
  intent: z.literal("settings"),
  pastDueGraceDays: wholeNumber(0, 60),
});
