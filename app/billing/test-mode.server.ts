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

type InvoiceLine = { amount: number; periodStart: number; periodEnd: number; priceId: string; productId: string; proration?: boolean };

/**
 * An invoice as Stripe sends it. By default it bills one period of the subscription's plan
 * (a renewal); a plan change passes its own lines (credit for unused time, then the new plan)
 * and `billing_reason: "subscription_update"`.
 */
function invoiceObject(
  state: SubscriptionState,
  invoice: { id: string; paid: boolean; at: number; periodStart: number; periodEnd: number; reason?: Stripe.Invoice.BillingReason; lines?: InvoiceLine[] },
): Stripe.Invoice {
  const lines: InvoiceLine[] = invoice.lines ?? [
    { amount: state.amount, periodStart: invoice.periodStart, periodEnd: invoice.periodEnd, priceId: state.priceId, productId: state.productId },
  ];
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const due = Math.max(0, total);
  return {
    id: invoice.id,
    object: "invoice",
    customer: state.customer,
    currency: state.currency,
    total,
    amount_due: due,
    amount_paid: invoice.paid ? due : 0,
    amount_remaining: invoice.paid ? 0 : due,
    status: invoice.paid ? "paid" : "open",
    billing_reason: invoice.reason ?? "subscription_cycle",
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
      data: lines.map((line, index) => ({
        id: `il_${invoice.id.slice(3)}_${index}`,
        object: "line_item",
        amount: line.amount,
        currency: state.currency,
        period: { start: line.periodStart, end: line.periodEnd },
        parent: { type: "subscription_item_details", subscription_item_details: { proration: Boolean(line.proration), subscription: state.id } },
        pricing: { type: "price_details", price_details: { price: line.priceId, product: line.productId } },
      })),
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
      invoiceObject(state, { id: `in_test_${suffix}`, paid: true, at, periodStart: state.periodStart, periodEnd: state.periodEnd, reason: "subscription_create" }),
      at,
    ),
  ]);
  await db.testCheckoutSession.update({ where: { id: session.id }, data: { completedAt: new Date() } });
  return { ok: true };
}

// ------------------------------------------------------------------- portal



/**
 * What Stripe bills at once for a plan change made in the Billing Portal (proration
 * "always_invoice", as docs/deploy.md asks the portal to be configured):
 * - a new interval resets the billing cycle: the new period starts now and is billed in
 *   full, less a credit for the unused time of the old period;
 * - a new tier within the interval keeps the period: the rest of it is billed at the new
 *   price, less the unused time at the old one (an upgrade costs the difference for the
 *   time left; a downgrade's credit is not paid out, so nothing is charged).
 * Amounts are prorated by the second and rounded to the minor unit, as Stripe does.
 */
export function planChangeInvoice(
  current: Pick<SubscriptionState, "amount" | "periodStart" | "periodEnd" | "interval" | "priceId" | "productId">,
  next: Pick<SubscriptionState, "amount" | "interval" | "priceId" | "productId">,
  at: number,
): { periodStart: number; periodEnd: number; lines: InvoiceLine[] } {
  const length = Math.max(1, current.periodEnd - current.periodStart);
  const left = Math.min(length, Math.max(0, current.periodEnd - at));
  const credit = Math.round((current.amount * left) / length);
  const unused: InvoiceLine = { amount: -credit, periodStart: at, periodEnd: current.periodEnd, priceId: current.priceId, productId: current.productId, proration: true };
  if (next.interval !== current.interval) {
    const periodEnd = addInterval(at, next.interval);
    const plan: InvoiceLine = { amount: next.amount, periodStart: at, periodEnd, priceId: next.priceId, productId: next.productId };
    return { periodStart: at, periodEnd, lines: credit > 0 ? [plan, unused] : [plan] };
  }
  const remaining: InvoiceLine = {
    amount: Math.round((next.amount * left) / length),
    periodStart: at,
    periodEnd: current.periodEnd,
    priceId: next.priceId,
    productId: next.productId,
    proration: true,
  };
  return { periodStart: current.periodStart, periodEnd: current.periodEnd, lines: [remaining, unused] };
}

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
      const next: SubscriptionState = {
        ...state,
        priceId,
        productId: `prod_test_${tier.slug}`,
        amount: tierAmount(tier, input.interval)!,
        currency: tier.currency,
        interval: input.interval,
        metadata: { userId: user.id, tierId: tier.id, interval: input.interval, priceId },
      };
      const change = planChangeInvoice(state, next, at);
      const changed = { ...next, periodStart: change.periodStart, periodEnd: change.periodEnd };
      const events = [updated(changed)];
      if (change.lines.reduce((sum, line) => sum + line.amount, 0) > 0) {
        const id = `in_test_${randomId()}`;
        events.push(
          stripeEvent(
            `evt_test_${randomId()}`,
            "invoice.paid",
            invoiceObject(changed, { id, paid: true, at, periodStart: change.periodStart, periodEnd: change.periodEnd, reason: "subscription_update", lines: change.lines }),
            at,
          ),
        );
      }
      await deliver(events);
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
