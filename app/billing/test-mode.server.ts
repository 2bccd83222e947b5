import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { Prisma, type BillingInterval, type Subscription, type Tier, type User } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { isStripeTestMode } from "~/env.server";
import type { MessageKey } from "~/i18n/dictionary";
import { cardDigits, parseExpiry, type TestCardInput, type TestClockInput, type TestPortalInput } from "./schemas";
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
type InvoiceInput = {
  id: string;
  paid: boolean;
  /** When it is paid (or its payment attempted); also when it was created, unless `created` says otherwise. */
  at: number;
  created?: number;
  periodStart: number;
  periodEnd: number;
  reason?: Stripe.Invoice.BillingReason;
  lines?: InvoiceLine[];
  attemptCount?: number;
};

function invoiceObject(state: SubscriptionState, invoice: InvoiceInput): Stripe.Invoice {
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
    attempt_count: invoice.attemptCount ?? 1,
    attempted: true,
    created: invoice.created ?? invoice.at,
    period_start: invoice.periodStart,
    period_end: invoice.periodEnd,
    status_transitions: { paid_at: invoice.paid ? invoice.at : null, finalized_at: invoice.created ?? invoice.at },
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

/**
 * Builds an invoice and keeps it, as Stripe keeps the invoices it issues (the test portal
 * lists them). Issuing the same invoice again (a retry that pays it) updates the one kept.
 */
async function issueInvoice(userId: string, state: SubscriptionState, input: InvoiceInput): Promise<Stripe.Invoice> {
  const invoice = invoiceObject(state, input);
  const lines = (input.lines ?? [
    { amount: state.amount, periodStart: input.periodStart, periodEnd: input.periodEnd, priceId: state.priceId, productId: state.productId },
  ]) as unknown as Prisma.InputJsonValue;
  const record = {
    status: input.paid ? ("PAID" as const) : ("OPEN" as const),
    amountPaid: invoice.amount_paid,
    attemptCount: input.attemptCount ?? 1,
    paidAt: input.paid ? new Date(input.at * 1000) : null,
  };
  await db.testInvoice.upsert({
    where: { id: input.id },
    update: record,
    create: {
      ...record,
      id: input.id,
      userId,
      stripeSubscriptionId: state.id,
      billingReason: invoice.billing_reason ?? "subscription_cycle",
      currency: state.currency,
      total: invoice.total,
      periodStart: new Date(input.periodStart * 1000),
      periodEnd: new Date(input.periodEnd * 1000),
      lines,
      createdAt: new Date((input.created ?? input.at) * 1000),
    },
  });
  return invoice;
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
      await issueInvoice(user.id, state, { id: `in_test_${suffix}`, paid: true, at, periodStart: state.periodStart, periodEnd: state.periodEnd, reason: "subscription_create" }),
      at,
    ),
  ]);
  // The test checkout's page takes no card: Stripe's test card stands for the one "entered".
  await db.testPaymentMethod.upsert({
    where: { userId: user.id },
    update: {},
    create: { id: `pm_test_${randomId()}`, userId: user.id, ...TEST_CHECKOUT_CARD, expYear: new Date().getUTCFullYear() + 3 },
  });
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
  UNPAID: "unpaid",
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

const subscriptionUpdated = (state: SubscriptionState, at: number) =>
  stripeEvent(`evt_test_${randomId()}`, "customer.subscription.updated", subscriptionObject(state), at);

function openInvoiceOf(stripeSubscriptionId: string) {
  return db.testInvoice.findFirst({ where: { stripeSubscriptionId, status: "OPEN" }, orderBy: { createdAt: "desc" } });
}

type StoredInvoice = NonNullable<Awaited<ReturnType<typeof openInvoiceOf>>>;

/** The input that issues a kept invoice again (to pay it, or to record one more failed attempt). */
function storedInput(invoice: StoredInvoice, paid: boolean, at: number, attemptCount: number): InvoiceInput {
  return {
    id: invoice.id,
    paid,
    at,
    created: Math.floor(invoice.createdAt.getTime() / 1000),
    periodStart: Math.floor(invoice.periodStart.getTime() / 1000),
    periodEnd: Math.floor(invoice.periodEnd.getTime() / 1000),
    reason: invoice.billingReason as Stripe.Invoice.BillingReason,
    lines: invoice.lines as unknown as InvoiceLine[],
    attemptCount,
  };
}

