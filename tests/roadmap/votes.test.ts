import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { currentMembership } from "~/billing/access.server";
import { castVote, withdrawVote } from "~/roadmap/votes.server";
import { changeItemStatus, mergeItems } from "~/roadmap/items.server";
import { createRoadmapItem, createUser, ensureTiers } from "../factories";

async function voter(tier: "private-client" | "professional" | "community" = "private-client") {
  const user = await createUser({ tier });
  const membership = await currentMembership(user.id);
  return { user, ballot: { userId: user.id, tier: membership?.tier } };
}

async function totals(itemId: string) {
  const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: itemId }, select: { voteCount: true, weightedVotes: true } });
  const rows = await db.roadmapVote.count({ where: { itemId } });
  return { ...item, rows };
}

describe("voting", () => {
  it("records a vote with the voter's tier weight, and takes it back", async () => {
    const item = await createRoadmapItem();
    const { ballot } = await voter();
    const cast = await castVote(ballot, item.id);
    expect(cast).toMatchObject({ ok: true, voted: true, changed: true, voteCount: 1, weightedVotes: 3 });
    const vote = await db.roadmapVote.findUniqueOrThrow({ where: { itemId_userId: { itemId: item.id, userId: ballot.userId } } });
    expect(vote.weight).toBe(3);
    const withdrawn = await withdrawVote(ballot.userId, item.id);
    expect(withdrawn).toMatchObject({ ok: true, voted: false, changed: true, voteCount: 0, weightedVotes: 0 });
    expect(await totals(item.id)).toEqual({ voteCount: 0, weightedVotes: 0, rows: 0 });
  });

  it("50 parallel votes from one member leave exactly one vote", async () => {
    const item = await createRoadmapItem();
    const { ballot } = await voter();
    const results = await Promise.all(Array.from({ length: 50 }, () => castVote(ballot, item.id)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.changed)).toHaveLength(1);
    expect(await totals(item.id)).toEqual({ voteCount: 1, weightedVotes: 3, rows: 1 });
  });

  it("50 parallel withdrawals take the one vote back once", async () => {
    const item = await createRoadmapItem();
    const { ballot } = await voter();
    await castVote(ballot, item.id);
    const results = await Promise.all(Array.from({ length: 50 }, () => withdrawVote(ballot.userId, item.id)));
    expect(results.filter((r) => r.ok && r.changed)).toHaveLength(1);
    expect(await totals(item.id)).toEqual({ voteCount: 0, weightedVotes: 0, rows: 0 });
  });

  it("100 members voting at once give a total of exactly 100", async () => {
    const item = await createRoadmapItem();
    const voters = await Promise.all(Array.from({ length: 100 }, () => voter()));
    const results = await Promise.all(voters.map(({ ballot }) => castVote(ballot, item.id)));
    expect(results.every((r) => r.ok && r.changed)).toBe(true);
    expect(await totals(item.id)).toEqual({ voteCount: 100, weightedVotes: 300, rows: 100 });
  });

  it("mixed votes and withdrawals at once keep the counters equal to the votes", async () => {
    const item = await createRoadmapItem();
    const voters = await Promise.all(Array.from({ length: 30 }, () => voter()));
    await Promise.all(voters.slice(0, 15).map(({ ballot }) => castVote(ballot, item.id)));
    await Promise.all([
      ...voters.slice(0, 10).map(({ ballot }) => withdrawVote(ballot.userId, item.id)),
      ...voters.slice(15).map(({ ballot }) => castVote(ballot, item.id)),
      ...voters.slice(15).map(({ ballot }) => castVote(ballot, item.id)),
    ]);
    expect(await totals(item.id)).toEqual({ voteCount: 20, weightedVotes: 60, rows: 20 });
  });

  it("refuses members whose tier does not vote, and writes nothing", async () => {
    const item = await createRoadmapItem();
    for (const tier of ["professional", "community"] as const) {
      const { ballot } = await voter(tier);
      expect(await castVote(ballot, item.id)).toEqual({ ok: false, reason: "not-entitled" });
    }
    const lapsed = await createUser({ tier: "private-client", status: "CANCELED" });
    expect(await castVote({ userId: lapsed.id, tier: (await currentMembership(lapsed.id))?.tier }, item.id)).toEqual({
      ok: false,
      reason: "not-entitled",
    });
    expect(await totals(item.id)).toEqual({ voteCount: 0, weightedVotes: 0, rows: 0 });
  });

  it("refuses votes on declined and merged items and on unknown ones", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const declined = await createRoadmapItem();
    await changeItemStatus(declined.id, "DECLINED", { actorId: owner.id });
    const duplicate = await createRoadmapItem();
    const target = await createRoadmapItem();
    await mergeItems(duplicate.id, target.id, owner.id);
    const { ballot } = await voter();
    expect(await castVote(ballot, declined.id)).toEqual({ ok: false, reason: "declined" });
    expect(await castVote(ballot, duplicate.id)).toEqual({ ok: false, reason: "merged" });
    expect(await castVote(ballot, "no-such-item")).toEqual({ ok: false, reason: "not-found" });
    expect(await db.roadmapVote.count({ where: { userId: ballot.userId } })).toBe(0);
  });

  it("keeps the weight a vote was cast with when the tier's weight changes later", async () => {
    const tiers = await ensureTiers();
    const item = await createRoadmapItem();
    const { ballot } = await voter();
    await castVote(ballot, item.id);
    await db.tier.update({ where: { id: tiers["private-client"].id }, data: { voteWeight: 5 } });
    const { ballot: later } = await voter();
    await castVote(later, item.id);
    await db.tier.update({ where: { id: tiers["private-client"].id }, data: { voteWeight: 3 } });
    const weights = (await db.roadmapVote.findMany({ where: { itemId: item.id }, orderBy: { createdAt: "asc" } })).map((v) => v.weight);
    expect(weights.sort()).toEqual([3, 5]);
    expect(await totals(item.id)).toEqual({ voteCount: 2, weightedVotes: 8, rows: 2 });
  });
});
