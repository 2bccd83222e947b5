import type Stripe from "stripe";
import type { BillingInterval, Subscription, SubscriptionStatus, Tier, User } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { log } from "~/log.server";
import { notifyCancellation, notifyMembershipEnded, notifyPaymentFailed, notifyPlanChanged } from "./emails.server";

/**
 * Keeps Subscription rows in step with Stripe's subscriptions. A row is one tier at one
 * price for a period (startedAt → endedAt); see docs/architecture.md "Billing".
 *
 * Order of delivery does not matter: every change records the time of the Stripe event that
 * caused it in stripeUpdatedAt, an older event changes nothing, and a canceled subscription
 * never comes back. Rows started from a checkout or an invoice (before any subscription
 * event) leave stripeUpdatedAt empty, so the subscription's own state always wins over them.
 */

const STATUS: Record<Stripe.Subscription.Status, SubscriptionStatus> = {
  active: "ACTIVE",
  trialing: "TRIALING",
  past_due: "PAST_DUE",
  unpaid: "UNPAID",
  canceled: "CANCELED",
  incomplete: "INCOMPLETE",
  incomplete_expired: "CANCELED",
  // A paused subscription collects nothing and grants nothing until it resumes.
  paused: "UNPAID",
};

export function fromUnix(seconds: number): Date {
  return new Date(seconds * 1000);
}

/** Stripe fields that may be an id or an expanded object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/**
 * Finds the member an event is about and locks their row until the transaction ends, so
 * that events for one member are applied one at a time. The Stripe customer decides; a
 * user id from our own metadata is the fallback, and links the customer when it is new.
 */