/**
 * The renewal is paid: the open invoice of an overdue subscription (a successful retry pays
 * that same invoice, as Stripe's do), or else the next period's. Then the subscription is
 * active for the period paid.
 */
async function renew(userId: string, state: SubscriptionState, at: number): Promise<void> {
  const open = await openInvoiceOf(state.id);
  const periodStart = open ? Math.floor(open.periodStart.getTime() / 1000) : Math.max(state.periodEnd, at);
  const periodEnd = open ? Math.floor(open.periodEnd.getTime() / 1000) : addInterval(periodStart, state.interval);
  const renewed = { ...state, status: "active" as const, periodStart, periodEnd };
  const invoice = open
    ? await issueInvoice(userId, renewed, storedInput(open, true, at, open.attemptCount + 1))
    : await issueInvoice(userId, renewed, { id: `in_test_${randomId()}`, paid: true, at, periodStart, periodEnd });
  await deliver([stripeEvent(`evt_test_${randomId()}`, "invoice.paid", invoice, at), subscriptionUpdated(renewed, at)]);
}

/** The renewal's payment fails: an open invoice for the next period, and the subscription is past due. */
async function failRenewal(userId: string, state: SubscriptionState, at: number): Promise<void> {
  const failing = { ...state, status: "past_due" as const };
  const invoice = await issueInvoice(userId, failing, {
    id: `in_test_${randomId()}`,
    paid: false,
    at,
    periodStart: state.periodEnd,
    periodEnd: addInterval(state.periodEnd, state.interval),
  });
  await deliver([stripeEvent(`evt_test_${randomId()}`, "invoice.payment_failed", invoice, at), subscriptionUpdated(failing, at)]);
}

/**
 * What happens when the grace period runs out, as Stripe's "if all retries for a payment
 * fail" setting does it: the last retry fails; then either the subscription is canceled and
 * its invoice marked uncollectible ("cancel", Stripe's default), or it is marked unpaid and
 * the invoice stays open, so that paying it brings the membership back ("unpaid").
 */
async function endGrace(userId: string, state: SubscriptionState, at: number, outcome: DunningOutcome): Promise<void> {
  const open = await openInvoiceOf(state.id);
  const events: Stripe.Event[] = [];
  if (open) {
    const lastTry = await issueInvoice(userId, state, storedInput(open, false, at, open.attemptCount + 1));
    events.push(stripeEvent(`evt_test_${randomId()}`, "invoice.payment_failed", { ...lastTry, next_payment_attempt: null }, at));
  }
  if (outcome === "cancel") {
    const ended = { ...state, status: "canceled" as const, endedAt: at };
    events.push(stripeEvent(`evt_test_${randomId()}`, "customer.subscription.deleted", subscriptionObject(ended), at));
  } else {
    events.push(subscriptionUpdated({ ...state, status: "unpaid" as const }, at));
  }
  await deliver(events);
  if (open && outcome === "cancel") {
    await db.testInvoice.update({ where: { id: open.id }, data: { status: "UNCOLLECTIBLE" } });
    await deliver([
      stripeEvent(
        `evt_test_${randomId()}`,
        "invoice.marked_uncollectible",
        { ...invoiceObject(state, storedInput(open, false, at, open.attemptCount + 1)), status: "uncollectible" },
        at,
      ),
    ]);
  }
}

export type TestPortalResult = { ok: true } | { ok: false; field?: "tierId" | "interval" | "number" | "expiry" | "cvc" | "invoiceId"; error: string };

