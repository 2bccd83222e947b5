import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { Prisma, type BillingInterval, type Subscription, type Tier, type User } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { isStripeTestMode } from "~/env.server";
import type { TestPortalInput } from "./schemas";
import { tierAmount, type CheckoutMetadata } from "./subscriptions.server";
import { isOffered, priceIdFor } from "./tiers.server";
import { handleStripeEvent } from "./webhooks.server";

/**
 * Billing's test mode: with no STRIPE_SECRET_KEY (never in production) these pages stand
 * in for Stripe Checkout and the Billing Portal. They do what Stripe would do and announce
 * it the way Stripe would: by building Stripe-shaped events and handing them to the same
 * `handleStripeEvent` that real webhooks reach. Nothing here writes memberships directly.
 */

export const TEST_PORTAL_PATH = "/billing/test-portal";
export const testCheckoutPath = (id: string) => `/billing/test-checkout/${id}`;

export function assertTestMode() {
  if (!isStripeTestMode()) throw new Response("Not found", { status: 404 });
}

function randomId(): string {
  return randomBytes(12).toString("hex");
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function addInterval(seconds: number, interval: BillingInterval): number {
  const date = new Date(seconds * 1000);
  if (interval === "YEAR") date.setUTCFullYear(date.getUTCFullYear() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

async function ensureTestCustomer(user: User): Promise<string> {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  await db.user.updateMany({ where: { id: user.id, stripeCustomerId: null }, data: { stripeCustomerId: `cus_test_${randomId()}` } });
  const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId!;
}

// ------------------------------------------------------------ Stripe-shaped objects

type SubscriptionState = {
  id: string;
  customer: string;
  status: Stripe.Subscription.Status;
  priceId: string;
  productId: string;
  amount: number;
  currency: string;
  interval: BillingInterval;
  periodStart: number;
  periodEnd: number;
  startDate: number;
  cancelAtPeriodEnd: boolean;
  endedAt: number | null;
  metadata: CheckoutMetadata;
};

function priceObject(state: Pick<SubscriptionState, "priceId" | "productId" | "amount" | "currency" | "interval">) {
  return {
    id: state.priceId,
    object: "price",
    active: true,
    currency: state.currency,
    product: state.productId,
    type: "recurring",
    unit_amount: state.amount,
    recurring: { interval: state.interval === "YEAR" ? "year" : "month", interval_count: 1, usage_type: "licensed" },
    livemode: false,
  };
}

function subscriptionObject(state: SubscriptionState): Stripe.Subscription {
  return {
    id: state.id,
    object: "subscription",
    customer: state.customer,
    status: state.status,
    currency: state.currency,
    start_date: state.startDate,
    created: state.startDate,
    cancel_at_period_end: state.cancelAtPeriodEnd,
    cancel_at: state.cancelAtPeriodEnd ? state.periodEnd : null,
    canceled_at: state.endedAt,
    ended_at: state.endedAt,
    livemode: false,
    metadata: state.metadata,
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${state.id}`,
      data: [
        {
          id: `si_${state.id.slice(4)}`,
          object: "subscription_item",
          subscription: state.id,
          quantity: 1,
          current_period_start: state.periodStart,
          current_period_end: state.periodEnd,
          price: priceObject(state),
        },
      ],
    },
  } as unknown as Stripe.Subscription;
}

function invoiceObject(state: SubscriptionState, invoice: { id: string; paid: boolean; at: number; periodStart: number; periodEnd: number }): Stripe.Invoice {
  return {
    id: invoice.id,
    object: "invoice",
    customer: state.customer,
    currency: state.currency,
    amount_due: state.amount,
    amount_paid: invoice.paid ? state.amount : 0,
    amount_remaining: invoice.paid ? 0 : state.amount,
    status: invoice.paid ? "paid" : "open",
    billing_reason: "subscription_cycle",
    created: invoice.at,
    period_start: invoice.periodStart,
    period_end: invoice.periodEnd,
    status_transitions: { paid_at: invoice.paid ? invoice.at : null, finalized_at: invoice.at },
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { subscription: state.id, metadata: state.metadata },
    },
    lines: {
      object: "list",
      has_more: false,
      url: `/v1/invoices/${invoice.id}/lines`,
      data: [
        {
          id: `il_${invoice.id.slice(3)}`,
          object: "line_item",
          amount: state.amount,
          currency: state.currency,
          period: { start: invoice.periodStart, end: invoice.periodEnd },
          pricing: { type: "price_details", price_details: { price: state.priceId, product: state.productId } },
        },
      ],
    },
    livemode: false,
  } as unknown as Stripe.Invoice;
}

function stripeEvent(id: string, type: string, object: unknown, created: number): Stripe.Event {
  return {
    id,
    object: "event",
    type,
    created,
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    data: { object },
  } as unknown as Stripe.Event;
}

async function deliver(events: Stripe.Event[]) {
  for (const event of events) await handleStripeEvent(event);
}

// ------------------------------------------------------------------ checkout

export async function createTestCheckout({
  user,
  tier,
  interval,
  priceId,
  amount,
  idempotencyKey,
}: {
  user: User;
  tier: Tier;
  interval: BillingInterval;
  priceId: string;
  amount: number;
  idempotencyKey: string;
}): Promise<string> {
  const existing = await db.testCheckoutSession.findUnique({ where: { idempotencyKey } });
  if (existing) return testCheckoutPath(existing.id);
  await ensureTestCustomer(user);
  try {
    const session = await db.$transaction(async (tx) => {
      const created = await tx.testCheckoutSession.create({
        data: { id: `cs_test_${randomId()}`, userId: user.id, tierId: tier.id, interval, priceId, amount, currency: tier.currency, idempotencyKey },
      });
      // One open checkout per member, as startCheckout keeps it with Stripe.
      await tx.testCheckoutSession.updateMany({
        where: { userId: user.id, id: { not: created.id }, completedAt: null, expiredAt: null },
        data: { expiredAt: new Date() },
      });
      return created;
    });
    return testCheckoutPath(session.id);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const raced = await db.testCheckoutSession.findUniqueOrThrow({ where: { idempotencyKey } });
      return testCheckoutPath(raced.id);
    }
    throw error;
  }
}

/** A test checkout of this member's, or null (someone else's is as good as missing). */
export function findTestCheckout(id: string, userId: string) {
  return db.testCheckoutSession.findFirst({ where: { id, userId }, include: { tier: true } });
}

export type PayResult = { ok: true } | { ok: false; reason: "not-found" | "already-member" | "replaced" };

/**
 * "Pays" a test checkout: Stripe would create the subscription, complete the session and
 * mark the first invoice paid, so these three events are delivered. Their ids derive from
 * the session, so paying twice (a double click, a retry) delivers the same events again,
 * which the handler ignores.
 */
export async function payTestCheckout(id: string, user: User): Promise<PayResult> {
  const session = await findTestCheckout(id, user.id);
  if (!session) return { ok: false, reason: "not-found" };
  if (session.completedAt) return { ok: true };
  if (session.expiredAt) return { ok: false, reason: "replaced" };
  const suffix = session.id.replace(/^cs_test_/, "");
  const subscriptionId = `sub_test_${suffix}`;
  const other = await db.subscription.findFirst({
    where: { userId: user.id, endedAt: null, stripeSubscriptionId: { not: null, notIn: [subscriptionId] } },
  });
  if (other) return { ok: false, reason: "already-member" };

  const customer = await ensureTestCustomer(user);
  const at = nowSeconds();
  const metadata: CheckoutMetadata = { userId: user.id, tierId: session.tierId, interval: session.interval, priceId: session.priceId };
  const state: SubscriptionState = {
    id: subscriptionId,
    customer,
    status: "active",
    priceId: session.priceId,
    productId: `prod_test_${session.tier.slug}`,
    amount: session.amount,
    currency: session.currency,
    interval: session.interval,
    periodStart: at,
    periodEnd: addInterval(at, session.interval),
    startDate: at,
    cancelAtPeriodEnd: false,
    endedAt: null,
    metadata,
  };
  const checkoutSession = {
    id: session.id,
    object: "checkout.session",
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer,
    client_reference_id: user.id,
    subscription: subscriptionId,
    metadata,
    amount_total: session.amount,
    currency: session.currency,
    created: Math.floor(session.createdAt.getTime() / 1000),
    livemode: false,
  };
  await deliver([
    stripeEvent(`evt_test_${suffix}_subscription`, "customer.subscription.created", subscriptionObject(state), at),
    stripeEvent(`evt_test_${suffix}_checkout`, "checkout.session.completed", checkoutSession, at),
    stripeEvent(
      `evt_test_${suffix}_invoice`,
      "invoice.paid",
      invoiceObject(state, { id: `in_test_${suffix}`, paid: true, at, periodStart: state.periodStart, periodEnd: state.periodEnd }),
      at,
    ),
  ]);
  await db.testCheckoutSession.update({ where: { id: session.id }, data: { completedAt: new Date() } });
  return { ok: true };
}

// ------------------------------------------------------------------- portal



/** The member's subscription as the test portal manages it. */
export function testPortalSubscription(userId: string) {
  return db.subscription.findFirst({
    where: { userId, endedAt: null, stripeSubscriptionId: { not: null } },
    include: { tier: true },
  });
}

const STRIPE_STATUS: Partial<Record<Subscription["status"], Stripe.Subscription.Status>> = {
  ACTIVE: "active",
  TRIALING: "trialing",
  PAST_DUE: "past_due",
  INCOMPLETE: "incomplete",
};

function stateOf(row: Subscription & { tier: Tier }, customer: string): SubscriptionState {
  const interval = row.interval ?? "MONTH";
  const periodStart = Math.floor((row.currentPeriodStart ?? row.startedAt).getTime() / 1000);
  const priceId = row.stripePriceId ?? priceIdFor(row.tier, interval) ?? `price_test_${row.tier.slug}`;
  return {
    id: row.stripeSubscriptionId!,
    customer,
    status: STRIPE_STATUS[row.status] ?? "active",
    priceId,
    productId: `prod_test_${row.tier.slug}`,
    amount: row.amount,
    currency: row.currency,
    interval,
    periodStart,
    periodEnd: row.currentPeriodEnd ? Math.floor(row.currentPeriodEnd.getTime() / 1000) : addInterval(periodStart, interval),
    startDate: Math.floor(row.startedAt.getTime() / 1000),
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    endedAt: null,
    metadata: { userId: row.userId, tierId: row.tierId, interval, priceId },
  };
}

export type TestPortalResult = { ok: true } | { ok: false; field?: "tierId" | "interval"; error: string };

/** What the member does in the test portal, announced as Stripe would announce it. */
export async function runTestPortal(user: User, input: TestPortalInput): Promise<TestPortalResult> {
  const row = await testPortalSubscription(user.id);
  if (!row) return { ok: false, error: "billing.portal.noSubscription" };
  const customer = await ensureTestCustomer(user);
  const state = stateOf(row, customer);
  const at = nowSeconds();
  const updated = (next: SubscriptionState) =>
    stripeEvent(`evt_test_${randomId()}`, "customer.subscription.updated", subscriptionObject(next), at);

  switch (input.intent) {
    case "change-plan": {
      const tier = await db.tier.findFirst({ where: { id: input.tierId, archivedAt: null } });
      if (!tier) return { ok: false, field: "tierId", error: "billing.join.chooseTier" };
      if (!isOffered(tier, input.interval)) return { ok: false, field: "interval", error: "billing.join.intervalUnavailable" };
      if (tier.id === row.tierId && input.interval === state.interval) return { ok: false, field: "tierId", error: "billing.portal.samePlan" };
      const priceId = priceIdFor(tier, input.interval)!;
      const newInterval = input.interval !== state.interval;
      await deliver([
        updated({
          ...state,
          priceId,
          productId: `prod_test_${tier.slug}`,
          amount: tierAmount(tier, input.interval)!,
          currency: tier.currency,
          interval: input.interval,
          // A new interval starts a new billing period; a new tier keeps the current one.
          periodStart: newInterval ? at : state.periodStart,
          periodEnd: newInterval ? addInterval(at, input.interval) : state.periodEnd,
          metadata: { userId: user.id, tierId: tier.id, interval: input.interval, priceId },
        }),
      ]);
      return { ok: true };
    }
    case "cancel-at-period-end":
    case "resume":
      await deliver([updated({ ...state, cancelAtPeriodEnd: input.intent === "cancel-at-period-end" })]);
      return { ok: true };
    case "simulate-period-end": {
      if (state.cancelAtPeriodEnd) {
        const ended = { ...state, status: "canceled" as const, endedAt: at };
        await deliver([stripeEvent(`evt_test_${randomId()}`, "customer.subscription.deleted", subscriptionObject(ended), at)]);
        return { ok: true };
      }
      const periodStart = Math.max(state.periodEnd, at);
      const renewed = { ...state, status: "active" as const, periodStart, periodEnd: addInterval(periodStart, state.interval) };
      await deliver([
        stripeEvent(
          `evt_test_${randomId()}`,
          "invoice.paid",
          invoiceObject(renewed, { id: `in_test_${randomId()}`, paid: true, at, periodStart, periodEnd: renewed.periodEnd }),
          at,
        ),
        updated(renewed),
      ]);
      return { ok: true };
    }
    case "simulate-failed-payment": {
      const failing = { ...state, status: "past_due" as const };
      await deliver([
        stripeEvent(
          `evt_test_${randomId()}`,
          "invoice.payment_failed",
          invoiceObject(failing, { id: `in_test_${randomId()}`, paid: false, at, periodStart: state.periodEnd, periodEnd: addInterval(state.periodEnd, state.interval) }),
          at,
        ),
        updated(failing),
      ]);
      return { ok: true };
    }
  }
}
