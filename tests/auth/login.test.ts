import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as loginAction } from "~/routes/login";
import { isCrossOriginWrite } from "~/auth/origin";
import { DEVICE_COOKIE } from "~/auth/devices.server";
import { safeRedirectTo } from "~/auth/guards.server";
import { LOGIN_FAILURES, LOGIN_FAILURES_PER_ADDRESS } from "~/auth/rate-limit.server";
import { createUser } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

async function attempt(email: string, password: string, ip = "203.0.113.10", cookie?: string) {
  const response = (await settle(loginAction(routeArgs(appRequest("/login", { form: { email, password }, ip, cookie }))))) as
    | Response
    | { type: string; init: ResponseInit | null; data: { error?: Record<string, string[]> } };
  return response;
}

function statusOf(result: Awaited<ReturnType<typeof attempt>>): number {
  if (result instanceof Response) return result.status;
  return result.init?.status ?? 200;
}

function formError(result: Awaited<ReturnType<typeof attempt>>): string | undefined {
  if (result instanceof Response) return undefined;
  return result.data.error?.[""]?.[0];
}

describe("signing in", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Lax cookie", async () => {
    const user = await createUser({ password: "a long enough password" });
    const result = await attempt(user.email, "a long enough password");
    expect(result).toBeInstanceOf(Response);
    const cookie = (result as Response).headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^coterie_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const user = await createUser();
    const wrong = await attempt(user.email, "not the password", "203.0.113.11");
    const unknown = await attempt("nobody@example.com", "not the password", "203.0.113.12");
    expect(statusOf(wrong)).toBe(401);
    expect(statusOf(unknown)).toBe(401);
    expect(formError(wrong)).toBe("login.invalid");
    expect(formError(unknown)).toBe(formError(wrong));
  });

  it("refuses an address after many failures, and other accounts from it are not locked by one account's failures", async () => {
    const ip = "198.51.100.20";
    const victim = await createUser({ password: "the right password" });
    const colleague = await createUser({ password: "a colleague's password" });
    for (let i = 0; i < LOGIN_FAILURES.limit; i += 1) await attempt(victim.email, "nope", ip);
    // The same office address: the colleague still signs in.
    expect(statusOf(await attempt(colleague.email, "a colleague's password", ip))).toBe(302);
    await db.rateLimitHit.createMany({
      data: Array.from({ length: LOGIN_FAILURES_PER_ADDRESS.limit }, () => ({ bucket: LOGIN_FAILURES_PER_ADDRESS.bucket, key: `ip:${ip}` })),
    });
    const refused = await attempt("someone@example.com", "nope", ip);
    expect(statusOf(refused)).toBe(429);
    expect(refused instanceof Response ? null : new Headers(refused.init?.headers).get("Retry-After")).toMatch(/^[1-9]\d*$/);
    // Another address is not affected.
    expect(statusOf(await attempt("someone@example.com", "nope", "198.51.100.21"))).toBe(401);
  });

  it("counts 40 wrong passwords sent at once exactly: 10 are evaluated, 30 refused", async () => {
    const user = await createUser({ password: "the right password" });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(user.email, `wrong ${i}`, `192.0.2.${i + 1}`)));
    const statuses = results.map(statusOf);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_FAILURES.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - LOGIN_FAILURES.limit);
  });

  it("lets the member in from a browser they signed in from before, though strangers locked the account", async () => {
    const user = await createUser({ password: "the right password" });
    const first = (await attempt(user.email, "the right password")) as Response;
    const device = first.headers.getSetCookie().find((cookie) => cookie.startsWith(`${DEVICE_COOKIE}=`))!;
    expect(device).toMatch(/HttpOnly/);
    const deviceCookie = device.split(";")[0];
    for (let i = 0; i < LOGIN_FAILURES.limit; i += 1) await attempt(user.email, "a stranger's guess", `203.0.113.${100 + i}`);
    // A stranger with the right password is still refused...
    expect(statusOf(await attempt(user.email, "the right password", "203.0.113.150"))).toBe(429);
    // ...the member on their own browser is not.
    const back = await attempt(user.email, "the right password", "203.0.113.151", deviceCookie);
    expect(statusOf(back)).toBe(302);
    // Wrong passwords typed on the known browser count against that browser.
    for (let i = 0; i < LOGIN_FAILURES.limit; i += 1) {
      await attempt(user.email, "typo", `203.0.113.${160 + i}`, deviceCookie);
    }
    const locked = await attempt(user.email, "the right password", "203.0.113.180", deviceCookie);
    expect(statusOf(locked)).toBe(429);
  });

  it("refuses the 11th failure per account from any address, even with the right password", async () => {
    const user = await createUser({ password: "the right password" });
    for (let i = 0; i < 10; i += 1) await attempt(user.email, "nope", `192.0.2.${i + 1}`);
    const result = await attempt(user.email, "the right password", "192.0.2.200");
    expect(statusOf(result)).toBe(429);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("creates a new session at sign-in rather than reusing one", async () => {
    const user = await createUser({ password: "the right password" });
    const first = (await attempt(user.email, "the right password")) as Response;
    const second = (await attempt(user.email, "the right password")) as Response;
    expect(first.headers.get("Set-Cookie")).not.toBe(second.headers.get("Set-Cookie"));
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
  });

  it("shows field errors for an empty form", async () => {
    const result = await attempt("", "");
    expect(statusOf(result)).toBe(400);
    expect(result instanceof Response ? null : result.data.error?.email).toEqual(["form.required"]);
  });
});

describe("request guards", () => {
  it("refuses cross-site writes and allows same-origin and header-less ones", () => {
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
    const allowed = ["http://localhost:3000"];
    expect(isCrossOriginWrite("POST", headers({ origin: "https://evil.example" }), allowed)).toBe(true);
    expect(isCrossOriginWrite("POST", headers({ origin: "null" }), allowed)).toBe(true);
    expect(isCrossOriginWrite("POST", headers({ "sec-fetch-site": "cross-site" }), allowed)).toBe(true);
    expect(isCrossOriginWrite("POST", headers({ origin: "http://localhost:3000" }), allowed)).toBe(false);
    expect(isCrossOriginWrite("POST", headers({}), allowed)).toBe(false);
    expect(isCrossOriginWrite("GET", headers({ origin: "https://evil.example" }), allowed)).toBe(false);
  });

  it("only redirects to paths on this site after sign-in", () => {
    expect(safeRedirectTo("/forum?x=1")).toBe("/forum?x=1");
    expect(safeRedirectTo("//evil.example")).toBe("/");
    expect(safeRedirectTo("/\\evil.example")).toBe("/");
    expect(safeRedirectTo("https://evil.example")).toBe("/");
    expect(safeRedirectTo(null, "/forum")).toBe("/forum");
  });
});
