import { Prisma } from "~/generated/prisma/client";
import { GRACE_DAYS_SQL } from "~/billing/access.server";
import { db, type Tx } from "~/db.server";

/**
 * Whether a voter's votes count in the weighted totals: only while they hold a voting
 * tier. Holding follows app/billing/access.server.ts (grantsAccess and currentMembership);
 * the SQL below is the same rule, so the board can check every voter in one query.
 * tests/roadmap/standing.test.ts holds the two to the same answers.
 *
 * RoadmapVoter.counting stores each voter's standing; RoadmapItem.weightedVotes sums the
 * weights of the votes of counting voters. When a standing changes (a webhook cancels a
 * subscription, a grace period runs out, a member upgrades back), settleVoterStanding
 * flips it and moves that voter's weights in and out of the item totals.
 */

/** Lock id shared by every transaction that changes votes (app/roadmap/votes.server.ts). */
export const ROADMAP_VOTES_LOCK = 7_426_001;

/** Vote changes take the lock shared; a merge takes it alone, so no vote moves under it. */
export async function lockVotesShared(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${ROADMAP_VOTES_LOCK}::bigint)`;
}

export async function lockVotesExclusive(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROADMAP_VOTES_LOCK}::bigint)`;
}

/** `now` as the UTC timestamp our TIMESTAMP(3) columns hold. */
function utc(now: Date): Prisma.Sql {
  return Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

const GRACE_DAYS = Prisma.sql`COALESCE(${GRACE_DAYS_SQL}, 7)`;

/** SQL twin of grantsAccess() for the Subscription row aliased `alias`. */
export function subscriptionGrantsAccess(alias: string, now: Date): Prisma.Sql {
  const s = Prisma.raw(`"${alias}"`);
  return Prisma.sql`(${s}."status" IN ('ACTIVE', 'TRIALING', 'COMPLIMENTARY')
    OR (${s}."status" = 'PAST_DUE'
        AND COALESCE(${s}."pastDueSince", ${s}."updatedAt") + make_interval(days => ${GRACE_DAYS}) > ${utc(now)}))`;
}

/**
 * SQL: whether the member `userId` (an SQL expression) holds a voting tier now. As in
 * currentMembership(), only open subscription rows (endedAt null) count, the tier held is
 * the highest one of those that grant access, and it decides.
 */
export function holdsVotingTier(userId: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`COALESCE((
    SELECT t."canVote" FROM "Subscription" s JOIN "Tier" t ON t."id" = s."tierId"
    WHERE s."userId" = ${userId} AND s."endedAt" IS NULL AND ${subscriptionGrantsAccess("s", now)}
    ORDER BY t."position" DESC, t."canVote" DESC
    LIMIT 1), false)`;
}

/**
 * Adds (counting) or removes (not counting) the voter's weights in the totals of every
 * item they voted for. The caller holds the voter's row lock and the votes lock (shared);
 * items are locked in id order so two of these never deadlock.
 */
export async function applyStanding(tx: Tx, userId: string, counting: boolean) {
  await tx.$executeRaw`UPDATE "RoadmapVoter" SET "counting" = ${counting}, "changedAt" = now() WHERE "userId" = ${userId}`;
  await tx.$queryRaw`
    SELECT i."id" FROM "RoadmapItem" i
    WHERE i."id" IN (SELECT v."itemId" FROM "RoadmapVote" v WHERE v."userId" = ${userId})
    ORDER BY i."id" FOR NO KEY UPDATE`;
  const sign = counting ? 1 : -1;
  await tx.$executeRaw`
    UPDATE "RoadmapItem" i SET "weightedVotes" = i."weightedVotes" + ${sign}::int * v."weight"
    FROM "RoadmapVote" v WHERE v."itemId" = i."id" AND v."userId" = ${userId}`;
}

/** Brings one voter's standing up to date; returns whether it changed. */
export async function settleVoterStanding(userId: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockVotesShared(tx);
    const [row] = await tx.$queryRaw<Array<{ counting: boolean; holds: boolean }>>`
      SELECT "counting", ${holdsVotingTier(Prisma.sql`${userId}`, now)} AS "holds"
      FROM "RoadmapVoter" WHERE "userId" = ${userId} FOR UPDATE`;
    if (!row || row.counting === row.holds) return false;
    await applyStanding(tx, userId, row.holds);
    return true;
  }, { maxWait: 10_000, timeout: 15_000 });
}

/**
 * Finds the voters whose standing no longer matches their subscriptions and settles each:
 * one query over the voters (no writes when nothing changed). The worker runs it every
 * minute; the board runs it through keepStandingsFresh before it reads the totals.
 */
export async function syncVoterStandings(now = new Date()): Promise<number> {
  const drifted = await db.$queryRaw<Array<{ userId: string }>>`
    SELECT v."userId" FROM "RoadmapVoter" v
    WHERE v."counting" <> ${holdsVotingTier(Prisma.sql`v."userId"`, now)}
    ORDER BY v."userId"`;
  let changed = 0;
  for (const { userId } of drifted) {
    if (await settleVoterStanding(userId, now)) changed += 1;
  }
  return changed;
}

const FRESH_FOR_MS = 5_000;
const globalForStandings = globalThis as unknown as { __coterieStandings?: { at: number; running: Promise<unknown> | null } };

/**
 * Settles standings before a page shows totals, at most once every five seconds per
 * process: a subscription that lapsed (a webhook, or a grace period that ran out) leaves
 * the weighted totals within seconds, and fifty readers of the board at once share one
 * check instead of running fifty.
 */
export async function keepStandingsFresh(): Promise<void> {
  const state = (globalForStandings.__coterieStandings ??= { at: 0, running: null });
  if (state.running) {
    await state.running;
    return;
  }
  if (Date.now() - state.at < FRESH_FOR_MS) return;
  state.at = Date.now();
  state.running = syncVoterStandings().finally(() => {
    state.running = null;
  });
  await state.running;
}
