import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getViewer, REQUEST_KEY_HEADER } from "~/auth/guards.server";
import { currentMembership } from "~/billing/access.server";
import { addMembership, createUser, sessionCookie } from "../factories";
import { appRequest } from "../support/requests";

describe("the viewer of a request", () => {
  it("reads the membership's subscription and tier exactly as the database holds them", async () => {
    const user = await createUser();
    await addMembership(user.id, { tier: "community", startedAt: new Date("2026-01-01T00:00:00Z") });
    const held = await addMembership(user.id, { tier: "private-client", startedAt: new Date("2026-02-03T04:05:06.789Z") });
    await db.tier.update({ where: { id: held.tierId }, data: { archivedAt: new Date("2026-03-04T05:06:07.089Z") } });

    const tier = await db.tier.findUniqueOrThrow({ where: { id: held.tierId } });
    const subscription = await db.subscription.findUniqueOrThrow({ where: { id: held.id } });
    const membership = await currentMembership(user.id);
    expect(membership?.tier).toEqual(tier);
    expect(membership?.subscription).toEqual(subscription);
    expect(membership?.graceEndsAt).toBeNull();

    // A page's viewer brings the same membership with its session, in one round trip.
    const viewer = await getViewer(appRequest("/forum", { cookie: await sessionCookie(user.id) }));
    expect(viewer?.user).toEqual(await db.user.findUniqueOrThrow({ where: { id: user.id } }));
    expect(viewer?.membership).toEqual(membership);
    expect(viewer?.survey).toEqual({ memberSince: new Date("2026-01-01T00:00:00Z"), lastAnsweredAt: null });
  });

  it("brings the grace period and the last survey answer with the session", async () => {
    const user = await createUser();
    const pastDueSince = new Date(Date.now() - 2 * 86_400_000);
    const held = await addMembership(user.id, { tier: "professional", status: "PAST_DUE", startedAt: new Date("2026-01-01T00:00:00Z") });
    await db.subscription.update({ where: { id: held.id }, data: { pastDueSince } });
    const answeredAt = new Date("2026-05-06T07:08:09.123Z");
    await db.npsResponse.create({ data: { userId: user.id, score: 9, createdAt: answeredAt } });

    const viewer = await getViewer(appRequest("/forum", { cookie: await sessionCookie(user.id) }));
    expect(viewer?.membership?.graceEndsAt).toEqual(new Date(pastDueSince.getTime() + 7 * 86_400_000));
    expect(viewer?.membership).toEqual(await currentMembership(user.id));
    expect(viewer?.survey?.lastAnsweredAt).toEqual(answeredAt);
  });

  it("shares one lookup between the loaders of one page, and only for the same cookies", async () => {
    const [anna, boris] = [await createUser(), await createUser()];
    const [annaCookie, borisCookie] = [await sessionCookie(anna.id), await sessionCookie(boris.id)];
    const page = (cookie: string, key: string, method = "GET") =>
      appRequest("/forum", { cookie, method, headers: { [REQUEST_KEY_HEADER]: key } });

    const first = getViewer(page(annaCookie, "key-1"));
    expect(getViewer(page(annaCookie, "key-1"))).toBe(first);
    expect((await first)?.user.id).toBe(anna.id);

    // Another request, or the same key with someone else's cookie, looks up afresh.
    expect(getViewer(page(annaCookie, "key-2"))).not.toBe(first);
    const other = getViewer(page(borisCookie, "key-1"));
    expect(other).not.toBe(first);
    expect((await other)?.user.id).toBe(boris.id);

    // An action may change the viewer, so writes never share a lookup.
    expect(getViewer(page(annaCookie, "key-3", "POST"))).not.toBe(getViewer(page(annaCookie, "key-3", "POST")));
  });
});
