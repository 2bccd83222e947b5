/** The demo club in Telegram: a linked chat with its members and log, re-runnable. */
import { expect, it } from "vitest";
import { db } from "~/db.server";
import { telegramAdminOverview } from "~/telegram/admin.server";
import { seedFoundation } from "../../prisma/seed/foundation";
import { DEMO_TELEGRAM, seedTelegram } from "../../prisma/seed/telegram";

it("seeds linked members and the Private Clients Lounge with its log, and adds nothing when run again", async () => {
  await seedFoundation();
  await seedTelegram();
  const counts = async () => ({ links: await db.telegramLink.count(), chats: await db.telegramChat.count(), members: await db.telegramChatMember.count(), log: await db.telegramChatLog.count() });
  const first = await counts();
  await seedTelegram();
  expect(await counts()).toEqual(first);
  expect(first).toEqual({ links: 2, chats: 1, members: 3, log: 6 });
  const overview = await telegramAdminOverview();
  expect(overview.chats).toEqual([expect.objectContaining({ title: DEMO_TELEGRAM.chat.title, telegramChatId: String(DEMO_TELEGRAM.chat.id) })]);
  expect(overview.log.map((row) => [row.who, row.action, row.reason])).toContainEqual(["Nikita Smirnov", "REMOVED", "lapsed"]);
  expect(overview.log.map((row) => row.action)).toContain("JOINED");
});
