import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import type { Locale } from "~/i18n/i18n";
import { dashboards } from "./dashboard-cache.server";
import { addMonths, monthOf, todayIn } from "./period";
import { parseAmount } from "./spend";

/** How many months the spend page lists, newest first: two years. */
export const SPEND_MONTHS = 24;

export type SpendMonth = { month: string; amountMinor: number | null; updatedAt: string | null };

/** The months the owner may fill in (this month and the 23 before, in the club's zone) and what is entered. */
export async function spendMonths(timeZone: string, now = new Date()): Promise<{ currency: string; months: SpendMonth[] }> {
  const current = monthOf(todayIn(timeZone, now));
  const months = Array.from({ length: SPEND_MONTHS }, (_, i) => addMonths(current, -i));
  const [rows, tier] = await Promise.all([
    db.acquisitionSpend.findMany({ where: { month: { in: months.map((m) => new Date(`${m}T00:00:00Z`)) } } }),
    db.tier.findFirst({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { currency: true } }),
  ]);
  const byMonth = new Map(rows.map((r) => [r.month.toISOString().slice(0, 10), r]));
  return {
    currency: tier?.currency ?? "eur",
    months: months.map((month) => {
      const row = byMonth.get(month);
      return { month, amountMinor: row?.amountMinor ?? null, updatedAt: row?.updatedAt.toISOString() ?? null };
    }),
  };
}

/**
 * Saves the months whose amount changed, in one transaction with one audit row per month
 * (before and after, in minor units). An emptied field removes the month's entry. The
 * dashboards kept in this process are dropped, so CAC shows the new figures at once.
 */
export async function saveSpend(actorId: string, entries: Array<{ month: string; amount: string }>, locale: Locale, currency: string): Promise<number> {
  const wanted = new Map<string, number | null>();
  for (const entry of entries) {
    const parsed = parseAmount(entry.amount, locale);
    if ("error" in parsed) throw new Error(`Unvalidated spend amount for ${entry.month}`);
    wanted.set(entry.month, parsed.minor);
  }
  const changed = await db.$transaction(async (tx) => {
    const dates = [...wanted.keys()].map((m) => new Date(`${m}T00:00:00Z`));
    const existing = new Map((await tx.acquisitionSpend.findMany({ where: { month: { in: dates } } })).map((r) => [r.month.toISOString().slice(0, 10), r.amountMinor]));
    let count = 0;
    for (const [month, amountMinor] of wanted) {
      const before = existing.get(month) ?? null;
      if (before === amountMinor) continue;
      const key = new Date(`${month}T00:00:00Z`);
      if (amountMinor === null) await tx.acquisitionSpend.delete({ where: { month: key } });
      else
        await tx.acquisitionSpend.upsert({
          where: { month: key },
          create: { month: key, amountMinor, currency, updatedById: actorId },
          update: { amountMinor, currency, updatedById: actorId },
        });
      await recordAudit(tx, {
        actorId,
        action: "metrics.spend",
        subjectType: "AcquisitionSpend",
        subjectId: month,
        before: before === null ? null : { amountMinor: before, currency },
        after: amountMinor === null ? null : { amountMinor, currency },
      });
      count += 1;
    }
    return count;
  });
  if (changed) dashboards.clear();
  return changed;
}
