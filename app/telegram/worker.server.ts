import { queue } from "~/jobs/queue.server";
import { log } from "~/log.server";
import { isTelegramOn, updatesMode } from "./bot.server";
import { processAccessChecks, reconcileTelegramChats } from "./chats.server";
import { workTelegramOutbox } from "./outbox.server";
import { pollTelegramUpdates, registerTelegramWebhook } from "./updates.server";

/** The nightly reconciliation's pg-boss queue, and when it runs (03:30 UTC, a quiet hour). */
export const TELEGRAM_RECONCILE_QUEUE = "telegram-reconcile";
export const TELEGRAM_RECONCILE_CRON = "30 3 * * *";
const ACCESS_CHECK_MS = 5_000;

/**
 * The bot's background work (started by app/jobs/workers.server.ts), all off without
 * TELEGRAM_BOT_TOKEN: the outbox every second, the access checks billing queued every few
 * seconds, the nightly reconciliation as a pg-boss schedule (one run for all instances), and
 * updates: long polling in development and the demo, the webhook registered in production.
 */
export async function workTelegram(): Promise<void> {
  if (!isTelegramOn()) {
    log.info("telegram bot off (no TELEGRAM_BOT_TOKEN)");
    return;
  }
  workTelegramOutbox();
  let checking = false;
  const checks = setInterval(() => {
    if (checking) return;
    checking = true;
    processAccessChecks()
      .catch((error: Error) => log.warn("telegram access checks", { error: error.message }))
      .finally(() => (checking = false));
  }, ACCESS_CHECK_MS);
  checks.unref();

  const boss = await queue();
  await boss.createQueue(TELEGRAM_RECONCILE_QUEUE);
  await boss.schedule(TELEGRAM_RECONCILE_QUEUE, TELEGRAM_RECONCILE_CRON, {}, { tz: "UTC" });
  await boss.work(TELEGRAM_RECONCILE_QUEUE, async () => {
    const members = await reconcileTelegramChats();
    log.info("telegram reconcile", { members });
  });

  if (updatesMode() === "polling") {
    pollTelegramUpdates();
    log.info("telegram bot: long polling");
  } else {
    await registerTelegramWebhook().then(
      () => log.info("telegram bot: webhook registered"),
      (error: Error) => log.error("telegram webhook registration failed", { error: error.message }),
    );
  }
}
