import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { decideApplication } from "~/admission/applications.server";
import { issueEmailVerification } from "~/admission/account-tokens.server";
import { redeemInvite } from "~/admission/invites.server";
import { getViewer } from "~/auth/guards.server";
import { verifyPassword } from "~/auth/password.server";
import { hashToken } from "~/auth/tokens.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as invitesAction, loader as invitesLoader } from "~/routes/admin.invites._index";
import { loader as exportLoader } from "~/routes/admin.invites.export[.]csv";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { action as verifyEmailAction, loader as verifyEmailLoader } from "~/routes/verify-email.$token";
import { createApplication, createInviteCode, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, fieldErrors, linkToken, outcome } from "./support";

afterAll(() => stopQueue());

let owner: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  await ensureClubSettings();
  owner = await createUser({ role: "OWNER", tier: "private-client" });
});

let ipCounter = 0;
const freshIp = () => `198.19.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const PASSWORD = "a long and unusual passphrase";

function openInvite(token: string, ip = freshIp()) {
  return outcome(inviteLoader(routeArgs(appRequest(`/invite/${token}`, { ip }), { token })));
}

/** Opening the emailed link, as the member's browser or a mail scanner does. */
function openVerifyEmailLink(token: string) {
  return outcome(verifyEmailLoader(routeArgs(appRequest(`/verify-email/${token}`), { token })));
}

/** The member's press of the confirm button on that page. */
function confirmVerifyEmailLink(token: string) {
  return outcome(verifyEmailAction(routeArgs(appRequest(`/verify-email/${token}`, { method: "POST", form: {} }), { token })));
}

function acceptInvite(token: string, form: Record<string, string>, ip = freshIp()) {
  return outcome(inviteAction(routeArgs(appRequest(`/invite/${token}`, { form, ip }), { token })));
}

async function approvedApplicant(locale: "en" | "ru" = "en") {
  const { application } = await createApplication({ locale, name: "Grace Hopper" });
  await db.application.update({ where: { id: application.id }, data: { company: "Navy", jobTitle: "Rear Admiral" } });
  await decideApplication(application.id, owner.id, { kind: "APPROVE" });
  const [email] = await emailsTo(application.email);
  return { application, token: linkToken(email.text, "/invite/") };
}

describe("accepting an approval invite", () => {
  it("creates the member from the application, signs them in and sends them to choose a tier", async () => {
    const { application, token } = await approvedApplicant("ru");
    const page = await openInvite(token);
    expect(page.status).toBe(200);
    expect(page.data.invitee).toMatchObject({ name: "Grace Hopper", email: application.email, askDetails: false });

    const result = await acceptInvite(token, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/billing/join");
    const user = await db.user.findUniqueOrThrow({ where: { email: application.email } });
    expect(user).toMatchObject({ role: "MEMBER", locale: "ru", name: "Grace Hopper", company: "Navy", jobTitle: "Rear Admiral" });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(await verifyPassword(user.passwordHash!, PASSWORD)).toBe(true);
    const invite = await db.invite.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(invite.usedAt).not.toBeNull();
    expect(invite.usedById).toBe(user.id);
    // No subscription: the billing area's /billing/join takes over from here.
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);

    const cookie = result.headers.get("Set-Cookie")!.split(";")[0];
    const viewer = await getViewer(appRequest("/account", { cookie }));
    expect(viewer?.user.id).toBe(user.id);

    const again = await openInvite(token);
    expect(again.status).toBe(410);
    expect(again.data.problem).toBe("used");
  });

  it("refuses a short password and a common one, next to the field", async () => {
    const { application, token } = await approvedApplicant();
    const short = await acceptInvite(token, { password: "short", confirmPassword: "short" });
    expect(short.status).toBe(400);
    expect(fieldErrors(short.data.result).password).toEqual(['form.tooShort|{"min":10}']);
    const common = await acceptInvite(token, { password: "password123", confirmPassword: "password123" });
    expect(fieldErrors(common.data.result).password).toEqual(["admission.password.common"]);
    const padded = await acceptInvite(token, { password: "qwertyuiop2024!", confirmPassword: "qwertyuiop2024!" });
    expect(fieldErrors(padded.data.result).password).toEqual(["admission.password.common"]);
    const mismatch = await acceptInvite(token, { password: PASSWORD, confirmPassword: `${PASSWORD}!` });
    expect(fieldErrors(mismatch.data.result).confirmPassword).toEqual(["admission.password.mismatch"]);
    expect(await db.user.count({ where: { email: application.email } })).toBe(0);
    expect((await db.invite.findFirstOrThrow({ where: { applicationId: application.id } })).usedAt).toBeNull();
  });
});

describe("the state of an invite", () => {
  it("says whether it is unknown, expired, used or revoked, with the right status and never a 500", async () => {
    const expired = await createInviteCode({ expiresAt: new Date(Date.now() - 1000) });
    const used = await createInviteCode({ usedAt: new Date() });
    const revoked = await createInviteCode({ revokedAt: new Date() });
    const cases: Array<[string, number, string]> = [
      ["b".repeat(32), 404, "unknown"],
      ["not a token at all", 404, "unknown"],
      [expired.code, 410, "expired"],
      [used.code, 410, "used"],
      [revoked.code, 410, "revoked"],
    ];
    for (const [token, status, problem] of cases) {
      const page = await openInvite(token);
      expect([page.status, page.data.problem]).toEqual([status, problem]);
      const post = await acceptInvite(token, { password: PASSWORD, confirmPassword: PASSWORD, name: "X", email: "x@example.com" });
      expect([post.status, post.data.problem]).toEqual([status, problem]);
    }
    expect(await db.user.count({ where: { email: "x@example.com" } })).toBe(0);
  });

  it("expires at the moment it says: a second before it works, after it does not", async () => {
    const soon = await createInviteCode({ expiresAt: new Date(Date.now() + 60_000) });
    expect((await openInvite(soon.code)).status).toBe(200);
    await db.invite.update({ where: { id: soon.invite.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const result = await redeemInvite(soon.code, { name: "Late", email: "late@example.com", password: PASSWORD, locale: "en" });
    expect(result).toEqual({ ok: false, reason: "expired" });
  });
});

describe("redemption happens exactly once", () => {
  it("gives one success and nineteen clear refusals to twenty simultaneous redemptions", async () => {
    const { code, invite } = await createInviteCode();
    const attempts = Array.from({ length: 20 }, (_, i) =>
      redeemInvite(code, { name: `Racer ${i}`, email: `racer-${i}@example.com`, password: PASSWORD, locale: "en" }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(19).fill("used"));
    expect(await db.user.count({ where: { email: { startsWith: "racer-" } } })).toBe(1);
    const stored = await db.invite.findUniqueOrThrow({ where: { id: invite.id } });
    const winner = results.find((r) => r.ok);
    expect(stored.usedById).toBe(winner && winner.ok ? winner.userId : null);
  });

  it("gives one success to twenty simultaneous requests to the /invite action", async () => {
    const { code } = await createInviteCode();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        acceptInvite(code, { name: `Browser ${i}`, email: `browser-${i}@example.com`, password: PASSWORD, confirmPassword: PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410 && r.data.problem === "used")).toHaveLength(19);
    expect(await db.user.count({ where: { email: { startsWith: "browser-" } } })).toBe(1);
  });
});

describe("an owner's code redeemed at /invite", () => {
  it("asks for the invitee's details and verifies an email the club has not written to", async () => {
    const { code } = await createInviteCode();
    const page = await openInvite(code);
    expect(page.data.invitee).toMatchObject({ askDetails: true, email: null });
    const missing = await acceptInvite(code, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(missing.status).toBe(400);
    expect(fieldErrors(missing.data.result)).toMatchObject({ name: ["form.required"], email: ["form.required"] });

    const result = await acceptInvite(code, {
      name: "Katherine Johnson",
      email: "Katherine@Example.com",
      company: "NASA",
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(result.status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email: "katherine@example.com" } });
    expect(user.emailVerifiedAt).toBeNull();
    const [email] = await emailsTo("katherine@example.com");
    expect(email.template).toBe("email-verification");
    const token = linkToken(email.text, "/verify-email/");

    const confirmPage = await openVerifyEmailLink(token);
    expect([confirmPage.status, confirmPage.data]).toEqual([200, { problem: null }]);
    expect(confirmPage.headers.get("Cache-Control")).toBe("no-store");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeNull();

    const verified = await confirmVerifyEmailLink(token);
    expect([verified.status, verified.data]).toEqual([200, { done: true, problem: null }]);
    expect(verified.headers.get("Cache-Control")).toBe("no-store");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
    const reused = await confirmVerifyEmailLink(token);
    expect([reused.status, reused.data.problem]).toEqual([410, "used"]);
    const reopened = await openVerifyEmailLink(token);
    expect([reopened.status, reopened.data.problem]).toEqual([410, "used"]);
  });

  it("verifies nothing when the emailed link is only opened, as a mail scanner does", async () => {
    const member = await createUser();
    const user = await db.user.update({ where: { id: member.id }, data: { emailVerifiedAt: null } });
    const token = await issueEmailVerification(user);
    const tokenRow = await db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });

    for (let scan = 0; scan < 3; scan++) {
      const page = await openVerifyEmailLink(token);
      expect([page.status, page.data]).toEqual([200, { problem: null }]);
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
    expect(await db.accountToken.findUniqueOrThrow({ where: { id: tokenRow.id } })).toEqual(tokenRow);

    // The link still works for the member, once.
    expect((await confirmVerifyEmailLink(token)).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
  });

  it("does not verify the email of an account deactivated after the link was sent", async () => {
    const member = await createUser();
    const user = await db.user.update({ where: { id: member.id }, data: { emailVerifiedAt: null } });
    const token = await issueEmailVerification(user);
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });

    const confirmed = await confirmVerifyEmailLink(token);
    expect([confirmed.status, confirmed.data.problem]).toEqual([404, "unknown"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeNull();
    expect((await db.accountToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } })).usedAt).toBeNull();
  });

  it("refuses an email that already has an account, without using the code up", async () => {
    const member = await createUser();
    const { code, invite } = await createInviteCode();
    const result = await acceptInvite(code, { name: "Someone", email: member.email, password: PASSWORD, confirmPassword: PASSWORD });
    expect(result.status).toBe(409);
    expect(fieldErrors(result.data.result).email).toEqual(["admission.invite.emailTaken"]);
    expect((await db.invite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();
  });

  it("tells an approved applicant who already has an account to sign in, above the form", async () => {
    const { application, token } = await approvedApplicant();
    await createUser({ email: application.email });
    const result = await acceptInvite(token, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(result.status).toBe(409);
    expect(result.data.result.error[""]).toEqual(["admission.invite.emailTaken"]);
    expect((await db.invite.findFirstOrThrow({ where: { applicationId: application.id } })).usedAt).toBeNull();
  });

  it("uses the bound email whatever the form says", async () => {
    const { code } = await createInviteCode({ email: "bound.person@example.com", emailed: true });
    const result = await acceptInvite(code, { name: "Bound Person", email: "other@example.com", password: PASSWORD, confirmPassword: PASSWORD });
    expect(result.status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email: "bound.person@example.com" } });
    // The club emailed the code to this address, so it is already proven.
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(await db.user.count({ where: { email: "other@example.com" } })).toBe(0);
  });
});

describe("wrong codes are rate limited", () => {
  it("answers the 11th wrong code from one address in ten minutes with 429 and Retry-After", async () => {
    const ip = freshIp();
    const { code } = await createInviteCode();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const wrong = `${"c".repeat(31)}${"abcdefghij"[i]}`;
      statuses.push((i % 2 ? await openInvite(wrong, ip) : await acceptInvite(wrong, { password: PASSWORD, confirmPassword: PASSWORD }, ip)).status);
    }
    expect(statuses).toEqual(Array(10).fill(404));
    const eleventh = await openInvite("d".repeat(32), ip);
    expect(eleventh.status).toBe(429);
    const retryAfter = Number(eleventh.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // While limited, even a good code waits; another address is not affected.
    expect((await openInvite(code, ip)).status).toBe(429);
    expect((await openInvite(code)).status).toBe(200);
  });

  it("counts 30 wrong codes sent at once exactly: 10 are looked up, 20 refused", async () => {
    const ip = freshIp();
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => openInvite(`${"f".repeat(30)}${"abcdefghijklmnopqrstuvwxyz234567"[i]}a`, ip).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 404)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it("does not count a right code against the address", async () => {
    const ip = freshIp();
    const { code } = await createInviteCode();
    for (let i = 0; i < 12; i += 1) expect((await openInvite(code, ip)).status).toBe(200);
  });

  it("counts wrong codes typed on /apply towards the same limit", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i += 1) await openInvite(`${"e".repeat(31)}${"abcdefghij"[i]}`, ip);
    const { action: applyAction } = await import("~/routes/apply");
    const result = await outcome(
      applyAction(
        routeArgs(
          appRequest("/apply", {
            ip,
            form: { name: "N", email: "n@example.com", company: "C", jobTitle: "J", consent: "on", code: "f".repeat(32) },
          }),
        ),
      ),
    );
    expect(result.status).toBe(429);
  });
});

describe("/admin/invites", () => {
  async function asOwner(form?: Record<string, string>, path = "/admin/invites") {
    const request = appRequest(path, { form, cookie: await sessionCookie(owner.id) });
    return outcome(form ? invitesAction(routeArgs(request)) : invitesLoader(routeArgs(request)));
  }

  it("issues codes in bulk and exports them as CSV", async () => {
    const issued = await asOwner({ intent: "issue", count: "25", validDays: "30", note: "Summit, day 1" });
    expect(issued.status).toBe(200);
    const { batch, codes } = issued.data.issued;
    expect(codes).toHaveLength(25);
    expect(new Set(codes).size).toBe(25);
    const rows = await db.invite.findMany({ where: { batch } });
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.source === "OWNER" && r.note === "Summit, day 1")).toBe(true);
    const days = (rows[0].expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    const csv = await outcome(exportLoader(routeArgs(appRequest(`/admin/invites/export.csv?batch=${batch}`, { cookie: await sessionCookie(owner.id) }))));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const lines = (csv.data as string).trim().split("\r\n");
    expect(lines[0]).toBe("code,link,email,note,status,expires_at,created_at,used_at,used_by,batch");
    expect(lines).toHaveLength(26);
    for (const code of codes) expect(csv.data).toContain(`${code},http://localhost:3000/invite/${code},,"Summit, day 1",valid,`);
  });

  it("issues a code bound to an email and emails it, in the chosen language", async () => {
    const issued = await asOwner({ intent: "issue", count: "1", validDays: "7", email: "Guest@Example.com", sendEmail: "on", locale: "ru" });
    expect(issued.status).toBe(200);
    const [email] = await emailsTo("guest@example.com");
    expect(email.template).toBe("invite-code");
    expect(email.locale).toBe("ru");
    expect(linkToken(email.text, "/invite/")).toBe(issued.data.issued.codes[0]);
    const refused = await asOwner({ intent: "issue", count: "3", validDays: "7", email: "many@example.com" });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.data.result).email).toEqual(["admission.invites.emailOnlyOne"]);
  });

  it("asks for the address when the owner ticks 'email the code' without one, and issues nothing", async () => {
    const before = await db.invite.count();
    const refused = await asOwner({ intent: "issue", count: "1", validDays: "7", sendEmail: "on" });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.data.result).email).toEqual(["admission.invites.emailToSend"]);
    expect(await db.invite.count()).toBe(before);
  });

  it("revokes a code, which then cannot be redeemed; a used code cannot be revoked", async () => {
    const { invite, code } = await createInviteCode();
    expect((await asOwner({ intent: "revoke", inviteId: invite.id })).data.revoked).toBe(true);
    expect((await openInvite(code)).data.problem).toBe("revoked");
    const used = await createInviteCode({ usedAt: new Date() });
    const refused = await asOwner({ intent: "revoke", inviteId: used.invite.id });
    expect(refused.status).toBe(409);
    expect((await db.invite.findUniqueOrThrow({ where: { id: used.invite.id } })).revokedAt).toBeNull();
  });

  it("keeps the CSV from starting a spreadsheet formula", async () => {
    await asOwner({ intent: "issue", count: "1", validDays: "7", note: "=HYPERLINK(\"http://evil\")" });
    const csv = await outcome(exportLoader(routeArgs(appRequest("/admin/invites/export.csv", { cookie: await sessionCookie(owner.id) }))));
    expect(csv.data).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const member = await createUser();
    const denied = await outcome(exportLoader(routeArgs(appRequest("/admin/invites/export.csv", { cookie: await sessionCookie(member.id) }))));
    expect(denied.status).toBe(403);
  });
});

