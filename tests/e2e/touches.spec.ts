/**
 * The NPS comment feed and the touch map in a browser: a curator of our own replies to an answer
 * of a member of our own, the member gets it in the portal, and the reply is on the member's
 * touch map. Then the same without JavaScript: the form posts, an empty reply is refused at the
 * field, and the touch map's kind filter (a GET form) works.
 */
import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

type Sql = (text: string, values?: unknown[]) => Promise<unknown[]>;

async function curatorAndMember(sql: Sql, suffix: string) {
  const id = `touches-e2e-${randomBytes(4).toString("hex")}-${suffix}`;
  const curator = { id: `${id}-curator`, email: `${id}-curator@example.com`, name: `Curator ${suffix}` };
  const member = { id: `${id}-member`, email: `${id}-member@example.com`, name: `Member ${suffix}` };
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, $3, 'CURATOR', 'en', now())`, [curator.id, curator.email, curator.name]);
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, $3, 'MEMBER', 'en', now())`, [member.id, member.email, member.name]);
  const answerId = `${id}-answer`;
  const comment = `The dinners are too far from the centre (${id})`;
  await sql(`INSERT INTO "NpsResponse" (id, "userId", score, comment, "createdAt") VALUES ($1, $2, 3, $3, now() - interval '1 hour')`, [answerId, member.id, comment]);
  return { curator, member, answerId, comment };
}

test("a curator replies to an answer and finds the reply on the member's touch map", async ({ page, sql, loginAs }) => {
  const { curator, member, answerId, comment } = await curatorAndMember(sql, "js");
  await loginAs(curator.email);

  await page.goto("/admin/metrics/comments");
  await expect(page.getByRole("heading", { level: 1, name: "NPS comments and replies" })).toBeVisible();
  // Our own answer only: other specs add answers at the same time.
  await page.goto(`/admin/metrics/comments?answer=${answerId}`);
  const card = page.locator(`#answer-${answerId}`);
  await expect(card).toContainText(comment);
  await expect(card).toContainText("3 of 10");
  await expect(card).toContainText("No reply yet.");
  const reply = "Thank you: from March the dinners move to the centre.";
  await card.getByLabel(`Your reply to ${member.name}`).fill(reply);
  await card.getByRole("button", { name: "Send the reply" }).click();
  await expect(card.getByRole("status")).toHaveText(`Your reply to ${member.name} was sent.`);
  await expect(card).toContainText(reply);
  await expect(card.getByLabel(`Your reply to ${member.name}`)).toHaveValue("");

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // The member heard of it in the portal, in their language.
  const bell = await sql<{ kind: string; values: { texts: { en: { subject: string; body: string } } } }>(`SELECT kind, "values" FROM "Notification" WHERE "userId" = $1`, [member.id]);
  expect(bell).toHaveLength(1);
  expect(bell[0].values.texts.en.body).toBe(reply);

  await card.getByRole("link", { name: member.name }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/members/${member.id}#touch-map$`));
  const timeline = page.getByRole("list", { name: "Touch map" });
  await expect(timeline.locator('[data-kind="reply"]')).toContainText(`${curator.name} replied to their answer (3 of 10)`);
  await expect(timeline.locator('[data-kind="reply"]')).toContainText(reply);
  await expect(timeline.locator('[data-kind="survey"]')).toContainText(comment);
  await expect(timeline.locator('[data-kind="notification"]')).toContainText("A reply to your feedback from");
  // Newest first: the notification and the reply come before the answer.
  const kinds = await timeline.locator("li").evaluateAll((items) => items.map((item) => item.getAttribute("data-kind")));
  expect(kinds.indexOf("survey")).toBeGreaterThan(kinds.indexOf("reply"));
});

test("without JavaScript: the reply form posts, an empty one is refused at the field, and the touch map filters by kind", async ({ browser, baseURL, sql, loginAs }) => {
  const { curator, member, answerId } = await curatorAndMember(sql, "nojs");
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  await loginAs(curator.email, page);

  await page.goto(`/admin/metrics/comments?answer=${answerId}`);
  const card = page.locator(`#answer-${answerId}`);
  await card.getByRole("button", { name: "Send the reply" }).click();
  await expect(page.locator(`#answer-${answerId}`).getByText("This field is required.")).toBeVisible();
  const reply = "Written without JavaScript.";
  await page.locator(`#answer-${answerId}`).getByLabel(`Your reply to ${member.name}`).fill(reply);
  await page.locator(`#answer-${answerId}`).getByRole("button", { name: "Send the reply" }).click();
  await expect(page.locator(`#answer-${answerId}`).getByRole("status")).toHaveText(`Your reply to ${member.name} was sent.`);
  const stored = await sql<{ body: string; staffId: string }>(`SELECT body, "staffId" FROM "NpsReply" WHERE "responseId" = $1`, [answerId]);
  expect(stored).toEqual([{ body: reply, staffId: curator.id }]);

  await page.goto(`/admin/members/${member.id}`);
  await page.getByRole("checkbox", { name: "Reply" }).check();
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(/kind=reply/);
  const timeline = page.getByRole("list", { name: "Touch map" });
  await expect(timeline.locator("li")).toHaveCount(1);
  await expect(timeline.locator("li")).toContainText(reply);
  await context.close();
});
