import { timingSafeEqual } from "node:crypto";
import type { InlineKeyboardMarkup, Update } from "grammy/types";
import { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { env } from "~/env.server";
import { translator, type Locale } from "~/i18n/dictionary";
import { log } from "~/log.server";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type MemberNotificationKind, type NotificationChannelName } from "~/notifications/kinds";
import { preferenceGrid } from "~/notifications/preferences.server";
import type { PreferenceGrid } from "~/notifications/preferences";
import { isTelegramOn, telegramApi } from "./bot.server";
import { settleMember } from "./chats.server";
import { claimLinkToken, queueAccessCheck } from "./linking.server";
import { queueTelegramMessage } from "./outbox.server";

/**
 * What the bot does with an update, from the webhook or long polling alike. Each update_id is
 * inserted into TelegramUpdate in the same transaction as the update's effects, so a second
 * delivery of it changes nothing and sends nothing. Replies go through the outbox.
 */
export type UpdateOutcome = "processed" | "duplicate" | "ignored";

const CHANNEL_SHORT: Record<NotificationChannelName, Record<Locale, string>> = {
  IN_APP: { en: "Site", ru: "Сайт" },
  EMAIL: { en: "Email", ru: "Почта" },
  TELEGRAM: { en: "Telegram", ru: "Telegram" },
};

/** /settings in Telegram: the same kind × channel grid as /account, one row of buttons per kind. */
export function settingsKeyboard(locale: Locale, grid: PreferenceGrid): InlineKeyboardMarkup {
  return {
    inline_keyboard: NOTIFICATION_KINDS.map((kind, i) =>
      NOTIFICATION_CHANNELS.map((channel) => ({
        text: `${i + 1}. ${grid[kind][channel] ? "✅" : "▫️"} ${CHANNEL_SHORT[channel][locale]}`,
        callback_data: `pref:${kind}:${channel}`,
      })),
    ),
  };
}

export function settingsText(locale: Locale): string {
  const t = translator(locale);
  return [t("telegram.bot.settings"), ...NOTIFICATION_KINDS.map((kind, i) => `${i + 1}. ${t(`notifications.kind.${kind}`)}`)].join("\n");
}

const portalButton = (t: ReturnType<typeof translator>) => ({ label: t("telegram.bot.openPortal"), url: new URL("/account", env().APP_URL).toString() });

async function clubName(tx: Tx): Promise<string> {
  const settings = await tx.clubSettings.findUnique({ where: { id: 1 }, select: { name: true } });
  return settings?.name ?? "Coterie";
}

type After = Array<() => Promise<unknown>>;

