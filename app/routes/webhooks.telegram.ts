import { receiveTelegramWebhook } from "~/telegram/updates.server";
import { webhookRoute } from "~/webhook-route.server";

/**
 * Telegram's webhook (production; `npm run dev` long-polls instead). Telegram proves itself
 * with the secret it was given in setWebhook, sent back in X-Telegram-Bot-Api-Secret-Token:
 * without it the answer is 401 and nothing is written. Each update_id is processed once.
 */
const route = webhookRoute("x-telegram-bot-api-secret-token", receiveTelegramWebhook);
export const loader = route.loader;
export const action = route.action;
