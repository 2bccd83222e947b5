import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

// Demo Private Clients besides Irina (DEMO.privateClient), from prisma/seed/foundation.ts.
const DMITRY = "dmitry.orlov@example.com";
const SARAH = "sarah.chen@example.com";

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The owner (English) creates an item through /roadmap/new and gets its id. */
async function createItem(page: Page, title: string, status = "Planned") {
  await page.goto("/roadmap/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill(`Why **${title}** matters to us.`);
  await page.getByLabel("Status").selectOption({ label: status });
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname.split("/").at(-1)!;
}

/** A member votes on the item page in a browser of their own. */
async function voteAs(browser: Browser, loginAs: (email: string, page?: Page) => Promise<void>, email: string, itemId: string) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await loginAs(email, page);
  await page.goto(`/roadmap/${itemId}`);
  await page.locator("form").filter({ has: page.locator('button[value="vote"]') }).getByRole("button").click();
  await expect(page.locator('button[value="unvote"]')).toBeVisible();
  await context.close();
}

test("a Private Client votes and takes the vote back, instantly and on the record", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.privateClient.email);
  const title = "Managed Kafka with tiered storage";
  await page.goto(`/roadmap?q=${encodeURIComponent("Kafka")}`);
  await expect(page.getByRole("heading", { level: 1, name: "Дорожная карта" })).toBeVisible();
  const card = page.getByTestId("roadmap-item").filter({ has: page.getByRole("link", { name: title }) });
  await expect(card.getByTestId("vote-count")).toHaveText("2");
  await expect(card.getByTestId("weighted-votes")).toHaveText("6");
  await expectNoViolations(page);

  // Optimistic: the totals change while the server is still answering.
  let release = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/roadmap.data**", async (route) => {
    if (route.request().method() === "POST") await answered;
    await route.continue();
  });
  await card.getByRole("button", { name: `Голосовать за «${title}»` }).click();
  await expect(card.getByTestId("vote-count")).toHaveText("3");
  await expect(card.getByTestId("weighted-votes")).toHaveText("9");
  await expect(card.getByText("✓ Вы проголосовали")).toBeVisible();
  const [irina] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.privateClient.email]);
  expect(await sql(`SELECT 1 FROM "RoadmapVote" WHERE "itemId" = 'roadmap-kafka-tiered' AND "userId" = $1`, [irina.id])).toHaveLength(0);
  const posted = page.waitForResponse((r) => r.url().includes("/roadmap.data") && r.request().method() === "POST");
  release();
  expect((await posted).status()).toBe(200);
  await page.unroute("**/roadmap.data**");
  await expect.poll(async () => (await sql(`SELECT 1 FROM "RoadmapVote" WHERE "itemId" = 'roadmap-kafka-tiered' AND "userId" = $1`, [irina.id])).length).toBe(1);

  await page.reload();
  await expect(card.getByTestId("vote-count")).toHaveText("3");
  await card.getByRole("button", { name: `Отозвать голос за «${title}»` }).click();
  await expect(card.getByTestId("vote-count")).toHaveText("2");
  await expect(card.getByTestId("weighted-votes")).toHaveText("6");
  await expect.poll(async () => (await sql(`SELECT 1 FROM "RoadmapVote" WHERE "itemId" = 'roadmap-kafka-tiered' AND "userId" = $1`, [irina.id])).length).toBe(0);
  await page.reload();
  await expect(card.getByRole("button", { name: `Голосовать за «${title}»` })).toBeVisible();
  await expect(card.getByTestId("vote-count")).toHaveText("2");
});

