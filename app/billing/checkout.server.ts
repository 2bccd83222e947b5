import type { User } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { env, isStripeTestMode } from "~/env.server";
import type { CheckoutInput } from "./schemas";
import { log } from "~/log.server";
import { callStripe, isMissingCustomer, PaymentServiceUnavailable } from "./stripe.server";
import { tierAmount, type CheckoutMetadata } from "./subscriptions.server";
import { createTestCheckout, TEST_PORTAL_PATH } from "./test-mode.server";
import { isOffered, priceIdFor } from "./tiers.server";

/**
 * Joining and changing membership. Joining goes through Stripe Checkout (subscription
 * mode); everything after that (cards, plan changes, invoices, cancellation) through the
 * Stripe Billing Portal. In test mode both are built-in pages (test-mode.server.ts).
 *
 * Every call to Stripe carries an idempotency key. The checkout's key includes `attempt`,
 * a random value the join form carries and sends again when the member retries after
 * "payment service unavailable", so the retry gets the same session, never a second one.
 */

export type CheckoutResult =
  | { ok: true; url: string }
  | { ok: false; field: "tierId" | "interval" | ""; error: string };

/** The member's Stripe subscription that has not ended, if any: they change it in the portal, not by buying another. */
export function openStripeSubscription(userId: string) {
  return db.subscription.findFirst({
    where: { userId, endedAt: null, stripeSubscriptionId: { not: null } },
    include: { tier: true },
  });
}

/**
 * The member's Stripe customer, created once (the key makes a retried create return the
 * same one). `replacing` is a customer Stripe no longer knows: a new one takes its place.
 */
export async function ensureStripeCustomer(user: User, replacing?: string): Promise<string> {
  const known = replacing ? null : (await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { stripeCustomerId: true } })).stripeCustomerId;
  if (known) return known;
  const customer = await callStripe("customers.create", (stripe) =>
    stripe.customers.create(
      { email: user.email, name: user.name, preferred_locales: [user.locale], metadata: { userId: user.id } },
      // Two requests replacing the same missing customer get the same new one.
      { idempotencyKey: replacing ? `customer:${user.id}:replacing:${replacing}` : `customer:${user.id}` },
    ),
  );
  await db.user.updateMany({ where: { id: user.id, stripeCustomerId: replacing ?? null }, data: { stripeCustomerId: customer.id } });
  const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId!;
}

/**
 * Runs calls for the member's Stripe customer. When Stripe says that customer does not exist
 * (deleted in the dashboard, or the keys now belong to another account or mode, as with the
 * demo's seeded `cus_demo_*`), this is logged as an error for the owner, the member gets a
 * new customer and the calls run once more with it.
 */
async function withMemberCustomer<T>(user: User, run: (customer: string, replaced: boolean) => Promise<T>): Promise<T> {
  const customer = await ensureStripeCustomer(user);
  try {
    return await run(customer, false);
  } catch (error) {
    if (!isMissingCustomer(error)) throw error;
    log.error("stripe customer missing; the member gets a new one", { userId: user.id, customerId: customer });
    return run(await ensureStripeCustomer(user, customer), true);
  }
}

