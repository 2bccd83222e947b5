import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { currentMembership } from "~/billing/access.server";
import { expandPendingFanouts } from "~/notifications/notify.server";
import { addComment, changeItemStatus, mergeDestination, mergeItems } from "~/roadmap/items.server";
import { syncVoterStandings } from "~/roadmap/standing.server";
import { castVote } from "~/roadmap/votes.server";
import { createRoadmapItem, createUser, ensureClubSettings } from "../factories";

async function privateClient(options: { locale?: "en" | "ru"; name?: string } = {}) {
  const user = await createUser({ tier: "private-client", ...options });
  return { ...user, ballot: { userId: user.id, tier: (await currentMembership(user.id))?.tier } };
}

async function totals(itemId: string) {
  return db.roadmapItem.findUniqueOrThrow({ where: { id: itemId }, select: { voteCount: true, weightedVotes: true } });
}

describe("status changes", () => {
  it("records the change in the history and emails every voter in their own language", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const item = await createRoadmapItem({ title: "Backups to another region" });
    const english = await privateClient({ locale: "en" });
    const russian = await privateClient({ locale: "ru" });
    const bystander = await privateClient();
    for (const voter of [english, russian]) await castVote(voter.ballot, item.id);

    const result = await changeItemStatus(item.id, "PLANNED", { actorId: owner.id, note: "First regions in Q1." });
    expect(result).toEqual({ ok: true, notified: 2 });
    await expandPendingFanouts();

    const history = await db.roadmapStatusChange.findMany({ where: { itemId: item.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, "UNDER_REVIEW"],
      ["UNDER_REVIEW", "PLANNED"],
    ]);
    expect(history[1]).toMatchObject({ changedById: owner.id, note: "First regions in Q1." });
    expect((await db.roadmapItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("PLANNED");

    const emails = await db.email.findMany({ where: { template: "roadmap-status" } });
    expect(emails.map((e) => e.to).sort()).toEqual([english.email, russian.email].sort());
    const en = emails.find((e) => e.to === english.email)!;
    const ru = emails.find((e) => e.to === russian.email)!;
    expect(en).toMatchObject({ locale: "en", subject: "Roadmap: “Backups to another region” is now Planned" });
    expect(en.text).toContain("from Under review to Planned");
    expect(en.text).toContain("First regions in Q1.");
    expect(en.text).toContain(`/roadmap/${item.id}`);
    expect(ru).toMatchObject({ locale: "ru", subject: "Дорожная карта: «Backups to another region» — Запланировано" });
    expect(ru.text).toContain("На рассмотрении → Запланировано");
    expect(await db.email.count({ where: { to: bystander.email } })).toBe(0);
  });

  it("when an item ships, its voters are told before its author", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const author = await createUser({ tier: "community" });
    const item = await createRoadmapItem({ authorId: author.id, title: "SOC 2 report portal" });
    const voters = [await privateClient(), await privateClient(), await privateClient()];
    for (const voter of voters) await castVote(voter.ballot, item.id);

    await changeItemStatus(item.id, "SHIPPED", { actorId: owner.id });
    await expandPendingFanouts();

    const emails = await db.email.findMany({
      where: { template: { startsWith: "roadmap-" }, text: { contains: item.id } },
      orderBy: [{ createdAt: "asc" }],
    });
    expect(emails.map((e) => e.template)).toEqual(["roadmap-shipped", "roadmap-shipped", "roadmap-shipped", "roadmap-suggestion-status"]);
    expect(emails.slice(0, 3).map((e) => e.to).sort()).toEqual(voters.map((v) => v.email).sort());
    expect(emails[0].subject).toBe("Shipped: “SOC 2 report portal”");
    const authorEmail = emails[3];
    expect(authorEmail.to).toBe(author.email);
    for (const voterEmail of emails.slice(0, 3)) expect(voterEmail.createdAt.getTime()).toBeLessThan(authorEmail.createdAt.getTime());
    // Each email has its delivery job queued with it.
    const ids = emails.map((e) => e.id);
    const jobs = await db.$queryRaw<Array<{ emailId: string }>>`
      SELECT data->>'emailId' AS "emailId" FROM pgboss.job WHERE name = 'email' AND data->>'emailId' = ANY(${ids})`;
    expect(jobs.map((j) => j.emailId).sort()).toEqual([...ids].sort());
  });

  it("refuses a change to the same status, and a change on a merged item", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const item = await createRoadmapItem({ status: "PLANNED" });
    expect(await changeItemStatus(item.id, "PLANNED", { actorId: owner.id })).toEqual({ ok: false, reason: "unchanged" });
    const target = await createRoadmapItem();
    await mergeItems(item.id, target.id, owner.id);
    expect(await changeItemStatus(item.id, "SHIPPED", { actorId: owner.id })).toEqual({ ok: false, reason: "merged" });
    expect(await changeItemStatus("missing", "SHIPPED", { actorId: owner.id })).toEqual({ ok: false, reason: "not-found" });
  });
});

