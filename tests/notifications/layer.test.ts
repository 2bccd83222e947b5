/** The notifications layer: one member in the caller's transaction, audiences through one fan-out job. */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { currentMembership } from "~/billing/access.server";
import { expandFanout, expandPendingFanouts, notify } from "~/notifications/notify.server";
import { changeItemStatus, mergeItems } from "~/roadmap/items.server";
import { castVote } from "~/roadmap/votes.server";
import { createRoadmapItem, createUser, ensureClubSettings } from "../factories";

async function voter(options: { locale?: "en" | "ru" } = {}) {
  const user = await createUser({ tier: "private-client", ...options });
  return { ...user, ballot: { userId: user.id, tier: (await currentMembership(user.id))?.tier } };
}

const fanoutJobs = () => db.$queryRaw<Array<{ id: string }>>`SELECT id FROM pgboss.job WHERE name = 'notification-fanout'`;

describe("notify: one member", () => {
  it("writes the in-app entry and the email with its delivery job, only if the caller's transaction commits", async () => {
    const member = await createUser({ locale: "ru" });
    const notice = { kind: "ROADMAP_MERGE", values: { from: "A", into: "B" }, url: "/roadmap/b" } as const;
    await expect(
      db.$transaction(async (tx) => {
        await notify(tx, { userId: member.id, ...notice });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.notification.count({ where: { userId: member.id } })).toBe(0);
    expect(await db.email.count({ where: { userId: member.id } })).toBe(0);

    const delivered = await db.$transaction((tx) => notify(tx, { userId: member.id, ...notice }));
    expect(delivered).toEqual({ IN_APP: 1, EMAIL: 1, TELEGRAM: 0 });
    const [entry] = await db.notification.findMany({ where: { userId: member.id } });
    expect(entry).toMatchObject({ kind: "ROADMAP_MERGE", url: "/roadmap/b", readAt: null, values: { from: "A", into: "B" } });
    const [email] = await db.email.findMany({ where: { userId: member.id } });
    expect(email).toMatchObject({ template: "roadmap-merged", locale: "ru", subject: "Ваш голос перенесён в «B»" });
    const jobs = await db.$queryRaw<unknown[]>`SELECT 1 FROM pgboss.job WHERE name = 'email' AND data->>'emailId' = ${email.id}`;
    expect(jobs).toHaveLength(1);
  });

  it("tells a deactivated member nothing", async () => {
    const gone = await createUser();
    await db.user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    const delivered = await db.$transaction((tx) =>
      notify(tx, { userId: gone.id, kind: "ROADMAP_MERGE", values: { from: "A", into: "B" }, url: "/roadmap/b" }),
    );
    expect(delivered).toEqual({ IN_APP: 0, EMAIL: 0, TELEGRAM: 0 });
  });
});

describe("audiences: a status change", () => {
  it("queues ONE fan-out job in the change's transaction; the worker tells voters in the order they voted, then the author", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const author = await createUser({ tier: "community" });
    const item = await createRoadmapItem({ authorId: author.id, title: "Audit log export" });
    const voters = [await voter(), await voter({ locale: "ru" }), await voter()];
    for (const v of voters) await castVote(v.ballot, item.id);
    const jobsBefore = (await fanoutJobs()).length;

    expect(await changeItemStatus(item.id, "IN_PROGRESS", { actorId: owner.id })).toEqual({ ok: true, notified: 3 });
    // Nothing was sent inside the request: one fan-out row and one job.
    expect((await fanoutJobs()).length).toBe(jobsBefore + 1);
    expect(await db.notification.count({ where: { url: `/roadmap/${item.id}` } })).toBe(0);
    expect(await db.email.count({ where: { text: { contains: item.id } } })).toBe(0);

    await expandPendingFanouts();
    const entries = await db.notification.findMany({ where: { url: `/roadmap/${item.id}` }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => e.userId)).toEqual([...voters.map((v) => v.id), author.id]);
    expect(entries.at(-1)?.values).toMatchObject({ audience: "author", to: "IN_PROGRESS" });
    const emails = await db.email.findMany({ where: { text: { contains: item.id } }, orderBy: { createdAt: "asc" } });
    expect(emails.map((e) => e.template)).toEqual(["roadmap-status", "roadmap-status", "roadmap-status", "roadmap-suggestion-status"]);
    expect(emails[1]).toMatchObject({ locale: "ru", subject: "Дорожная карта: «Audit log export» — В работе" });

    // A retried job finds the fan-out finished and tells nobody twice.
    const [fanout] = await db.notificationFanout.findMany({ where: { url: `/roadmap/${item.id}` } });
    expect(fanout).toMatchObject({ recipients: 4 });
    expect(fanout.completedAt).not.toBeNull();
    await expandFanout(fanout.id);
    expect(await db.notification.count({ where: { url: `/roadmap/${item.id}` } })).toBe(4);
    expect(await db.email.count({ where: { text: { contains: item.id } } })).toBe(4);
  });

  it("does not tell the author separately when they voted, nor when they made the change", async () => {
    await ensureClubSettings();
    const curator = await voter();
    const item = await createRoadmapItem({ authorId: curator.id });
    await castVote(curator.ballot, item.id);
    await changeItemStatus(item.id, "PLANNED", { actorId: curator.id });
    await expandPendingFanouts();
    expect(await db.notification.count({ where: { userId: curator.id, url: `/roadmap/${item.id}` } })).toBe(1);
  });

  it("tells a merged duplicate's voters where their vote went, through one fan-out", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const duplicate = await createRoadmapItem({ title: "SSO for Okta" });
    const target = await createRoadmapItem({ title: "SAML single sign-on" });
    const voters = [await voter(), await voter()];
    for (const v of voters) await castVote(v.ballot, duplicate.id);
    await mergeItems(duplicate.id, target.id, owner.id);
    expect(await db.notification.count({ where: { kind: "ROADMAP_MERGE", url: `/roadmap/${target.id}` } })).toBe(0);
    await expandPendingFanouts();
    const entries = await db.notification.findMany({ where: { kind: "ROADMAP_MERGE", url: `/roadmap/${target.id}` }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => e.userId)).toEqual(voters.map((v) => v.id));
  });
});
