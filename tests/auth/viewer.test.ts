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

    const membership = await currentMembership(user.id);
    expect(membership?.tier).toEqual(await db.tier.findUniqueOrThrow({ where: { id: held.tierId } }));
    expect(membership?.subscription).toEqual(await db.subscription.findUniqueOrThrow({ where: { id: held.id } }));
    expect(membership?.graceEndsAt).toBeNull();
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
