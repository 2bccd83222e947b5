import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { currentMembership } from "~/billing/access.server";
import { changeItemStatus, mergeItems } from "~/roadmap/items.server";
import { syncVoterStandings } from "~/roadmap/standing.server";
import { castVote, withdrawVote } from "~/roadmap/votes.server";
import { createRoadmapItem, createUser, ensureClubSettings } from "../factories";

/** Items whose counters differ from what their votes add up to (weights of counting voters). */
async function driftedCounters() {
  return db.$queryRaw<Array<{ id: string; voteCount: number; weightedVotes: number; n: number; w: number }>>`
    SELECT i."id", i."voteCount", i."weightedVotes", COALESCE(t.n, 0) AS n, COALESCE(t.w, 0) AS w FROM "RoadmapItem" i
    LEFT JOIN (SELECT v."itemId", count(*)::int AS n, (sum(v."weight") FILTER (WHERE r."counting"))::int AS w
               FROM "RoadmapVote" v JOIN "RoadmapVoter" r ON r."userId" = v."userId" GROUP BY v."itemId") t ON t."itemId" = i."id"
    WHERE i."mergedIntoId" IS NULL AND (i."voteCount" <> COALESCE(t.n, 0) OR i."weightedVotes" <> COALESCE(t.w, 0))`;
}

const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("vote" as const), user: fc.nat(2), item: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), user: fc.nat(2), item: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("lapse" as const), user: fc.nat(2), settle: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("renew" as const), user: fc.nat(2), settle: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("merge" as const), item: fc.nat(2), into: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("decline" as const), item: fc.nat(2) }) },
);

describe("the board's counters", () => {
  it("always equal the votes they count, whatever members, tiers and owners do at once", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const members = await Promise.all(Array.from({ length: 3 }, () => createUser({ tier: "private-client" })));
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 8, maxLength: 30, size: "max" }), async (operations) => {
        const items = await Promise.all(Array.from({ length: 3 }, () => createRoadmapItem()));
        const run = async (op: (typeof operations)[number]) => {
          switch (op.kind) {
            case "vote": {
              const userId = members[op.user].id;
              return castVote({ userId, tier: (await currentMembership(userId))?.tier }, items[op.item].id);
            }
            case "withdraw":
              return withdrawVote(members[op.user].id, items[op.item].id);
            // A webhook changes the subscription; sometimes a board read settles standings right after.
            case "lapse":
            case "renew":
              await db.subscription.updateMany({ where: { userId: members[op.user].id }, data: { status: op.kind === "lapse" ? "CANCELED" : "ACTIVE" } });
              return op.settle ? syncVoterStandings() : null;
            case "sync":
              return syncVoterStandings();
            case "merge":
              return mergeItems(items[op.item].id, items[op.into].id, owner.id);
            case "decline":
              return changeItemStatus(items[op.item].id, "DECLINED", { actorId: owner.id });
          }
        };
        // Four at a time, as concurrent requests would.
        for (let i = 0; i < operations.length; i += 4) await Promise.all(operations.slice(i, i + 4).map(run));
        expect(await driftedCounters()).toEqual([]);
        await syncVoterStandings();
        expect(await driftedCounters()).toEqual([]);
        const unsettled = await syncVoterStandings();
        expect(unsettled).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});
