import { Prisma } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { translator, type Locale, type MessageKey } from "~/i18n/dictionary";
import { formatNumber } from "~/i18n/format";
import type { Channel } from "~/notifications/channels/channel.server";
import { recipientsWanting } from "~/notifications/channels/channel.server";
import { emailFor, followUpText, inAppLine, type Notice } from "~/notifications/messages.server";
import { composeMessage } from "./outbox.server";

/**
 * Telegram as a notification channel: one outbox row per linked member who wants the kind
 * there, rendered once per language from the same message keys as the centre and the email
 * (the centre's line, the details, and the email's button that opens the portal).
 */
export function telegramFor(locale: Locale, notice: Notice): { text: string; buttons: Array<{ label: string; url: string }> } {
  const t = translator(locale);
  const email = emailFor(locale, notice);
  const lines = [inAppLine(locale, notice)];
  switch (notice.kind) {
    case "FORUM_REPLY":
    case "FORUM_MENTION":
      if (notice.values.excerpt) lines.push(notice.values.excerpt);
      break;
    case "ROADMAP_STATUS":
      if (notice.values.note) lines.push(t("roadmap.email.note" as MessageKey, { note: notice.values.note }));
      break;
    case "DIGEST":
      lines.push(
        notice.values.threads
          .map((thread) => `• ${thread.title} (${locale === "ru" ? thread.categoryRu : thread.categoryEn}, ${t("forum.digest.newPosts", { count: formatNumber(locale, thread.newPosts) })})`)
          .join("\n"),
      );
      break;
    case "ROADMAP_MERGE":
      break;
    case "FOLLOW_UP":
      lines.push(followUpText(locale, notice.values.texts).body);
      break;
  }
  return { text: lines.join("\n\n"), buttons: [{ label: email.action.label, url: new URL(email.action.url, env().APP_URL).toString() }] };
}

export const telegramChannel: Channel = {
  name: "TELEGRAM",
  async deliver(tx, userIds, notice) {
    const byLocale = Object.fromEntries(
      (["en", "ru"] as const).map((locale) => {
        const { text, buttons } = telegramFor(locale, notice);
        return [locale, composeMessage(text, buttons)];
      }),
    ) as Record<Locale, ReturnType<typeof composeMessage>>;
    const pick = (field: "text" | "replyMarkup") =>
      field === "text"
        ? Prisma.sql`CASE r."locale" WHEN 'ru' THEN ${byLocale.ru.text} ELSE ${byLocale.en.text} END`
        : Prisma.sql`CASE r."locale" WHEN 'ru' THEN ${JSON.stringify(byLocale.ru.replyMarkup)}::jsonb ELSE ${JSON.stringify(byLocale.en.replyMarkup)}::jsonb END`;
    return tx.$executeRaw(Prisma.sql`
      WITH ${recipientsWanting(userIds, notice, "TELEGRAM")}
      INSERT INTO "TelegramMessage" ("id", "userId", "chatId", "purpose", "text", "replyMarkup", "createdAt", "nextAttemptAt")
      SELECT gen_random_uuid()::text, r."id", l."chatId", ${notice.kind}, ${pick("text")}, ${pick("replyMarkup")}, clock_timestamp(), clock_timestamp()
      FROM recipients r JOIN "TelegramLink" l ON l."userId" = r."id"
      ORDER BY r.ord`);
  },
};
