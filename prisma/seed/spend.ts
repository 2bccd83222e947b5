import { getClubSettings } from "../../app/club.server";
import { db } from "../../app/db.server";
import { addMonths, monthOf, todayIn } from "../../app/metrics/period";
import { random } from "./random";

/**
 * The owner's acquisition spend (/admin/metrics/spend) for the twelve full months before this
 * one: a base of sponsored breakfasts and ads, more in the months of the quarterly roundtables.
 * The running month is left for the owner to fill in, as a real one would be. Skipped once any
 * spend exists.
 */
export async function seedAcquisitionSpend(now = new Date()) {
  if (await db.acquisitionSpend.count()) return;
  const rand = random(20261205);
  const { timeZone } = await getClubSettings();
  const current = monthOf(todayIn(timeZone, now));
  const tier = await db.tier.findFirst({ orderBy: { position: "asc" }, select: { currency: true } });
  const owner = await db.user.findUnique({ where: { email: "owner@coterie.club" }, select: { id: true } });
  const rows = Array.from({ length: 12 }, (_, i) => {
    const month = addMonths(current, -(i + 1));
    const roundtable = [2, 5, 8, 11].includes(Number(month.slice(5, 7)));
    const euros = Math.round((1_200 + rand() * 900 + (roundtable ? 1_800 : 0)) / 50) * 50;
    // Entered early in the next month, as an owner closes her books (never after the seed's `now`).
    const entered = Math.min(new Date(`${addMonths(month, 1)}T09:00:00Z`).getTime() + rand() * 4 * 86_400_000, now.getTime() - 3_600_000);
    return { month: new Date(`${month}T00:00:00Z`), amountMinor: euros * 100, currency: tier?.currency ?? "eur", updatedById: owner?.id ?? null, updatedAt: new Date(entered) };
  });
  await db.acquisitionSpend.createMany({ data: rows });
}