async function handle(tx: Tx, update: Update, after: After): Promise<void> {
  const message = update.message;
  const from = message?.from ?? update.callback_query?.from;
  if (update.chat_member) {
    const { new_chat_member: member, chat } = update.chat_member;
    const link = await tx.telegramLink.findUnique({ where: { telegramUserId: BigInt(member.user.id) } });
    const gated = await tx.telegramChat.findUnique({ where: { telegramChatId: BigInt(chat.id) } });
    if (!gated) return;
    if (["member", "administrator", "restricted"].includes(member.status) && link) {
      const row = await tx.telegramChatMember.findUnique({ where: { chatId_userId: { chatId: gated.id, userId: link.userId } } });
      if (row?.status === "INVITED") {
        await tx.telegramChatMember.update({ where: { chatId_userId: { chatId: gated.id, userId: link.userId } }, data: { status: "JOINED" } });
        await tx.telegramChatLog.create({ data: { chatId: gated.id, userId: link.userId, action: "JOINED" } });
      }
      await queueAccessCheck(tx, link.userId);
    }
    return;
  }
  if (!from || from.is_bot) return;
  const link = await tx.telegramLink.findUnique({ where: { telegramUserId: BigInt(from.id) } });
  const user = link ? await tx.user.findUnique({ where: { id: link.userId }, select: { id: true, name: true, locale: true, deactivatedAt: true } }) : null;
  const member = user && !user.deactivatedAt ? user : null;
  const locale: Locale = member ? (member.locale === "ru" ? "ru" : "en") : from.language_code?.startsWith("ru") ? "ru" : "en";
  const t = translator(locale);
  const club = await clubName(tx);
  const reply = (chatId: number, text: string, buttons = [portalButton(t)]) =>
    queueTelegramMessage(tx, { chatId, userId: member?.id ?? null, purpose: "BOT_REPLY", text, buttons });

  if (update.callback_query) {
    const query = update.callback_query;
    const [, kind, channel] = /^pref:([A-Z_]+):([A-Z_]+)$/.exec(query.data ?? "") ?? [];
    const valid = (NOTIFICATION_KINDS as readonly string[]).includes(kind) && (NOTIFICATION_CHANNELS as readonly string[]).includes(channel);
    if (!member || !valid) {
      after.push(() => telegramApi().answerCallbackQuery(query.id, { text: member ? t("telegram.bot.unknown") : t("telegram.bot.linkFirst") }));
      return;
    }
    const grid = await preferenceGrid(member.id, tx);
    const enabled = !grid[kind as MemberNotificationKind][channel as NotificationChannelName];
    await tx.$executeRaw`
      INSERT INTO "NotificationPreference" ("userId", "kind", "channel", "enabled")
      VALUES (${member.id}, ${kind}::"NotificationKind", ${channel}::"NotificationChannel", ${enabled})
      ON CONFLICT ("userId", "kind", "channel") DO UPDATE SET "enabled" = EXCLUDED."enabled"`;
    grid[kind as MemberNotificationKind][channel as NotificationChannelName] = enabled;
    const keyboard = settingsKeyboard(locale, grid);
    after.push(() => telegramApi().answerCallbackQuery(query.id, { text: t("telegram.bot.settingsSaved") }));
    if (query.message) after.push(() => telegramApi().editMessageReplyMarkup(query.message!.chat.id, query.message!.message_id, { reply_markup: keyboard }));
    return;
  }

  if (!message || message.chat.type !== "private" || typeof message.text !== "string") return;
  const [command, ...rest] = message.text.trim().split(/\s+/);
  const name = command.replace(/@\w+$/, "").toLowerCase();
  const chatId = message.chat.id;

  if (name === "/start" && rest[0]) {
    const claim = await claimLinkToken(tx, rest[0], { userId: from.id, chatId, username: from.username, firstName: from.first_name });
    if (claim.outcome === "linked") {
      const linked = await tx.user.findUniqueOrThrow({ where: { id: claim.userId }, select: { name: true, locale: true } });
      const tl = translator(linked.locale === "ru" ? "ru" : "en");
      await queueTelegramMessage(tx, { chatId, userId: claim.userId, purpose: "BOT_REPLY", text: tl("telegram.bot.linked", { name: linked.name, club }), buttons: [portalButton(tl)] });
      return;
    }
    const key = claim.outcome === "used" ? "telegram.bot.tokenUsed" : claim.outcome === "expired" ? "telegram.bot.tokenExpired" : "telegram.bot.tokenUnknown";
    await reply(chatId, t(key));
    return;
  }
  if (!member) {
    await reply(chatId, t("telegram.bot.unlinked", { club }));
    return;
  }
  switch (name) {
    case "/start":
      await reply(chatId, t("telegram.bot.welcomeBack", { name: member.name, club }));
      return;
    case "/help":
      await reply(chatId, t("telegram.bot.help", { club }));
      return;
    case "/settings": {
      const grid = await preferenceGrid(member.id, tx);
      await tx.telegramMessage.create({
        data: { chatId: BigInt(chatId), userId: member.id, purpose: "BOT_REPLY", text: settingsText(locale), replyMarkup: settingsKeyboard(locale, grid) as unknown as Prisma.InputJsonValue },
      });
      return;
    }
    case "/unlink":
      await tx.telegramLink.delete({ where: { userId: member.id } });
      await reply(chatId, t("telegram.bot.unlinkDone", { club }));
      return;
    default:
      await reply(chatId, t("telegram.bot.unknown"));
  }
}