describe("merging duplicates", () => {
  it("moves the votes, counts each member once, and turns the duplicate into a redirect", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const duplicate = await createRoadmapItem({ title: "Geo-redundant backups" });
    const target = await createRoadmapItem({ title: "Backups to another region" });
    const [both, onlyDuplicate, onlyTarget] = [await privateClient(), await privateClient(), await privateClient()];
    await castVote(both.ballot, duplicate.id);
    await castVote(both.ballot, target.id);
    await castVote(onlyDuplicate.ballot, duplicate.id);
    await castVote(onlyTarget.ballot, target.id);
    const comment = await addComment(duplicate.id, onlyDuplicate.id, "We need this for the regulator.");
    expect(await totals(duplicate.id)).toEqual({ voteCount: 2, weightedVotes: 6 });
    expect(await totals(target.id)).toEqual({ voteCount: 2, weightedVotes: 6 });

    const result = await mergeItems(duplicate.id, target.id, owner.id);
    expect(result).toEqual({ ok: true, moved: 1, duplicates: 1 });

    expect(await totals(target.id)).toEqual({ voteCount: 3, weightedVotes: 9 });
    const voters = (await db.roadmapVote.findMany({ where: { itemId: target.id } })).map((v) => v.userId).sort();
    expect(voters).toEqual([both.id, onlyDuplicate.id, onlyTarget.id].sort());
    expect(await db.roadmapVote.count({ where: { itemId: duplicate.id } })).toBe(0);
    const merged = await db.roadmapItem.findUniqueOrThrow({ where: { id: duplicate.id } });
    expect(merged).toMatchObject({ mergedIntoId: target.id, mergedById: owner.id, voteCount: 0, weightedVotes: 0 });
    expect(merged.mergedAt).not.toBeNull();
    expect(await mergeDestination(duplicate.id)).toBe(target.id);
    expect(await mergeDestination(target.id)).toBeNull();
    expect((await db.roadmapComment.findUniqueOrThrow({ where: { id: comment.ok ? comment.comment.id : "" } })).itemId).toBe(target.id);
    // The duplicate's voters hear where their vote went.
    await expandPendingFanouts();
    const emails = await db.email.findMany({ where: { template: "roadmap-merged" } });
    expect(emails.map((e) => e.to).sort()).toEqual([both.email, onlyDuplicate.email].sort());
    expect(emails[0].subject).toBe("Your vote moved to “Backups to another region”");
  });

  it("keeps lapsed voters' votes on record but out of the weighted total after a merge", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const [duplicate, target] = [await createRoadmapItem(), await createRoadmapItem()];
    const lapsed = await privateClient();
    const active = await privateClient();
    await castVote(lapsed.ballot, duplicate.id);
    await castVote(active.ballot, duplicate.id);
    await castVote(active.ballot, target.id);
    await db.subscription.updateMany({ where: { userId: lapsed.id }, data: { status: "CANCELED" } });
    await syncVoterStandings();
    await mergeItems(duplicate.id, target.id, owner.id);
    expect(await totals(target.id)).toEqual({ voteCount: 2, weightedVotes: 3 });
  });

  it("follows earlier merges: items merged into the duplicate now lead to the target", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const [a, b, c] = [await createRoadmapItem(), await createRoadmapItem(), await createRoadmapItem()];
    const voter = await privateClient();
    await castVote(voter.ballot, a.id);
    await castVote(voter.ballot, c.id);
    await mergeItems(a.id, b.id, owner.id);
    expect(await totals(b.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
    await mergeItems(b.id, c.id, owner.id);
    expect(await mergeDestination(a.id)).toBe(c.id);
    expect((await db.roadmapItem.findUniqueOrThrow({ where: { id: a.id } })).mergedIntoId).toBe(c.id);
    expect(await totals(c.id)).toEqual({ voteCount: 1, weightedVotes: 3 });
  });

  it("refuses to merge an item into itself, into a merged item, or twice", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const [a, b, c] = [await createRoadmapItem(), await createRoadmapItem(), await createRoadmapItem()];
    expect(await mergeItems(a.id, a.id, owner.id)).toEqual({ ok: false, reason: "same" });
    expect(await mergeItems(a.id, b.id, owner.id)).toMatchObject({ ok: true });
    expect(await mergeItems(a.id, c.id, owner.id)).toEqual({ ok: false, reason: "merged" });
    expect(await mergeItems(c.id, a.id, owner.id)).toEqual({ ok: false, reason: "target-merged" });
    expect(await mergeItems(c.id, "missing", owner.id)).toEqual({ ok: false, reason: "target-not-found" });
    expect(await mergeItems("missing", c.id, owner.id)).toEqual({ ok: false, reason: "not-found" });
  });

  it("votes cast while a merge runs end up counted once, on the target", async () => {
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const [duplicate, target] = [await createRoadmapItem(), await createRoadmapItem()];
    const voters = await Promise.all(Array.from({ length: 20 }, () => privateClient()));
    for (const voter of voters.slice(0, 5)) await castVote(voter.ballot, target.id);
    const results = await Promise.all([
      ...voters.map((voter) => castVote(voter.ballot, duplicate.id)),
      mergeItems(duplicate.id, target.id, owner.id),
      ...voters.map((voter) => castVote(voter.ballot, target.id)),
    ]);
    expect(results.every((r) => r.ok || ("reason" in r && r.reason === "merged"))).toBe(true);
    expect(await totals(target.id)).toEqual({ voteCount: 20, weightedVotes: 60 });
    expect(await db.roadmapVote.count({ where: { itemId: target.id } })).toBe(20);
    expect(await db.roadmapVote.count({ where: { itemId: duplicate.id } })).toBe(0);
  });
});
