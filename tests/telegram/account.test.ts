/** /account: linking Telegram through a one-time deep link and unlinking, as plain form posts. */
import { stopTelegram, telegram, useWebhook } from "./with-fake-telegram";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/account";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { messagesTo, telegramUser } from "./support";

beforeAll(async () => {
  await ensureClubSettings();
  await useWebhook();
});
afterAll(() => stopTelegram());

it("a member links Telegram from /account with the deep link, sees it linked, and unlinks", async () => {
  const member = await createUser({ name: "Maria Petrova" });
  const cookie = await sessionCookie(member.id);
  const before = await loader(routeArgs(appRequest("/account", { cookie })));
  expect(before.telegram).toEqual({ on: true, bot: "coterie_test_bot", link: null });

  const linked = (await action(routeArgs(appRequest("/account", { cookie, form: { intent: "telegram-link" } })))) as { telegram: { link: { url: string } } };
  const url = new URL(linked.telegram.link.url);
  expect(url.origin + url.pathname).toBe("https://t.me/coterie_test_bot");
  const from = telegramUser({ username: "maria_p" });
  await telegram.sendText(from, `/start ${url.searchParams.get("start")}`);
  await deliverDueTelegramMessages();
  expect(messagesTo(telegram, from.id)[0].text).toContain("Maria Petrova");

  const after = await loader(routeArgs(appRequest("/account", { cookie })));
  expect(after.telegram).toMatchObject({ on: true, link: { username: "maria_p" } });

  const unlinked = await action(routeArgs(appRequest("/account", { cookie, form: { intent: "telegram-unlink" } })));
  expect(unlinked).toEqual({ telegram: { unlinked: true } });
  expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(0);
  expect((await loader(routeArgs(appRequest("/account", { cookie })))).telegram).toMatchObject({ link: null });
});
