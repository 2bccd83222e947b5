import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

type Sql = <T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

/** A member of the professional tier who joined 60 days ago and was never asked: the survey is due. */
async function dueMember(sql: Sql, name: string): Promise<{ id: string; email: string }> {
  const id = `e2e-${randomBytes(6).toString("hex")}`;
  const email = `${id}@example.com`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt") VALUES ($1, $2, $3, 'MEMBER', 'en', now() - interval '60 days', now())`, [id, email, name]);
  await sql(
    `INSERT INTO "Subscription" (id, "userId", "tierId", status, interval, amount, "startedAt", "updatedAt")
     SELECT $1, $2, t.id, 'ACTIVE', 'MONTH', t."monthlyAmount", now() - interval '60 days', now() FROM "Tier" t WHERE t.slug = 'professional'`,
    [`${id}-sub`, id],
  );
  return { id, email };
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `axe on ${page.url()}`).toEqual([]);
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

test("the owner reads the dashboard, changes the period, exports CSV and follows up an at-risk member", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/metrics");
  await expect(page.getByRole("heading", { level: 1, name: "Club metrics" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^Net Promoter Score: / })).toBeVisible();
  await expect(page.getByRole("img", { name: "NPS by month" })).toBeVisible();
  await expect(page.getByRole("img", { name: "MRR by month (at each month's end)" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Cohorts: share still paying N months later" })).toBeVisible();
  await expect(page.getByText(/whole days in Europe\/Moscow/)).toBeVisible();

  // A preset, then a custom period of six whole months.
  await page.getByRole("link", { name: "Last 30 days", exact: true }).click();
  await expect(page).toHaveURL(/preset=30d/);
  await expect(page.getByRole("link", { name: "Last 30 days", exact: true })).toHaveAttribute("aria-current", "page");
  const today = new Date();
  const from = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 6, 1)));
  const to = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)));
  await page.getByLabel("From").fill(from);
  await page.getByLabel("To").fill(to);
  await page.getByRole("button", { name: "Show this period" }).click();
  await expect(page).toHaveURL(new RegExp(`preset=custom&from=${from}&to=${to}`));
  await expect(page.getByText(/^Closing figures as of/)).toBeVisible();
  const revenueRows = page.getByRole("table", { name: "MRR by month (at each month's end)" }).getByRole("row");
  await expect(revenueRows).toHaveCount(7);

  // The MRR table as CSV.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download “MRR by month (at each month's end)” as CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`coterie-revenue-months-${from}-${to}.csv`);
  const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(csv[0]).toBe("Month,MRR (EUR),Paying members,ARPA (EUR)");
  expect(csv).toHaveLength(7);
  expect(csv[1]).toMatch(new RegExp(`^${from.slice(0, 7)},\\d+(\\.\\d+)?,\\d+,`));

  // The at-risk list: Tom Becker has been quiet for weeks.
  await page.getByRole("link", { name: "Open the at-risk list" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members at risk" })).toBeVisible();
  const tom = page.getByRole("heading", { level: 3, name: "Tom Becker" });
  for (let next = 2; !(await tom.count()); next += 1) {
    await page.getByRole("link", { name: "Next page" }).first().click();
    await expect(page.getByText(`Page ${next} of`).first()).toBeVisible();
  }
  await expect(page.getByText(/^No activity since .* \(\d+ days\)$/).first()).toBeVisible();
  await page.getByRole("button", { name: "Send follow-up email to Tom Becker" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Follow-up email sent to Tom Becker." })).toBeVisible();
  await expect(page.locator("#member-" + (await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'tom.becker@example.com'`))[0].id)).toContainText(
    "Follow-up email by Alexandra Volkova",
  );

  // The email is in the outbox, in Tom's language.
  const emails = await sql<{ subject: string; locale: string }>(`SELECT subject, locale FROM "Email" WHERE "to" = 'tom.becker@example.com' AND template = 'metrics-follow-up'`);
  expect(emails).toEqual([{ subject: "We miss you at Northwind Inner Circle", locale: "en" }]);
  await page.goto("/admin/outbox?to=tom.becker@example.com");
  await expect(page.getByRole("heading", { name: "We miss you at Northwind Inner Circle" })).toBeVisible();
});

test("each headline figure shows its previous value and its change against the previous period", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  // Three whole months before this one; the previous period is the three months before them.
  const today = new Date();
  const from = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 3, 1)));
  const to = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)));
  await page.goto(`/admin/metrics?preset=custom&from=${from}&to=${to}`);
  // The expected figures come from the JSON export of the same period, not from the demo's numbers.
  const json = await (await page.request.get(`/admin/metrics.json?from=${from}&to=${to}`)).json();
  const { comparison } = json as { comparison: { from: string; to: string; previous: Record<string, number | null> } };
  const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000) + 1;
  expect(days(comparison.from, comparison.to)).toBe(days(from, to));
  expect(days(comparison.to, from)).toBe(2);
  const money = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: json.currency.toUpperCase() }).format(Math.round(minor) / 100);
  const current: number = json.revenue.atEnd.mrr;
  const previous = comparison.previous.mrr!;
  const day = (iso: string) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  await expect(page.getByText(`Each figure is compared with the previous period of the same length, ${day(comparison.from)} to ${day(comparison.to)}.`)).toBeVisible();

  const mrr = page.locator("[data-compare=mrr]");
  await expect(mrr).toContainText(`previous: ${money(previous)}`);
  const arrow = current > previous ? "▲" : current < previous ? "▼" : "=";
  await expect(mrr.locator("[aria-hidden=true]")).toContainText(arrow);
  // The arrow is hidden from screen readers, which read the same in words.
  const words =
    current === previous
      ? "Unchanged from the previous period"
      : `${current > previous ? "Up" : "Down"} ${money(Math.abs(current - previous))} from ${money(previous)} in the previous period`;
  await expect(mrr.locator(".sr-only")).toContainText(words);
  // Every compared figure has its note; none says NaN or a made-up change.
  await expect(page.locator("[data-compare]")).toHaveCount(Object.keys(comparison.previous).length);
  await expect(page.locator("#metrics-key-title").locator("..")).not.toContainText("NaN");
});

test("a headline figure with nothing before it says so instead of a change", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/metrics?preset=custom&from=2020-01-01&to=2020-03-31");
  await expect(page.locator("[data-compare=arpa]")).toHaveText(/^No figure for the previous period \(.+\) to compare with$/);
  await expect(page.locator("[data-compare=nps]")).toHaveText(/^No figure for the previous period/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("following up someone who left the club since the list was opened says why nothing happened", async ({ page, loginAs, sql }) => {
    // A detractor with the lowest score, so first on the list.
    const member = await dueMember(sql as Sql, "Lena Leaving");
    await sql(`INSERT INTO "NpsResponse" (id, "userId", score, "createdAt") VALUES ($1, $2, 0, now() - interval '1 day')`, [`${member.id}-nps`, member.id]);
    await loginAs(DEMO.owner.email);
    await page.goto("/admin/metrics/at-risk");
    await expect(page.getByRole("heading", { level: 3, name: "Lena Leaving" })).toBeVisible();
    // Her membership ends while the page is open.
    await sql(`UPDATE "Subscription" SET "endedAt" = now() - interval '1 minute', status = 'CANCELED' WHERE "userId" = $1`, [member.id]);
    await page.getByRole("button", { name: "Mark Lena Leaving as contacted" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "This person is no longer a member who can be followed up." })).toBeVisible();
    await expect(page.getByRole("heading", { level: 3, name: "Lena Leaving" })).toHaveCount(0);
    expect(await sql(`SELECT 1 FROM "MemberFollowUp" WHERE "memberId" = $1`, [member.id])).toEqual([]);
  });
});

test("the owner edits the follow-up email; a wrong placeholder is named next to its field", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/metrics/follow-up");
  // The email to a member who has gone quiet (the detractor's has fields of the same names).
  const quiet = page.getByRole("group", { name: "To a member who has gone quiet" });
  await quiet.getByLabel("Subject (English)").fill("{firstName}, we kept your seat");
  await page.getByRole("button", { name: "Save the follow-up email" }).click();
  await expect(page.getByText("Unknown placeholder “firstName”: only the member's name and the club's name can be filled in.")).toBeVisible();
  await quiet.getByLabel("Subject (English)").fill("{name}, we kept your seat");
  await page.getByRole("button", { name: "Save the follow-up email" }).click();
  await expect(page.getByRole("status")).toHaveText("The follow-up email is saved.");
  await page.reload();
  await expect(quiet.getByLabel("Subject (English)")).toHaveValue("{name}, we kept your seat");
  await expect(page.getByText(/^Last changed by Alexandra Volkova/)).toBeVisible();
});

test("a curator sees engagement only, and gets 403 for revenue in JSON and CSV", async ({ page, loginAs }) => {
  // The demo curator reads the club in Russian.
  await loginAs(DEMO.curator.email);
  await page.goto("/admin/metrics");
  await expect(page.getByRole("heading", { level: 2, name: /^Вовлечённость: / })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Участники в зоне риска" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /^MRR и ARPA/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 2, name: /^Индекс NPS/ })).toHaveCount(0);
  expect((await page.request.get("/admin/metrics.json?include=revenue")).status()).toBe(403);
  expect((await page.request.get("/admin/metrics.csv?table=revenue-months")).status()).toBe(403);
  const own = await page.request.get("/admin/metrics.json");
  expect(own.status()).toBe(200);
  expect((await own.json()).sections).toEqual(["engagement", "atRisk"]);
});

test("an owner who reads Russian reads the revenue movements chart and downloads a CSV that opens with semicolons and decimal commas", async ({ page, loginAs, sql }) => {
  // An owner of their own, so the shared demo owner keeps their language.
  const id = `e2e-${randomBytes(6).toString("hex")}`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Ольга Владелец', 'OWNER', 'ru', now())`, [id, `${id}@example.com`]);
  await loginAs(`${id}@example.com`);
  const today = new Date();
  const from = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 12, 1)));
  const to = isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)));
  expect((await page.goto(`/admin/metrics?preset=custom&from=${from}&to=${to}`))?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 3, name: /^Движение выручки: / })).toBeVisible();
  await expect(page.getByRole("img", { name: "Движение выручки по месяцам: прирост выше нуля, потери ниже" })).toBeVisible();

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Скачать «Движение выручки по месяцам» в CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`coterie-revenue-movements-${from}-${to}.csv`);
  const raw = await readFile((await download.path())!, "utf8");
  expect(raw.startsWith("\uFEFF")).toBe(true);
  const lines = raw.slice(1).trim().split("\r\n").map((line) => line.split(";"));
  const [header, ...rows] = lines;
  expect(header[0]).toBe("Месяц");
  expect(header[1]).toBe("MRR на начало (EUR)");
  expect(header.filter((cell) => cell.includes("% (%)"))).toEqual([]);
  // Twelve months, then the whole period.
  expect(rows.map((row) => row[0])).toHaveLength(13);
  expect(rows.slice(0, 12).every((row) => /^\d{4}-\d{2}$/.test(row[0]))).toBe(true);
  expect(rows[12][0]).toBe("За весь период");
  const number = (cell: string) => {
    expect(cell, "a number is written with a decimal comma").toMatch(/^-?\d+(,\d+)?$/);
    return Number(cell.replace(",", "."));
  };
  let decimals = 0;
  for (const row of rows) {
    expect(row).toHaveLength(header.length);
    const [start, gained, expansion, reactivation, contraction, churn, net, end] = row.slice(1, 9).map(number);
    // The file adds up as the page does: start + gains − losses = end, to the rounding of each
    // cell to the cent (a yearly plan's monthly share is a fraction of a cent).
    expect(Math.abs(start + gained + expansion + reactivation - contraction - churn - end)).toBeLessThan(0.04);
    expect(Math.abs(gained + expansion + reactivation - contraction - churn - net)).toBeLessThan(0.04);
    decimals += row.filter((cell) => /^-?\d+,\d+$/.test(cell)).length;
  }
  expect(decimals, "some figures have decimals, written with commas").toBeGreaterThan(0);
});

