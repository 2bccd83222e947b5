/**
 * Forms with JavaScript on, after they have shown errors: every click counts the first time.
 * (Revalidating on blur re-rendered the errors between mousedown and mouseup, moving what
 * was under the pointer, so the first click on a radio, the consent box or the submit
 * button was lost and only the second worked.)
 */
import { randomBytes } from "node:crypto";
import { acceptClubTerms } from "./consent";
import { DEMO, expect, test } from "./fixtures";

test("after a refused submit, one click checks a radio, one checks consent, one sends the application", async ({ page }) => {
  await page.goto("/apply");
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();

  await page.getByLabel("Full name").fill("Grace Hopper");
  const four = page.getByRole("group", { name: "Readiness to co-innovate" }).getByRole("radio", { name: "4", exact: true });
  await four.click();
  await expect(four).toBeChecked();

  await page.getByLabel("Email").fill(`grace-${randomBytes(4).toString("hex")}@example.com`);
  await page.getByLabel("Company").fill("Harvard Mark I");
  await page.getByRole("textbox", { name: "Role", exact: true }).fill("Rear admiral");
  await page.getByLabel("Expertise in security and cloud").fill("Compilers, and finding the first bug.");
  const growth = page.getByRole("group", { name: "Growth potential" }).getByRole("radio", { name: "Up to 50 %" });
  await growth.click();
  await expect(growth).toBeChecked();
  await page.getByLabel("What you bring to the community").fill("Talks on COBOL.");
  const consent = page.getByLabel(/I agree that the club stores/);
  await consent.click();
  await expect(consent).toBeChecked();
  await acceptClubTerms(page);

  await page.getByLabel("Company").focus();
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
});

test("a reviewer's first click on Reject, after the reason was missing, rejects", async ({ page, loginAs, sql }) => {
  const email = `reject-${randomBytes(4).toString("hex")}@example.com`;
  const id = `app-${randomBytes(6).toString("hex")}`;
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "createdAt", "updatedAt")
     VALUES ($1, $2, 'Reject Me', 'Acme', 'CTO', 'en', 'NEW', $3, now(), now(), now(), now())`,
    [id, email, randomBytes(32).toString("hex")],
  );
  await loginAs(DEMO.owner.email);
  await page.goto(`/admin/applications/${id}`);
  const reject = page.getByRole("button", { name: "Reject", exact: true });
  await reject.click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await page.getByLabel(/Reason/).first().fill("Not a fit for the club's criteria this year.");
  await reject.click();
  await expect(page.getByText(/Rejected/).first()).toBeVisible();
  const [row] = await sql<{ status: string }>(`SELECT status FROM "Application" WHERE id = $1`, [id]);
  expect(row.status).toBe("REJECTED");
});
