import { GrammyError, HttpError } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { log } from "~/log.server";
import { buttonUrlAllowed, isTelegramOn, telegramApi } from "./bot.server";

/**
 * The Telegram outbox. Every message the bot sends is first a TelegramMessage row, written in
 * the transaction that decided to send it (a notification, a reply to /start, an invite
 * link), so nothing is lost when Telegram is down. `deliverDueTelegramMessages` claims due
 * rows (FOR UPDATE SKIP LOCKED, so two workers never take the same row), sends each once, and:
 *  - 429: tries again after `parameters.retry_after` seconds, as Telegram asks;
 *  - 5xx or no answer: tries again with backoff (5 s, 10 s, 20 s … at most 10 minutes);
 *  - any other refusal (the member blocked the bot, the chat is gone): FAILED, with the reason.
 * A row is SENT before the next is claimed; a worker that dies mid-send leaves its claim, which
 * expires after CLAIM_SECONDS (only then could one message go twice).
 */
export const CLAIM_SECONDS = 120;
const BATCH = 25;
const MAX_BACKOFF_SECONDS = 600;

export type Button = { label: string; url: string };
export type OutgoingMessage = { chatId: bigint | number; userId?: string | null; purpose: string; text: string; buttons?: Button[] };

/** The text and keyboard Telegram gets: URL buttons it would refuse (localhost) become lines of text. */
export function composeMessage(text: string, buttons: Button[] = []): { text: string; replyMarkup: InlineKeyboardMarkup | null } {
  const usable = buttons.filter((b) => buttonUrlAllowed(b.url));
  const inline = buttons.filter((b) => !buttonUrlAllowed(b.url)).map((b) => `${b.label}: ${b.url}`);
  return {
    text: [text, ...inline].join("\n\n").slice(0, 4096),
    replyMarkup: usable.length ? { inline_keyboard: usable.map((b) => [{ text: b.label, url: b.url }]) } : null,
  };
}

export async function queueTelegramMessage(tx: Tx, message: OutgoingMessage): Promise<string> {
  const { text, replyMarkup } = composeMessage(message.text, message.buttons);
  const row = await tx.telegramMessage.create({
    data: {
      chatId: BigInt(message.chatId),
      userId: message.userId ?? null,
      purpose: message.purpose,
      text,
      replyMarkup: replyMarkup ? (replyMarkup as unknown as Prisma.InputJsonValue) : Prisma.JsonNull,
    },
    select: { id: true },
  });
  return row.id;
}

type Claimed = { id: string; chatId: bigint; text: string; replyMarkup: InlineKeyboardMarkup | null; attempts: number };

async function claimDue(now: Date): Promise<Claimed[]> {
  return db.$queryRaw<Claimed[]>`
    UPDATE "TelegramMessage" m SET "claimedAt" = ${now}, "attempts" = m."attempts" + 1
    WHERE m."id" IN (
      SELECT "id" FROM "TelegramMessage"
      WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${now}
        AND ("claimedAt" IS NULL OR "claimedAt" < ${new Date(now.getTime() - CLAIM_SECONDS * 1000)})
      ORDER BY "nextAttemptAt", "createdAt" LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING m."id", m."chatId", m."text", m."replyMarkup", m."attempts"`;
}

/** What to do after a failed call: a delay in seconds to try again, or null (it will never work). */
export function retryAfterSeconds(error: unknown, attempts: number): number | null {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) return Math.max(1, error.parameters.retry_after ?? 5);
    if (error.error_code >= 500) return Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** (attempts - 1));
    return null;
  }
  if (error instanceof HttpError) return Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** (attempts - 1));
  return Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** (attempts - 1));
}

/** Sends every message that is due now; returns how many were sent. */
export async function deliverDueTelegramMessages(now = new Date()): Promise<number> {
  if (!isTelegramOn()) return 0;
  const api = telegramApi();
  let sent = 0;
  for (const message of await claimDue(now)) {
    try {
      const result = await api.sendMessage(String(message.chatId), message.text, {
        ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        link_preview_options: { is_disabled: true },
      });
      await db.telegramMessage.update({ where: { id: message.id }, data: { status: "SENT", sentAt: new Date(), telegramMessageId: result.message_id, claimedAt: null, lastError: null } });
      sent++;
    } catch (error) {
      const delay = retryAfterSeconds(error, message.attempts);
      const reason = (error as Error).message.slice(0, 500);
      if (delay === null) {
        await db.telegramMessage.update({ where: { id: message.id }, data: { status: "FAILED", claimedAt: null, lastError: reason } });
        log.warn("telegram message refused", { id: message.id, reason });
      } else {
        await db.telegramMessage.update({
          where: { id: message.id },
          data: { claimedAt: null, lastError: reason, nextAttemptAt: new Date(Date.now() + delay * 1000) },
        });
        log.warn("telegram message delayed", { id: message.id, retryInSeconds: delay, reason });
        // Telegram asked us to slow down (or is down): the rest of this batch waits too.
        if (error instanceof GrammyError && error.error_code === 429) {
          await db.$executeRaw`UPDATE "TelegramMessage" SET "claimedAt" = NULL WHERE "claimedAt" = ${now} AND "status" = 'PENDING'`;
          break;
        }
      }
    }
  }
  return sent;
}

/** Delivers the outbox in this process, every second (started by app/jobs/workers.server.ts). */
export function workTelegramOutbox(): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running || !isTelegramOn()) return;
    running = true;
    deliverDueTelegramMessages()
      .catch((error: Error) => log.warn("telegram outbox", { error: error.message }))
      .finally(() => (running = false));
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