test("voting and suggesting work without JavaScript", async ({ browser, loginAs, sql }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await loginAs(DEMO.privateClient.email, page);
  await page.goto("/roadmap/roadmap-ipv6-vpc");
  await expect(page.getByTestId("vote-count")).toHaveText("1");
  await page.getByRole("button", { name: "Голосовать за «IPv6 in VPC»" }).click();
  await expect(page.getByTestId("vote-count")).toHaveText("2");
  await expect(page.getByText("✓ Вы проголосовали")).toBeVisible();
  await page.getByRole("button", { name: "Отозвать голос за «IPv6 in VPC»" }).click();
  await expect(page.getByTestId("vote-count")).toHaveText("1");

  await page.goto("/roadmap/new");
  await page.getByLabel("Описание").fill("x".repeat(20));
  await page.getByRole("button", { name: "Отправить предложение" }).click();
  await expect(page.getByText("Обязательное поле.")).toBeVisible();
  await page.getByLabel("Название").fill("Журнал доступа к ключам KMS");
  await page.getByRole("button", { name: "Отправить предложение" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Журнал доступа к ключам KMS" })).toBeVisible();
  await expect(page.locator(".roadmap-status").first()).toHaveText("На рассмотрении");
  const [row] = await sql<{ status: string; email: string }>(
    `SELECT i.status::text AS status, u.email FROM "RoadmapItem" i JOIN "User" u ON u.id = i."authorId" WHERE i.title = $1`,
    ["Журнал доступа к ключам KMS"],
  );
  expect(row).toEqual({ status: "UNDER_REVIEW", email: DEMO.privateClient.email });
  await context.close();
});

test("a Professional member sees the board but cannot vote", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.professional.email);
  await page.goto("/roadmap");
  await expect(page.getByRole("heading", { level: 1, name: "Дорожная карта" })).toBeVisible();
  await expect(page.getByTestId("roadmap-item").first()).toBeVisible();
  await expect(page.getByTestId("voting-note")).toContainText("Голосуют участники уровня Private Client");
  await expect(page.locator('button[value="vote"]')).toHaveCount(0);
  await page.getByTestId("roadmap-item").first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: /Кто проголосовал/ })).toBeVisible();
  await expect(page.locator('button[value="vote"]')).toHaveCount(0);
  await expectNoViolations(page);

  // The server refuses a vote posted anyway.
  const response = await page.request.post("/roadmap?index", {
    headers: { Origin: test.info().project.use.baseURL! },
    form: { intent: "vote", itemId: "roadmap-ipv6-vpc" },
  });
  expect(response.status()).toBe(403);
  const [olga] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.professional.email]);
  expect(await sql(`SELECT 1 FROM "RoadmapVote" WHERE "userId" = $1`, [olga.id])).toHaveLength(0);
});

test("an owner ships an item and its voters' emails reach the outbox, each in their language", async ({ page, browser, loginAs, sql }) => {
  await loginAs(DEMO.owner.email);
  const title = `Managed Kafka Connect ${Date.now()}`;
  const itemId = await createItem(page, title, "In progress");
  await voteAs(browser, loginAs, DEMO.privateClient.email, itemId);
  await voteAs(browser, loginAs, SARAH, itemId);

  await page.goto(`/roadmap/${itemId}`);
  await expectNoViolations(page);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Shipped" });
  await page.getByLabel("Note to voters (optional)").fill("Available in every region today.");
  await page.getByRole("button", { name: "Change status and notify voters" }).click();
  await expect(page.getByText("Status changed. Voters notified: 2.")).toBeVisible();
  await expect(page.getByTestId("status-history")).toContainText("In progress → Shipped");
  await expect(page.getByTestId("status-history")).toContainText("Available in every region today.");

  // The fan-out worker tells the voters after the change's transaction.
  await expect
    .poll(async () => (await sql(`SELECT 1 FROM "Email" WHERE template = 'roadmap-shipped' AND text LIKE $1`, [`%/roadmap/${itemId}%`])).length, { timeout: 20_000 })
    .toBe(2);
  const emails = await sql<{ to: string; locale: string; subject: string; text: string }>(
    `SELECT "to", locale::text AS locale, subject, text FROM "Email" WHERE template = 'roadmap-shipped' AND text LIKE $1 ORDER BY "to"`,
    [`%/roadmap/${itemId}%`],
  );
  expect(emails.map((e) => [e.to, e.locale, e.subject])).toEqual([
    [DEMO.privateClient.email, "ru", `Выпущено: «${title}»`],
    [SARAH, "en", `Shipped: “${title}”`],
  ]);
  expect(emails[1].text).toContain("Available in every region today.");
  // The queue delivers them (to the outbox, without SMTP).
  await expect
    .poll(async () => (await sql(`SELECT 1 FROM "Email" WHERE template = 'roadmap-shipped' AND text LIKE $1 AND status = 'SENT'`, [`%/roadmap/${itemId}%`])).length, {
      timeout: 20_000,
    })
    .toBe(2);
});