/** Starts a checkout for a tier; the member is then sent to `url`. Throws PaymentServiceUnavailable. */
export async function startCheckout(user: User, input: CheckoutInput): Promise<CheckoutResult> {
  const tier = await db.tier.findFirst({ where: { id: input.tierId, archivedAt: null } });
  if (!tier) return { ok: false, field: "tierId", error: "billing.join.chooseTier" };
  if (!isOffered(tier, input.interval)) return { ok: false, field: "interval", error: "billing.join.intervalUnavailable" };
  if (await openStripeSubscription(user.id)) return { ok: false, field: "", error: "billing.join.alreadyMember" };

  const priceId = priceIdFor(tier, input.interval)!;
  const amount = tierAmount(tier, input.interval)!;
  const idempotencyKey = `checkout:${user.id}:${tier.id}:${input.interval}:${input.attempt}`;
  if (isStripeTestMode()) {
    const url = await createTestCheckout({ user, tier, interval: input.interval, priceId, amount, idempotencyKey });
    return { ok: true, url };
  }

  const metadata: CheckoutMetadata = { userId: user.id, tierId: tier.id, interval: input.interval, priceId };
  const appUrl = env().APP_URL;
  return withMemberCustomer(user, async (customer, replaced): Promise<CheckoutResult> => {
    // A membership paid a moment ago (in another tab) may not have reached us by webhook yet:
    // Stripe already holds its subscription.
    if (await holdsStripeSubscription(customer)) return { ok: false, field: "", error: "billing.join.alreadyMember" };
    const session = await callStripe("checkout.sessions.create", (stripe) =>
      stripe.checkout.sessions.create(
        {
          mode: "subscription",
          customer,
          client_reference_id: user.id,
          line_items: [{ price: priceId, quantity: 1 }],
          metadata,
          subscription_data: { metadata },
          locale: user.locale,
          success_url: `${appUrl}/billing?checkout=complete&session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/billing/join?checkout=canceled`,
        },
        // A replaced customer is another request at Stripe, so it gets its own key.
        { idempotencyKey: replaced ? `${idempotencyKey}:${customer}` : idempotencyKey },
      ),
    );
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
    await expireOtherCheckouts(customer, session.id);
    return { ok: true, url: session.url };
  });
}

/** Statuses in which a Stripe subscription is still the member's: they change it in the portal, not by buying another. */
const HELD_AT_STRIPE = new Set(["active", "trialing", "past_due", "unpaid", "paused"]);

async function holdsStripeSubscription(customer: string): Promise<boolean> {
  const subscriptions = await callStripe("subscriptions.list", (stripe) => stripe.subscriptions.list({ customer, status: "all", limit: 20 }));
  return subscriptions.data.some((subscription) => HELD_AT_STRIPE.has(subscription.status));
}

/**
 * One open checkout per member: starting one (in a second tab, or after leaving an earlier
 * one open) expires the member's other open Checkout Sessions, so two memberships cannot both
 * be paid for. Best effort: if Stripe cannot be reached for this, the new checkout still
 * stands, and the earlier one expires by itself after 24 hours.
 */
async function expireOtherCheckouts(customer: string, keep: string) {
  try {
    const open = await callStripe("checkout.sessions.list", (stripe) => stripe.checkout.sessions.list({ customer, status: "open", limit: 100 }));
    for (const other of open.data) {
      if (other.id === keep) continue;
      // One that was paid or expired meanwhile is no longer open: nothing to do.
      await callStripe("checkout.sessions.expire", (stripe) => stripe.checkout.sessions.expire(other.id)).catch((error: unknown) => {
        if (!(error instanceof PaymentServiceUnavailable)) throw error;
      });
    }
  } catch (error) {
    if (!(error instanceof PaymentServiceUnavailable)) throw error;
  }
}

export type PortalResult = { ok: true; url: string } | { ok: false; reason: "not-yours" | "no-customer" };

/**
 * Opens the Billing Portal for the member's own customer. A customer id sent by the browser
 * is never used: one that is not the member's own is refused.
 */
export async function openBillingPortal(user: User, requestedCustomer?: string | null): Promise<PortalResult> {
  if (requestedCustomer && requestedCustomer !== user.stripeCustomerId) return { ok: false, reason: "not-yours" };
  if (!user.stripeCustomerId) return { ok: false, reason: "no-customer" };
  if (isStripeTestMode()) return { ok: true, url: TEST_PORTAL_PATH };
  // Portal sessions are short-lived: one per member per five minutes absorbs double clicks.
  const window = Math.floor(Date.now() / 300_000);
  const session = await withMemberCustomer(user, (customer) =>
    callStripe("billingPortal.sessions.create", (stripe) =>
      stripe.billingPortal.sessions.create(
        { customer, return_url: `${env().APP_URL}/billing`, locale: user.locale },
        { idempotencyKey: `portal:${user.id}:${customer}:${window}` },
      ),
    ),
  );
  return { ok: true, url: session.url };
}
