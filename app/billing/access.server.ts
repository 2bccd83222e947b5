import { Prisma, type Subscription, type SubscriptionStatus, type Tier } from "~/generated/prisma/client";
import { db } from "~/db.server";

/**
 * Which tier a member holds right now, derived on every request from their open
 * subscription rows (endedAt null), so a webhook's change takes effect on the very next
 * request.
 *  - ACTIVE, TRIALING and COMPLIMENTARY hold the tier;
 *  - PAST_DUE holds it for the grace period (ClubSettings.pastDueGraceDays);
 *  - a cancellation at period end keeps ACTIVE until Stripe ends it;
 *  - CANCELED, UNPAID and INCOMPLETE hold nothing.
 */
export const HOLDING_STATUSES: SubscriptionStatus[] = ["ACTIVE", "TRIALING", "COMPLIMENTARY", "PAST_DUE"];

export type Membership = {
  tier: Tier;
  subscription: Subscription;
  /** Set while a payment has failed and access rests on the grace period. */
  graceEndsAt: Date | null;
};

export function grantsAccess(subscription: Subscription, graceDays: number, now = new Date()): boolean {
  switch (subscription.status) {
    case "ACTIVE":
    case "TRIALING":
    case "COMPLIMENTARY":
      return true;
    case "PAST_DUE": {
      const since = subscription.pastDueSince ?? subscription.updatedAt;
      return since.getTime() + graceDays * 86_400_000 > now.getTime();
    }
    default:
      return false;
  }
}

/**
 * Every signed-in request asks this, so it is two SQL queries run side by side (the open
 * subscriptions with the grace setting, and their tiers), not Prisma model queries.
 */
export async function currentMembership(userId: string, now = new Date()): Promise<Membership | null> {
  const open = Prisma.sql`"userId" = ${userId} AND status::text IN (${Prisma.join(HOLDING_STATUSES)}) AND "endedAt" IS NULL`;
  const [subscriptions, tiers] = await Promise.all([
    db.$queryRaw<Array<Subscription & { graceDays: number | null }>>`
      SELECT s.*, (SELECT "pastDueGraceDays" FROM "ClubSettings" WHERE id = 1) AS "graceDays"
      FROM "Subscription" s WHERE ${open}`,
    db.$queryRaw<Tier[]>`SELECT * FROM "Tier" WHERE id IN (SELECT "tierId" FROM "Subscription" WHERE ${open})`,
  ]);
  const graceDays = subscriptions[0]?.graceDays ?? 7;
  const tierById = new Map(tiers.map((tier) => [tier.id, tier]));
  const holding = subscriptions
    .filter((s) => tierById.has(s.tierId) && grantsAccess(s, graceDays, now))
    .sort((a, b) => tierById.get(b.tierId)!.position - tierById.get(a.tierId)!.position);
  const best = holding[0];
  if (!best) return null;
  const { graceDays: _graceDays, ...subscription } = best;
  const graceEndsAt =
    subscription.status === "PAST_DUE"
      ? new Date((subscription.pastDueSince ?? subscription.updatedAt).getTime() + graceDays * 86_400_000)
      : null;
  return { tier: tierById.get(best.tierId)!, subscription, graceEndsAt };
}