/** What the member does in the test portal, announced as Stripe would announce it. */
export async function runTestPortal(user: User, input: TestPortalInput): Promise<TestPortalResult> {
  if (input.intent === "update-card") return updateTestCard(user, input);
  const row = await testPortalSubscription(user.id);
  if (!row) return { ok: false, error: "billing.portal.noSubscription" };
  const customer = await ensureTestCustomer(user);
  const state = stateOf(row, customer);
  const at = nowSeconds();

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
      const events = [subscriptionUpdated(changed, at)];
      if (change.lines.reduce((sum, line) => sum + line.amount, 0) > 0) {
        const invoice = await issueInvoice(user.id, changed, {
          id: `in_test_${randomId()}`,
          paid: true,
          at,
          periodStart: change.periodStart,
          periodEnd: change.periodEnd,
          reason: "subscription_update",
          lines: change.lines,
        });
        events.push(stripeEvent(`evt_test_${randomId()}`, "invoice.paid", invoice, at));
      }
      await deliver(events);
      return { ok: true };
    }
    case "cancel-at-period-end":
    case "resume":
      await deliver([subscriptionUpdated({ ...state, cancelAtPeriodEnd: input.intent === "cancel-at-period-end" }, at)]);
      return { ok: true };
    case "simulate-period-end": {
      if (state.cancelAtPeriodEnd) {
        const ended = { ...state, status: "canceled" as const, endedAt: at };
        await deliver([stripeEvent(`evt_test_${randomId()}`, "customer.subscription.deleted", subscriptionObject(ended), at)]);
        return { ok: true };
      }
      await renew(user.id, state, at);
      return { ok: true };
    }
    case "simulate-failed-payment":
      await failRenewal(user.id, state, at);
      return { ok: true };
    case "pay-invoice": {
      // Paying the open invoice from the portal is a successful retry of its payment.
      const open = await openInvoiceOf(state.id);
      if (!open || open.id !== input.invoiceId || open.userId !== user.id) return { ok: false, field: "invoiceId", error: "billing.invoices.notOpen" };
      await renew(user.id, state, at);
      return { ok: true };
    }
  }
}

// ------------------------------------------------------------------ invoices

export type TestPortalInvoice = {
  id: string;
  createdAt: Date;
  status: "PAID" | "OPEN" | "UNCOLLECTIBLE";
  /** What was paid, or what is due. */
  amount: number;
  currency: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  tier: { nameEn: string; nameRu: string } | null;
  /** Whether the test portal keeps its lines (issued in test mode), or only the payment record. */
  detailed: boolean;
};

export type TestInvoiceLine = {
  amount: number;
  periodStart: Date;
  periodEnd: Date;
  tier: { nameEn: string; nameRu: string } | null;
  /** A credit for unused time, the rest of a period at a new price, or a whole period. */
  kind: "credit" | "remaining" | "period";
};

const tierOfProduct = (tiers: Array<Tier>, productId: string) => tiers.find((tier) => `prod_test_${tier.slug}` === productId) ?? null;
const pickName = (tier: Tier | null) => (tier ? { nameEn: tier.nameEn, nameRu: tier.nameRu } : null);

/**
 * The member's invoices, newest first: those the test mode issued (paid, open, uncollectible),
 * and every other paid invoice in the ledger (the demo's seeded history, or invoices from
 * signed webhooks), so the list holds everything the member paid.
 */
export async function testPortalInvoices(userId: string, take = 36): Promise<TestPortalInvoice[]> {
  const [issued, ledger, tiers] = await Promise.all([
    db.testInvoice.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take }),
    db.ledgerEntry.findMany({
      where: { userId, kind: "INVOICE_PAID" },
      orderBy: { occurredAt: "desc" },
      take,
      include: { subscription: { select: { tier: { select: { nameEn: true, nameRu: true } } } } },
    }),
    db.tier.findMany(),
  ]);
  const kept = new Set(issued.map((invoice) => invoice.id));
  const fromTestMode: TestPortalInvoice[] = issued.map((invoice) => {
    const lines = invoice.lines as unknown as InvoiceLine[];
    const charged = lines.find((line) => line.amount > 0) ?? lines[0];
    return {
      id: invoice.id,
      createdAt: invoice.createdAt,
      status: invoice.status,
      amount: invoice.status === "PAID" ? invoice.amountPaid : Math.max(0, invoice.total),
      currency: invoice.currency,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      tier: charged ? pickName(tierOfProduct(tiers, charged.productId)) : null,
      detailed: true,
    };
  });
  const fromLedger: TestPortalInvoice[] = ledger
    .filter((entry) => !entry.stripeInvoiceId || !kept.has(entry.stripeInvoiceId))
    .map((entry) => ({
      id: entry.stripeInvoiceId ?? entry.id,
      createdAt: entry.occurredAt,
      status: "PAID" as const,
      amount: entry.amount,
      currency: entry.currency,
      periodStart: entry.periodStart,
      periodEnd: entry.periodEnd,
      tier: entry.subscription?.tier ?? null,
      detailed: false,
    }));
  // Stripe counts whole seconds, so two invoices can share one: the later period goes first.
  const newestFirst = (a: TestPortalInvoice, b: TestPortalInvoice) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (b.periodStart?.getTime() ?? 0) - (a.periodStart?.getTime() ?? 0);
  return [...fromTestMode, ...fromLedger].sort(newestFirst).slice(0, take);
}

