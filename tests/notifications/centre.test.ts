/** The in-app centre (/notifications, the bell's count) and the preferences grid's form. */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getViewer } from "~/auth/guards.server";
import { NOTIFICATIONS_PAGE_SIZE } from "~/notifications/centre.server";
import { preferenceGrid } from "~/notifications/preferences.server";
import { loader as rootLoader } from "~/root";
import { action as centreAction, loader as centreLoader } from "~/routes/notifications";
import { action as preferencesAction } from "~/routes/notifications.preferences";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

async function seedEntries(userId: string, count: number) {
  const start = Date.UTC(2026, 10, 1);
  await db.notification.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      userId,
      kind: "ROADMAP_MERGE" as const,
      values: { from: `Item ${i}`, into: "Target" },
      url: `/roadmap/item-${i}`,
      createdAt: new Date(start + i * 60_000),
    })),
  });
}

type CentreData = Awaited<ReturnType<typeof centreLoader>>;
const readCentre = async (cookie: string, path = "/notifications") => (await centreLoader(routeArgs(appRequest(path, { cookie })))) as CentreData;

describe("the notification centre", () => {
  it("lists the member's own entries newest first, 20 a page, each linking to its place, in their language", async () => {
    const member = await createUser({ locale: "ru" });
    const other = await createUser();
    await seedEntries(member.id, NOTIFICATIONS_PAGE_SIZE + 5);
    await seedEntries(other.id, 3);
    const cookie = await sessionCookie(member.id);
    const first = await readCentre(cookie);
    expect(first.entries).toHaveLength(NOTIFICATIONS_PAGE_SIZE);
    expect(first.hasOlder).toBe(true);
    expect(first.entries[0]).toMatchObject({ url: "/roadmap/item-24", read: false, line: "«Item 24» объединён с «Target»; ваш голос перенесён туда" });
    const second = await readCentre(cookie, "/notifications?page=2");
    expect(second.entries.map((e) => e.url)).toEqual(["/roadmap/item-4", "/roadmap/item-3", "/roadmap/item-2", "/roadmap/item-1", "/roadmap/item-0"]);
    expect(second.hasOlder).toBe(false);
  });

  it("answers a page that is not a number with 400, not 500", async () => {
    const member = await createUser();
    const response = await settle(centreLoader(routeArgs(appRequest("/notifications?page=abc", { cookie: await sessionCookie(member.id) }))));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
  });

  it("marks one read, and all read; another member's entry cannot be marked", async () => {
    const member = await createUser();
    const other = await createUser();
    await seedEntries(member.id, 3);
    await seedEntries(other.id, 1);
    const cookie = await sessionCookie(member.id);
    const [newest] = (await readCentre(cookie)).entries;
    const [othersEntry] = await db.notification.findMany({ where: { userId: other.id } });

    const marked = (await centreAction(routeArgs(appRequest("/notifications", { cookie, form: { intent: "read", id: newest.id } })))) as Response;
    expect(marked.status).toBe(302);
    expect((await readCentre(cookie)).entries.map((e) => e.read)).toEqual([true, false, false]);
    await centreAction(routeArgs(appRequest("/notifications", { cookie, form: { intent: "read", id: othersEntry.id } })));
    expect((await db.notification.findUniqueOrThrow({ where: { id: othersEntry.id } })).readAt).toBeNull();

    await centreAction(routeArgs(appRequest("/notifications", { cookie, form: { intent: "read-all" } })));
    expect((await readCentre(cookie)).entries.every((e) => e.read)).toBe(true);
    expect(await db.notification.count({ where: { userId: other.id, readAt: null } })).toBe(1);

    const junk = await settle(centreAction(routeArgs(appRequest("/notifications", { cookie, form: { intent: "delete-everything" } }))));
    expect((junk as Response).status).toBe(400);
  });

  it("the bell's count comes with the viewer (no query of its own), for members and staff", async () => {
    const member = await createUser({ tier: "professional" });
    const curator = await createUser({ role: "CURATOR" });
    await seedEntries(member.id, 3);
    await seedEntries(curator.id, 120);
    await db.notification.updateMany({ where: { userId: member.id, url: "/roadmap/item-0" }, data: { readAt: new Date() } });
    const memberViewer = await getViewer(appRequest("/forum", { cookie: await sessionCookie(member.id) }));
    expect(memberViewer?.unreadNotifications).toBe(2);
    const root = await rootLoader(routeArgs(appRequest("/forum", { cookie: await sessionCookie(curator.id) })));
    // Counted up to 100; the bell shows 99+.
    expect(root.viewer?.unreadNotifications).toBe(100);
  });
});

describe("the preferences grid's form", () => {
  it("stores the ticked cells as on and every other cell as off, the way a browser without JavaScript posts it", async () => {
    const member = await createUser();
    const cookie = await sessionCookie(member.id);
    const form = { "FORUM_REPLY:IN_APP": "on", "FORUM_MENTION:IN_APP": "on", "FORUM_MENTION:EMAIL": "on", "ROADMAP_STATUS:EMAIL": "on" };
    const saved = (await preferencesAction(routeArgs(appRequest("/notifications/preferences", { cookie, form })))) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/account?notifications=saved#notifications");
    expect(await preferenceGrid(member.id)).toEqual({
      FORUM_REPLY: { IN_APP: true, EMAIL: false, TELEGRAM: false },
      FORUM_MENTION: { IN_APP: true, EMAIL: true, TELEGRAM: false },
      ROADMAP_STATUS: { IN_APP: false, EMAIL: true, TELEGRAM: false },
      ROADMAP_MERGE: { IN_APP: false, EMAIL: false, TELEGRAM: false },
      DIGEST: { IN_APP: false, EMAIL: false, TELEGRAM: false },
      FOLLOW_UP: { IN_APP: false, EMAIL: false, TELEGRAM: false },
    });
    const bad = await settle(preferencesAction(routeArgs(appRequest("/notifications/preferences", { cookie, form: { "FORUM_REPLY:EMAIL": "yes please" } }))));
    expect((bad as Response).status).toBe(400);
  });

  it("the migration's backfill turns off on email what a member had turned off before the grid", async () => {
    const { readFile } = await import("node:fs/promises");
    const sql = await readFile("prisma/migrations/20261202150000_notifications/migration.sql", "utf8");
    const backfill = sql.slice(sql.indexOf("INSERT INTO \"NotificationPreference\""));
    const member = await createUser();
    await db.user.update({ where: { id: member.id }, data: { notifyReplies: false, weeklyDigest: false } });
    await db.notificationPreference.deleteMany({});
    await db.$executeRawUnsafe(backfill);
    const grid = await preferenceGrid(member.id);
    // Telegram came later than the grid: it is on until the member turns it off there.
    expect(grid.FORUM_REPLY).toEqual({ IN_APP: true, EMAIL: false, TELEGRAM: true });
    expect(grid.FORUM_MENTION).toEqual({ IN_APP: true, EMAIL: true, TELEGRAM: true });
    expect(grid.DIGEST).toEqual({ IN_APP: true, EMAIL: false, TELEGRAM: true });
  });
});
