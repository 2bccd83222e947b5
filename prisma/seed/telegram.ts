import { db } from "../../app/db.server";
import { DEMO_TELEGRAM } from "./telegram-demo";

export { DEMO_TELEGRAM };

/**
 * The demo club in Telegram: two private clients linked to Telegram and members of the
 * tier-gated "Private Clients Lounge", with its log (linked, invited, joined, and a lapsed
 * member removed). `npm run demo` starts the Bot API stand-in with the same chat and members
 * (scripts/start.ts), so the bot's view and ours agree. Re-runnable: upserts, and the log is
 * written only when the chat is first created.
 */
export async function seedTelegram(now = new Date()) {
  const owner = await db.user.findUnique({ where: { email: "owner@coterie.club" }, select: { id: true } });
  const tier = await db.tier.findUnique({ where: { slug: "private-client" }, select: { id: true } });
  if (!owner || !tier) return;
  const day = 86_400_000;
  const existing = await db.telegramChat.findUnique({ where: { telegramChatId: BigInt(DEMO_TELEGRAM.chat.id) } });
  const chat =
    existing ??
    (await db.telegramChat.create({
      data: { telegramChatId: BigInt(DEMO_TELEGRAM.chat.id), title: DEMO_TELEGRAM.chat.title, type: DEMO_TELEGRAM.chat.type, linkedById: owner.id, linkedAt: new Date(now.getTime() - 30 * day) },
    }));
  await db.telegramChatTier.upsert({ where: { chatId_tierId: { chatId: chat.id, tierId: tier.id } }, create: { chatId: chat.id, tierId: tier.id }, update: {} });
  const log: Array<{ userId: string; action: string; reason?: string; createdAt: Date }> = [{ userId: owner.id, action: "LINKED", createdAt: new Date(now.getTime() - 30 * day) }];
  for (const [index, member] of DEMO_TELEGRAM.members.entries()) {
    const user = await db.user.findUnique({ where: { email: member.email }, select: { id: true } });
    if (!user) continue;
    const linkedAt = new Date(now.getTime() - (28 - index * 5) * day);
    const link = { telegramUserId: BigInt(member.telegramUserId), chatId: BigInt(member.telegramUserId), username: member.username, firstName: member.firstName };
    await db.telegramLink.upsert({ where: { userId: user.id }, create: { userId: user.id, ...link, linkedAt }, update: link });
    await db.telegramChatMember.upsert({ where: { chatId_userId: { chatId: chat.id, userId: user.id } }, create: { chatId: chat.id, userId: user.id, status: "JOINED" }, update: {} });
    log.push({ userId: user.id, action: "GRANTED", createdAt: new Date(linkedAt.getTime() + 60_000) }, { userId: user.id, action: "JOINED", createdAt: new Date(linkedAt.getTime() + 3_600_000) });
  }
  const removed = await db.user.findUnique({ where: { email: DEMO_TELEGRAM.removed.email }, select: { id: true } });
  if (removed) {
    await db.telegramChatMember.upsert({ where: { chatId_userId: { chatId: chat.id, userId: removed.id } }, create: { chatId: chat.id, userId: removed.id, status: "REMOVED" }, update: {} });
    log.push({ userId: removed.id, action: "REMOVED", reason: "lapsed", createdAt: new Date(now.getTime() - 10 * day) });
  }
  if (!existing) await db.telegramChatLog.createMany({ data: log.map((row) => ({ ...row, chatId: chat.id })) });
}