test("an owner who reads Russian enters this month's acquisition spend as she writes money, and the dashboard divides it into CAC", async ({ page, loginAs, sql }) => {
  const id = `e2e-${randomBytes(6).toString("hex")}`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Ирина Владелец', 'OWNER', 'ru', now())`, [id, `${id}@example.com`]);
  await loginAs(`${id}@example.com`);
  await page.goto("/admin/metrics#growth");
  await expect(page.getByRole("heading", { level: 2, name: /^Рост и сетевой эффект: / })).toBeVisible();
  await expect(page.getByRole("img", { name: "Новые участники по способу прихода, по месяцам" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Публикаций на участника по мере роста клуба" })).toBeVisible();
  const growth = page.locator("section#growth");
  await expect(growth.getByText("Новые участники по рекомендации", { exact: true })).toBeVisible();

  await growth.getByRole("link", { name: "Внести расходы на привлечение" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Расходы на привлечение" })).toBeVisible();
  // This month (the first row) has no spend yet; a negative amount is refused next to the field.
  const thisMonth = page.locator('input[name="months[0].amount"]');
  await expect(thisMonth).toHaveValue("");
  await thisMonth.fill("-5");
  await page.getByRole("button", { name: "Сохранить расходы" }).click();
  await expect(page.getByText("Расходы не могут быть отрицательными.")).toBeVisible();
  await thisMonth.fill("2 500,50");
  await page.getByRole("button", { name: "Сохранить расходы" }).click();
  await expect(page.getByText("Сохранён 1 месяц.")).toBeVisible();
  const [row] = await sql<{ amountMinor: number }>(`SELECT "amountMinor" FROM "AcquisitionSpend" ORDER BY month DESC LIMIT 1`);
  expect(row.amountMinor).toBe(250_050);
  const [audit] = await sql<{ actorId: string }>(`SELECT "actorId" FROM "AuditEntry" WHERE action = 'metrics.spend' ORDER BY id DESC LIMIT 1`);
  expect(audit.actorId).toBe(id);

  // Twelve months with spend entered for each: CAC and LTV:CAC are figures, not dashes.
  await page.goto("/admin/metrics");
  const cac = page.locator("section#growth dt", { hasText: /^CAC$/ }).locator("xpath=..");
  await expect(cac.locator("dd").first()).toContainText("€");
});

test("the metrics pages have no accessibility violations, in English and Russian", async ({ page, loginAs, sql }) => {
  // Several full-page axe scans (or thirty posts) on a 2-core machine run past the default minute.
  test.setTimeout(180_000);
  await loginAs(DEMO.owner.email);
  for (const path of ["/admin/metrics", "/admin/metrics/at-risk", "/admin/metrics/follow-up", "/admin/metrics?preset=30d", "/admin/metrics/spend"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expectNoAxeViolations(page);
  }
  // A second owner who reads Russian, so the shared demo owner keeps their language.
  const id = `e2e-${randomBytes(6).toString("hex")}`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Анна Владелец', 'OWNER', 'ru', now())`, [id, `${id}@example.com`]);
  await loginAs(`${id}@example.com`);
  await page.goto("/admin/metrics");
  await expect(page.getByRole("heading", { level: 1, name: "Метрики клуба" })).toBeVisible();
  await expect(page.getByRole("img", { name: "NPS по месяцам" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/admin/metrics/at-risk");
  await expect(page.getByRole("heading", { level: 1, name: "Участники в зоне риска" })).toBeVisible();
  await expectNoAxeViolations(page);
  await loginAs(DEMO.curator.email);
  await page.goto("/admin/metrics");
  await expectNoAxeViolations(page);
});

test("a member who is due answers the survey prompt on any page", async ({ page, loginAs, sql }) => {
  const member = await dueMember(sql as Sql, "Sasha Survey");
  await loginAs(member.email);
  await page.goto("/account");
  const prompt = page.getByRole("complementary", { name: "Member survey" });
  await expect(prompt).toBeVisible();
  await expectNoAxeViolations(page);
  await prompt.getByRole("button", { name: "Send my answer" }).click();
  await expect(prompt.getByText("Choose a score from 0 to 10.")).toBeVisible();
  await prompt.getByRole("radio", { name: "9", exact: true }).check();
  await prompt.getByLabel("What is the main reason for your score? (optional)").fill("The CTO sessions.");
  await prompt.getByRole("button", { name: "Send my answer" }).click();
  await expect(prompt.getByRole("status")).toHaveText("Thank you for your answer.");
  await expect(page).toHaveURL(/\/account$/);
  const answers = await sql<{ score: number; comment: string; slug: string }>(
    `SELECT r.score, r.comment, t.slug FROM "NpsResponse" r JOIN "Tier" t ON t.id = r."tierId" WHERE r."userId" = $1`,
    [member.id],
  );
  expect(answers).toEqual([{ score: 9, comment: "The CTO sessions.", slug: "professional" }]);
  await page.reload();
  await expect(page.getByRole("complementary", { name: "Member survey" })).toHaveCount(0);
});

test("without JavaScript the survey and the period form still work, with messages next to the fields", async ({ browser, loginAs, sql }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  const answering = await dueMember(sql as Sql, "Noa Noscript");
  await loginAs(answering.email, page);
  await page.goto("/account");
  await page.getByRole("button", { name: "Send my answer" }).click();
  await expect(page).toHaveURL(/\/survey$/);
  await expect(page.getByText("Choose a score from 0 to 10.")).toBeVisible();
  await page.getByRole("radio", { name: "4", exact: true }).check();
  await page.getByRole("button", { name: "Send my answer" }).click();
  await expect(page.getByRole("status")).toHaveText("Thank you for your answer.");
  await page.getByRole("link", { name: "Back to where you were" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("complementary", { name: "Member survey" })).toHaveCount(0);

  const dismissing = await dueMember(sql as Sql, "Dee Dismiss");
  await loginAs(dismissing.email, page);
  await page.goto("/account");
  await page.getByRole("button", { name: "Not now" }).click();
  await expect(page.getByRole("status")).toHaveText("All right, we will not ask again for a while.");
  expect(await sql(`SELECT score FROM "NpsResponse" WHERE "userId" = $1`, [dismissing.id])).toEqual([{ score: null }]);

  await loginAs(DEMO.owner.email, page);
  const response = await page.goto("/admin/metrics?preset=custom&from=2026-05-01&to=2026-04-01");
  expect(response?.status()).toBe(400);
  await expect(page.getByText("The end of the period is before its start.")).toBeVisible();
  await expect(page.getByLabel("To")).toHaveAttribute("aria-invalid", "true");
  await context.close();
});

test("a period before the club existed shows empty states, not NaN or an error", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  const response = await page.goto("/admin/metrics?preset=custom&from=2020-01-01&to=2020-03-31");
  expect(response?.status()).toBe(200);
  await expect(page.getByText("No member answered the survey in this period.")).toBeVisible();
  await expect(page.getByText("No paying member joined in this period.")).toBeVisible();
  await expect(page.getByText("No data for this period.").first()).toBeVisible();
  await expect(page.getByText("There are no paying members.").first()).toBeVisible();
  await expect(page.locator("main")).not.toContainText("NaN");
  await expect(page.locator("main")).not.toContainText("Infinity");
});
