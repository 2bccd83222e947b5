import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { APPLICATIONS_PER_IP } from "~/admission/rate-limits.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as applyAction, loader as applyLoader } from "~/routes/apply";
import { loader as statusLoader } from "~/routes/apply_.status.$token";
import { action as verifyAction, loader as verifyLoader } from "~/routes/apply_.verify.$token";
import { createApplication, createCriterion, createInviteCode, createUser, ensureClubSettings } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, fieldErrors, linkToken, outcome } from "./support";

afterAll(() => stopQueue());

let ipCounter = 0;
const freshIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

/** A fresh set of criteria on the form; earlier tests' criteria are archived. */
async function criteriaSet() {
  await ensureClubSettings();
  await db.admissionCriterion.updateMany({ where: { archivedAt: null }, data: { archivedAt: new Date() } });
  const scale = await createCriterion({ kind: "SCALE", required: true, titleEn: "Readiness to co-innovate" });
  const text = await createCriterion({ kind: "TEXT", required: true, titleEn: "Expertise" });
  const choice = await createCriterion({ kind: "CHOICE", required: false, titleEn: "Growth" });
  return { scale, text, choice };
}

function applicationForm(
  criteria: Awaited<ReturnType<typeof criteriaSet>>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    name: "Ada Lovelace",
    email: `ada-${Math.random().toString(36).slice(2)}@example.com`,
    company: "Analytical Engines",
    jobTitle: "Engineer",
    consent: "on",
    [`answers.${criteria.scale.id}`]: "4",
    [`answers.${criteria.text.id}`]: "I secure the engines.",
    [`answers.${criteria.choice.id}`]: "1",
    ...overrides,
  };
}

/** Opening the emailed link, as the applicant's browser or a mail scanner does. */
function openVerifyLink(token: string) {
  return outcome(verifyLoader(routeArgs(appRequest(`/apply/verify/${token}`), { token })));
}

/** The applicant's press of the confirm button on that page. */
function confirmVerifyLink(token: string) {
  return outcome(verifyAction(routeArgs(appRequest(`/apply/verify/${token}`, { method: "POST", form: {} }), { token })));
}

function apply(form: Record<string, string>, { ip = freshIp(), headers = {} }: { ip?: string; headers?: Record<string, string> } = {}) {
  return outcome(applyAction(routeArgs(appRequest("/apply", { form, ip, headers }))));
}

