import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { acceptClubTerms } from "./consent";
import { DEMO, expect, test } from "./fixtures";

/**
 * The club's settings, its legal texts and consent (#20). The demo club has published version 1
 * of its rules and privacy notice. Nothing here publishes a new version or changes a setting:
 * a new version would make the forms other specs have open stale (publishing is covered in
 * tests/club), and the club's name, language and time zone are read by every other spec.
 */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("an applicant must accept the rules and privacy notice, and the staff's application page shows it", async ({ browser, baseURL, sql, loginAs, page: staffPage }) => {
  const context = await browser.newContext({ baseURL, locale: "en-GB" });
  const page = await context.newPage();
  const email = `consent-${randomBytes(4).toString("hex")}@example.com`;
  const name = `Lise Meitner ${randomBytes(2).toString("hex")}`;
  await page.goto("/apply");
  const terms = page.getByRole("checkbox", { name: /^I accept the club rules \(version \d+\) and the privacy notice \(version \d+\)/ });
  await expect(terms).toBeVisible();
  // The texts open from the form, in a new tab.
  await expect(page.getByRole("link", { name: /^the club rules/ })).toHaveAttribute("target", "_blank");
  await expect(page.getByRole("link", { name: /^the privacy notice/ })).toHaveAttribute("href", "/privacy");

  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Company").fill("Kaiser Wilhelm Institute");
  await page.getByRole("textbox", { name: "Role", exact: true }).fill("Physicist");
  await page.getByRole("group", { name: "Readiness to co-innovate" }).getByRole("radio", { name: "5", exact: true }).check();
  await page.getByLabel("Expertise in security and cloud").fill("Fission, and explaining it.");
  await page.getByRole("group", { name: "Growth potential" }).getByRole("radio", { name: "Up to 50 %" }).check();
  await page.getByLabel("What you bring to the community").fill("Talks on nuclear physics.");
  await page.getByLabel(/I agree that the club stores/).check();
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByText("Please accept the club rules and the privacy notice")).toBeVisible();
  await expect(terms).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await acceptClubTerms(page);
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await context.close();

  const [application] = await sql<{ id: string; consents: number }>(
    `SELECT a.id, (SELECT count(*)::int FROM "ConsentRecord" c WHERE c."applicationId" = a.id) AS consents FROM "Application" a WHERE email = $1`,
    [email],
  );
  expect(application.consents).toBe(2);
  // The applicant confirms the address (the emailed link is walked in admission.spec.ts).
  await sql(`UPDATE "Application" SET status = 'NEW', "emailVerifiedAt" = now() WHERE id = $1`, [application.id]);

  await loginAs(DEMO.owner.email, staffPage);
  await staffPage.goto(`/admin/applications/${application.id}`);
  await expect(staffPage.getByRole("heading", { name })).toBeVisible();
  await expect(staffPage.getByText(/^Accepted rules v\d+ and privacy notice v\d+ on /)).toBeVisible();
  await expectAccessible(staffPage);
});

test("the owner reads the club settings and the legal texts; a bad value is refused next to its field", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/settings");
  await expect(page.getByRole("heading", { name: "Club settings", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Northwind Inner Circle");
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Moscow");
  await expect(page.getByText(/^Applicants and invitees accept the current versions: rules v\d+, privacy notice v\d+\.$/)).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Require two-factor authentication for owners and curators" })).toBeVisible();
  await expectAccessible(page);

  // Out of bounds: refused at the field, nothing saved (so no other spec sees a change).
  await page.getByLabel("Invitations are valid for (days)").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Enter a whole number from 1 to 90.")).toBeVisible();
  await expect(page.getByLabel("Invitations are valid for (days)")).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  await expect(page.getByLabel("Invitations are valid for (days)")).toHaveValue("14");

  await page.getByRole("link", { name: "Rules and privacy notice" }).click();
  await expect(page.getByRole("heading", { name: "Rules and privacy notice", level: 1 })).toBeVisible();
  const rules = page.getByRole("region", { name: "Club rules" });
  await expect(rules.getByText(/^Current: version \d+, published .+ by Alexandra Volkova\.$/)).toBeVisible();
  await expect(rules.getByLabel("Text in Russian (Markdown)")).toHaveValue(/Кто мы/);
  await expect(rules.getByRole("button", { name: /^Publish version \d+$/ })).toBeVisible();
  await expectAccessible(page);
  // A version without its Russian text is refused in the browser, and nothing is published.
  const privacy = page.getByRole("region", { name: "Privacy notice" });
  await privacy.getByLabel("Text in Russian (Markdown)").fill("");
  await privacy.getByRole("button", { name: /^Publish version/ }).click();
  await expect(privacy.getByText("This field is required.")).toBeVisible();

  // The first version, as members read it.
  await rules.getByRole("link", { name: "Read version 1" }).click();
  await expect(page).toHaveURL(/\/rules\?version=1$/);
  await expect(page.getByRole("heading", { name: "Club rules", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "What stays in the club" })).toBeVisible();
});

test("a visitor reads the rules and the privacy notice in Russian; an unknown version is 404", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto("/privacy");
  await expect(page.getByRole("heading", { name: "Уведомление о конфиденциальности", level: 1 })).toBeVisible();
  await expect(page.getByText(/^Версия \d+, опубликована /)).toBeVisible();
  await expect(page.getByText(/152-ФЗ/)).toBeVisible();
  await expectAccessible(page);
  await page.goto("/rules");
  await expect(page.getByRole("heading", { name: "Правила клуба", level: 1 })).toBeVisible();
  await expectAccessible(page);
  const missing = await page.goto("/rules?version=9999");
  expect(missing?.status()).toBe(404);
  await context.close();
});
