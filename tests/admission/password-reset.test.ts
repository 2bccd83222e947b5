import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { PASSWORD_RESET_VALIDITY_MS } from "~/admission/account-tokens.server";
import { logIn } from "~/auth/login.server";
import { hashToken } from "~/auth/tokens.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, fieldErrors, linkToken, outcome } from "./support";

afterAll(() => stopQueue());
beforeAll(() => ensureClubSettings());

let ipCounter = 0;
const freshIp = () => `198.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const NEW_PASSWORD = "an entirely new passphrase";

function forgot(email: string, { ip = freshIp(), website }: { ip?: string; website?: string } = {}) {
  return outcome(forgotAction(routeArgs(appRequest("/forgot-password", { ip, form: { email, ...(website ? { website } : {}) } }))));
}

function reset(token: string, password = NEW_PASSWORD, confirmPassword = password) {
  return outcome(resetAction(routeArgs(appRequest(`/reset-password/${token}`, { form: { password, confirmPassword } }), { token })));
}

async function resetToken(email: string) {
  const [message] = await emailsTo(email);
  expect(message.template).toBe("password-reset");
  return linkToken(message.text, "/reset-password/");
}

describe("password reset", () => {
  it("emails a one-hour link; the new password works, the old does not, and every session ends", async () => {
    const user = await createUser({ locale: "ru" });
    await sessionCookie(user.id);
    await sessionCookie(user.id);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);

    const asked = await forgot(user.email.toUpperCase());
    expect(asked.data.sent).toBe(true);
    const token = await resetToken(user.email);
    const stored = await db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(stored.purpose).toBe("PASSWORD_RESET");
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeCloseTo(PASSWORD_RESET_VALIDITY_MS, -3);
    expect((await emailsTo(user.email))[0].locale).toBe("ru");

    expect((await outcome(resetLoader(routeArgs(appRequest("/"), { token })))).status).toBe(200);
    const done = await reset(token);
    expect(done.status).toBe(200);
    expect(done.data.done).toBe(true);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await logIn(appRequest("/login"), user.email, user.password)).ok).toBe(false);
    expect((await logIn(appRequest("/login"), user.email, NEW_PASSWORD)).ok).toBe(true);
  });

  it("works once: the same link again is refused and changes nothing", async () => {
    const user = await createUser();
    await forgot(user.email);
    const token = await resetToken(user.email);
    expect((await reset(token)).status).toBe(200);
    const again = await reset(token, "yet another passphrase");
    expect([again.status, again.data.problem]).toEqual([410, "used"]);
    expect((await logIn(appRequest("/login"), user.email, NEW_PASSWORD)).ok).toBe(true);
    const page = await outcome(resetLoader(routeArgs(appRequest("/"), { token })));
    expect([page.status, page.data.problem]).toEqual([410, "used"]);
  });

  it("expires after an hour", async () => {
    const user = await createUser();
    await forgot(user.email);
    const token = await resetToken(user.email);
    await db.accountToken.update({
      where: { tokenHash: hashToken(token) },
      data: { expiresAt: new Date(Date.now() - 1000), createdAt: new Date(Date.now() - PASSWORD_RESET_VALIDITY_MS - 1000) },
    });
    const page = await outcome(resetLoader(routeArgs(appRequest("/"), { token })));
    expect([page.status, page.data.problem]).toEqual([410, "expired"]);
    const attempt = await reset(token);
    expect([attempt.status, attempt.data.problem]).toEqual([410, "expired"]);
    expect((await logIn(appRequest("/login"), user.email, user.password)).ok).toBe(true);
  });

  it("answers the same for an unknown email, and sends nothing", async () => {
    const result = await forgot("nobody-here@example.com");
    expect(result.status).toBe(200);
    expect(result.data.sent).toBe(true);
    expect(await db.email.count({ where: { to: "nobody-here@example.com" } })).toBe(0);
    const unknown = await outcome(resetLoader(routeArgs(appRequest("/"), { token: "q".repeat(32) })));
    expect([unknown.status, unknown.data.problem]).toEqual([404, "unknown"]);
  });

  it("refuses a common or short new password next to the field, and keeps the link usable", async () => {
    const user = await createUser();
    await forgot(user.email);
    const token = await resetToken(user.email);
    const common = await reset(token, "iloveyou123");
    expect(common.status).toBe(400);
    expect(fieldErrors(common.data.result).password).toEqual(["admission.password.common"]);
    expect((await reset(token)).status).toBe(200);
  });

  it("limits requests: the fourth for one account in an hour gets 429", async () => {
    const user = await createUser();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await forgot(user.email)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await db.email.count({ where: { to: user.email } })).toBe(3);
    const limited = await forgot(user.email);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("ignores a filled honeypot", async () => {
    const user = await createUser();
    const result = await forgot(user.email, { website: "spam" });
    expect(result.data.sent).toBe(true);
    expect(await db.email.count({ where: { to: user.email } })).toBe(0);
  });
});

describe("a new password of nothing but spaces", () => {
  it("is refused next to the field, and the link still works", async () => {
    const user = await createUser();
    await forgot(user.email);
    const token = await resetToken(user.email);
    const refused = await reset(token, " ".repeat(16));
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.data.result).password).toEqual(["admission.password.blank"]);
    expect((await reset(token)).status).toBe(200);
  });
});
