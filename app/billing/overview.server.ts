import type { User } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { isStripeTestMode } from "~/env.server";
import type { Membership } from "./access.server";
import { openStripeSubscription } from "./checkout.server";
import { paymentHistory } from "./ledger.server";
import { tierOffers } from "./tiers.server";

/** Everything /billing shows a member about their own membership. */
export async function billingOverview(user: User, membership: Membership | null) {
  const [paid, complimentary, lastEnded, history] = await Promise.all([
    openStripeSubscription(user.id),
    db.subscription.findFirst({ where: { userId: user.id, status: "COMPLIMENTARY", endedAt: null }, include: { tier: true } }),
    db.subscription.findFirst({ where: { userId: user.id, endedAt: { not: null } }, orderBy: { endedAt: "desc" }, include: { tier: true } }),
    paymentHistory(user.id),
  ]);
  // Members who hold nothing and pay for nothing choose a tier right here.
  const offers = !membership && !paid ? await tierOffers() : [];
  const names = (tier: { nameEn: string; nameRu: string }) => ({ nameEn: tier.nameEn, nameRu: tier.nameRu });
  return {
    testMode: isStripeTestMode(),
    holding: membership
      ? { tier: names(membership.tier), status: membership.subscription.status, graceEndsAt: membership.graceEndsAt }
      : null,
    paid: paid
      ? {
          tier: names(paid.tier),
          status: paid.status,
          interval: paid.interval,
          amount: paid.amount,
          currency: paid.currency,
          currentPeriodEnd: paid.currentPeriodEnd,
          cancelAtPeriodEnd: paid.cancelAtPeriodEnd,
          pastDueSince: paid.pastDueSince,
          startedAt: paid.startedAt,
        }
      : null,
    complimentary: complimentary ? { tier: names(complimentary.tier), startedAt: complimentary.startedAt } : null,
    ended: !paid && !complimentary && lastEnded ? { tier: names(lastEnded.tier), endedAt: lastEnded.endedAt! } : null,
    // The test portal manages a subscription; Stripe's also shows invoices of a customer without one.
    canOpenPortal: Boolean(user.stripeCustomerId) && (!isStripeTestMode() || Boolean(paid)),
    history,
    offers,
  };
}