/** Processes one update once. Calls that answer the user at once (a button's spinner) run after the commit. */
export async function processTelegramUpdate(update: Update): Promise<UpdateOutcome> {
  if (!Number.isSafeInteger(update.update_id)) return "ignored";
  // /unlink takes the member out of gated chats before the link goes (settleMember needs it).
  const text = update.message?.text?.trim() ?? "";
  if (/^\/unlink(@\w+)?$/i.test(text) && update.message?.from) {
    const link = await db.telegramLink.findUnique({ where: { telegramUserId: BigInt(update.message.from.id) } });
    const seen = await db.telegramUpdate.findUnique({ where: { updateId: BigInt(update.update_id) } });
    if (link && !seen) await settleMember(link.userId, { unlinking: true }).catch((error: Error) => log.warn("telegram unlink removal", { error: error.message }));
  }
  const after: After = [];
  const fresh = await db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`INSERT INTO "TelegramUpdate" ("updateId") VALUES (${BigInt(update.update_id)}) ON CONFLICT DO NOTHING`;
    if (!inserted) return false;
    await handle(tx, update, after);
    return true;
  });
  if (!fresh) return "duplicate";
  for (const call of after) await call().catch((error: Error) => log.warn("telegram answer failed", { error: error.message }));
  return "processed";
}

function sameSecret(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What /webhooks/telegram answers. Without the right secret header: 401, and nothing is written. */
export async function receiveTelegramWebhook(body: string, secret: string | null): Promise<{ status: number; body: string }> {
  const expected = env().TELEGRAM_WEBHOOK_SECRET;
  if (!isTelegramOn() || !expected) return { status: 404, body: "The Telegram bot is off." };
  if (!sameSecret(secret, expected)) return { status: 401, body: "Wrong or missing X-Telegram-Bot-Api-Secret-Token." };
  let update: Update;
  try {
    update = JSON.parse(body) as Update;
  } catch {
    return { status: 400, body: "The update could not be read." };
  }
  if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) return { status: 400, body: "The update could not be read." };
  try {
    const outcome = await processTelegramUpdate(update);
    return { status: 200, body: JSON.stringify({ ok: true, outcome }) };
  } catch (error) {
    // Telegram delivers it again; nothing of it was written.
    log.error("telegram update failed", { updateId: update.update_id, error: (error as Error).message });
    return { status: 500, body: "The update could not be processed; Telegram will retry it." };
  }
}

/** Long polling (npm run dev): getUpdates in a loop, each update through processTelegramUpdate. */
export function pollTelegramUpdates(): () => void {
  let stopped = false;
  const api = telegramApi();
  (async () => {
    await api.deleteWebhook().catch(() => {});
    let offset = 0;
    while (!stopped) {
      try {
        // Shorter than the client's own 20 s timeout (bot.server.ts), so a quiet poll is not an error.
        const updates = await api.getUpdates({ offset, timeout: 15, allowed_updates: ["message", "callback_query", "chat_member"] });
        for (const update of updates) {
          await processTelegramUpdate(update);
          offset = update.update_id + 1;
        }
      } catch (error) {
        log.warn("telegram polling", { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
  })();
  return () => (stopped = true);
}

/** Webhook mode (production): tells Telegram where to send updates, with the secret. */
export async function registerTelegramWebhook(): Promise<void> {
  await telegramApi().setWebhook(new URL("/webhooks/telegram", env().APP_URL).toString(), {
    secret_token: env().TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: ["message", "callback_query", "chat_member"],
  });
}
