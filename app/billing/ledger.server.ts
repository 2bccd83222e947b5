import type Stripe from "stripe";
import { recordAudit } from "~/audit/audit.server";
import type { Tx } from "~/db.server";
import { db } from "~/db.server";
import type { Subscription, Tier } from "~/generated/prisma/client";
import { notifyReceipt, notifyWelcomeReceipt } from "./emails.server";
import { fromUnix, idOf, invoiceSubscriptionOf, latestRow, lockMember, restoreAfterPayment, startRowFromMetadata, tierForPrice } from "./subscriptions.server";

/**
 * The ledger: money actually received (INVOICE_PAID) or returned (REFUND, negative), in
 * minor units with its currency. LTV and MRR are computed from it (app/metrics/).
 */

/** Applies invoice.paid: records the payment once, and ends a past-due period. */
export async function recordInvoicePaid(tx: Tx, invoice: Stripe.Invoice, at: Date): Promise<void> {
  const { stripeSubscriptionId, metadata } = invoiceSubscriptionOf(invoice);
  const member = await lockMember(tx, { customerId: idOf(invoice.customer), userId: metadata?.userId });
  if (!member) return;

  let row = stripeSubscriptionId ? await latestRow(tx, stripeSubscriptionId) : null;
  if (!row && stripeSubscriptionId) {
    // The first invoice can arrive before the checkout and subscription events.
    row = await startRowFromMetadata(tx, member, stripeSubscriptionId, metadata, at);
  }
  if (row) await restoreAfterPayment(tx, row, at);

  if (!invoice.id || invoice.amount_paid <= 0) return;
  const already = await tx.ledgerEntry.findUnique({
    where: { kind_stripeInvoiceId: { kind: "INVOICE_PAID", stripeInvoiceId: invoice.id } },
  });
  if (already) return;
  const period = invoice.lines?.data?.[0]?.period;
  const paidAt = invoice.status_transitions?.paid_at;
  const entry = await tx.ledgerEntry.create({
    data: {
      kind: "INVOICE_PAID",
      userId: member.id,
      subscriptionId: row?.id ?? null,
      amount: invoice.amount_paid,
      currency: invoice.currency,
      periodStart: period?.start ? fromUnix(period.start) : invoice.period_start ? fromUnix(invoice.period_start) : null,
      periodEnd: period?.end ? fromUnix(period.end) : invoice.period_end ? fromUnix(invoice.period_end) : null,
      occurredAt: paidAt ? fromUnix(paidAt) : at,
      stripeInvoiceId: invoice.id,
    },
  });
  // The receipt goes out once per invoice: here, where its payment enters the ledger (a
  // second delivery of the event, or another event about the same invoice, stops above).
  const receipt = {
    tier: await invoiceTier(tx, invoice, row, metadata),
    amount: entry.amount,
    currency: entry.currency,
    paidAt: entry.occurredAt,
    periodStart: entry.periodStart,
    periodEnd: entry.periodEnd,
    invoiceId: invoice.number ?? invoice.id,
  };
  if (invoice.billing_reason === "subscription_create") await notifyWelcomeReceipt(tx, member, receipt);
  else await notifyReceipt(tx, member, receipt, invoice.billing_reason === "subscription_cycle" ? "renewal" : "payment");
}

/** The tier an invoice bills: the price of its first charged line, else its subscription's. */
async function invoiceTier(tx: Tx, invoice: Stripe.Invoice, row: Subscription | null, metadata: Record<string, string> | null): Promise<Tier | null> {
  const charged = invoice.lines?.data?.find((line) => line.amount > 0) ?? invoice.lines?.data?.[0];
  const older = charged as unknown as { price?: { id?: string } | null } | undefined;
  const priceId = idOf(charged?.pricing?.price_details?.price) ?? older?.price?.id ?? null;
  return tierForPrice(tx, priceId, row?.tierId ?? metadata?.tierId);
}

/**
 * Applies charge.refunded. The charge carries the total refunded so far; the ledger gets
 * what is new since the last refund it recorded for that charge.
 */
export async function recordRefund(tx: Tx, charge: Stripe.Charge, at: Date): Promise<void> {
  const member = await lockMember(tx, { customerId: idOf(charge.customer) });
  if (!member) return;
  const recorded = await tx.ledgerEntry.aggregate({
    where: { kind: "REFUND", stripeChargeId: charge.id },
    _sum: { amount: true },
  });
  const fresh = charge.amount_refunded + (recorded._sum.amount ?? 0);
  if (fresh <= 0) return;
  const entry = await tx.ledgerEntry.create({
    data: { kind: "REFUND", userId: member.id, amount: -fresh, currency: charge.currency, occurredAt: at, stripeChargeId: charge.id },
  });
  // Refunds are made in Stripe; the club sees them arrive, so no one here signed it (actor null).
  await recordAudit(tx, {
    actorId: null,
    action: "refund.recorded",
    subjectType: "User",
    subjectId: member.id,
    before: { refunded: charge.amount_refunded - fresh },
    after: { refunded: charge.amount_refunded, amount: fresh, currency: charge.currency, chargeId: charge.id, ledgerEntryId: entry.id },
  });
}

export type PaymentHistoryEntry = {
  id: string;
  kind: "INVOICE_PAID" | "REFUND";
  amount: number;
  currency: string;
  occurredAt: Date;
  periodStart: Date | null;
  periodEnd: Date | null;
  tier: { nameEn: string; nameRu: string } | null;
};

/** A member's payments and refunds, newest first. */
export async function paymentHistory(userId: string, take = 60): Promise<PaymentHistoryEntry[]> {
  const entries = await db.ledgerEntry.findMany({
    where: { userId },
    orderBy: { occurredAt: "desc" },
    take,
    include: { subscription: { select: { tier: { select: { nameEn: true, nameRu: true } } } } },
  });
  return entries.map((e) => ({
    id: e.id,
    kind: e.kind,
    amount: e.amount,
    currency: e.currency,
    occurredAt: e.occurredAt,
    periodStart: e.periodStart,
    periodEnd: e.periodEnd,
    tier: e.subscription?.tier ?? null,
  }));
}
