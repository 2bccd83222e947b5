/**
 * Axe (WCAG 2.1 A/AA and best practices) on every page of the portal, as each person who can
 * see it: a visitor, a Community member (English), a Private Client (Russian), a curator
 * (Russian), the owner (English), members in the states that add markup (past due, survey
 * due, no tier yet), and forms sent back with errors. Each test visits its pages in one browser
 * page and reports every violation of every page at once.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { DEMO, expect, test } from "./fixtures";

type Sql = <T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;
/** A path, or a path and the status its page answers with (error pages). */
type Visit = string | { path: string; status: number };

/** Collects what axe finds, page after page; `expectClean()` reports all of it in one failure. */
class AxeReport {
  private readonly found: string[] = [];
  constructor(
    private readonly page: Page,
    private readonly who: string,
  ) {}

  /** Axe on the page as it is now. */
  async check(label: string) {
    // Legacy mode runs axe in the page itself; the default opens a second page per run to
    // merge results across frames, which doubles the time and our pages have no frames.
    const results = await new AxeBuilder({ page: this.page }).setLegacyMode(true).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    for (const v of results.violations) this.found.push(`${this.who} ${label} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    // Axe retired its duplicate-id rule with WCAG 2.2, yet a repeated id still sends a label's
    // `for`, an `aria-labelledby` or a skip link to the wrong element.
    const repeated = await this.page.evaluate(() => {
      const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
      return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    });
    if (repeated.length) this.found.push(`${this.who} ${label} duplicate-id: ${repeated.join(", ")}`);
  }

  async visit(...visits: Visit[]) {
    for (const visit of visits) {
      const { path, status } = typeof visit === "string" ? { path: visit, status: 200 } : visit;
      const response = await this.page.goto(path);
      if (response?.status() !== status) this.found.push(`${this.who} ${path}: status ${response?.status()}, expected ${status}`);
      await this.check(path);
    }
  }

  expectClean() {
    expect(this.found, `axe as ${this.who}`).toEqual([]);
  }
}

// The two workers share the pages; the list of violations is the report, so no traces.
// Each test visits a dozen pages and runs axe on each: on a slow hour of a 2-core machine one
// takes more than the default minute.
test.describe.configure({ mode: "parallel", timeout: 180_000 });
test.use({ trace: "off" });

const token = () => randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** A member who joined `daysAgo` at a tier, with their subscription in a given state. */
async function newMember(sql: Sql, options: { tier?: string; status?: "ACTIVE" | "PAST_DUE"; daysAgo: number }) {
  const id = `a11y-${randomBytes(6).toString("hex")}`;
  const email = `${id}@example.com`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "emailVerifiedAt", "createdAt", "updatedAt")
     VALUES ($1, $2, 'Lena Axe', 'MEMBER', 'en', now(), now() - make_interval(days => $3), now())`,
    [id, email, options.daysAgo],
  );
  if (options.tier) {
    await sql(
      `INSERT INTO "Subscription" (id, "userId", "tierId", status, interval, amount, "stripeSubscriptionId", "pastDueSince", "currentPeriodEnd", "startedAt", "updatedAt")
       SELECT $1, $2, t.id, $3::"SubscriptionStatus", 'MONTH', t."monthlyAmount", $4, CASE WHEN $3 = 'PAST_DUE' THEN now() - interval '1 day' END,
              now() + interval '20 days', now() - make_interval(days => $5), now()
       FROM "Tier" t WHERE t.slug = $6`,
      [`${id}-sub`, id, options.status ?? "ACTIVE", `sub_${id}`, options.daysAgo, options.tier],
    );
  }
  return { id, email };
}

/** Real ids from the demo club, for the pages that take one. */
async function demoIds(sql: Sql) {
  const one = async (label: string, text: string, values: unknown[] = []) => {
    const [row] = await sql<{ id: string }>(text, values);
    if (!row) throw new Error(`The demo club has no ${label}`);
    return row.id;
  };
  const userId = (email: string) => one(email, `SELECT id FROM "User" WHERE email = $1`, [email]);
  const community = await userId(DEMO.community.email);
  const privateClient = await userId(DEMO.privateClient.email);
  const visiblePost = `p.visible AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL`;
  return {
    community,
    privateClient,
    thread: await one(
      "thread in Introductions",
      `SELECT t.id FROM "ForumThread" t JOIN "ForumCategory" c ON c.id = t."categoryId"
       WHERE c.slug = 'introductions' AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL ORDER BY t."replyCount" DESC, t.id LIMIT 1`,
    ),
    ownPost: (author: string) => one("post of the member", `SELECT p.id FROM "ForumPost" p WHERE p."authorId" = $1 AND ${visiblePost} ORDER BY p."createdAt", p.id LIMIT 1`, [author]),
    othersPost: (reader: string) =>
      one(
        "post to report",
        `SELECT p.id FROM "ForumPost" p JOIN "ForumCategory" c ON c.id = p."categoryId"
         WHERE c.slug = 'introductions' AND p."authorId" <> $1 AND ${visiblePost}
           AND NOT EXISTS (SELECT 1 FROM "ForumReport" r WHERE r."postId" = p.id AND r."reporterId" = $1)
         ORDER BY p."createdAt" DESC, p.id LIMIT 1`,
        [reader],
      ),
    roadmapItem: await one("roadmap item", `SELECT id FROM "RoadmapItem" WHERE "mergedIntoId" IS NULL ORDER BY "voteCount" DESC, id LIMIT 1`),
    application: await one("reviewed application", `SELECT a.id FROM "Application" a WHERE a.status = 'IN_REVIEW' ORDER BY a."createdAt", a.id LIMIT 1`),
    tier: await one("Professional tier", `SELECT id FROM "Tier" WHERE slug = 'professional'`),
    category: await one("Introductions category", `SELECT id FROM "ForumCategory" WHERE slug = 'introductions'`),
    inviteCode: await one(
      "usable invite code",
      `SELECT code AS id FROM "Invite" WHERE source = 'OWNER' AND email IS NULL AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > now() ORDER BY "createdAt", id LIMIT 1`,
    ),
  };
}

/** A thread its author deleted, in Introductions: its address answers 410 "removed". */
async function removedThread(sql: Sql) {
  const id = `a11y-${randomBytes(6).toString("hex")}`;
  await sql(
    `INSERT INTO "ForumThread" (id, "categoryId", "authorId", title, "deletedAt", "updatedAt")
     SELECT $1, c.id, u.id, 'Removed thread', now(), now() FROM "ForumCategory" c, "User" u WHERE c.slug = 'introductions' AND u.email = $2`,
    [id, DEMO.professional.email],
  );
  return id;
}

/** The pages every member with a tier sees. */
async function memberPages(sql: Sql, ids: Awaited<ReturnType<typeof demoIds>>, ownPost: string, othersPost: string): Promise<Visit[]> {
  return [
    "/",
    "/account",
    "/forum",
    "/forum?q=backup",
    "/forum/introductions",
    "/forum/introductions/new",
    `/forum/t/${ids.thread}`,
    `/forum/p/${othersPost}`,
    `/forum/p/${ownPost}/edit`,
    `/forum/p/${othersPost}/report`,
    "/roadmap",
    `/roadmap/${ids.roadmapItem}`,
    "/roadmap/new",
    `/members/${ids.privateClient}`,
    `/members/${ids.community}`,
    "/members/vouch",
    "/billing",
    "/survey",
    { path: `/forum/t/${await removedThread(sql)}`, status: 410 },
    { path: "/admin", status: 403 },
    { path: "/no-such-page", status: 404 },
  ];
}

/** The pages a visitor can reach, with fresh tokens for the pages that take one. */
async function visitorPages(sql: Sql, applicationStatus: "WAITLISTED" | "APPROVED"): Promise<Visit[]> {
  const [resetToken, verifyToken, expiredToken, statusToken, vouchToken, applicationToken] = [token(), token(), token(), token(), token(), token()];
  const { id: userId } = await newMember(sql, { daysAgo: 1 });
  await sql(
    `INSERT INTO "AccountToken" (id, "tokenHash", purpose, "userId", "expiresAt") VALUES
       ($1, $2, 'PASSWORD_RESET', $7, now() + interval '1 hour'), ($3, $4, 'EMAIL_VERIFICATION', $7, now() + interval '1 day'),
       ($5, $6, 'PASSWORD_RESET', $7, now() - interval '1 minute')`,
    [`${userId}-reset`, sha256(resetToken), `${userId}-verify`, sha256(verifyToken), `${userId}-expired`, sha256(expiredToken), userId],
  );
  // A seeded application's emailed link is unknown to anyone: it gets one we know, for its status page.
  await sql(
    `UPDATE "Application" SET "accessTokenHash" = $1 WHERE id = (SELECT id FROM "Application" WHERE status = $2::"ApplicationStatus" ORDER BY "createdAt", id LIMIT 1)`,
    [sha256(statusToken), applicationStatus],
  );
  // An application waiting for its applicant's confirmation, for the page of its emailed link.
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, "accessTokenHash", "consentedAt", "updatedAt")
     VALUES ($1, $2, 'Vera Axe', 'Axe Ltd', 'Tester', 'en', $3, now(), now())`,
    [`${userId}-application`, `${userId}-applicant@example.com`, sha256(applicationToken)],
  );
  await sql(
    `INSERT INTO "Vouch" (id, "voucherId", email, name, "tokenHash") VALUES ($1, $2, $3, 'Pavel Axe', $4)`,
    [`${userId}-vouch`, userId, `${userId}-vouched@example.com`, sha256(vouchToken)],
  );
  const { inviteCode } = await demoIds(sql);
  return [
    "/",
    "/login",
    "/apply",
    `/apply?vouch=${vouchToken}`,
    "/apply/sent",
    `/apply/status/${statusToken}`,
    `/apply/verify/${applicationToken}`,
    { path: `/apply/verify/${token()}`, status: 404 },
    "/forgot-password",
    `/reset-password/${resetToken}`,
    { path: `/reset-password/${token()}`, status: 404 },
    { path: `/reset-password/${expiredToken}`, status: 410 },
    `/invite/${inviteCode}`,
    `/verify-email/${verifyToken}`,
    "/forum", // sends a visitor to sign in
    { path: "/no-such-page", status: 404 },
  ];
}

test("visitor pages in English, with forms sent back with errors", async ({ page, sql }) => {
  const report = new AxeReport(page, "visitor");
  await report.visit(...(await visitorPages(sql, "WAITLISTED")));
  await page.goto("/apply");
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/apply sent empty");
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/login sent empty");
  report.expectClean();
});

test("visitor pages in Russian, with a form sent back with errors", async ({ page, sql }) => {
  const pages = await visitorPages(sql, "APPROVED");
  await page.goto("/");
  await page.getByRole("button", { name: /Language/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  const report = new AxeReport(page, "visitor (ru)");
  await report.visit(...pages);
  await page.goto("/forgot-password");
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByText("Обязательное поле.").first()).toBeVisible();
  await report.check("/forgot-password sent empty");
  report.expectClean();
});

test("a Community member's pages, in English, with empty forms sent", async ({ page, loginAs, sql }) => {
  const ids = await demoIds(sql);
  await loginAs(DEMO.community.email);
  const othersPost = await ids.othersPost(ids.community);
  const report = new AxeReport(page, "Community member");
  await report.visit(...(await memberPages(sql, ids, await ids.ownPost(ids.community), othersPost)), { path: "/forum/ask-the-cto", status: 404 });

  await page.goto(`/forum/t/${ids.thread}`);
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/forum/t/:id reply sent empty");
  await page.goto(`/forum/p/${othersPost}/report`);
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/forum/p/:id/report sent empty");

  await page.goto("/forum/introductions/new");
  await page.getByRole("button", { name: "Start the thread" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/forum/introductions/new sent empty");
  await page.goto("/roadmap/new");
  await page.getByRole("button", { name: "Send suggestion" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/roadmap/new sent empty");
  report.expectClean();
});

test("a Private Client's pages, in Russian", async ({ page, loginAs, sql }) => {
  const ids = await demoIds(sql);
  await loginAs(DEMO.privateClient.email);
  const report = new AxeReport(page, "Private Client (ru)");
  await report.visit(...(await memberPages(sql, ids, await ids.ownPost(ids.privateClient), await ids.othersPost(ids.privateClient))), "/forum/ask-the-cto", "/billing/test-portal");
  report.expectClean();
});

test("members in states that add markup: past due, vouching, survey due, choosing a tier", async ({ page, loginAs, sql }) => {
  const report = new AxeReport(page, "member");

  const pastDue = await newMember(sql, { tier: "professional", status: "PAST_DUE", daysAgo: 10 });
  await loginAs(pastDue.email);
  await page.goto("/account");
  await expect(page.getByTestId("past-due-banner")).toBeVisible();
  await report.visit("/account", "/billing", "/billing/test-portal");

  // A quota to vouch with (the seeded members may have used theirs), and the form sent empty.
  const voucher = await newMember(sql, { tier: "private-client", daysAgo: 10 });
  await loginAs(voucher.email);
  await page.goto("/members/vouch");
  await page.getByRole("button", { name: "Send the invitation" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/members/vouch sent empty");

  const surveyDue = await newMember(sql, { tier: "community", daysAgo: 60 });
  await loginAs(surveyDue.email);
  await page.goto("/forum");
  await expect(page.getByRole("complementary", { name: "Member survey" })).toBeVisible();
  await report.check("/forum with the survey prompt");
  await report.visit("/survey");

  const joining = await newMember(sql, { daysAgo: 0 });
  await loginAs(joining.email);
  await report.visit("/billing", "/billing/join", { path: "/forum", status: 403 });
  await page.goto("/billing/join");
  await page.getByRole("radio", { name: /^Professional/ }).check();
  await page.getByRole("radio", { name: "Monthly" }).check();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(/\/billing\/test-checkout\/cs_test_[0-9a-f]+$/);
  await report.check("/billing/test-checkout/:id");
  report.expectClean();
});

test("a curator's pages, in Russian", async ({ page, loginAs, sql }) => {
  const ids = await demoIds(sql);
  const [curator] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.curator.email]);
  // An open report, so the queue has one to show.
  const reporter = await newMember(sql, { tier: "community", daysAgo: 40 });
  await sql(`INSERT INTO "ForumReport" (id, "postId", "reporterId", reason) VALUES ($1, $2, $3, 'Looks off-topic to me.')`, [
    `${reporter.id}-report`,
    await ids.othersPost(reporter.id),
    reporter.id,
  ]);
  await loginAs(DEMO.curator.email);
  const report = new AxeReport(page, "curator (ru)");
  await report.visit(
    "/admin",
    "/admin/applications",
    "/admin/applications?status=waitlisted",
    `/admin/applications/${ids.application}`,
    "/admin/members",
    `/admin/members/${ids.community}`,
    "/admin/metrics",
    "/admin/metrics/at-risk",
    "/admin/reports",
    "/admin/reports?status=resolved",
    `/roadmap/${ids.roadmapItem}`,
    `/roadmap/${ids.roadmapItem}/edit`,
    `/forum/t/${ids.thread}`,
    `/forum/p/${await ids.ownPost(curator.id)}/edit`,
    `/members/${ids.community}`,
    { path: "/admin/tiers", status: 403 },
  );
  await page.goto(`/admin/applications/${ids.application}`);
  await page.getByRole("button", { name: "Отклонить", exact: true }).click();
  await expect(page.getByText("Обязательное поле.").first()).toBeVisible();
  await report.check("/admin/applications/:id rejected without a reason");
  report.expectClean();
});

test("the owner's admission, billing and settings pages, in English", async ({ page, loginAs, sql }) => {
  const ids = await demoIds(sql);
  await loginAs(DEMO.owner.email);
  const report = new AxeReport(page, "owner");
  await report.visit(
    "/account",
    "/billing",
    "/admin",
    "/admin/applications",
    `/admin/applications/${ids.application}`,
    "/admin/applications/criteria",
    "/admin/invites",
    "/admin/invites?kind=approvals",
    "/admin/members",
    `/admin/members/${ids.privateClient}`,
    "/admin/outbox",
    "/admin/tiers",
    "/admin/tiers/new",
    `/admin/tiers/${ids.tier}`,
  );
  await page.goto("/admin/tiers/new");
  await page.getByRole("button", { name: "Create tier" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/admin/tiers/new sent empty");
  report.expectClean();
});

test("the owner's forum, roadmap and metrics pages, in English", async ({ page, loginAs, sql }) => {
  const ids = await demoIds(sql);
  await loginAs(DEMO.owner.email);
  const report = new AxeReport(page, "owner");
  await report.visit(
    "/admin/forum",
    "/admin/forum/new",
    `/admin/forum/${ids.category}`,
    "/admin/metrics",
    "/admin/metrics?preset=30d",
    "/admin/metrics/at-risk",
    "/admin/metrics/follow-up",
    "/admin/reports",
    "/roadmap",
    `/roadmap/${ids.roadmapItem}`,
    `/roadmap/${ids.roadmapItem}/edit`,
  );
  await page.goto(`/roadmap/${ids.roadmapItem}`);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await report.check("/roadmap/:id comment sent empty");
  report.expectClean();
});
