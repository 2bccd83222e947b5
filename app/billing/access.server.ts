import { Prisma, type Subscription, type SubscriptionStatus, type Tier } from "~/generated/prisma/client";
import { db, rowFromJson, type Tx } from "~/db.server";

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

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
/** One open subscription with its tier, as `openSubscriptionsSql` gives it. */
type OpenSubscriptionJson = { subscription: Json<Subscription>; tier: Json<Tier> };

const SUBSCRIPTION_DATES = [
  "currentPeriodStart",
  "currentPeriodEnd",
  "pastDueSince",
  "startedAt",
  "endedAt",
  "stripeUpdatedAt",
  "createdAt",
  "updatedAt",
] as const satisfies ReadonlyArray<keyof Subscription>;
const TIER_DATES = ["archivedAt", "createdAt", "updatedAt"] as const satisfies ReadonlyArray<keyof Tier>;

/**
 * SQL for a member's open subscriptions (endedAt null, a holding status) with their tiers, as
 * one JSON array; `userId` is a value or a column (`u.id`). The session lookup asks for it in the
 * same round trip as the session (app/auth/guards.server.ts), and `currentMembership` alone.
 */
export function openSubscriptionsSql(userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(json_build_object('subscription', to_jsonb(open_sub), 'tier', to_jsonb(open_tier))), '[]'::json)
    FROM "Subscription" open_sub JOIN "Tier" open_tier ON open_tier.id = open_sub."tierId"
    WHERE open_sub."userId" = ${userId} AND open_sub.status::text IN (${Prisma.join(HOLDING_STATUSES)}) AND open_sub."endedAt" IS NULL)`;
}

/** SQL for the club's grace period after a failed payment, in days (null: the default of 7). */
export const GRACE_DAYS_SQL = Prisma.sql`(SELECT "pastDueGraceDays" FROM "ClubSettings" WHERE id = 1)`;

/** The membership the open subscriptions grant now: the highest tier among those holding access. */
export function membershipFrom(open: OpenSubscriptionJson[], graceDays: number | null, now = new Date()): Membership | null {
  const days = graceDays ?? 7;
  const best = open
    .map((row) => ({
      subscription: rowFromJson<Subscription>(row.subscription, SUBSCRIPTION_DATES),
      tier: rowFromJson<Tier>(row.tier, TIER_DATES),
    }))
    .filter((row) => grantsAccess(row.subscription, days, now))
    .sort((a, b) => b.tier.position - a.tier.position)[0];
  if (!best) return null;
  const { subscription, tier } = best;
  const graceEndsAt =
    subscription.status === "PAST_DUE"
      ? new Date((subscription.pastDueSince ?? subscription.updatedAt).getTime() + days * 86_400_000)
      : null;
  return { tier, subscription, graceEndsAt };
}

/**
 * Which tier a member holds now. One SQL query; a signed-in page gets the same answer with its
 * session lookup instead. Inside a transaction pass its client: a second connection taken from
 * within a transaction can wait forever once every connection is held by such a transaction.
 */
export async function currentMembership(userId: string, now = new Date(), client: Tx | typeof db = db): Promise<Membership | null> {
  const [row] = await client.$queryRaw<Array<{ open: OpenSubscriptionJson[]; graceDays: number | null }>>`
    SELECT ${openSubscriptionsSql(Prisma.sql`${userId}`)} AS "open", ${GRACE_DAYS_SQL} AS "graceDays"`;
  return membershipFrom(row.open, row.graceDays, now);
}
