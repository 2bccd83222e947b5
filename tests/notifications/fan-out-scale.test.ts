/** A status change on an item with 10,000 voters: fast for the owner, the fan-out after the commit. */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { expandFanout } from "~/notifications/notify.server";
import { changeItemStatus, VOTERS_LISTED } from "~/roadmap/items.server";
import { loader as itemLoader } from "~/routes/roadmap.$itemId";
import { createRoadmapItem, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

const VOTERS = 10_000;

/** 10,000 members who voted for `itemId`, written in bulk (the factories would take minutes). */
async function seedVoters(itemId: string) {
  const run = crypto.randomUUID().slice(0, 8);
  await db.$executeRaw`
    INSERT INTO "User" ("id", "email", "name", "locale", "updatedAt")
    SELECT ${run} || '-v' || g, ${run} || '-voter' || g || '@example.com', 'Voter ' || g,
           (CASE WHEN g % 3 = 0 THEN 'ru' ELSE 'en' END)::"Locale", now()
    FROM generate_series(1, ${VOTERS}::int) g`;
  await db.$executeRaw`
    INSERT INTO "RoadmapVote" ("itemId", "userId", "weight", "createdAt")
    SELECT ${itemId}, ${run} || '-v' || g, 3, now() - interval '1 day' + g * interval '1 second'
    FROM generate_series(1, ${VOTERS}::int) g`;
  // Some turned email off for status changes: they get it in the app only.
  await db.$executeRaw`
    INSERT INTO "NotificationPreference" ("userId", "kind", "channel", "enabled")
    SELECT ${run} || '-v' || g, 'ROADMAP_STATUS', 'EMAIL', false FROM generate_series(1, 100) g`;
  return run;
}

describe("a status change with 10,000 voters", () => {
  it("returns in under a second with one fan-out job, and the worker then queues all 10,000, voters in vote order, then the author", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    const author = await createUser({ tier: "community" });
    const item = await createRoadmapItem({ authorId: author.id, title: "Regional failover" });
    const run = await seedVoters(item.id);
    const url = `/roadmap/${item.id}`;

    const started = performance.now();
    const result = await changeItemStatus(item.id, "SHIPPED", { actorId: owner.id });
    const requestMs = performance.now() - started;
    expect(result).toEqual({ ok: true, notified: VOTERS });
    expect(requestMs).toBeLessThan(1000);
    // Nothing of the fan-out ran in the change's transaction.
    expect(await db.notification.count({ where: { url } })).toBe(0);
    expect(await db.email.count({ where: { template: "roadmap-shipped", userId: { startsWith: run } } })).toBe(0);
    const [fanout] = await db.notificationFanout.findMany({ where: { url } });
    const jobs = await db.$queryRaw<unknown[]>`SELECT 1 FROM pgboss.job WHERE name = 'notification-fanout' AND data->>'fanoutId' = ${fanout.id}`;
    expect(jobs).toHaveLength(1);

    // What the owner's browser loads right after the change (the page's revalidating loader):
    // the first voters and the totals, not all 10,000 voters.
    const loaderStarted = performance.now();
    const page = (await itemLoader(routeArgs(appRequest(url, { cookie: await sessionCookie(owner.id) }), { itemId: item.id }))) as {
      voters: Array<{ name: string }>;
      voterCount: number;
      lapsedVoters: number;
    };
    const loaderMs = performance.now() - loaderStarted;
    expect(page.voters).toHaveLength(VOTERS_LISTED);
    expect(page.voters[0].name).toBe("Voter 1");
    expect(page.voterCount).toBe(VOTERS);
    expect(page.lapsedVoters).toBe(0);
    expect(requestMs + loaderMs).toBeLessThan(1000);

    const expandStarted = performance.now();
    await expandFanout(fanout.id);
    const expandMs = performance.now() - expandStarted;
    expect(await db.notification.count({ where: { url } })).toBe(VOTERS + 1);
    const emails = await db.email.count({ where: { userId: { startsWith: run }, template: "roadmap-shipped" } });
    expect(emails).toBe(VOTERS - 100);
    const emailJobs = await db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pgboss.job j JOIN "Email" e ON e.id = j.data->>'emailId'
      WHERE j.name = 'email' AND e."userId" LIKE ${`${run}%`}`;
    expect(emailJobs[0].n).toBe(VOTERS - 100);
    // Batches go in vote order: the first thousand voters are told before the last thousand, the author last.
    const [order] = await db.$queryRaw<Array<{ firstDone: Date; lastStarted: Date; lastVoter: Date; authorAt: Date }>>`
      SELECT max(n."createdAt") FILTER (WHERE substring(n."userId" from '-v([0-9]+)$')::int <= 1000) AS "firstDone",
             min(n."createdAt") FILTER (WHERE substring(n."userId" from '-v([0-9]+)$')::int > 9000) AS "lastStarted",
             max(n."createdAt") FILTER (WHERE n."userId" LIKE ${`${run}-v%`}) AS "lastVoter",
             max(n."createdAt") FILTER (WHERE n."userId" = ${author.id}) AS "authorAt"
      FROM "Notification" n WHERE n."url" = ${url}`;
    expect(order.firstDone.getTime()).toBeLessThanOrEqual(order.lastStarted.getTime());
    expect(order.lastVoter.getTime()).toBeLessThanOrEqual(order.authorAt.getTime());
    const ru = await db.email.findFirstOrThrow({ where: { userId: `${run}-v300`, template: "roadmap-shipped" } });
    expect(ru).toMatchObject({ locale: "ru", subject: "Выпущено: «Regional failover»" });
    console.info(`status change: ${requestMs.toFixed(0)} ms, the item page's loader after it ${loaderMs.toFixed(0)} ms; all ${VOTERS} notifications queued after ${expandMs.toFixed(0)} ms more`);
  }, 120_000);
});
