/** Helpers for the bot's tests: linking a member as they would, and reading what the bot sent. */
import { db } from "~/db.server";
import { createLinkToken } from "~/telegram/linking.server";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import type { FakeTelegram } from "../support/fake-telegram";

let nextTelegramId = 500_000;
export const telegramUser = (overrides: { language_code?: string; username?: string } = {}) => ({ id: nextTelegramId++, first_name: "Tester", username: `tester${nextTelegramId}`, ...overrides });

/** What the bot sent to one Telegram chat, in order (only what Telegram accepted). */
export function messagesTo(telegram: FakeTelegram, chatId: number) {
  return telegram
    .sent("sendMessage")
    .filter((call) => Number(call.params.chat_id) === chatId)
    .map((call) => ({ text: String(call.params.text), buttons: ((call.params.reply_markup as { inline_keyboard?: Array<Array<{ text: string; url?: string }>> })?.inline_keyboard ?? []).flat() }));
}

/** A member links Telegram the way /account lets them: a deep link, opened, /start <token>. */
export async function linkTelegram(telegram: FakeTelegram, userId: string, from = telegramUser()) {
  const { url } = await createLinkToken(userId);
  const token = new URL(url).searchParams.get("start")!;
  await telegram.sendText(from, `/start ${token}`);
  await deliverDueTelegramMessages();
  const link = await db.telegramLink.findUniqueOrThrow({ where: { userId } });
  return { from, link, token, url };
}
