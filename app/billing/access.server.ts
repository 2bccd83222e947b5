import { Prisma, type Subscription, type SubscriptionStatus, type Tier } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";

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

type TierJson = Omit<Tier, "archivedAt" | "createdAt" | "updatedAt"> & { archivedAt: string | null; createdAt: string; updatedAt: string };

/** PostgreSQL's JSON for a TIMESTAMP(3) column is UTC without the zone: "2026-11-22T10:00:00.123". */
function utc(value: string): Date {
  return new Date(`${value}Z`);
}

/**
 * Every signed-in request asks this, so it is one SQL query: the open subscriptions with their
 * tiers. Inside a transaction pass its client: a second connection taken from within a
 * transaction can wait forever once every connection is held by such a transaction.
 */
export async function currentMembership(userId: string, now = new Date(), client: Tx | typeof db = db): Promise<Membership | null> {
  const rows = await client.$queryRaw<Array<Subscription & { tierJson: TierJson; graceDays: number | null }>>`
    SELECT s.*, to_jsonb(t) AS "tierJson", (SELECT "pastDueGraceDays" FROM "ClubSettings" WHERE id = 1) AS "graceDays"
    FROM "Subscription" s JOIN "Tier" t ON t.id = s."tierId"
    WHERE s."userId" = ${userId} AND s.status::text IN (${Prisma.join(HOLDING_STATUSES)}) AND s."endedAt" IS NULL`;
  const graceDays = rows[0]?.graceDays ?? 7;
  const holding = rows
    .filter((s) => grantsAccess(s, graceDays, now))
    .sort((a, b) => b.tierJson.position - a.tierJson.position);
  const best = holding[0];
  if (!best) return null;
  const { tierJson, graceDays: _graceDays, ...subscription } = best;
  const tier: Tier = {
    ...tierJson,
    archivedAt: tierJson.archivedAt ? utc(tierJson.archivedAt) : null,
    createdAt: utc(tierJson.createdAt),
    updatedAt: utc(tierJson.updatedAt),
  };
  const graceEndsAt =
    subscription.status === "PAST_DUE"
      ? new Date((subscription.pastDueSince ?? subscription.updatedAt).getTime() + graceDays * 86_400_000)
      : null;
  return { tier, subscription, graceEndsAt };
}
