import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prisma, type SubscriptionStatus } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { currentMembership, grantsAccess } from "~/billing/access.server";
import { holdsVotingTier, subscriptionGrantsAccess, syncVoterStandings } from "~/roadmap/standing.server";
import { loader as boardLoader } from "~/routes/roadmap._index";
import { castVote, withdrawVote } from "~/roadmap/votes.server";
import { createRoadmapItem, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

const DAY = 86_400_000;
const STATUSES: SubscriptionStatus[] = ["INCOMPLETE", "TRIALING", "ACTIVE", "PAST_DUE", "CANCELED", "UNPAID", "COMPLIMENTARY"];

async function ballotFor(userId: string) {
  return { userId, tier: (await currentMembership(userId))?.tier };
}

async function totals(itemId: string) {
  return db.roadmapItem.findUniqueOrThrow({ where: { id: itemId }, select: { voteCount: true, weightedVotes: true } });
}

describe("holding a voting tier, in SQL and in access.server.ts", () => {
  it("the SQL rule gives the same answers as grantsAccess and currentMembership", async () => {
    await ensureClubSettings();
    const tiers = await ensureTiers();
    // A top tier that does not vote: holding it (with Private Client below) means no vote, as currentMembership picks the top tier.
    const observer = await db.tier.upsert({
      where: { slug: "observer" },
      update: {},
      create: { slug: "observer", nameEn: "Observer", nameRu: "Наблюдатель", position: 4, canVote: false, voteWeight: 1 },
    });
    const tierIds = [tiers.community.id, tiers.professional.id, tiers["private-client"].id, observer.id];
    const now = new Date("2026-11-22T12:00:00.000Z");
    // Times are placed around the end of the grace period, to the millisecond.
    const offset = fc.oneof(fc.constantFrom(0, 1, -1, DAY, -DAY), fc.integer({ min: -10 * DAY, max: 10 * DAY }));
    const subscription = fc.record({
      tier: fc.integer({ min: 0, max: 3 }),
      status: fc.constantFrom(...STATUSES),
      pastDueOffset: fc.option(offset, { nil: null }),
      updatedOffset: offset,
      ended: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(subscription, { minLength: 0, maxLength: 3 }), fc.integer({ min: 0, max: 14 }), async (subs, graceDays) => {
        await db.clubSettings.update({ where: { id: 1 }, data: { pastDueGraceDays: graceDays } });
        const user = await db.user.create({ data: { email: `prop-${crypto.randomUUID()}@example.com`, name: "Property" } });
        const graceEnd = now.getTime() - graceDays * DAY;
        for (const s of subs) {
          const row = await db.subscription.create({
            data: {
              userId: user.id,
              tierId: tierIds[s.tier],
              status: s.status,
              pastDueSince: s.pastDueOffset === null ? null : new Date(graceEnd + s.pastDueOffset),
              endedAt: s.ended ? new Date(graceEnd) : null,
            },
          });
          const updatedAt = new Date(graceEnd + s.updatedOffset);
          await db.$executeRaw`UPDATE "Subscription" SET "updatedAt" = ${updatedAt} WHERE "id" = ${row.id}`;
        }
        const rows = await db.subscription.findMany({ where: { userId: user.id } });
        const sqlGrants = await db.$queryRaw<Array<{ id: string; grants: boolean }>>`
          SELECT s."id", ${subscriptionGrantsAccess("s", now)} AS "grants" FROM "Subscription" s WHERE s."userId" = ${user.id}`;
        for (const row of rows) {
          expect(sqlGrants.find((g) => g.id === row.id)?.grants, `${row.status} ${row.pastDueSince?.toISOString()} ${row.updatedAt.toISOString()} grace ${graceDays}`).toBe(
            grantsAccess(row, graceDays, now),
          );
        }
        const [{ holds }] = await db.$queryRaw<Array<{ holds: boolean }>>`SELECT ${holdsVotingTier(Prisma.sql`${user.id}`, now)} AS "holds"`;
        const membership = await currentMembership(user.id, now);
        expect(holds).toBe(membership?.tier.canVote ?? false);
      }),
      { numRuns: 150 },
    );
    await db.clubSettings.update({ where: { id: 1 }, data: { pastDueGraceDays: 7 } });
  });
});

describe("weighted totals after a tier change", () => {
  it("the board settles standings before it shows totals, and says when your own votes stopped counting", async () => {
    await ensureClubSettings();
    const item = await createRoadmapItem();
    const member = await createUser({ tier: "private-client" });
    await castVote(await ballotFor(member.id), item.id);
    // They move down to Professional: still a member, no longer a voter.
    await db.subscription.updateMany({ where: { userId: member.id }, data: { status: "CANCELED", endedAt: new Date() } });
    await db.subscription.create({ data: { userId: member.id, tierId: (await ensureTiers()).professional.id, status: "ACTIVE" } });
    const board = (await boardLoader(routeArgs(appRequest("/roadmap", { cookie: await sessionCookie(member.id) })))) as {
      items: Array<{ id: string; voteCount: number; weightedVotes: number; myVoteWeight: number | null }>;
      viewer: { canVote: boolean; hasLapsedVotes: boolean };
    };
    expect(board.items.find((i) => i.id === item.id)).toMatchObject({ voteCount: 1, weightedVotes: 0, myVoteWeight: 3 });
    expect(board.viewer).toMatchObject({ canVote: false, hasLapsedVotes: true });
  });

  it("a member who loses the voting tier keeps their votes on record, out of the weighted total, until they hold it again", async () => {
    await ensureClubSettings();
    const [first, second] = [await createRoadmapItem(), await createRoadmapItem()];
    const stays = await createUser({ tier: "private-client" });
    const leaves = await createUser({ tier: "private-client" });
    for (const item of [first, second]) {
      await castVote(await ballotFor(stays.id), item.id);
      await castVote(await ballotFor(leaves.id), item.id);
    }
    expect(await totals(first.id)).toEqual({ voteCount: 2, weightedVotes: 6 });

    // A webhook cancels the subscription; the next read of the board settles the standing.
    await db.subscription.updateMany({ where: { userId: leaves.id }, data: { status: "CANCELED", endedAt: new Date() } });
    expect(await syncVoterStandings()).toBe(1);
    for (const item of [first, second]) expect(await totals(item.id)).toEqual({ voteCount: 2, weightedVotes: 3 });
    expect(await db.roadmapVote.count({ where: { userId: leaves.id } })).toBe(2);
    expect((await db.roadmapVoter.findUniqueOrThrow({ where: { userId: leaves.id } })).counting).toBe(false);
    // Nothing drifts twice.
    expect(await syncVoterStandings()).toBe(0);
    expect(await totals(first.id)).toEqual({ voteCount: 2, weightedVotes: 3 });

    // They come back to Private Client: their old votes count again.
    await db.subscription.updateMany({ where: { userId: leaves.id }, data: { status: "ACTIVE", endedAt: null } });
    expect(await syncVoterStandings()).toBe(1);
    for (const item of [first, second]) expect(await totals(item.id)).toEqual({ voteCount: 2, weightedVotes: 6 });
  });

  it("a downgrade to a tier that does not vote stops the votes counting", async () => {
    const tiers = await ensureTiers();
    const item = await createRoadmapItem();
    const member = await createUser({ tier: "private-client" });
    await castVote(await ballotFor(member.id), item.id);
    await db.subscription.updateMany({ where: { userId: member.id }, data: { status: "CANCELED" } });
    await db.subscription.create({ data: { userId: member.id, tierId: tiers.professional.id, status: "ACTIVE" } });
    await syncVoterStandings();
    expect(await totals(item.id)).toEqual({ voteCount: 1, weightedVotes: 0 });
  });

  it("a payment failure keeps the votes counting through the grace period only", async () => {
    await ensureClubSettings();
    const item = await createRoadmapItem();
    const member = await createUser({ tier: "private-client" });
    await castVote(await ballotFor(member.id), item.id);
    await db.subscription.updateMany({ where: { userId: member.id }, data: { status: "PAST_DUE", pastDueSince: new Date(Date.now() - 6 * DAY) } });
    await syncVoterStandings();
    expect(await totals(item.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
    await syncVoterStandings(new Date(Date.now() + 2 * DAY));
    expect(await totals(item.id)).toEqual({ voteCount: 1, weightedVotes: 0 });
  });

  it("a lapsed member who votes again after renewing counts in full, once", async () => {
    const [old, fresh] = [await createRoadmapItem(), await createRoadmapItem()];
    const member = await createUser({ tier: "private-client" });
    await castVote(await ballotFor(member.id), old.id);
    await db.subscription.updateMany({ where: { userId: member.id }, data: { status: "CANCELED" } });
    await syncVoterStandings();
    expect(await totals(old.id)).toEqual({ voteCount: 1, weightedVotes: 0 });
    // Renewed; they vote before any board read has settled their standing.
    await db.subscription.updateMany({ where: { userId: member.id }, data: { status: "ACTIVE" } });
    await castVote(await ballotFor(member.id), fresh.id);
    expect(await totals(old.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
    expect(await totals(fresh.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
    expect(await syncVoterStandings()).toBe(0);
    expect(await totals(old.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
  });

  it("a lapsed member may take back a vote; it leaves the raw count and the weighted total stays", async () => {
    const item = await createRoadmapItem();
    const [lapsed, active] = [await createUser({ tier: "private-client" }), await createUser({ tier: "private-client" })];
    await castVote(await ballotFor(lapsed.id), item.id);
    await castVote(await ballotFor(active.id), item.id);
    await db.subscription.updateMany({ where: { userId: lapsed.id }, data: { status: "UNPAID" } });
    await syncVoterStandings();
    expect(await totals(item.id)).toEqual({ voteCount: 2, weightedVotes: 3 });
    await withdrawVote(lapsed.id, item.id);
    expect(await totals(item.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
  });
});
