import { z } from "zod";
import type { Locale } from "~/i18n/i18n";

/**
 * The acquisition spend form (/admin/metrics/spend): one amount per month, typed as the reader
 * writes money. Russian: spaces group thousands and the comma is the decimal mark ("12 500,50");
 * English: commas group thousands and the dot is the decimal mark ("12,500.50"). An empty field
 * means nothing entered for that month (CAC leaves it out), which differs from 0.
 */
export const SPEND_MAX_MINOR = 1_000_000_000_00;

/** An amount in minor units (two decimals), or an error key; null for an empty field. */
export function parseAmount(text: string, locale: Locale): { minor: number | null } | { error: string } {
  const raw = text.replace(/[\s\u00a0\u202f]/g, "");
  if (!raw) return { minor: null };
  if (raw.startsWith("-")) return { error: "metrics.spend.negative" };
  const normalized = locale === "ru" ? raw.replace(",", ".") : raw.replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return { error: locale === "ru" ? "metrics.spend.notAmountRu" : "metrics.spend.notAmount" };
  const [whole, fraction = ""] = normalized.split(".");
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (!Number.isSafeInteger(minor) || minor > SPEND_MAX_MINOR) return { error: "metrics.spend.tooLarge" };
  return { minor };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])-01$/;

/** The form's schema, for the reader's language: months are YYYY-MM-01 and not after `lastMonth`. */
export function spendSchema(locale: Locale, lastMonth: string) {
  return z.object({
    months: z
      .array(
        z
          .object({ month: z.string({ error: "form.required" }).regex(MONTH, "metrics.spend.badMonth"), amount: z.string().max(40, "form.tooLong|{\"max\":40}").default("") })
          .superRefine((row, ctx) => {
            if (row.month > lastMonth) ctx.addIssue({ code: "custom", path: ["amount"], message: "metrics.spend.future" });
            const parsed = parseAmount(row.amount, locale);
            if ("error" in parsed) ctx.addIssue({ code: "custom", path: ["amount"], message: parsed.error });
          }),
      )
      .max(120, "metrics.spend.tooMany")
      .default([]),
  });
}

/** A stored amount as the field shows it: "12 500,50" in Russian, "12500.50" in English (no grouping to mistype). */
export function amountText(minor: number | null, locale: Locale): string {
  if (minor === null) return "";
  const text = (minor / 100).toFixed(minor % 100 === 0 ? 0 : 2);
  return locale === "ru" ? text.replace(".", ",") : text;
}
