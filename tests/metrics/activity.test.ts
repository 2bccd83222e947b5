import { beforeEach, describe, expect, it } from "vitest";
import { logIn } from "~/auth/login.server";
import { db } from "~/db.server";
import { ensureActivityRollup, flushActivity, recordActivity, recordPresence } from "~/metrics/activity.server";
import { addActivity, createPeople, createUser } from "../factories";
import { appRequest } from "../support/requests";

beforeEach(async () => {
  await flushActivity();
  await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
  await db.$executeRawUnsafe(`DELETE FROM "ActivityRollup"`);
});

describe("recording activity", () => {
  it("only buffers on the request path, and writes the buffer in one go", async () => {
    const [member] = await createPeople(1);
    recordActivity(member.id, "POST");
    recordActivity(member.id, "REPLY");
    recordActivity(member.id, "VOTE");
    // Nothing has reached the database yet: the request did not wait for it.
    expect(await db.activityEvent.count()).toBe(0);
    await flushActivity();
    const events = await db.activityEvent.findMany({ where: { userId: member.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["POST", "REPLY", "VOTE"]);
    expect(Date.now() - events[0].occurredAt.getTime()).toBeLessThan(60_000);
  });

  it("writes large bursts in batches and loses nothing", async () => {
    const people = await createPeople(20);
    for (let i = 0; i < 1_234; i += 1) recordActivity(people[i % 20].id, "VISIT");
    await flushActivity();
    expect(await db.activityEvent.count()).toBe(1_234);
  });

  it("skips events of people who no longer exist instead of failing the batch", async () => {
    const [member] = await createPeople(1);
    recordActivity("no-such-member", "POST");
    recordActivity(member.id, "POST");
    await flushActivity();
    expect(await db.activityEvent.findMany({ select: { userId: true } })).toEqual([{ userId: member.id }]);
  });

  it("notes a signed-in member's visit at most once a day", async () => {
    const [member] = await createPeople(1);
    const morning = new Date("2030-01-02T08:00:00Z");
    recordPresence(member.id, morning);
    recordPresence(member.id, new Date("2030-01-02T18:00:00Z"));
    recordPresence(member.id, new Date("2030-01-03T08:00:00Z"));
    await flushActivity();
    expect(await db.activityEvent.count({ where: { userId: member.id, kind: "VISIT" } })).toBe(2);
  });

  it("records a sign-in from the login", async () => {
    const user = await createUser();
    const result = await logIn(appRequest("/login", { form: {} }), user.email, user.password);
    expect(result.ok).toBe(true);
    await flushActivity();
    expect(await db.activityEvent.count({ where: { userId: user.id, kind: "SIGN_IN" } })).toBe(1);
  });
});

describe("activity rollups", () => {
  it("keeps each member's latest activity, however events are inserted", async () => {
    const [a, b] = await createPeople(2);
    await addActivity(a.id, "VISIT", new Date("2025-03-01T10:00:00Z"));
    await db.activityEvent.createMany({
      data: [
        { userId: a.id, kind: "POST", occurredAt: new Date("2025-04-01T10:00:00Z") },
        { userId: a.id, kind: "VISIT", occurredAt: new Date("2025-02-01T10:00:00Z") },
        { userId: b.id, kind: "VOTE", occurredAt: new Date("2025-01-05T10:00:00Z") },
      ],
    });
    const latest = await db.memberActivity.findMany({ orderBy: { userId: "asc" } });
    expect(Object.fromEntries(latest.map((l) => [l.userId, l.lastActiveAt.toISOString()]))).toEqual({
      [a.id]: "2025-04-01T10:00:00.000Z",
      [b.id]: "2025-01-05T10:00:00.000Z",
    });
  });

  it("counts activity per member and local month, and rebuilds when the time zone changes", async () => {
    const [member] = await createPeople(1);
    // 22:30 UTC on 31 May is already June in Moscow.
    await addActivity(member.id, "POST", new Date("2025-05-31T22:30:00Z"));
    await ensureActivityRollup("UTC");
    await addActivity(member.id, "VOTE", new Date("2025-05-10T12:00:00Z"));
    await addActivity(member.id, "VISIT", new Date("2025-06-10T12:00:00Z"));
    const months = async () =>
      (await db.activityMonth.findMany({ where: { userId: member.id }, orderBy: { month: "asc" } })).map((m) => ({
        month: m.month.toISOString().slice(0, 7),
        events: m.events,
        posts: m.posts,
        contributions: m.contributions,
      }));
    expect(await months()).toEqual([
      { month: "2025-05", events: 2, posts: 1, contributions: 2 },
      { month: "2025-06", events: 1, posts: 0, contributions: 0 },
    ]);
    await ensureActivityRollup("Europe/Moscow");
    expect(await months()).toEqual([
      { month: "2025-05", events: 1, posts: 0, contributions: 1 },
      { month: "2025-06", events: 2, posts: 1, contributions: 1 },
    ]);
    expect((await db.activityRollup.findUnique({ where: { id: 1 } }))?.timeZone).toBe("Europe/Moscow");
  });
});
