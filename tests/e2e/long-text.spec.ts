/**
 * What applicants and members type can be one long word (the forms allow 120 characters
 * for a name, 160 for a company, 2,000 for an answer). It wraps; it never widens the page.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

async function horizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("long unbroken names, companies and answers wrap on the admission and member pages", async ({ page, sql, loginAs }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const id = `long-${randomBytes(6).toString("hex")}`;
  const name = "Щ".repeat(120);
  const company = "W".repeat(160);
  const token = randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "createdAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $4, 'ru', 'NEW', $5, now(), now(), now(), now())`,
    [id, `${id}@example.com`, name, company, createHash("sha256").update(token).digest("hex")],
  );
  const [criterion] = await sql<{ id: string }>(`SELECT id FROM "AdmissionCriterion" WHERE kind = 'TEXT' AND "archivedAt" IS NULL LIMIT 1`);
  await sql(`INSERT INTO "ApplicationAnswer" (id, "applicationId", "criterionId", value) VALUES ($1, $2, $3, $4)`, [
    `${id}-answer`,
    id,
    criterion.id,
    "x".repeat(2000),
  ]);
  await sql(
    `INSERT INTO "User" (id, email, name, company, "jobTitle", role, locale, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $4, 'MEMBER', 'ru', now(), now())`,
    [`${id}-member`, `${id}-member@example.com`, name, company],
  );

  const pages = [
    "/admin/applications",
    `/admin/applications/${id}`,
    `/apply/status/${token}`,
    "/admin/members",
    `/admin/members/${id}-member`,
    `/members/${id}-member`,
  ];
  await loginAs(DEMO.owner.email);
  for (const path of pages) {
    await page.goto(path);
    expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
  }
  // The member's own pages, with their name in the header.
  await page.context().clearCookies();
  await loginAs(`${id}-member@example.com`);
  await page.goto("/account");
  expect(await horizontalOverflow(page), "/account").toBeLessThanOrEqual(0);
  await expect(page.getByRole("link", { name })).toBeVisible();
});
