import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveTelegramWebhook } from "~/telegram/updates.server";

const methodNotAllowed = () =>
  new Response("Method not allowed", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });

export function loader() {
  return methodNotAllowed();
}

/**
 * Telegram's webhook (production; `npm run dev` long-polls instead). Telegram proves itself
 * with the secret it was given in setWebhook, sent back in X-Telegram-Bot-Api-Secret-Token:
 * without it the answer is 401 and nothing is written. Each update_id is processed once.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  const body = await request.text();
  const reply = await receiveTelegramWebhook(body, request.headers.get("x-telegram-bot-api-secret-token"));
  return new Response(reply.body, {
    status: reply.status,
    headers: { "Content-Type": reply.status === 200 ? "application/json" : "text/plain; charset=utf-8" },
  });
}
