import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { decideApplication, saveReview } from "~/admission/applications.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as reviewAction, loader as reviewLoader } from "~/routes/admin.applications.$applicationId";
import { loader as queueLoader } from "~/routes/admin.applications._index";
import { loader as criteriaLoader } from "~/routes/admin.applications.criteria";
import { loader as invitesLoader } from "~/routes/admin.invites._index";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { createApplication, createCriterion, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, fieldErrors, linkToken, outcome } from "./support";

afterAll(() => stopQueue());

type Staff = Awaited<ReturnType<typeof createUser>>;
let owner: Staff;
let curator: Staff;
let criteria: Array<{ id: string }>;

beforeAll(async () => {
  await ensureClubSettings();
  owner = await createUser({ role: "OWNER", tier: "private-client", name: "Olivia Owner" });
  curator = await createUser({ role: "CURATOR", tier: "professional", name: "Carl Curator" });
  criteria = [await createCriterion({ kind: "SCALE" }), await createCriterion({ kind: "TEXT" })];
});

function scores(values: [number, number]) {
  return { [criteria[0].id]: String(values[0]), [criteria[1].id]: String(values[1]) };
}

async function review(user: Staff, applicationId: string, values: [number, number], comment = "") {
  const form: Record<string, string> = { intent: "review", comment };
  for (const [id, score] of Object.entries(scores(values))) form[`scores.${id}`] = score;
  const request = appRequest(`/admin/applications/${applicationId}`, { form, cookie: await sessionCookie(user.id) });
  return outcome(reviewAction(routeArgs(request, { applicationId })));
}

async function decide(user: Staff, applicationId: string, form: Record<string, string>) {
  const request = appRequest(`/admin/applications/${applicationId}`, { form, cookie: await sessionCookie(user.id) });
  return outcome(reviewAction(routeArgs(request, { applicationId })));
}

async function queue(user: Staff, search = "") {
  const request = appRequest(`/admin/applications${search}`, { cookie: await sessionCookie(user.id) });
  return outcome(queueLoader(routeArgs(request)));
}

describe("who may review", () => {
  it("gives a member 403 on the queue, the review page and its actions; sends a visitor to sign in", async () => {
    const member = await createUser({ tier: "private-client" });
    const { application } = await createApplication();
    const cookie = await sessionCookie(member.id);
    const pages = [
      () => queueLoader(routeArgs(appRequest("/admin/applications", { cookie }))),
      () => reviewLoader(routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie }), { applicationId: application.id })),
      () =>
        reviewAction(
          routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie, form: { intent: "approve" } }), { applicationId: application.id }),
        ),
    ];
    for (const page of pages) expect((await outcome(page())).status).toBe(403);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("NEW");
    const visitor = await outcome(queueLoader(routeArgs(appRequest("/admin/applications"))));
    expect(visitor.status).toBe(302);
    expect(visitor.location).toContain("/login");
  });

  it("keeps criteria settings, invites and the outbox to owners: a curator gets 403", async () => {
    const cookie = await sessionCookie(curator.id);
    for (const [path, loader] of [
      ["/admin/applications/criteria", criteriaLoader],
      ["/admin/invites", invitesLoader],
      ["/admin/outbox", outboxLoader],
    ] as const) {
      expect((await outcome(loader(routeArgs(appRequest(path, { cookie }))))).status).toBe(403);
      expect((await outcome(loader(routeArgs(appRequest(path, { cookie: await sessionCookie(owner.id) }))))).status).toBe(200);
    }
  });

  it("does not show unverified applications in the queue, nor their review page", async () => {
    const { application } = await createApplication({ status: "UNVERIFIED", name: "Unverified Person" });
    const result = await queue(curator, "?status=all");
    expect(result.data.applications.map((a: { id: string }) => a.id)).not.toContain(application.id);
    const page = await outcome(
      reviewLoader(routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie: await sessionCookie(curator.id) }), { applicationId: application.id })),
    );
    expect(page.status).toBe(404);
  });
});

