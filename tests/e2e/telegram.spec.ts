/**
 * Telegram: a member links Telegram from /account without JavaScript (the Bot API stand-in,
 * run by the e2e server, plays their /start), and the owner links a chat on /admin/telegram,
 * is told which rights the bot lacks, then sees the chat and its log.
 */
import { e2eTelegramPort } from "../support/fake-telegram";
import { DEMO, expect, test } from "./fixtures";

const control = (what: string, body: unknown) =>
  fetch(`http://127.0.0.1:${e2eTelegramPort(process.env.E2E_PORT!)}/_control/${what}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

test("a member links Telegram from /account; the bot greets them there", async ({ browser, loginAs, sql }) => {
  await sql(`DELETE FROM "TelegramLink" WHERE "userId" = (SELECT id FROM "User" WHERE email = 'james.walker@example.com')`);
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await loginAs("james.walker@example.com", page);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Telegram" });
  await section.getByRole("button", { name: "Link Telegram" }).click();
  const deepLink = page.getByRole("link", { name: "Open Telegram (@coterie_test_bot)" });
  const href = await deepLink.getAttribute("href");
  expect(href).toMatch(/^https:\/\/t\.me\/coterie_test_bot\?start=[A-Za-z0-9_-]+$/);

  const from = { id: 620000001, first_name: "James", username: "jwalker" };
  const played = await control("text", { from, text: `/start ${new URL(href!).searchParams.get("start")}` });
  expect(await played.json()).toEqual({ status: 200 });
  await page.goto("/account");
  await expect(page.getByText("Linked to Telegram account @jwalker")).toBeVisible();
  await expect
    .poll(async () => {
      const calls = (await (await fetch(`http://127.0.0.1:${e2eTelegramPort(process.env.E2E_PORT!)}/_control/calls`)).json()) as Array<{ method: string; params: { chat_id?: string; text?: string } }>;
      return calls.some((c) => c.method === "sendMessage" && Number(c.params.chat_id) === from.id && c.params.text?.includes("James Walker"));
    }, { timeout: 15_000 })
    .toBe(true);
  await context.close();
});

test("the owner links a chat, is told what the bot lacks, and sees the chat and its log", async ({ page, loginAs }) => {
  await control("chat", { id: -1003000000001, type: "supergroup", title: "Weak bot", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: false } });
  await control("chat", { id: -1003000000002, type: "supergroup", title: "Professionals Corner", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: true } });
  await loginAs(DEMO.owner.email, page);
  await page.goto("/admin/telegram");
  await expect(page.getByRole("heading", { name: "Telegram", level: 1 })).toBeVisible();
  await page.getByLabel("Chat id").fill("-1003000000001");
  await page.getByRole("checkbox", { name: "Professional" }).check();
  await page.getByRole("button", { name: "Link chat" }).click();
  await expect(page.getByText("The bot is an administrator but lacks: Ban users.")).toBeVisible();

  await page.getByLabel("Chat id").fill("-1003000000002");
  await page.getByRole("checkbox", { name: "Professional" }).check();
  await page.getByRole("button", { name: "Link chat" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chat linked." })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Professionals Corner" })).toBeVisible();
  const log = page.getByRole("table");
  await expect(log.getByRole("row").filter({ hasText: "Professionals Corner" }).filter({ hasText: "chat linked" })).toBeVisible();
  // The seeded lounge's history is there too: grants and a removal with its reason.
  await expect(log.getByRole("row").filter({ hasText: "Nikita Smirnov" })).toContainText("removed: your membership no longer includes this chat.");
});
