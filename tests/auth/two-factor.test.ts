import { createHmac } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getViewer } from "~/auth/guards.server";
import { TWO_FACTOR_ATTEMPTS } from "~/auth/rate-limit.server";
import { CHALLENGE_COOKIE } from "~/auth/two-factor.server";
import { hashToken, generateToken } from "~/auth/tokens.server";
import { stopQueue } from "~/jobs/queue.server";
import { loader as adminLayoutLoader } from "~/routes/admin";
import { action as invitesAction, loader as invitesLoader } from "~/routes/admin.invites._index";
import { loader as accountLoader } from "~/routes/account";
import { action as twoFactorAction, loader as twoFactorLoader } from "~/routes/account_.two-factor";
import { action as loginAction } from "~/routes/login";
import { action as secondStepAction, loader as secondStepLoader } from "~/routes/login_.two-factor";
import { action as resetAction } from "~/routes/reset-password.$token";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { fieldErrors, outcome } from "../admission/support";
import { appRequest, routeArgs } from "../support/requests";

afterAll(() => stopQueue());
beforeAll(() => ensureClubSettings());

// An authenticator app, written here from RFC 6238 rather than with the library the app uses.
function codeAtStep(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", decodeBase32IgnorePadding(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}
const stepNow = () => Math.floor(Date.now() / 30_000);

/** Tests that use the steps either side of now must not straddle a step's end: wait out its last seconds. */
async function awayFromStepEnd() {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 6_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

let ipCounter = 0;
const freshIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

const INVALID = ["twoFactor.code.invalid"];

function postTwoFactor(cookie: string, form: Record<string, string>) {
  return outcome(twoFactorAction(routeArgs(appRequest("/account/two-factor", { cookie, form }))));
}

/** Turns two-factor on for a user through the page, as they would; returns their secret and codes. */
async function enable(user: { id: string }) {
  const cookie = await sessionCookie(user.id);
  expect((await postTwoFactor(cookie, { intent: "begin" })).location).toBe("/account/two-factor");
  const { secret } = await db.twoFactorCredential.findUniqueOrThrow({ where: { userId: user.id } });
  const confirmed = await postTwoFactor(cookie, { intent: "confirm", code: codeAtStep(secret, stepNow() - 1) });
  expect(confirmed.status).toBe(200);
  return { cookie, secret, recoveryCodes: confirmed.data.recoveryCodes as string[] };
}

function signIn(email: string, password: string, ip = freshIp()) {
  return outcome(loginAction(routeArgs(appRequest("/login", { ip, form: { email, password, redirectTo: "/roadmap" } }))));
}

/** The challenge cookie the password step set, as the browser sends it back. */
function challengeCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((value) => value.startsWith(`${CHALLENGE_COOKIE}=`));
  if (!cookie) throw new Error("no challenge cookie");
  return cookie.split(";")[0];
}

function secondStep(cookie: string, form: Record<string, string>) {
  return outcome(secondStepAction(routeArgs(appRequest("/login/two-factor", { cookie, form }))));
}

describe("setting up two-factor sign-in", () => {
  it("shows a QR code and the key, confirms with a code, and shows ten recovery codes once, stored hashed", async () => {
    const user = await createUser({ role: "CURATOR" });
    const cookie = await sessionCookie(user.id);
    const before = await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie }))));
    expect(before.data.state).toEqual({ enabled: false, pending: null });

    await postTwoFactor(cookie, { intent: "begin" });
    const pending = await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie }))));
    const { secret } = await db.twoFactorCredential.findUniqueOrThrow({ where: { userId: user.id } });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(pending.data.state.pending.key).toBe(secret.match(/.{4}/g)!.join(" "));
    expect(pending.data.state.pending.qrSvg).toMatch(/^<svg[^>]*viewBox/);

    // A wrong code does not confirm it; the message sits at the field.
    const wrong = await postTwoFactor(cookie, { intent: "confirm", code: codeAtStep(secret, stepNow() - 5) });
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.data.result).code).toEqual(INVALID);
    expect((await db.twoFactorCredential.findUniqueOrThrow({ where: { userId: user.id } })).confirmedAt).toBeNull();
    // Not six digits: a form error, before any code is checked.
    expect(fieldErrors((await postTwoFactor(cookie, { intent: "confirm", code: "12ab" })).data.result).code).toEqual(["twoFactor.code.format"]);

    const confirmed = await postTwoFactor(cookie, { intent: "confirm", code: codeAtStep(secret, stepNow()) });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.data.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const stored = await db.twoFactorRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash).sort()).toEqual(codes.map((code) => hashToken(code.replace("-", ""))).sort());
    expect(JSON.stringify(stored)).not.toContain(codes[0].slice(0, 5));
    expect(await db.auditEntry.findMany({ where: { subjectId: user.id }, select: { action: true, actorId: true, subjectType: true } })).toEqual([
      { action: "two-factor.enable", actorId: user.id, subjectType: "User" },
    ]);

    const after = await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie }))));
    expect(after.data.state).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(after.data.state).not.toHaveProperty("pending");
    // A confirmed authenticator is not replaced by starting set-up again.
    await postTwoFactor(cookie, { intent: "begin" });
    expect((await db.twoFactorCredential.findUniqueOrThrow({ where: { userId: user.id } })).secret).toBe(secret);
  });
});

