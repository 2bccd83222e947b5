import type { ActionFunctionArgs } from "@remix-run/node";

/** What a receiver of a service's webhook answers: 200 with JSON, or a status with a plain reason. */
export type WebhookReply = { status: number; body: string };

const methodNotAllowed = () =>
  new Response("Method not allowed", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });

/**
 * The loader and action of a route that takes a service's webhook: POST only, the raw body
 * (a signature is checked on it, so nothing may parse it first) and the header that proves
 * the sender go to `receive`, whose reply is sent back as it is.
 */
export function webhookRoute(proofHeader: string, receive: (body: string, proof: string | null) => Promise<WebhookReply>) {
  return {
    loader: () => methodNotAllowed(),
    action: async ({ request }: ActionFunctionArgs) => {
      if (request.method !== "POST") return methodNotAllowed();
      const reply = await receive(await request.text(), request.headers.get(proofHeader));
      return new Response(reply.body, {
        status: reply.status,
        headers: { "Content-Type": reply.status === 200 ? "application/json" : "text/plain; charset=utf-8" },
      });
    },
  };
}
