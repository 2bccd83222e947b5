import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { hashToken } from "~/auth/tokens.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { getViewer } from "~/auth/guards.server";
import { loader as adminLoader } from "~/routes/admin";
import { action as accountAction } from "~/routes/account";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

describe("sessions", () => {
  it("stores only the SHA-256 of the token, never the token", async () => {
    const user = await createUser();
    const { token } = await createSession(user.id);
    const rows = await db.session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(hashToken(token));
    expect(rows[0].id).not.toContain(token);
    const raw = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "Session"`);
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it("treats a tampered cookie as signed out", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const [name, value] = cookie.split("=");
    const tampered = `${name}=${value.slice(0, -4)}${value.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expect(await getViewer(appRequest("/", { cookie }))).not.toBeNull();
    expect(await getViewer(appRequest("/", { cookie: tampered }))).toBeNull();
    expect(await getViewer(appRequest("/", { cookie: `${name}=not-a-session` }))).toBeNull();
  });

  it("treats an expired session as signed out and deletes it", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await getViewer(appRequest("/", { cookie }))).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("slides the expiry forward when a session is used late in its window", async () => {
    const user = await createUser();
    const { token } = await createSession(user.id);
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: soon } });
    const session = await validateSessionToken(token);
    expect(session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    const stored = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.expiresAt.getTime()).toBe(session!.expiresAt.getTime());
  });

  it("signs out everywhere", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    await sessionCookie(user.id);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
    const response = await settle(accountAction(routeArgs(appRequest("/account", { cookie, form: { intent: "sign-out-everywhere" } }))));
    expect((response as Response).status).toBe(302);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("roles", () => {
  it("gives a member 403 on /admin, and lets curators and owners in", async () => {
    const member = await createUser({ role: "MEMBER" });
    const curator = await createUser({ role: "CURATOR" });
    const owner = await createUser({ role: "OWNER" });
    const asMember = await settle(adminLoader(routeArgs(appRequest("/admin", { cookie: await sessionCookie(member.id) }))));
    expect((asMember as Response).status).toBe(403);
    for (const staff of [curator, owner]) {
      const result = await settle(adminLoader(routeArgs(appRequest("/admin", { cookie: await sessionCookie(staff.id) }))));
      expect(result).toBeNull();
    }
  });

  it("sends a visitor to the sign-in page from /admin", async () => {
    const result = (await settle(adminLoader(routeArgs(appRequest("/admin"))))) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
  });
});
