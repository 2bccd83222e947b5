import type { Tier } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { recordActivity } from "~/metrics/activity.server";
import { applyStanding, lockVotesShared } from "./standing.server";

/**
 * One vote per member per item. The primary key (itemId, userId) makes a second vote
 * impossible, and the item's counters change in the same transaction as the vote row,
 * only when a row was really inserted or deleted: fifty clicks give one vote, a hundred
 * members give a hundred.
 *
 * Lock order, the same in every roadmap transaction: the votes advisory lock, then the
 * voter's RoadmapVoter row, then item rows (in id order when there are several).
 */
export type VoteRefusal = "not-entitled" | "not-found" | "declined" | "merged";

export type VoteResult =
  | { ok: true; voted: boolean; changed: boolean; voteCount: number; weightedVotes: number }
  | { ok: false; reason: VoteRefusal };

/** A burst of votes queues for the pool's connections; waiting a few seconds beats a failed vote. */
export const VOTE_TRANSACTION = { maxWait: 10_000, timeout: 15_000 } as const;

type Voter = { userId: string; tier: Pick<Tier, "canVote" | "voteWeight"> | null | undefined };

/** Locks the member's voter row, creating it on their first vote. */
async function lockVoter(tx: Tx, userId: string): Promise<{ counting: boolean }> {
  await tx.$executeRaw`INSERT INTO "RoadmapVoter" ("userId", "counting", "changedAt") VALUES (${userId}, true, now()) ON CONFLICT ("userId") DO NOTHING`;
  const [row] = await tx.$queryRaw<Array<{ counting: boolean }>>`
    SELECT "counting" FROM "RoadmapVoter" WHERE "userId" = ${userId} FOR UPDATE`;
  return row;
}

async function lockItemForVote(tx: Tx, itemId: string) {
  const [item] = await tx.$queryRaw<Array<{ status: string; mergedIntoId: string | null }>>`
    SELECT "status"::text AS "status", "mergedIntoId" FROM "RoadmapItem" WHERE "id" = ${itemId} FOR KEY SHARE`;
  return item;
}

async function totals(tx: Tx, itemId: string) {
  const [row] = await tx.$queryRaw<Array<{ voteCount: number; weightedVotes: number }>>`
    SELECT "voteCount", "weightedVotes" FROM "RoadmapItem" WHERE "id" = ${itemId}`;
  return row;
}

export async function castVote(voter: Voter, itemId: string): Promise<VoteResult> {
  if (!voter.tier?.canVote) return { ok: false, reason: "not-entitled" };
  const weight = voter.tier.voteWeight;
  const result = await db.$transaction(async (tx): Promise<VoteResult> => {
    await lockVotesShared(tx);
    const standing = await lockVoter(tx, voter.userId);
    const item = await lockItemForVote(tx, itemId);
    if (!item) return { ok: false, reason: "not-found" };
    if (item.mergedIntoId) return { ok: false, reason: "merged" };
    if (item.status === "DECLINED") return { ok: false, reason: "declined" };
    // They hold a voting tier now (checked above): votes they cast before a lapse count again.
    if (!standing.counting) await applyStanding(tx, voter.userId, true);
    const inserted = await tx.$executeRaw`
      INSERT INTO "RoadmapVote" ("itemId", "userId", "weight", "createdAt") VALUES (${itemId}, ${voter.userId}, ${weight}, now())
      ON CONFLICT ("itemId", "userId") DO NOTHING`;
    if (inserted) {
      await tx.$executeRaw`
        UPDATE "RoadmapItem" SET "voteCount" = "voteCount" + 1, "weightedVotes" = "weightedVotes" + ${weight}::int
        WHERE "id" = ${itemId}`;
    }
    return { ok: true, voted: true, changed: inserted > 0, ...(await totals(tx, itemId)) };
  }, VOTE_TRANSACTION);
  if (result.ok && result.changed) recordActivity(voter.userId, "VOTE");
  return result;
}

/** Takes a vote back. Members who lost their voting tier may still take back their own votes. */
export async function withdrawVote(userId: string, itemId: string): Promise<VoteResult> {
  return db.$transaction(async (tx): Promise<VoteResult> => {
    await lockVotesShared(tx);
    const standing = await lockVoter(tx, userId);
    const item = await lockItemForVote(tx, itemId);
    if (!item) return { ok: false, reason: "not-found" };
    if (item.mergedIntoId) return { ok: false, reason: "merged" };
    const [deleted] = await tx.$queryRaw<Array<{ weight: number }>>`
      DELETE FROM "RoadmapVote" WHERE "itemId" = ${itemId} AND "userId" = ${userId} RETURNING "weight"`;
    if (deleted) {
      const weighted = standing.counting ? deleted.weight : 0;
      await tx.$executeRaw`
        UPDATE "RoadmapItem" SET "voteCount" = "voteCount" - 1, "weightedVotes" = "weightedVotes" - ${weighted}::int
        WHERE "id" = ${itemId}`;
    }
    return { ok: true, voted: false, changed: Boolean(deleted), ...(await totals(tx, itemId)) };
  }, VOTE_TRANSACTION);
}

/**
 * Recomputes items' counters from their votes. Used where votes move in bulk (merging,
 * seeding); the caller holds the votes lock exclusively or works alone.
 */
export async function recountItems(tx: Tx, itemIds: string[]) {
  if (!itemIds.length) return;
  await tx.$executeRaw`
    UPDATE "RoadmapItem" i SET
      "voteCount" = (SELECT count(*)::int FROM "RoadmapVote" v WHERE v."itemId" = i."id"),
      "weightedVotes" = (SELECT COALESCE(sum(v."weight") FILTER (WHERE r."counting"), 0)::int
                         FROM "RoadmapVote" v JOIN "RoadmapVoter" r ON r."userId" = v."userId"
                         WHERE v."itemId" = i."id")
    WHERE i."id" = ANY(${itemIds})`;
}
