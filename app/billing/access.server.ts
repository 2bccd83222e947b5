import type { Subscription, SubscriptionStatus, Tier } from "~/generated/prisma/client";
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

export async function currentMembership(userId: string, now = new Date()): Promise<Membership | null> {
  const [subscriptions, settings] = await Promise.all([
    db.subscription.findMany({
      where: { userId, status: { in: HOLDING_STATUSES }, endedAt: null },
      include: { tier: true },
    }),
    db.clubSettings.findUnique({ where: { id: 1 }, select: { pastDueGraceDays: true } }),
  ]);
  const graceDays = settings?.pastDueGraceDays ?? 7;
  const holding = subscriptions
    .filter((s) => grantsAccess(s, graceDays, now))
    .sort((a, b) => b.tier.position - a.tier.position);
  const best = holding[0];
  if (!best) return null;
  const { tier, ...subscription } = best;
  const graceEndsAt =
    subscription.status === "PAST_DUE"
      ? new Date((subscription.pastDueSince ?? subscription.updatedAt).getTime() + graceDays * 86_400_000)
      : null;
  return { tier, subscription, graceEndsAt };
}
