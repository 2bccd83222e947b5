import type Stripe from "stripe";
import { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { log } from "~/log.server";
import { recordInvoicePaid, recordRefund } from "./ledger.server";
import { isSignatureError, verifyWebhook } from "./stripe.server";
import { applyCheckoutCompleted, applyPaymentFailed, applyStripeSubscription, fromUnix } from "./subscriptions.server";
import type { WebhookReply } from "~/webhook-route.server";

/**
 * Stripe's events are the source of truth for membership. Real webhooks (/webhooks/stripe)
 * and the test-mode checkout (test-mode.server.ts) both end up in `handleStripeEvent`.
 */

export const HANDLED_EVENT_TYPES = new Set<string>([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
]);

export type EventOutcome = "applied" | "duplicate" | "ignored";

async function applyEvent(tx: Tx, event: Stripe.Event): Promise<void> {
  const at = fromUnix(event.created);
  switch (event.type) {
    case "checkout.session.completed":
      return applyCheckoutCompleted(tx, event.data.object, at);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return applyStripeSubscription(tx, event.data.object, at);
    case "invoice.paid":
      return recordInvoicePaid(tx, event.data.object, at);
    case "invoice.payment_failed":
      return applyPaymentFailed(tx, event.data.object, at);
    case "charge.refunded":
      return recordRefund(tx, event.data.object, at);
  }
}

/**
 * Applies one event exactly once: its id goes into StripeEvent in the same transaction as
 * its effects. A second delivery, even one running at the same moment, fails on the primary
 * key (waiting for the first to commit) and changes nothing. Unknown types change nothing.
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
  if (!HANDLED_EVENT_TYPES.has(event.type)) return "ignored";
  try {
    await db.$transaction(
      async (tx) => {
        await tx.stripeEvent.create({ data: { id: event.id, type: event.type } });
        await applyEvent(tx, event);
      },
      { maxWait: 10_000, timeout: 20_000 },
    );
    return "applied";
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const seen = await db.stripeEvent.findUnique({ where: { id: event.id } });
      if (seen) return "duplicate";
    }
    throw error;
  }
}

/**
 * Whether a verified body has an event's shape. Stripe's always do; anything else (a test
 * sent by hand with the signing secret) is refused like an unreadable body, rather than
 * failing half-way with a 500 that Stripe would retry for days.
 */
function isEventShaped(value: unknown): value is Stripe.Event {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const event = value as { id?: unknown; type?: unknown; created?: unknown; data?: { object?: unknown } | null };
  return (
    typeof event.id === "string" &&
    event.id !== "" &&
    typeof event.type === "string" &&
    typeof event.created === "number" &&
    Number.isFinite(event.created) &&
    typeof event.data === "object" &&
    event.data !== null &&
    typeof event.data.object === "object" &&
    event.data.object !== null
  );
}

/** What /webhooks/stripe answers. The payload must be the raw body, exactly as received. */
export async function receiveStripeWebhook(payload: string, signature: string | null): Promise<WebhookReply> {
  if (!signature) return { status: 400, body: "Missing Stripe-Signature header." };
  let event: Stripe.Event;
  try {
    event = verifyWebhook(payload, signature);
  } catch (error) {
    if (isSignatureError(error)) {
      log.warn("stripe webhook refused", { reason: (error as Error).message });
      return { status: 400, body: "Webhook signature verification failed." };
    }
    log.warn("stripe webhook unreadable", { reason: (error as Error).message });
    return { status: 400, body: "Webhook payload could not be read." };
  }
  if (!isEventShaped(event)) {
    log.warn("stripe webhook unreadable", { reason: "not an event" });
    return { status: 400, body: "Webhook payload could not be read." };
  }
  try {
    const outcome = await handleStripeEvent(event);
    log.info("stripe webhook", { eventId: event.id, type: event.type, outcome });
    return { status: 200, body: JSON.stringify({ received: true, outcome }) };
  } catch (error) {
    // Stripe delivers the event again later; nothing of it was written.
    log.error("stripe webhook failed", { eventId: event.id, type: event.type, error: (error as Error).message });
    return { status: 500, body: "The event could not be applied; Stripe will retry it." };
  }
}
