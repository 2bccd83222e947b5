/**
 * The audit log in a browser: an owner of our own approves an application, finds the decision
 * on /admin/audit, filters by kind, and downloads the CSV. Axe finds nothing on the page.
 */
import AxeBuilder from "@axe-core/playwright";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";

test("an owner approves an application, sees it in the audit log, filters by kind and downloads the CSV", async ({ page, sql, loginAs }) => {
  const id = `audit-e2e-${randomBytes(4).toString("hex")}`;
  const ownerName = "Audit Owner";
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, $3, 'OWNER', 'en', now())`, [id, `${id}@example.com`, ownerName]);
  const applicationId = `${id}-application`;
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "updatedAt")
     VALUES ($1, $2, 'Vera Auditova', 'Harbour Labs', 'CTO', 'en', 'NEW', $3, now(), now(), now())`,
    [applicationId, `${id}-applicant@example.com`, createHash("sha256").update(applicationId).digest("hex")],
  );
  await loginAs(`${id}@example.com`);

  await page.goto(`/admin/applications/${applicationId}`);
  await page.getByRole("button", { name: "Approve and send the invitation" }).click();
  await expect(page.getByText("Approved. The invitation is on its way to the applicant.")).toBeVisible();

  // Only this owner's rows: other specs act at the same time.
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.getByLabel("Person").selectOption({ label: ownerName });
  await page.getByLabel("Kind").selectOption({ label: "Application decided" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/action=application\.decision/);
  const rows = page.getByTestId("audit-rows").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(ownerName);
  await expect(rows.first()).toContainText("Application decided");
  await expect(rows.first()).toContainText("status: NEW → APPROVED");
  // The applicant's name is read when the page is shown; the log itself holds only ids.
  await expect(rows.first().getByRole("link", { name: "Application: Vera Auditova" })).toHaveAttribute("href", `/admin/applications/${applicationId}`);
  const stored = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEntry" WHERE "subjectId" = $1 AND (before::text ILIKE '%Vera%' OR after::text ILIKE '%Vera%')`, [applicationId]);
  expect(stored[0].n).toBe(0);

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // A bad date is refused next to its field, not with an error page.
  await page.goto(`/admin/audit?actor=${id}&from=2026-02-30`);
  await expect(page.getByText("Enter a date as YYYY-MM-DD.")).toBeVisible();

  await page.goto(`/admin/audit?actor=${id}&action=application.decision`);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^coterie-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  expect(lines[0]).toBe("When,Who,Who (id),What,Kind,Subject,Subject id,Before,After");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${ownerName},${id},Application decided,application.decision,Application,${applicationId}`);
  expect(lines[1]).toContain('"{""status"":""NEW""}"');
});

test("the demo club's log goes back a year: its application decisions are in it", async ({ page, sql, loginAs }) => {
  const [{ count }] = await sql<{ count: number }>(
    `SELECT count(*)::int AS count FROM "AuditEntry" WHERE action = 'application.decision' AND "actorId" IS NOT NULL AND at < now() - interval '300 days'`,
  );
  expect(count).toBeGreaterThan(0);
  await loginAs("owner@coterie.club");
  await page.goto("/admin/audit?action=application.decision&from=2020-01-01&to=2099-12-31");
  await expect(page.getByTestId("audit-rows").locator("tbody tr").first()).toContainText("Application decided");
});

test("a curator gets 403 on the audit log and its CSV", async ({ page, loginAs }) => {
  await loginAs("curator@coterie.club");
  expect((await page.goto("/admin/audit"))?.status()).toBe(403);
  expect((await page.request.get("/admin/audit.csv")).status()).toBe(403);
});