describe("scoring", () => {
  it("averages each criterion and overall, counts reviewers, and moves the application into review", async () => {
    const { application } = await createApplication({ name: "Scored Applicant" });
    expect((await review(owner, application.id, [5, 4], "Strong")).status).toBe(200);
    expect((await review(curator, application.id, [4, 2])).status).toBe(200);
    // Reviewing again replaces the reviewer's earlier scores.
    expect((await review(curator, application.id, [3, 2], "Changed my mind")).status).toBe(200);

    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
    const result = await queue(curator, "?status=review");
    const row = result.data.applications.find((a: { id: string }) => a.id === application.id);
    expect(row.reviewers).toBe(2);
    expect(row.perCriterion[criteria[0].id]).toBe(4);
    expect(row.perCriterion[criteria[1].id]).toBe(3);
    expect(row.overall).toBe(3.5);
    expect(row.reviewedByMe).toBe(true);

    const page = await outcome(
      reviewLoader(routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie: await sessionCookie(owner.id) }), { applicationId: application.id })),
    );
    expect(page.data.application.reviews.map((r: { reviewer: string; comment: string }) => [r.reviewer, r.comment])).toEqual([
      ["Olivia Owner", "Strong"],
      ["Carl Curator", "Changed my mind"],
    ]);
  });

  it("refuses a review without a score for every criterion, or with a score outside 1 to 5", async () => {
    const { application } = await createApplication({ answers: { [criteria[0].id]: "4", [criteria[1].id]: "An answer" } });
    const form = { intent: "review", [`scores.${criteria[0].id}`]: "6" };
    const request = appRequest(`/admin/applications/${application.id}`, { form, cookie: await sessionCookie(curator.id) });
    const result = await outcome(reviewAction(routeArgs(request, { applicationId: application.id })));
    expect(result.status).toBe(400);
    const errors = fieldErrors(result.data.result);
    expect(errors[`scores.${criteria[0].id}`]).toEqual(["admission.review.scoreRequired"]);
    expect(errors[`scores.${criteria[1].id}`]).toEqual(["admission.review.scoreRequired"]);
    expect(await db.applicationReview.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it("lets reviewers skip a criterion the applicant never answered (added later), and leaves it out of the averages", async () => {
    // The applicant answered only the first criterion: the second was added after they applied.
    const { application } = await createApplication({ answers: { [criteria[0].id]: "4" } });
    const send = async (user: Staff, form: Record<string, string>) => {
      const request = appRequest(`/admin/applications/${application.id}`, { form: { intent: "review", ...form }, cookie: await sessionCookie(user.id) });
      return outcome(reviewAction(routeArgs(request, { applicationId: application.id })));
    };
    // The answered criterion still needs a score.
    const missing = await send(owner, { [`scores.${criteria[1].id}`]: "3" });
    expect(missing.status).toBe(400);
    expect(Object.keys(fieldErrors(missing.data.result))).toEqual([`scores.${criteria[0].id}`]);
    // Left empty, or skipped explicitly.
    expect((await send(owner, { [`scores.${criteria[0].id}`]: "5" })).status).toBe(200);
    expect((await send(curator, { [`scores.${criteria[0].id}`]: "2", [`scores.${criteria[1].id}`]: "skip" })).status).toBe(200);
    expect(await db.reviewScore.count({ where: { review: { applicationId: application.id } } })).toBe(2);

    const result = await queue(curator, "?status=review");
    const row = result.data.applications.find((a: { id: string }) => a.id === application.id);
    expect(row.reviewers).toBe(2);
    expect(row.perCriterion[criteria[0].id]).toBe(3.5);
    expect(row.perCriterion[criteria[1].id] ?? null).toBeNull();
    expect(row.overall).toBe(3.5);

    const page = await outcome(
      reviewLoader(routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie: await sessionCookie(owner.id) }), { applicationId: application.id })),
    );
    const shown = page.data.application.criteria.filter((c: { id: string }) => criteria.some((own) => own.id === c.id));
    expect(shown.map((c: { answered: boolean; average: number | null }) => [c.answered, c.average])).toEqual([
      [true, 3.5],
      [false, null],
    ]);
    expect(page.data.application.overall).toBe(3.5);
  });

  it("sorts by overall score, and filters by state", async () => {
    const low = await createApplication({ name: "Low Scorer" });
    const high = await createApplication({ name: "High Scorer" });
    const waitlisted = await createApplication({ name: "Waiting Person", status: "WAITLISTED" });
    await review(curator, low.application.id, [1, 2]);
    await review(curator, high.application.id, [5, 5]);
    const byScore = await queue(curator, "?status=review&sort=score");
    const names = byScore.data.applications.map((a: { name: string }) => a.name);
    expect(names.indexOf("High Scorer")).toBeLessThan(names.indexOf("Low Scorer"));
    const waiting = await queue(curator, "?status=waitlisted");
    expect(waiting.data.applications.map((a: { id: string }) => a.id)).toEqual([waitlisted.application.id]);
    expect(waiting.data.totals.waitlisted).toBe(1);
  });
});