describe("/apply", () => {
  it("builds the form from the criteria, in order, in the visitor's language", async () => {
    const criteria = await criteriaSet();
    const result = await outcome(applyLoader(routeArgs(appRequest("/apply", { headers: { "Accept-Language": "ru" } }))));
    const ids = result.data.criteria.map((c: { id: string }) => c.id);
    expect(ids).toEqual([criteria.scale.id, criteria.text.id, criteria.choice.id]);
    expect(result.data.criteria[2].options).toEqual(["Первый", "Второй", "Третий"]);
  });

  it("stores an unverified application, emails a verification link, and keeps it out of the queue until verified", async () => {
    const criteria = await criteriaSet();
    const form = applicationForm(criteria);
    const submitted = await apply(form);
    expect(submitted.status).toBe(302);
    expect(submitted.location).toBe("/apply/sent");

    const application = await db.application.findFirstOrThrow({ where: { email: form.email }, include: { answers: true } });
    expect(application.status).toBe("UNVERIFIED");
    expect(application.answers.map((a) => a.value).sort()).toEqual(["1", "4", "I secure the engines."]);

    const [email] = await emailsTo(form.email);
    expect(email.template).toBe("application-verify");
    const token = linkToken(email.text, "/apply/verify/");
    expect(token).toHaveLength(32);
    // Only the hash is stored.
    expect(application.accessTokenHash).not.toContain(token);

    const page = await openVerifyLink(token);
    expect([page.status, page.data]).toEqual([200, { problem: null }]);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("UNVERIFIED");

    const verified = await confirmVerifyLink(token);
    expect(verified.status).toBe(302);
    expect(verified.location).toBe(`/apply/status/${token}?verified=1`);
    const afterConfirming = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(afterConfirming.status).toBe("NEW");

    const status = await outcome(statusLoader(routeArgs(appRequest(`/apply/status/${token}`), { token })));
    expect(status.status).toBe(200);
    expect(status.data.application).toMatchObject({ status: "NEW", email: form.email, name: "Ada Lovelace" });

    // Following the link again, or confirming again, shows the status; nothing changes.
    const again = await openVerifyLink(token);
    expect([again.status, again.location]).toEqual([302, `/apply/status/${token}`]);
    const confirmedAgain = await confirmVerifyLink(token);
    expect([confirmedAgain.status, confirmedAgain.location]).toEqual([302, `/apply/status/${token}`]);
    expect(await db.application.findUniqueOrThrow({ where: { id: application.id } })).toEqual(afterConfirming);
  });

  it("puts errors next to the fields: required answers, consent, a bad email", async () => {
    const criteria = await criteriaSet();
    const form = applicationForm(criteria, { email: "not-an-email", [`answers.${criteria.scale.id}`]: "9" });
    delete form.consent;
    delete form[`answers.${criteria.text.id}`];
    const result = await apply(form);
    expect(result.status).toBe(400);
    const errors = fieldErrors(result.data);
    expect(errors.email).toEqual(["form.invalidEmail"]);
    expect(errors.consent).toEqual(["admission.apply.consentRequired"]);
    expect(errors[`answers.${criteria.text.id}`]).toEqual(["form.required"]);
    expect(errors[`answers.${criteria.scale.id}`]).toEqual(["admission.apply.chooseOne"]);
    expect(await db.application.count({ where: { email: "not-an-email" } })).toBe(0);
  });

  it("refuses a second application from a verified email, and from a member's email", async () => {
    const criteria = await criteriaSet();
    const { application } = await createApplication({ status: "IN_REVIEW" });
    const duplicate = await apply(applicationForm(criteria, { email: application.email.toUpperCase() }));
    expect(duplicate.status).toBe(409);
    expect(fieldErrors(duplicate.data).email).toEqual(["admission.apply.duplicate"]);

    const member = await createUser();
    const asMember = await apply(applicationForm(criteria, { email: member.email }));
    expect(asMember.status).toBe(409);
    expect(fieldErrors(asMember.data).email).toEqual(["admission.apply.alreadyMember"]);
    expect(await db.application.count({ where: { email: application.email } })).toBe(1);
  });

  it("lets two unverified applications exist but verifies only one of them", async () => {
    const criteria = await criteriaSet();
    const form = applicationForm(criteria);
    await apply(form);
    await apply(form);
    const [second, first] = await emailsTo(form.email);
    const firstToken = linkToken(first.text, "/apply/verify/");
    const secondToken = linkToken(second.text, "/apply/verify/");
    // Both pages ask for a confirmation while neither is confirmed.
    expect((await openVerifyLink(secondToken)).data).toEqual({ problem: null });
    expect((await confirmVerifyLink(firstToken)).status).toBe(302);
    // Then the second link's page already says why it cannot be confirmed, and confirming is refused.
    const page = await openVerifyLink(secondToken);
    expect([page.status, page.data]).toEqual([409, { problem: "duplicate" }]);
    const refused = await confirmVerifyLink(secondToken);
    expect(refused.status).toBe(409);
    expect(refused.data).toEqual({ problem: "duplicate" });
    expect(await db.application.count({ where: { email: form.email, status: "NEW" } })).toBe(1);
  });

  it("verifies nothing when the emailed link is only opened, as a mail scanner does", async () => {
    const { application, token } = await createApplication({ status: "UNVERIFIED" });
    for (let scan = 0; scan < 3; scan++) {
      const page = await openVerifyLink(token);
      expect([page.status, page.data]).toEqual([200, { problem: null }]);
    }
    expect(await db.application.findUniqueOrThrow({ where: { id: application.id } })).toEqual(application);

    // The applicant's own confirmation still works.
    const verified = await confirmVerifyLink(token);
    expect(verified.location).toBe(`/apply/status/${token}?verified=1`);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("NEW");
  });

  it("lets a verification link lapse after seven days", async () => {
    const { application, token } = await createApplication({
      status: "UNVERIFIED",
      createdAt: new Date(Date.now() - 8 * 86_400_000),
    });
    const page = await openVerifyLink(token);
    expect([page.status, page.data]).toEqual([410, { problem: "expired" }]);
    const result = await confirmVerifyLink(token);
    expect(result.status).toBe(410);
    expect(result.data).toEqual({ problem: "expired" });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("UNVERIFIED");
  });

  it("shows an applicant only their own application; an unknown token is a 404", async () => {
    const mine = await createApplication({ name: "Mine" });
    const theirs = await createApplication({ name: "Theirs" });
    const result = await outcome(statusLoader(routeArgs(appRequest("/"), { token: mine.token })));
    expect(result.data.application.name).toBe("Mine");
    expect(JSON.stringify(result.data)).not.toContain(theirs.application.email);
    const unknown = await outcome(statusLoader(routeArgs(appRequest("/"), { token: "a".repeat(32) })));
    expect(unknown.status).toBe(404);
    const malformed = await outcome(statusLoader(routeArgs(appRequest("/"), { token: theirs.application.id })));
    expect(malformed.status).toBe(404);
  });

  it("stores nothing when the honeypot is filled, and answers as if it went well", async () => {
    const criteria = await criteriaSet();
    const form = applicationForm(criteria, { website: "http://spam.example" });
    const result = await apply(form);
    expect(result.status).toBe(302);
    expect(await db.application.count({ where: { email: form.email } })).toBe(0);
    expect(await db.email.count({ where: { to: form.email } })).toBe(0);
  });

  it("limits applications per address widely enough for an event on one Wi-Fi, and answers the next with 429 and Retry-After", async () => {
    const criteria = await criteriaSet();
    const ip = freshIp();
    // The address has already sent all but one of its allowance this hour.
    await db.rateLimitHit.createMany({
      data: Array.from({ length: APPLICATIONS_PER_IP.limit - 1 }, () => ({ bucket: APPLICATIONS_PER_IP.bucket, key: `ip:${ip}` })),
    });
    expect(APPLICATIONS_PER_IP.limit).toBeGreaterThanOrEqual(50);
    expect((await apply(applicationForm(criteria), { ip })).status).toBe(302);
    const limited = await apply(applicationForm(criteria), { ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);

    // An invited applicant on the same Wi-Fi is counted against their own email only.
    const { code } = await createInviteCode();
    expect((await apply(applicationForm(criteria, { code }), { ip })).status).toBe(302);
  });

  it("counts a burst of applications from one address exactly: never more through than the allowance", async () => {
    const criteria = await criteriaSet();
    const ip = freshIp();
    await db.rateLimitHit.createMany({
      data: Array.from({ length: APPLICATIONS_PER_IP.limit - 3 }, () => ({ bucket: APPLICATIONS_PER_IP.bucket, key: `ip:${ip}` })),
    });
    const statuses = await Promise.all(Array.from({ length: 10 }, () => apply(applicationForm(criteria), { ip }).then((r) => r.status)));
    expect(statuses.filter((status) => status === 302)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it("does not count a mistyped code as an application: the applicant who corrects it is not locked out", async () => {
    const criteria = await criteriaSet();
    const ip = freshIp();
    const { code } = await createInviteCode();
    const form = applicationForm(criteria);
    for (const typo of [code.slice(0, -1), `${code.slice(0, -1)}a`, "not-a-code", code.slice(1)]) {
      const refused = await apply({ ...form, code: typo }, { ip });
      expect(refused.status).toBe(400);
      expect(fieldErrors(refused.data).code).toEqual(["admission.apply.codeUnknown"]);
    }
    const accepted = await apply({ ...form, code }, { ip });
    expect(accepted.status).toBe(302);
    expect(await db.application.count({ where: { email: form.email } })).toBe(1);
  });

  it("marks an application made with an owner's code as invited, and the code works only once", async () => {
    const criteria = await criteriaSet();
    const { invite, code } = await createInviteCode();
    const form = applicationForm(criteria, { code: code.toUpperCase() });
    expect((await apply(form)).status).toBe(302);
    const application = await db.application.findFirstOrThrow({ where: { email: form.email } });
    expect(application.inviteCodeId).toBe(invite.id);
    expect((await db.invite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).not.toBeNull();
    const [email] = await emailsTo(form.email);
    expect((await confirmVerifyLink(linkToken(email.text, "/apply/verify/"))).status).toBe(302);

    const reused = await apply(applicationForm(criteria, { code }));
    expect(reused.status).toBe(400);
    expect(fieldErrors(reused.data).code).toEqual(["admission.apply.codeUsed"]);
  });

  it("gives a code spent on a never verified application (a mistyped email) to the next application", async () => {
    const criteria = await criteriaSet();
    const { invite, code } = await createInviteCode();
    const mistyped = applicationForm(criteria, { code });
    expect((await apply(mistyped)).status).toBe(302);

    const corrected = applicationForm(criteria, { code });
    expect((await apply(corrected)).status).toBe(302);
    const [first, second] = await Promise.all(
      [mistyped.email, corrected.email].map((email) => db.application.findFirstOrThrow({ where: { email } })),
    );
    expect(first.inviteCodeId).toBeNull();
    expect(second.inviteCodeId).toBe(invite.id);
    expect((await db.invite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).not.toBeNull();

    // Verified, the code is spent for good; a code that expired meanwhile is not taken over either.
    const [email] = await emailsTo(corrected.email);
    expect((await confirmVerifyLink(linkToken(email.text, "/apply/verify/"))).status).toBe(302);
    const third = await apply(applicationForm(criteria, { code }));
    expect(fieldErrors(third.data).code).toEqual(["admission.apply.codeUsed"]);

    const lapsing = await createInviteCode();
    expect((await apply(applicationForm(criteria, { code: lapsing.code }))).status).toBe(302);
    await db.invite.update({ where: { id: lapsing.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await apply(applicationForm(criteria, { code: lapsing.code }));
    expect(late.status).toBe(400);
    expect(fieldErrors(late.data).code).toEqual(["admission.apply.codeExpired"]);
  });

  it("tells which problem a code has: unknown, expired, revoked, bound to another email", async () => {
    const criteria = await criteriaSet();
    const expired = await createInviteCode({ expiresAt: new Date(Date.now() - 1000) });
    const revoked = await createInviteCode({ revokedAt: new Date() });
    const bound = await createInviteCode({ email: "someone.else@example.com" });
    const cases: Array<[string, string]> = [
      ["z".repeat(32), "admission.apply.codeUnknown"],
      [expired.code, "admission.apply.codeExpired"],
      [revoked.code, "admission.apply.codeRevoked"],
      [bound.code, "admission.apply.codeOtherEmail"],
    ];
    for (const [code, message] of cases) {
      const result = await apply(applicationForm(criteria, { code }));
      expect(result.status).toBe(400);
      expect(fieldErrors(result.data).code).toEqual([message]);
    }
  });
});