export async function lockMember(tx: Tx, { customerId, userId }: { customerId?: string | null; userId?: string | null }): Promise<User | null> {
  if (customerId) {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "User" WHERE "stripeCustomerId" = ${customerId} FOR UPDATE`;
    if (rows[0]) return tx.user.findUnique({ where: { id: rows[0].id } });
  }
  if (!userId) return null;
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
  if (!rows[0]) return null;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (customerId && !user.stripeCustomerId) {
    return tx.user.update({ where: { id: user.id }, data: { stripeCustomerId: customerId } });
  }
  if (customerId && user.stripeCustomerId !== customerId) {
    log.warn("stripe customer does not match the member's own", { userId, customerId });
  }
  return user;
}

/** The open row of a Stripe subscription, or else the one that ended last. */
export function latestRow(tx: Tx, stripeSubscriptionId: string): Promise<Subscription | null> {
  return tx.subscription.findFirst({
    where: { stripeSubscriptionId },
    orderBy: [{ endedAt: { sort: "desc", nulls: "first" } }, { startedAt: "desc" }, { createdAt: "desc" }],
  });
}

/**
 * Stripe moved fields in API version 2025-03-31 ("basil"): a webhook endpoint set to an
 * older version sends the current period on the subscription instead of its items, and an
 * invoice's subscription as `invoice.subscription` (with `subscription_details`) instead of
 * `invoice.parent.subscription_details`. Both shapes are read, so an older endpoint loses
 * neither dunning, nor the invoice's link to its subscription, nor the renewal date.
 */
type OlderSubscription = { current_period_start?: number | null; current_period_end?: number | null };
type OlderInvoice = { subscription?: string | { id: string } | null; subscription_details?: { metadata?: Record<string, string> | null } | null };

/** The current period of a subscription, in either shape. */
export function currentPeriodOf(sub: Stripe.Subscription): { start: number | null; end: number | null } {
  const item = sub.items?.data?.[0];
  const older = sub as unknown as OlderSubscription;
  return {
    start: item?.current_period_start ?? older.current_period_start ?? null,
    end: item?.current_period_end ?? older.current_period_end ?? null,
  };
}

/** The subscription an invoice bills and that subscription's metadata, in either shape. */
export function invoiceSubscriptionOf(invoice: Stripe.Invoice): { stripeSubscriptionId: string | null; metadata: Record<string, string> | null } {
  const details = invoice.parent?.subscription_details;
  if (details?.subscription) return { stripeSubscriptionId: idOf(details.subscription), metadata: details.metadata ?? null };
  const older = invoice as unknown as OlderInvoice;
  return { stripeSubscriptionId: idOf(older.subscription), metadata: older.subscription_details?.metadata ?? details?.metadata ?? null };
}

export async function tierForPrice(tx: Tx, priceId: string | null | undefined, tierId?: string | null): Promise<Tier | null> {
  if (priceId) {
    const tier = await tx.tier.findFirst({ where: { OR: [{ stripeMonthlyPriceId: priceId }, { stripeYearlyPriceId: priceId }] } });
    if (tier) return tier;
  }
  return tierId ? tx.tier.findUnique({ where: { id: tierId } }) : null;
}

export function tierAmount(tier: Pick<Tier, "monthlyAmount" | "yearlyAmount">, interval: BillingInterval): number | null {
  return interval === "YEAR" ? tier.yearlyAmount : tier.monthlyAmount;
}

/** What we ask Stripe to keep on a subscription and its checkout session, so events can name the member. */
export type CheckoutMetadata = { userId: string; tierId: string; interval: BillingInterval; priceId: string };

function isInterval(value: unknown): value is BillingInterval {
  return value === "MONTH" || value === "YEAR";
}

/**
 * Starts the row of a subscription known only from a completed checkout or a paid invoice
 * (its own events may come later), from the tier and interval in our metadata.
 */
export async function startRowFromMetadata(
  tx: Tx,
  member: User,
  stripeSubscriptionId: string,
  metadata: Record<string, string> | null | undefined,
  at: Date,
): Promise<Subscription | null> {
  const tier = metadata?.tierId ? await tx.tier.findUnique({ where: { id: metadata.tierId } }) : null;
  const interval = metadata?.interval;
  if (!tier || !isInterval(interval)) {
    log.warn("stripe subscription without our metadata; waiting for its own events", { stripeSubscriptionId });
    return null;
  }
  return tx.subscription.create({
    data: {
      userId: member.id,
      tierId: tier.id,
      status: "ACTIVE",
      interval,
      amount: tierAmount(tier, interval) ?? 0,
      currency: tier.currency,
      stripeSubscriptionId,
      stripePriceId: metadata?.priceId || null,
      startedAt: at,
    },
  });
}

async function enterPastDue(tx: Tx, member: User, row: Subscription, since: Date) {
  const settings = await tx.clubSettings.findUnique({ where: { id: 1 }, select: { pastDueGraceDays: true } });
  const graceEndsAt = new Date(since.getTime() + (settings?.pastDueGraceDays ?? 7) * 86_400_000);
  await notifyPaymentFailed(tx, member, graceEndsAt);
  log.info("membership past due", { userId: member.id, subscriptionId: row.id });
}

/**
 * Whether a subscription's state is another plan than its open row: a change of tier, price
 * or interval always ends the row and starts a new one, so history keeps what was paid for.
 * A row started from a checkout or an invoice (no stripeUpdatedAt yet) may not know its
 * price id or the exact amount Stripe bills; what it does not know is not a change.
 */
export function isPlanChange(
  row: Pick<Subscription, "tierId" | "stripePriceId" | "amount" | "interval" | "stripeUpdatedAt">,
  next: { tierId: string; stripePriceId: string | null; amount: number; interval: BillingInterval },
): boolean {
  if (row.tierId !== next.tierId || row.interval !== next.interval) return true;
  const known = row.stripeUpdatedAt !== null;
  if ((known || row.stripePriceId !== null) && row.stripePriceId !== next.stripePriceId) return true;
  return known && row.amount !== next.amount;
}

/** Applies a customer.subscription.created/updated/deleted event. */
export async function applyStripeSubscription(tx: Tx, sub: Stripe.Subscription, at: Date): Promise<void> {
  const member = await lockMember(tx, { customerId: idOf(sub.customer), userId: sub.metadata?.userId });
  if (!member) {
    log.warn("stripe subscription for an unknown member", { stripeSubscriptionId: sub.id });
    return;
  }
  const item = sub.items?.data?.[0];
  const price = item?.price;
  const tier = await tierForPrice(tx, price?.id, sub.metadata?.tierId);
  const status = STATUS[sub.status] ?? "INCOMPLETE";
  const ends = status === "CANCELED" || status === "UNPAID";
  const endedAt = status === "CANCELED" && sub.ended_at ? fromUnix(sub.ended_at) : at;
  const interval: BillingInterval = price?.recurring?.interval === "year" ? "YEAR" : "MONTH";
  const period = currentPeriodOf(sub);
  const state = {
    status,
    interval,
    amount: (price?.unit_amount ?? 0) * (item?.quantity ?? 1),
    currency: price?.currency ?? sub.currency,
    stripePriceId: price?.id ?? null,
    currentPeriodStart: period.start ? fromUnix(period.start) : null,
    currentPeriodEnd: period.end ? fromUnix(period.end) : null,
    cancelAtPeriodEnd: Boolean(sub.cancel_at_period_end || sub.cancel_at),
    stripeUpdatedAt: at,
  };

  const latest = await latestRow(tx, sub.id);
  if (latest?.stripeUpdatedAt && at < latest.stripeUpdatedAt) return; // an older event, already overtaken

  const startRow = async (startedAt: Date) => {
    if (!tier) {
      log.warn("stripe price matches no tier", { stripeSubscriptionId: sub.id, priceId: price?.id });
      return;
    }
    const row = await tx.subscription.create({
      data: {
        ...state,
        userId: member.id,
        tierId: tier.id,
        stripeSubscriptionId: sub.id,
        startedAt,
        endedAt: ends ? endedAt : null,
        pastDueSince: status === "PAST_DUE" ? at : null,
      },
    });
    if (status === "PAST_DUE") await enterPastDue(tx, member, row, at);
  };

  if (!latest) {
    // Never-paid attempts get no row; anything else is a membership, even one that has
    // already ended (so that an older "active" event arriving later cannot revive it).
    if (status === "INCOMPLETE" || sub.status === "incomplete_expired") return;
    await startRow(sub.start_date ? fromUnix(sub.start_date) : at);
    return;
  }

  if (latest.endedAt) {
    if (latest.status === "CANCELED") return; // a canceled subscription never comes back
    if (ends) {
      await tx.subscription.update({ where: { id: latest.id }, data: { status, stripeUpdatedAt: at } });
      return;
    }
    if (status === "INCOMPLETE") return;
    await startRow(at); // unpaid, then paid again: a new period of membership
    return;
  }

  if (ends) {
    await tx.subscription.update({
      where: { id: latest.id },
      data: { ...state, tierId: latest.tierId, status, endedAt, pastDueSince: null },
    });
    // A cancellation at period end was confirmed when it was made; any other end is news.
    if (!latest.cancelAtPeriodEnd) {
      const reason = latest.status === "PAST_DUE" || status === "UNPAID" ? "payment" : "canceled";
      await notifyMembershipEnded(tx, member, await tx.tier.findUniqueOrThrow({ where: { id: latest.tierId } }), endedAt, reason);
    }
    return;
  }

  const changed = tier !== null && isPlanChange(latest, { tierId: tier.id, ...state });
  if (changed) {
    // A new tier or price: this row ends and the next one starts at the same instant.
    await tx.subscription.update({ where: { id: latest.id }, data: { status: "CANCELED", endedAt: at, stripeUpdatedAt: at, pastDueSince: null } });
    await tx.subscription.create({
      data: {
        ...state,
        userId: member.id,
        tierId: tier.id,
        stripeSubscriptionId: sub.id,
        startedAt: at,
        pastDueSince: status === "PAST_DUE" ? (latest.pastDueSince ?? at) : null,
      },
    });
    await notifyPlanChanged(tx, member, {
      from: await tx.tier.findUniqueOrThrow({ where: { id: latest.tierId } }),
      to: tier,
      amount: state.amount,
      currency: state.currency,
      interval: state.interval,
      renewsOn: state.cancelAtPeriodEnd ? null : state.currentPeriodEnd,
    });
    return;
  }

  const pastDueSince = status === "PAST_DUE" ? (latest.pastDueSince ?? at) : null;
  const row = await tx.subscription.update({
    where: { id: latest.id },
    data: { ...state, tierId: tier?.id ?? latest.tierId, pastDueSince },
  });
  if (status === "PAST_DUE" && latest.status !== "PAST_DUE") await enterPastDue(tx, member, row, pastDueSince!);
  if (state.cancelAtPeriodEnd && !latest.cancelAtPeriodEnd) {
    const accessEndsAt = sub.cancel_at ? fromUnix(sub.cancel_at) : state.currentPeriodEnd;
    await notifyCancellation(tx, member, await tx.tier.findUniqueOrThrow({ where: { id: row.tierId } }), accessEndsAt);
  }
}

/** Applies checkout.session.completed: links the customer and starts the membership if nothing else has. */
export async function applyCheckoutCompleted(tx: Tx, session: Stripe.Checkout.Session, at: Date): Promise<void> {
  if (session.mode !== "subscription") return;
  const member = await lockMember(tx, {
    customerId: idOf(session.customer),
    userId: session.client_reference_id ?? session.metadata?.userId,
  });
  const stripeSubscriptionId = idOf(session.subscription);
  if (!member || !stripeSubscriptionId) {
    log.warn("completed checkout for an unknown member", { sessionId: session.id });
    return;
  }
  // Paid later (bank debits): the subscription's own events will start the row.
  if (session.payment_status === "unpaid") return;
  if (await latestRow(tx, stripeSubscriptionId)) return;
  await startRowFromMetadata(tx, member, stripeSubscriptionId, session.metadata, at);
}

/** Applies invoice.payment_failed: the membership goes past due and its grace period starts. */
export async function applyPaymentFailed(tx: Tx, invoice: Stripe.Invoice, at: Date): Promise<void> {
  const { stripeSubscriptionId, metadata } = invoiceSubscriptionOf(invoice);
  if (!stripeSubscriptionId) return;
  const member = await lockMember(tx, { customerId: idOf(invoice.customer), userId: metadata?.userId });
  if (!member) return;
  const row = await latestRow(tx, stripeSubscriptionId);
  if (!row || row.endedAt) return;
  if (row.stripeUpdatedAt && at < row.stripeUpdatedAt) return;
  if (row.status !== "ACTIVE" && row.status !== "TRIALING") return;
  const updated = await tx.subscription.update({
    where: { id: row.id },
    data: { status: "PAST_DUE", pastDueSince: at, stripeUpdatedAt: at },
  });
  await enterPastDue(tx, member, updated, at);
}

/** A paid invoice ends a past-due period at once (Stripe's own "active" update may come later). */
export async function restoreAfterPayment(tx: Tx, row: Subscription, at: Date): Promise<void> {
  if (row.endedAt || row.status !== "PAST_DUE") return;
  if (row.stripeUpdatedAt && at < row.stripeUpdatedAt) return;
  await tx.subscription.update({ where: { id: row.id }, data: { status: "ACTIVE", pastDueSince: null, stripeUpdatedAt: at } });
}
