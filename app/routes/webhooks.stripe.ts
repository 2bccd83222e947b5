import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveStripeWebhook } from "~/billing/webhooks.server";

const methodNotAllowed = () =>
  new Response("Method not allowed", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });

export function loader() {
  return methodNotAllowed();
}

/** Stripe's webhooks. The signature is checked on the raw body, so nothing may parse it first. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  const payload = await request.text();
  const reply = await receiveStripeWebhook(payload, request.headers.get("stripe-signature"));
  return new Response(reply.body, {
    status: reply.status,
    headers: { "Content-Type": reply.status === 200 ? "application/json" : "text/plain; charset=utf-8" },
  });
}