test("an owner merges two items with overlapping voters and the counts are right", async ({ page, browser, loginAs, sql }) => {
  await loginAs(DEMO.owner.email);
  const stamp = Date.now();
  const duplicate = await createItem(page, `Geo-redundant volume snapshots ${stamp}`);
  const target = await createItem(page, `Volume snapshots in a second region ${stamp}`);
  await voteAs(browser, loginAs, DEMO.privateClient.email, duplicate);
  await voteAs(browser, loginAs, DMITRY, duplicate);
  await voteAs(browser, loginAs, DEMO.privateClient.email, target);
  await voteAs(browser, loginAs, SARAH, target);

  await page.goto(`/roadmap/${duplicate}`);
  await expect(page.getByTestId("vote-count")).toHaveText("2");
  await page.getByLabel("Merge this item into").selectOption({ value: target });
  await page.getByRole("button", { name: "Merge into the chosen item" }).click();

  await expect(page).toHaveURL(new RegExp(`/roadmap/${target}\\?merged=${duplicate}$`));
  await expect(page.getByTestId("merged-note")).toContainText(`Geo-redundant volume snapshots ${stamp}`);
  await expect(page.getByTestId("vote-count")).toHaveText("3");
  await expect(page.getByTestId("weighted-votes")).toHaveText("9");
  await expect(page.getByTestId("voters").getByRole("listitem")).toHaveCount(3);
  // The merge is on the target's record, with who did it.
  await expect(page.getByTestId("status-history")).toContainText(`“Geo-redundant volume snapshots ${stamp}” merged into this item`);
  await expectNoViolations(page);

  const [row] = await sql<{ votes: number; voters: number }>(
    `SELECT count(*)::int AS votes, count(DISTINCT "userId")::int AS voters FROM "RoadmapVote" WHERE "itemId" = $1`,
    [target],
  );
  expect(row).toEqual({ votes: 3, voters: 3 });
  expect(await sql(`SELECT 1 FROM "RoadmapVote" WHERE "itemId" = $1`, [duplicate])).toHaveLength(0);

  // The duplicate's address leads to the target, and the board lists only the target.
  await page.goto(`/roadmap/${duplicate}`);
  await expect(page).toHaveURL(new RegExp(`/roadmap/${target}\\?merged=${duplicate}$`));
  await page.goto(`/roadmap?q=${stamp}`);
  await expect(page.getByTestId("roadmap-item")).toHaveCount(1);
});

test("a member edits their roadmap comment without JavaScript, and it is marked as edited", async ({ browser, loginAs }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await loginAs(DEMO.owner.email, page);
  const itemId = await createItem(page, `Comment edits ${Date.now()}`);
  await page.goto(`/roadmap/${itemId}`);
  await page.getByLabel("Add a comment").fill("Teh first version.");
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("paragraph").filter({ hasText: "Teh first version." })).toBeVisible();
  await page.getByText("Edit", { exact: true }).click();
  await page.getByLabel("Comment text").fill("The **corrected** version.");
  await page.getByRole("button", { name: "Save comment" }).click();
  await expect(page.locator("strong", { hasText: "corrected" })).toBeVisible();
  await expect(page.getByRole("paragraph").filter({ hasText: "Teh first version." })).toHaveCount(0);
  await expect(page.getByText("· edited")).toBeVisible();
  await context.close();
});
