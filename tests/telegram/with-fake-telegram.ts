/**
 * Import this first in a test file that runs the bot against "Telegram": it starts the Bot API
 * stand-in, points the app's configuration at it before any app module reads it, and serves
 * /webhooks/telegram on a real loopback HTTP server that the stand-in delivers updates to,
 * with the secret header, as Telegram does after setWebhook.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeTelegram } from "../support/fake-telegram";

export const telegram = await startFakeTelegram();
export const WEBHOOK_SECRET = "test-telegram-webhook-secret";
process.env.TELEGRAM_BOT_TOKEN = telegram.token;
process.env.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET;
process.env.TELEGRAM_API_ROOT = telegram.apiRoot;
// A public address, so the bot's buttons are real URL buttons (Telegram refuses localhost ones).
process.env.APP_URL = "https://club.example.test";

const { action } = await import("~/routes/webhooks.telegram");

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`https://club.example.test${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const response = await action({ request, params: {}, context: {} });
    res.writeHead(response.status, { "Content-Type": response.headers.get("Content-Type") ?? "text/plain" });
    res.end(await response.text());
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
export const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`;

/** Tells the stand-in where the webhook is, as registerTelegramWebhook does in production. */
export async function useWebhook() {
  const { telegramApi } = await import("~/telegram/bot.server");
  await telegramApi().setWebhook(webhookUrl, { secret_token: WEBHOOK_SECRET });
}

export async function stopTelegram() {
  server.close();
  await telegram.stop();
}
