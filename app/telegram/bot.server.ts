import { Api } from "grammy";
import { env } from "~/env.server";

/**
 * The bot's connection to Telegram: grammY's Bot API client, pointed at TELEGRAM_API_ROOT
 * when set (the local stand-in in tests and the demo). Without TELEGRAM_BOT_TOKEN the bot is
 * off: nothing is sent, and the Telegram outbox (/admin/telegram) shows what would have been.
 */
const globalForBot = globalThis as unknown as { __coterieTelegram?: { key: string; api: Api; me?: Promise<{ id: number; username: string }> } };

export function isTelegramOn(): boolean {
  return Boolean(env().TELEGRAM_BOT_TOKEN);
}

export function telegramApi(): Api {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot } = env();
  if (!token) throw new Error("The Telegram bot is off (no TELEGRAM_BOT_TOKEN)");
  const key = `${token}@${apiRoot ?? ""}`;
  if (globalForBot.__coterieTelegram?.key !== key) {
    // grammY retries nothing by itself; the outbox decides when to try again (outbox.server.ts).
    globalForBot.__coterieTelegram = { key, api: new Api(token, { apiRoot: apiRoot?.replace(/\/$/, ""), timeoutSeconds: 20 }) };
  }
  return globalForBot.__coterieTelegram.api;
}

/** The bot's own id and @username (getMe, asked once per process). */
export function botIdentity(): Promise<{ id: number; username: string }> {
  const api = telegramApi();
  const cached = globalForBot.__coterieTelegram!;
  cached.me ??= api.getMe().then(
    (me) => ({ id: me.id, username: me.username }),
    (error) => {
      cached.me = undefined;
      throw error;
    },
  );
  return cached.me;
}

/** How updates arrive: a webhook in production, long polling elsewhere, unless TELEGRAM_UPDATES says. */
export function updatesMode(): "webhook" | "polling" {
  return env().TELEGRAM_UPDATES ?? (env().NODE_ENV === "production" ? "webhook" : "polling");
}

/** Telegram refuses URL buttons that point at localhost; such links go into the text instead. */
export function buttonUrlAllowed(url: string): boolean {
  return /^https?:\/\//.test(url) && !/^https?:\/\/(localhost|127\.|\[::1\])/.test(url);
}