/** One of the member's invoices with its lines, or null (someone else's is as good as missing). */
export async function testPortalInvoice(userId: string, invoiceId: string): Promise<(TestPortalInvoice & { lines: TestInvoiceLine[]; paidAt: Date | null }) | null> {
  const tiers = await db.tier.findMany();
  const invoice = await db.testInvoice.findFirst({ where: { id: invoiceId, userId } });
  if (invoice) {
    const lines = (invoice.lines as unknown as InvoiceLine[]).map((line) => ({
      amount: line.amount,
      periodStart: new Date(line.periodStart * 1000),
      periodEnd: new Date(line.periodEnd * 1000),
      tier: pickName(tierOfProduct(tiers, line.productId)),
      kind: line.amount < 0 ? ("credit" as const) : line.proration ? ("remaining" as const) : ("period" as const),
    }));
    const charged = lines.find((line) => line.amount > 0) ?? lines[0];
    return {
      id: invoice.id,
      createdAt: invoice.createdAt,
      paidAt: invoice.paidAt,
      status: invoice.status,
      amount: invoice.status === "PAID" ? invoice.amountPaid : Math.max(0, invoice.total),
      currency: invoice.currency,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      tier: charged?.tier ?? null,
      detailed: true,
      lines,
    };
  }
  const entry = await db.ledgerEntry.findFirst({
    where: { userId, kind: "INVOICE_PAID", OR: [{ stripeInvoiceId: invoiceId }, { id: invoiceId, stripeInvoiceId: null }] },
    include: { subscription: { select: { tier: { select: { nameEn: true, nameRu: true } } } } },
  });
  if (!entry) return null;
  const tier = entry.subscription?.tier ?? null;
  return {
    id: invoiceId,
    createdAt: entry.occurredAt,
    paidAt: entry.occurredAt,
    status: "PAID",
    amount: entry.amount,
    currency: entry.currency,
    periodStart: entry.periodStart,
    periodEnd: entry.periodEnd,
    tier,
    detailed: false,
    lines:
      entry.periodStart && entry.periodEnd ? [{ amount: entry.amount, periodStart: entry.periodStart, periodEnd: entry.periodEnd, tier, kind: "period" }] : [],
  };
}

// --------------------------------------------------------------------- cards

/** The card the test checkout "takes": Stripe's own test Visa. */
const TEST_CHECKOUT_CARD = { brand: "visa", last4: "4242", expMonth: 12 };

/**
 * Stripe's test card numbers (docs.stripe.com/testing) and what attaching each does: the
 * numbers that succeed, and those Stripe declines with a reason. Test mode refuses every
 * other number, as Stripe's test mode refuses real cards.
 */
const TEST_CARDS: Record<string, { brand: string } | { declined: MessageKey; field?: "number" | "cvc" | "expiry" }> = {
  "4242424242424242": { brand: "visa" },
  "4000056655665556": { brand: "visa" },
  "5555555555554444": { brand: "mastercard" },
  "2223003122003222": { brand: "mastercard" },
  "5200828282828210": { brand: "mastercard" },
  "378282246310005": { brand: "amex" },
  "6011111111111117": { brand: "discover" },
  "4000000000000002": { declined: "billing.card.declined" },
  "4000000000009995": { declined: "billing.card.insufficientFunds" },
  "4000000000009987": { declined: "billing.card.declined" },
  "4000000000009979": { declined: "billing.card.declined" },
  "4000000000000069": { declined: "billing.card.expiredCard", field: "expiry" },
  "4000000000000127": { declined: "billing.card.incorrectCvc", field: "cvc" },
  "4000000000000119": { declined: "billing.card.processingError" },
};

export function defaultTestCard(userId: string) {
  return db.testPaymentMethod.findUnique({ where: { userId }, select: { brand: true, last4: true, expMonth: true, expYear: true, updatedAt: true } });
}

/**
 * Saves the member's new default card, as the Billing Portal's "update payment method" does:
 * a card Stripe would decline is refused at its field, and only brand, last four digits and
 * expiry are kept.
 */