describe("a password of nothing but spaces", () => {
  it("is refused next to the field when accepting an invite, and no member is created", async () => {
    const { application, token } = await approvedApplicant();
    const blank = " ".repeat(12);
    const result = await acceptInvite(token, { password: blank, confirmPassword: blank });
    expect(result.status).toBe(400);
    expect(fieldErrors(result.data.result).password).toEqual(["admission.password.blank"]);
    expect(await db.user.findUnique({ where: { email: application.email } })).toBeNull();
    expect((await db.invite.findFirstOrThrow({ where: { applicationId: application.id } })).usedAt).toBeNull();
  });
});

describe("the invite codes CSV", () => {
  it("starts with a UTF-8 byte-order mark, so that spreadsheets read Cyrillic notes", async () => {
    const owner = await createUser({ role: "OWNER" });
    const cookie = await sessionCookie(owner.id);
    await outcome(invitesAction(routeArgs(appRequest("/admin/invites", { cookie, form: { intent: "issue", count: "1", validDays: "7", note: "Форум «Код ИБ»" } }))));
    const response = await exportLoader(routeArgs(appRequest("/admin/invites/export.csv", { cookie })));
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.slice(1).split("\r\n")[0]).toBe("code,link,email,note,status,expires_at,created_at,used_at,used_by,batch");
    expect(text).toContain(",Форум «Код ИБ»,valid,");
  });
});
