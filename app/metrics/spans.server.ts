import { Prisma } from "~/generated/prisma/client";

/**
 * Memberships as time spans, the one definition every metric reads (a SQL CTE named `spans`).
 *  - Only members (role MEMBER) have spans: staff (owners, curators) are in no figure, revenue
 *    included, whatever membership they hold (the demo's staff hold complimentary ones).
 *  - Every Subscription row except INCOMPLETE (never paid for) is a span from startedAt until
 *    endedAt; a CANCELED or UNPAID row that has no endedAt ends at its last update.
 *  - A span is paying unless it is COMPLIMENTARY or TRIALING or its price is zero; PAST_DUE
 *    still counts as paying until Stripe cancels it (as ChartMogul does).
 *  - `annual` is the price per year in minor units (monthly price × 12), so MRR = Σ annual / 12
 *    stays exact in integers.
 *  - A member is "at" an instant b when a span has started < b and not ended < b.
 * Billing starts a new row for each change of tier or price, so upgrades are spans in a row.
 */
export function spansCte(userId?: string, { materialized = true }: { materialized?: boolean } = {}) {
  const forUser = userId ? Prisma.sql`AND s."userId" = ${userId}` : Prisma.empty;
  // Materialized for queries that read it several times; one that reads it once lets PostgreSQL
  // fold it into that reader instead of storing every span twice.
  return Prisma.sql`spans AS ${materialized ? Prisma.sql`MATERIALIZED` : Prisma.sql`NOT MATERIALIZED`} (
  SELECT s."userId", s."tierId", t.position, s."startedAt" AS started,
         COALESCE(s."endedAt", CASE WHEN s.status IN ('CANCELED', 'UNPAID') THEN s."updatedAt" END) AS ended,
         (s.status NOT IN ('COMPLIMENTARY', 'TRIALING') AND s.amount > 0) AS paying,
         (CASE WHEN s.interval = 'YEAR' THEN s.amount ELSE s.amount * 12 END)::bigint AS annual
  FROM "Subscription" s JOIN "Tier" t ON t.id = s."tierId" JOIN "User" u ON u.id = s."userId" AND u.role = 'MEMBER'
  WHERE s.status <> 'INCOMPLETE' ${forUser}
)`;
}