describe("signing in with two-factor", () => {
  it("asks for the code after the right password, with no session before it, and then signs in", async () => {
    await awayFromStepEnd();
    const user = await createUser();
    const { secret } = await enable(user);
    await db.session.deleteMany({ where: { userId: user.id } });

    const password = await signIn(user.email, user.password);
    expect(password.status).toBe(302);
    expect(password.location).toBe("/login/two-factor");
    expect(password.headers.getSetCookie().some((value) => value.startsWith("coterie_session="))).toBe(false);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const challenge = challengeCookieOf(password.headers);
    const setCookie = password.headers.getSetCookie().find((value) => value.startsWith(`${CHALLENGE_COOKIE}=`))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const [row] = await db.twoFactorChallenge.findMany({ where: { userId: user.id } });
    // The cookie holds the token (Remix's cookie encoding: base64 of JSON), the row only its SHA-256.
    const token = JSON.parse(Buffer.from(decodeURIComponent(challenge.split("=")[1]), "base64").toString()) as string;
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(row.id).toBe(hashToken(token));
    expect(row.redirectTo).toBe("/roadmap");
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await outcome(secondStepLoader(routeArgs(appRequest("/login/two-factor", { cookie: challenge }))))).status).toBe(200);

    const done = await secondStep(challenge, { intent: "totp", code: codeAtStep(secret, stepNow()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/roadmap");
    const cookies = done.headers.getSetCookie();
    const session = cookies.find((value) => value.startsWith("coterie_session="))!;
    expect(cookies.some((value) => value.startsWith("coterie_device="))).toBe(true);
    expect(cookies.find((value) => value.startsWith(`${CHALLENGE_COOKIE}=`))).toMatch(/Max-Age=0/);
    expect((await getViewer(appRequest("/forum", { cookie: session.split(";")[0] })))?.user.id).toBe(user.id);
    expect(await db.twoFactorChallenge.count({ where: { userId: user.id } })).toBe(0);

    // The challenge is gone: the page sends the browser back to sign in, with a message.
    const again = await outcome(secondStepLoader(routeArgs(appRequest("/login/two-factor", { cookie: challenge }))));
    expect(again.location).toBe("/login?twoFactor=expired");
  });

  it("refuses a wrong, a reused and an expired code with one message, and creates no session", async () => {
    await awayFromStepEnd();
    const user = await createUser();
    const { secret } = await enable(user); // used the previous step
    await db.session.deleteMany({ where: { userId: user.id } });
    const challenge = challengeCookieOf((await signIn(user.email, user.password)).headers);

    const wrongDigits = (Number(codeAtStep(secret, stepNow())) + 1) % 1_000_000;
    const wrong = await secondStep(challenge, { intent: "totp", code: String(wrongDigits).padStart(6, "0") });
    const reused = await secondStep(challenge, { intent: "totp", code: codeAtStep(secret, stepNow() - 1) });
    const expired = await secondStep(challenge, { intent: "totp", code: codeAtStep(secret, stepNow() - 3) });
    for (const refused of [wrong, reused, expired]) {
      expect(refused.status).toBe(400);
      expect(fieldErrors(refused.data.result).code).toEqual(INVALID);
    }
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

    // The current step works once; the same code a second time (a second browser) does not.
    const code = codeAtStep(secret, stepNow());
    const other = challengeCookieOf((await signIn(user.email, user.password)).headers);
    const [first, second] = await Promise.all([
      secondStep(challenge, { intent: "totp", code }),
      secondStep(other, { intent: "totp", code }),
    ]);
    expect([first.status, second.status].sort()).toEqual([302, 400]);
    expect(fieldErrors([first, second].find((result) => result.status === 400)!.data.result).code).toEqual(INVALID);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("accepts a recovery code once, in any case and with or without the dash", async () => {
    const user = await createUser();
    const { recoveryCodes } = await enable(user);
    const first = challengeCookieOf((await signIn(user.email, user.password)).headers);
    const used = await secondStep(first, { intent: "recovery", code: recoveryCodes[3].toUpperCase().replace("-", " ") });
    expect(used.status).toBe(302);

    const second = challengeCookieOf((await signIn(user.email, user.password)).headers);
    const again = await secondStep(second, { intent: "recovery", code: recoveryCodes[3] });
    expect(again.status).toBe(400);
    expect(fieldErrors(again.data.result).code).toEqual(INVALID);
    expect(await db.twoFactorRecoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
    const cookie = await sessionCookie(user.id);
    expect((await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie }))))).data.state.recoveryCodesLeft).toBe(9);
  });

  it("answers the eleventh code in ten minutes with 429 and Retry-After, even a right one", async () => {
    const user = await createUser();
    const { secret } = await enable(user);
    const challenge = challengeCookieOf((await signIn(user.email, user.password)).headers);
    for (let i = 0; i < TWO_FACTOR_ATTEMPTS.limit; i += 1) {
      expect((await secondStep(challenge, { intent: "totp", code: "000000" === codeAtStep(secret, stepNow()) ? "000001" : "000000" })).status).toBe(400);
    }
    const limited = await secondStep(challenge, { intent: "totp", code: codeAtStep(secret, stepNow()) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^[1-9]\d*$/);
    expect(Number(limited.headers.get("Retry-After"))).toBeLessThanOrEqual(600);
    expect(fieldErrors(limited.data.result).code).toEqual(['twoFactor.rateLimited|{"minutes":10}']);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1); // the one enable() made
  });

  it("sends a browser without a live challenge back to sign in", async () => {
    const user = await createUser();
    await enable(user);
    const challenge = challengeCookieOf((await signIn(user.email, user.password)).headers);
    await db.twoFactorChallenge.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await secondStep(challenge, { intent: "totp", code: "123456" });
    expect(late.status).toBe(302);
    expect(late.location).toBe("/login?twoFactor=expired");
    const none = await outcome(secondStepLoader(routeArgs(appRequest("/login/two-factor"))));
    expect(none.location).toBe("/login?twoFactor=expired");
  });

  it("a password reset signs nobody in, and the new password still needs the code", async () => {
    const user = await createUser();
    await enable(user);
    await db.session.deleteMany({ where: { userId: user.id } });
    const token = generateToken();
    await db.accountToken.create({
      data: { tokenHash: hashToken(token), purpose: "PASSWORD_RESET", userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const newPassword = "an entirely new passphrase";
    const reset = await outcome(
      resetAction(routeArgs(appRequest(`/reset-password/${token}`, { form: { password: newPassword, confirmPassword: newPassword } }), { token })),
    );
    expect(reset.status).toBe(200);
    expect(reset.data.done).toBe(true);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const signedIn = await signIn(user.email, newPassword);
    expect(signedIn.location).toBe("/login/two-factor");
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("managing two-factor sign-in", () => {
  it("turns off only with a fresh code (or a recovery code), and makes new recovery codes only with a fresh code", async () => {
    await awayFromStepEnd();
    const user = await createUser({ role: "OWNER" });
    const { cookie, secret, recoveryCodes } = await enable(user); // used the previous step

    // The code that turned it on cannot turn it off; nor can a recovery code make new ones.
    const stale = await postTwoFactor(cookie, { intent: "disable", code: codeAtStep(secret, stepNow() - 1) });
    expect(fieldErrors(stale.data.result).code).toEqual(INVALID);
    const byRecovery = await postTwoFactor(cookie, { intent: "regenerate", code: recoveryCodes[0] });
    expect(fieldErrors(byRecovery.data.result).code).toEqual(["twoFactor.code.format"]);

    const regenerated = await postTwoFactor(cookie, { intent: "regenerate", code: codeAtStep(secret, stepNow()) });
    const fresh = regenerated.data.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    expect(await db.twoFactorRecoveryCode.count({ where: { userId: user.id, codeHash: hashToken(recoveryCodes[0].replace("-", "")) } })).toBe(0);

    // An old recovery code no longer works; a new one turns it off.
    expect(fieldErrors((await postTwoFactor(cookie, { intent: "disable", code: recoveryCodes[1] })).data.result).code).toEqual(INVALID);
    const off = await postTwoFactor(cookie, { intent: "disable", code: fresh[0] });
    expect(off.location).toBe("/account/two-factor?off=1");
    expect(await db.twoFactorCredential.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.twoFactorRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const audit = await db.auditEntry.findMany({ where: { subjectId: user.id }, orderBy: { id: "asc" }, select: { action: true, actorId: true } });
    expect(audit).toEqual([
      { action: "two-factor.enable", actorId: user.id },
      { action: "two-factor.recovery-codes", actorId: user.id },
      { action: "two-factor.disable", actorId: user.id },
    ]);
    // Signing in is the password alone again.
    expect((await signIn(user.email, user.password)).location).toBe("/roadmap");
  });
});

describe("the club's requirement for staff", () => {
  async function requireForStaff(on: boolean) {
    await db.clubSettings.update({ where: { id: 1 }, data: { staffTwoFactorRequired: on } });
  }

  it("sends staff without two-factor from /admin loaders and actions to set it up, and lets them through once it is on", async () => {
    const owner = await createUser({ role: "OWNER" });
    const curator = await createUser({ role: "CURATOR" });
    const member = await createUser();
    const ownerCookie = await sessionCookie(owner.id);
    const curatorCookie = await sessionCookie(curator.id);
    await requireForStaff(true);
    try {
      const layout = await outcome(adminLayoutLoader(routeArgs(appRequest("/admin", { cookie: curatorCookie }))));
      expect(layout.status).toBe(302);
      expect(layout.location).toBe("/account/two-factor");
      const page = await outcome(invitesLoader(routeArgs(appRequest("/admin/invites", { cookie: ownerCookie }))));
      expect(page.location).toBe("/account/two-factor");
      const write = await outcome(invitesAction(routeArgs(appRequest("/admin/invites", { cookie: ownerCookie, form: { intent: "revoke", inviteId: "none" } }))));
      expect(write.status).toBe(302);
      expect(write.location).toBe("/account/two-factor");

      // The page they land on says why; their other pages are unaffected.
      const setup = await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie: ownerCookie }))));
      expect(setup.data.required).toBe(true);
      expect((await outcome(accountLoader(routeArgs(appRequest("/account", { cookie: ownerCookie }))))).status).toBe(200);
      // A member is refused /admin as before (403), not sent to set up two-factor.
      const memberCookie = await sessionCookie(member.id);
      expect((await outcome(adminLayoutLoader(routeArgs(appRequest("/admin", { cookie: memberCookie }))))).status).toBe(403);

      await enable(owner);
      expect((await outcome(invitesLoader(routeArgs(appRequest("/admin/invites", { cookie: ownerCookie }))))).status).toBe(200);
      const revoke = await outcome(invitesAction(routeArgs(appRequest("/admin/invites", { cookie: ownerCookie, form: { intent: "revoke", inviteId: "none" } }))));
      expect(revoke.status).toBe(409); // the action ran: there is no such invite
      expect((await outcome(twoFactorLoader(routeArgs(appRequest("/account/two-factor", { cookie: ownerCookie }))))).data.required).toBe(false);
    } finally {
      await requireForStaff(false);
    }
    // Without the requirement, staff without two-factor reach /admin.
    expect((await outcome(adminLayoutLoader(routeArgs(appRequest("/admin", { cookie: curatorCookie }))))).status).toBe(200);
  });

  it("brings the two facts with the viewer's one query", async () => {
    const curator = await createUser({ role: "CURATOR" });
    const cookie = await sessionCookie(curator.id);
    expect((await getViewer(appRequest("/forum", { cookie })))?.twoFactor).toEqual({ enabled: false, requiredOfStaff: false });
    await enable(curator);
    await requireForStaff(true);
    try {
      expect((await getViewer(appRequest("/forum", { cookie })))?.twoFactor).toEqual({ enabled: true, requiredOfStaff: true });
    } finally {
      await requireForStaff(false);
    }
  });
});
