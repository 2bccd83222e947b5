import Stripe from "stripe";
import { env } from "~/env.server";
import { log } from "~/log.server";

/**
 * The one Stripe client. Every outgoing call goes through `callStripe`, which turns a
 * timeout, a network failure, a rate limit or a 5xx into `PaymentServiceUnavailable`, so
 * the member is told to try again instead of seeing an error page. Callers pass an
 * idempotency key with every write, so a retry never creates a second customer or session.
 */

/** Webhook signatures older than this are refused (Stripe's own default). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Outside production, webhooks are accepted without STRIPE_WEBHOOK_SECRET using this fixed
 * secret, so the demo and the tests can send signed events. Production requires the real one
 * (app/env.server.ts refuses to start without it).
 */
export const TEST_MODE_WEBHOOK_SECRET = "whsec_coterie_test_mode";

export class PaymentServiceUnavailable extends Error {
  constructor(cause?: unknown) {
    super("The payment service is unavailable", { cause });
    this.name = "PaymentServiceUnavailable";
  }
}

let cached: { key: string; base: string | undefined; timeout: number; client: Stripe } | undefined;

function stripe(): Stripe {
  const { STRIPE_SECRET_KEY: key, STRIPE_API_BASE: base, STRIPE_TIMEOUT_MS: timeout } = env();
  if (!key) throw new Error("Stripe is not configured: billing runs in test mode.");
  if (cached?.key === key && cached.base === base && cached.timeout === timeout) return cached.client;
  const config: Stripe.StripeConfig = { timeout, maxNetworkRetries: 1, appInfo: { name: "Coterie" } };
  if (base) {
    // A local stand-in for Stripe's API (tests, development): the SDK speaks to it directly.
    const url = new URL(base);
    config.protocol = url.protocol === "https:" ? "https" : "http";
    config.host = url.hostname;
    config.port = Number(url.port || (config.protocol === "https" ? 443 : 80));
  }
  cached = { key, base, timeout, client: new Stripe(key, config) };
  return cached.client;
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  if (error instanceof Stripe.errors.StripeAPIError) return true;
  return (error.statusCode ?? 0) >= 500;
}

/**
 * Runs one call against Stripe's API. Any failure becomes PaymentServiceUnavailable, with
 * Stripe's error as its cause: an outage or a timeout is logged as a warning, anything
 * else (a key without rights, a customer deleted in Stripe's dashboard) as an error.
 */
export async function callStripe<T>(what: string, call: (client: Stripe) => Promise<T>): Promise<T> {
  try {
    return await call(stripe());
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    if (isUnavailable(error)) log.warn("stripe unavailable", { call: what, error: error.message });
    else if (!isMissingResource(error)) log.error("stripe refused a call", { call: what, type: error.type, error: error.message });
    throw new PaymentServiceUnavailable(error);
  }
}

/** Whether a Stripe failure says that the customer named in the call does not exist. */
export function isMissingCustomer(error: unknown): boolean {
  if (!isMissingResource(error)) return false;
  const cause = (error instanceof PaymentServiceUnavailable ? error.cause : error) as InstanceType<typeof Stripe.errors.StripeError>;
  return cause.param === "customer" || /no such customer/i.test(cause.message);
}

/** Whether a Stripe failure says the object does not exist (a wrong price id…). */
export function isMissingResource(error: unknown): boolean {
  const cause = error instanceof PaymentServiceUnavailable ? error.cause : error;
  return cause instanceof Stripe.errors.StripeError && (cause.code === "resource_missing" || cause.statusCode === 404);
}

export function webhookSecret(): string {
  const config = env();
  if (config.STRIPE_WEBHOOK_SECRET) return config.STRIPE_WEBHOOK_SECRET;
  if (config.NODE_ENV === "production") throw new Error("STRIPE_WEBHOOK_SECRET is not set");
  return TEST_MODE_WEBHOOK_SECRET;
}

/** Verifies a webhook's signature on its raw body; throws when it does not match or is too old. */
export function verifyWebhook(payload: string, signature: string): Stripe.Event {
  return Stripe.webhooks.constructEvent(payload, signature, webhookSecret(), WEBHOOK_TOLERANCE_SECONDS);
}

export function isSignatureError(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeSignatureVerificationError;
}
