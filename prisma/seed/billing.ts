import type { BillingInterval, Subscription } from "../../app/generated/prisma/client";
import { db } from "../../app/db.server";
import { addMonths, monthsOf, periodAt, periodStartOf } from "./calendar";
import { MEMBERS, TIERS } from "./foundation";

/**
 * The demo club's billing history, matching the Subscription rows of seed/foundation.ts:
 * Stripe ids for paying members (so the test-mode billing portal can manage them), a few
 * upgrades (an earlier row at a lower tier, ended when the next one starts), a cancellation,
 * and a paid invoice in the ledger for every period of every paying membership.
 * Re-runnable: it splits rows only once, sets ids only where missing, and skips invoices
 * it has already written.
 */

// Periods are calendar months and years (calendar.ts), as Stripe bills them; invoices fall on
// the first day of each period, as foundation.ts counts them.

/** Members who started lower and upgraded: the earlier tiers, oldest first, and how long each lasted. */
const UPGRADES: Record<string, Array<{ tier: (typeof TIERS)[number]["slug"]; months: number }>> = {
  "dmitry.orlov@example.com": [{ tier: "professional", months: 5 }],
  "sarah.chen@example.com": [
    { tier: "community", months: 2 },
    { tier: "professional", months: 3 },
  ],
  "anna.kuznetsova@example.com": [{ tier: "community", months: 3 }],
};

const handle = (email: string) => email.split("@")[0].replace(/[^a-z0-9]/gi, "_");

function priceIdOf(slug: string, interval: BillingInterval | null): string | null {
  const tier = TIERS.find((t) => t.slug === slug);
  if (!tier || !interval) return null;
  return interval === "YEAR" ? tier.stripeYearlyPriceId : tier.stripeMonthlyPriceId;
}

export async function seedBilling(now = new Date()) {
  const tiers = new Map((await db.tier.findMany()).map((t) => [t.id, t]));
  const tierBySlug = new Map([...tiers.values()].map((t) => [t.slug, t]));

  for (const member of MEMBERS) {
    const user = await db.user.findUnique({ where: { email: member.email }, include: { subscriptions: { orderBy: { startedAt: "asc" } } } });
    if (!user || !user.subscriptions.length) continue;
    const paying = user.subscriptions.some((s) => s.status !== "COMPLIMENTARY");
    if (!paying) continue;
    const id = handle(member.email);
    const stripeSubscriptionId = `sub_demo_${id}`;

    await db.$transaction(async (tx) => {
      if (!user.stripeCustomerId) {
        // The Stripe customer was made when they first paid, on the day they joined.
        await tx.user.update({ where: { id: user.id }, data: { stripeCustomerId: `cus_demo_${id}`, updatedAt: user.createdAt } });
      }
      const upgrades = UPGRADES[member.email];
      if (upgrades && user.subscriptions.length === 1) {
        const current = user.subscriptions[0];
        let start = current.startedAt;
        for (const step of upgrades) {
          const tier = tierBySlug.get(step.tier)!;
          const end = addMonths(start, step.months);
          await tx.subscription.create({
            data: {
              userId: user.id,
              tierId: tier.id,
              status: "CANCELED",
              interval: current.interval,
              amount: (current.interval === "YEAR" ? tier.yearlyAmount : tier.monthlyAmount) ?? 0,
              currency: tier.currency,
              stripeSubscriptionId,
              stripePriceId: priceIdOf(tier.slug, current.interval),
              currentPeriodStart: addMonths(end, -monthsOf(current.interval)),
              currentPeriodEnd: end,
              startedAt: start,
              endedAt: end,
              createdAt: start,
              updatedAt: end,
            },
          });
          start = end;
        }
        // The current row now starts at the upgrade, and its periods count from there.
        const period = periodAt(start, current.interval, now);
        await tx.subscription.update({
          where: { id: current.id },
          data: { startedAt: start, createdAt: start, currentPeriodStart: period.start, currentPeriodEnd: period.end, updatedAt: period.start },
        });
      }
      for (const row of await tx.subscription.findMany({ where: { userId: user.id, stripeSubscriptionId: null, status: { not: "COMPLIMENTARY" } } })) {
        const tier = tiers.get(row.tierId)!;
        const ended = row.status === "CANCELED" && row.endedAt;
        await tx.subscription.update({
          where: { id: row.id },
          data: {
            stripeSubscriptionId,
            stripePriceId: priceIdOf(tier.slug, row.interval),
            updatedAt: row.updatedAt,
            // The cancelled member let their last period run out.
            ...(ended
              ? { cancelAtPeriodEnd: true, currentPeriodEnd: row.endedAt, currentPeriodStart: addMonths(row.endedAt!, -monthsOf(row.interval)) }
              : {}),
          },
        });
      }
    });

    const rows = await db.subscription.findMany({ where: { userId: user.id, status: { not: "COMPLIMENTARY" } }, orderBy: { startedAt: "asc" } });
    await db.ledgerEntry.createMany({ data: rows.flatMap((row) => invoicesOf(row, id, tiers.get(row.tierId)!.slug, now)), skipDuplicates: true });
  }
}

/** One paid invoice at the start of each billing period the row covered; a past-due row's latest one failed. */
function invoicesOf(row: Subscription, handle: string, tierSlug: string, now: Date) {
  const until = Math.min((row.endedAt ?? now).getTime(), now.getTime());
  const invoices = [];
  for (let k = 0, start = row.startedAt.getTime(); start < until; k += 1, start = periodStartOf(row.startedAt, row.interval, k).getTime()) {
    invoices.push({
      kind: "INVOICE_PAID" as const,
      userId: row.userId,
      subscriptionId: row.id,
      amount: row.amount,
      currency: row.currency,
      periodStart: new Date(start),
      periodEnd: periodStartOf(row.startedAt, row.interval, k + 1),
      occurredAt: new Date(start),
      createdAt: new Date(start),
      stripeInvoiceId: `in_demo_${handle}_${tierSlug}_${row.interval?.toLowerCase() ?? "once"}_${k}`,
    });
  }
  if (row.status === "PAST_DUE") invoices.pop();
  return invoices;
}
