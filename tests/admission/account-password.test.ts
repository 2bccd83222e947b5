import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { verifyPassword } from "~/auth/password.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { loader as queueLoader } from "~/routes/admin.applications._index";
import { loader as invitesLoader } from "~/routes/admin.invites._index";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { createApplication, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { fieldErrors, outcome } from "./support";

afterAll(() => stopQueue());

const OLD = "correct horse battery staple";
const NEW = "a lantern over the harbour 77";

async function change(cookie: string, form: Record<string, string>) {
  return outcome(accountAction(routeArgs(appRequest("/account", { cookie, form: { intent: "change-password", ...form } }))));
}

describe("changing the password on /account", () => {
  it("asks for the current password, sets the new one and signs out every other browser, not this one", async () => {
    const user = await createUser({ password: OLD });
    const cookie = await sessionCookie(user.id);
    await sessionCookie(user.id);
    await sessionCookie(user.id);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(3);

    const wrong = await change(cookie, { currentPassword: "not my password at all", password: NEW, confirmPassword: NEW });
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.data.password).currentPassword).toEqual(["account.password.wrong"]);
    const mismatch = await change(cookie, { currentPassword: OLD, password: NEW, confirmPassword: `${NEW}!` });
    expect(mismatch.status).toBe(400);
    expect(fieldErrors(mismatch.data.password).confirmPassword).toEqual(["admission.password.mismatch"]);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash!, OLD)).toBe(true);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(3);

    const done = await change(cookie, { currentPassword: OLD, password: NEW, confirmPassword: NEW });
    expect(done.status).toBe(200);
    expect(done.data.changed).toBe(true);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash!, NEW)).toBe(true);
    expect(await verifyPassword(after.passwordHash!, OLD)).toBe(false);
    // This browser is still signed in; the two others are not.
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect((await outcome(accountLoader(routeArgs(appRequest("/account", { cookie }))))).status).toBe(200);
  });

  it("refuses a common new password at the field, and stops guessing the current one after ten tries", async () => {
    const user = await createUser({ password: OLD });
    const cookie = await sessionCookie(user.id);
    const common = await change(cookie, { currentPassword: OLD, password: "password123", confirmPassword: "password123" });
    expect(common.status).toBe(400);
    expect(fieldErrors(common.data.password).password).toBeTruthy();
    for (let i = 0; i < 10; i++) await change(cookie, { currentPassword: `guess number ${i}`, password: NEW, confirmPassword: NEW });
    const limited = await change(cookie, { currentPassword: OLD, password: NEW, confirmPassword: NEW });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});

describe("a page past the last one", () => {
  it("redirects to the last page on the review queue, the invites and the outbox, keeping the other parameters", async () => {
    await ensureClubSettings();
    const owner = await createUser({ role: "OWNER", tier: "private-client" });
    await createApplication();
    const cookie = await sessionCookie(owner.id);
    for (const [path, loader] of [
      ["/admin/applications", queueLoader],
      ["/admin/invites", invitesLoader],
      ["/admin/outbox", outboxLoader],
    ] as const) {
      const past = await outcome(loader(routeArgs(appRequest(`${path}?status=all&page=9`, { cookie }))));
      expect(past.status, path).toBe(302);
      expect(past.location, path).toBe(`${path}?status=all&page=1`);
      expect((await outcome(loader(routeArgs(appRequest(`${path}?status=all&page=1`, { cookie }))))).status, path).toBe(200);
    }
  });
});