export async function updateTestCard(user: User, input: TestCardInput): Promise<TestPortalResult> {
  const number = cardDigits(input.number);
  const card = TEST_CARDS[number];
  if (!card) return { ok: false, field: "number", error: "billing.card.notTestCard" };
  const { month, year } = parseExpiry(input.expiry)!;
  const now = new Date();
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return { ok: false, field: "expiry", error: "billing.card.expiryPast" };
  }
  if ("declined" in card) return { ok: false, field: card.field ?? "number", error: card.declined };
  if (card.brand === "amex" ? input.cvc.length !== 4 : input.cvc.length !== 3) return { ok: false, field: "cvc", error: "billing.card.cvcInvalid" };
  await ensureTestCustomer(user);
  const data = { brand: card.brand, last4: number.slice(-4), expMonth: month, expYear: year };
  await db.testPaymentMethod.upsert({ where: { userId: user.id }, update: data, create: { id: `pm_test_${randomId()}`, userId: user.id, ...data } });
  return { ok: true };
}

// ------------------------------------------------------------ the owner's clock

export type DunningOutcome = "cancel" | "unpaid";

/** The member's latest test-mode subscription: the open one, or else the one that ended last. */
function latestTestSubscription(userId: string) {
  return db.subscription.findFirst({
    where: { userId, stripeSubscriptionId: { not: null } },
    orderBy: [{ endedAt: { sort: "desc", nulls: "first" } }, { startedAt: "desc" }, { createdAt: "desc" }],
    include: { tier: true },
  });
}

export type TestClockState = {
  status: Subscription["status"];
  tier: { nameEn: string; nameRu: string };
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  pastDueSince: Date | null;
  endedAt: Date | null;
  openInvoice: { id: string; amount: number; currency: string } | null;
} | null;

/** What the owner's test clock shows of a member's subscription. */
export async function testClockState(userId: string): Promise<TestClockState> {
  const row = await latestTestSubscription(userId);
  if (!row) return null;
  const open = await openInvoiceOf(row.stripeSubscriptionId!);
  return {
    status: row.status,
    tier: { nameEn: row.tier.nameEn, nameRu: row.tier.nameRu },
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    currentPeriodEnd: row.currentPeriodEnd,
    pastDueSince: row.pastDueSince,
    endedAt: row.endedAt,
    openInvoice: open ? { id: open.id, amount: Math.max(0, open.total), currency: open.currency } : null,
  };
}

export type TestClockResult = { ok: true } | { ok: false; error: MessageKey };

/**
 * The owner makes time pass for a member's subscription, in test mode only, so the whole
 * dunning path can be seen: the renewal's payment fails (past due, grace period), the grace
 * period runs out (canceled or unpaid), or the renewal is paid. Each is announced with the
 * events Stripe would send and goes through handleStripeEvent, as the member's portal does.
 */
export async function advanceTestClock(memberId: string, input: TestClockInput): Promise<TestClockResult> {
  const member = await db.user.findUnique({ where: { id: memberId } });
  if (!member) return { ok: false, error: "billing.members.notFound" };
  const row = await latestTestSubscription(member.id);
  if (!row) return { ok: false, error: "billing.clock.noSubscription" };
  const canceled = row.endedAt !== null && row.status !== "UNPAID";
  if (canceled) return { ok: false, error: "billing.clock.ended" };
  const state = stateOf(row, await ensureTestCustomer(member));
  const at = nowSeconds();
  switch (input.intent) {
    case "clock-fail-payment":
      if (row.status !== "ACTIVE" && row.status !== "TRIALING") return { ok: false, error: "billing.clock.notActive" };
      if (row.cancelAtPeriodEnd) return { ok: false, error: "billing.clock.willNotRenew" };
      await failRenewal(member.id, state, at);
      return { ok: true };
    case "clock-end-grace":
      if (row.status !== "PAST_DUE") return { ok: false, error: "billing.clock.notPastDue" };
      await endGrace(member.id, state, at, input.outcome);
      return { ok: true };
    case "clock-renew":
      if (row.cancelAtPeriodEnd && row.status !== "UNPAID") return { ok: false, error: "billing.clock.willNotRenew" };
      if (row.status === "UNPAID" && !(await openInvoiceOf(state.id))) return { ok: false, error: "billing.clock.ended" };
      await renew(member.id, state, at);
      return { ok: true };
  }
}
