import { db } from "~/db.server";
import { botIdentity, isTelegramOn } from "./bot.server";

/** What /admin/telegram shows: the bot, the club's tiers, linked chats, their log of grants and removals, and the outbox. */
export async function telegramAdminOverview() {
  const on = isTelegramOn();
  const bot = on ? await botIdentity().then((me) => me.username, () => null) : null;
  const [tiers, chats, log, outbox] = await Promise.all([
    db.tier.findMany({ where: { archivedAt: null }, orderBy: { position: "asc" }, select: { id: true, nameEn: true, nameRu: true } }),
    db.telegramChat.findMany({ orderBy: { linkedAt: "asc" }, include: { tiers: true } }),
    db.telegramChatLog.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200, include: { chat: { select: { title: true } } } }),
    db.telegramMessage.findMany({ orderBy: { createdAt: "desc" }, take: 20, select: { id: true, purpose: true, status: true, createdAt: true, text: true } }),
  ]);
  const userIds = [...new Set(log.map((row) => row.userId).filter((id): id is string => Boolean(id)))];
  const names = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    on,
    bot,
    tiers,
    chats: chats.map((chat) => ({ id: chat.id, telegramChatId: String(chat.telegramChatId), title: chat.title, type: chat.type, tierIds: chat.tiers.map((t) => t.tierId) })),
    log: log.map((row) => ({ id: row.id, chat: row.chat.title, who: row.userId ? (names.get(row.userId) ?? "—") : "—", action: row.action, reason: row.reason, at: row.createdAt })),
    outbox: outbox.map((m) => ({ ...m, text: m.text.slice(0, 140) })),
  };
}