describe("decisions", () => {
  it("approves: records who and when, creates a single-use invite valid 14 days, and emails its link", async () => {
    const { application } = await createApplication({ locale: "ru" });
    const result = await decide(owner, application.id, { intent: "approve" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/applications/${application.id}?done=APPROVE`);
    const decision = await db.applicationDecision.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(decision).toMatchObject({ kind: "APPROVE", decidedById: owner.id });
    const invite = await db.invite.findFirstOrThrow({ where: { applicationId: application.id } });
    const days = (invite.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    const [email] = await emailsTo(application.email);
    expect(email.template).toBe("application-approved");
    expect(email.locale).toBe("ru");
    expect(email.subject).toContain("приглашение");
    const token = linkToken(email.text, "/invite/");
    expect(invite.tokenHash).not.toContain(token);
    expect(invite.code).toBeNull();
  });

  it("refuses a second decision with 409 and says who decided", async () => {
    const { application } = await createApplication();
    await decide(curator, application.id, { intent: "approve" });
    const forms: Array<Record<string, string>> = [{ intent: "approve" }, { intent: "reject", reason: "Changed our minds" }, { intent: "waitlist" }];
    for (const form of forms) {
      const second = await decide(owner, application.id, form);
      expect(second.status).toBe(409);
      expect(second.data.message).toContain("Carl Curator");
    }
    expect(await db.applicationDecision.count({ where: { applicationId: application.id } })).toBe(1);
    expect(await db.invite.count({ where: { applicationId: application.id } })).toBe(1);
  });

  it("says so in Russian as one sentence, without a doubled full stop after the date", async () => {
    const russianOwner = await createUser({ role: "OWNER", locale: "ru" });
    const { application } = await createApplication();
    await decide(curator, application.id, { intent: "approve" });
    const second = await decide(russianOwner, application.id, { intent: "approve" });
    expect(second.status).toBe(409);
    expect(second.data.message).toContain("Carl Curator");
    expect(second.data.message).toMatch(/г\.$/);
    expect(second.data.message).not.toContain("..");
  });

  it("records exactly one of two decisions made at the same moment", async () => {
    const { application } = await createApplication();
    const results = await Promise.all([
      decideApplication(application.id, owner.id, { kind: "APPROVE" }),
      decideApplication(application.id, curator.id, { kind: "REJECT", reason: "No" }),
      decideApplication(application.id, curator.id, { kind: "APPROVE" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "already-decided")).toHaveLength(2);
    expect(await db.applicationDecision.count({ where: { applicationId: application.id } })).toBe(1);
  });

  it("rejects only with a reason, and emails the reason in the applicant's language", async () => {
    const { application } = await createApplication({ locale: "ru" });
    const missing = await decide(owner, application.id, { intent: "reject", reason: " " });
    expect(missing.status).toBe(400);
    expect(fieldErrors(missing.data.result).reason).toEqual(["form.required"]);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("NEW");

    const done = await decide(owner, application.id, { intent: "reject", reason: "Профиль не совпадает с клубом." });
    expect(done.status).toBe(302);
    const [email] = await emailsTo(application.email);
    expect(email.template).toBe("application-rejected");
    expect(email.text).toContain("Профиль не совпадает с клубом.");
    expect(email.text).toContain("Здравствуйте");
  });

  it("lets a waitlisted application be approved once, but not waitlisted twice", async () => {
    const { application } = await createApplication();
    expect((await decide(curator, application.id, { intent: "waitlist" })).status).toBe(302);
    expect((await decide(owner, application.id, { intent: "waitlist" })).status).toBe(409);
    expect((await decide(owner, application.id, { intent: "approve" })).status).toBe(302);
    const kinds = (await db.applicationDecision.findMany({ where: { applicationId: application.id }, orderBy: { createdAt: "asc" } })).map((d) => d.kind);
    expect(kinds).toEqual(["WAITLIST", "APPROVE"]);
  });

  it("closes reviews once an application is decided", async () => {
    const { application } = await createApplication();
    await decideApplication(application.id, owner.id, { kind: "REJECT", reason: "Not now" });
    const result = await saveReview(application.id, curator.id, { scores: scores([3, 3]) });
    expect(result).toEqual({ ok: false, reason: "decided" });
    expect((await review(curator, application.id, [3, 3])).status).toBe(409);
  });

  it("sends a new invitation when the first one expired, and not while it is valid", async () => {
    const { application } = await createApplication();
    await decide(owner, application.id, { intent: "approve" });
    expect((await decide(owner, application.id, { intent: "reissue" })).status).toBe(409);
    await db.invite.updateMany({ where: { applicationId: application.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const reissued = await decide(owner, application.id, { intent: "reissue" });
    expect(reissued.status).toBe(302);
    expect(await db.invite.count({ where: { applicationId: application.id } })).toBe(2);
    expect((await emailsTo(application.email)).filter((e) => e.template === "application-approved")).toHaveLength(2);
  });
});
