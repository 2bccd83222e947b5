/**
 * Notifications: a member changes the kind × channel grid on /account without JavaScript,
 * another member replies to her thread, and she reads the reply in the bell (in Russian, her
 * language), while no reply email goes out because she turned that off.
 */
import { expect, test } from "./fixtures";

test("a member turns reply emails off without JavaScript, then reads a reply notification in the bell", async ({ page, browser, loginAs, sql }) => {
  const [olga] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'olga.ivanova@example.com'`);
  const [thread] = await sql<{ id: string; title: string }>(
    `SELECT t.id, t.title FROM "ForumThread" t
     WHERE t."authorId" = $1 AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL AND t."lockedAt" IS NULL
     ORDER BY t."lastPostAt" DESC LIMIT 1`,
    [olga.id],
  );
  expect(thread, "the demo club has a thread by Olga").toBeTruthy();
  await sql(`UPDATE "Notification" SET "readAt" = now() WHERE "userId" = $1 AND "readAt" IS NULL`, [olga.id]);

  // 1. The grid, without JavaScript: untick "replies to my threads" by email and save.
  const plainContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const plain = await plainContext.newPage();
  await loginAs("olga.ivanova@example.com", plain);
  await plain.goto("/account");
  const replyByEmail = plain.getByRole("checkbox", { name: "Ответы в моих темах: По почте" });
  await expect(replyByEmail).toBeChecked();
  await expect(plain.getByRole("checkbox", { name: "Ответы в моих темах: На сайте" })).toBeChecked();
  await replyByEmail.uncheck();
  await plain.getByRole("button", { name: "Сохранить настройки уведомлений" }).click();
  await expect(plain).toHaveURL(/\/account\?notifications=saved#notifications$/);
  await expect(plain.getByRole("status").filter({ hasText: "Настройки уведомлений сохранены." })).toBeVisible();
  await expect(plain.getByRole("checkbox", { name: "Ответы в моих темах: По почте" })).not.toBeChecked();
  await expect(plain.getByRole("checkbox", { name: "Ответы в моих темах: На сайте" })).toBeChecked();
  await plainContext.close();

  // 2. Sarah replies to Olga's thread.
  const sarahContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const sarah = await sarahContext.newPage();
  await loginAs("sarah.chen@example.com", sarah);
  await sarah.goto(`/forum/t/${thread.id}`);
  const text = `Thanks, this helped our team ${Date.now()}`;
  await sarah.getByLabel("Your reply").fill(text);
  await sarah.getByRole("button", { name: "Post reply" }).click();
  await expect(sarah.locator("article").filter({ hasText: text })).toBeVisible();
  await sarahContext.close();

  // 3. Olga sees the count on the bell and the reply in the list; it leads to the post.
  await loginAs("olga.ivanova@example.com");
  await page.goto("/forum");
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toHaveAccessibleName("Уведомления, непрочитанных: 1");
  await expect(page.getByTestId("notification-count")).toHaveText("1");
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  const entry = page.getByRole("link", { name: `Sarah Chen ответил(а) в теме «${thread.title}»` });
  await expect(entry).toBeVisible();
  await entry.click();
  await expect(page).toHaveURL(new RegExp(`/forum/t/${thread.id}`));
  await expect(page.locator("article").filter({ hasText: text })).toBeVisible();

  // Marked read from the centre, the bell has no count left.
  await page.goto("/notifications");
  await page.getByRole("button", { name: "Прочитать все" }).click();
  await expect(page.getByTestId("notification-count")).toHaveCount(0);
  await expect(page.getByTestId("notification-bell")).toHaveAccessibleName("Уведомления");

  // She turned reply emails off: none went out for this reply.
  const emails = await sql(`SELECT 1 FROM "Email" WHERE "userId" = $1 AND template = 'forum-reply' AND text LIKE $2`, [olga.id, `%${text}%`]);
  expect(emails).toHaveLength(0);
});
