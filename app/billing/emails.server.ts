import type { BillingInterval, Tier, User } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import { translator } from "~/i18n/dictionary";
import { formatDate, formatMoney } from "~/i18n/format";

/** Billing's emails, written in the member's own language. */

async function clubTimeZone(tx: Tx): Promise<string> {
  const settings = await tx.clubSettings.findUnique({ where: { id: 1 }, select: { timeZone: true } });
  return settings?.timeZone ?? "UTC";
}

export async function notifyPaymentFailed(tx: Tx, member: User, graceEndsAt: Date): Promise<void> {
  const t = translator(member.locale);
  const date = formatDate(member.locale, graceEndsAt, { dateStyle: "long" }, await clubTimeZone(tx));
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: "billing-payment-failed",
      subject: t("billing.email.paymentFailed.subject"),
      text: t("billing.email.paymentFailed.body", { name: member.name, date }),
      action: { label: t("billing.email.paymentFailed.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

export async function notifyComplimentaryGranted(tx: Tx, member: User, tier: Tier): Promise<void> {
  const t = translator(member.locale);
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: "billing-complimentary",
      subject: t("billing.email.complimentary.subject"),
      text: t("billing.email.complimentary.body", { name: member.name, tier: member.locale === "ru" ? tier.nameRu : tier.nameEn }),
      action: { label: t("billing.email.complimentary.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

/** What a receipt says about one paid invoice. */
export type Receipt = {
  tier: Pick<Tier, "nameEn" | "nameRu"> | null;
  amount: number;
  currency: string;
  paidAt: Date;
  periodStart: Date | null;
  periodEnd: Date | null;
  invoiceId: string;
};

async function dates(tx: Tx, member: User) {
  const timeZone = await clubTimeZone(tx);
  return (value: Date) => formatDate(member.locale, value, { dateStyle: "long" }, timeZone);
}

function tierLabel(member: User, tier: Pick<Tier, "nameEn" | "nameRu"> | null): string {
  const t = translator(member.locale);
  if (!tier) return t("billing.history.membership");
  return t("billing.history.invoice", { tier: member.locale === "ru" ? tier.nameRu : tier.nameEn });
}

/** The receipt's lines: what, how much, when, which period, which invoice. */
async function receiptLines(tx: Tx, member: User, receipt: Receipt): Promise<string> {
  const t = translator(member.locale);
  const date = await dates(tx, member);
  const lines = [
    `${t("billing.email.receipt.item")}: ${tierLabel(member, receipt.tier)}`,
    `${t("billing.email.receipt.amount")}: ${formatMoney(member.locale, receipt.amount, receipt.currency)}`,
    `${t("billing.email.receipt.paidOn")}: ${date(receipt.paidAt)}`,
  ];
  if (receipt.periodStart && receipt.periodEnd) {
    lines.push(`${t("billing.email.receipt.period")}: ${t("billing.history.period", { from: date(receipt.periodStart), to: date(receipt.periodEnd) })}`);
  }
  lines.push(`${t("billing.email.receipt.invoice")}: ${receipt.invoiceId}`);
  return lines.join("\n");
}

/**
 * The first invoice of a new subscription is paid: welcome to the club, with the receipt.
 * Called once per invoice, when its payment enters the ledger (ledger.server.ts).
 */
export async function notifyWelcomeReceipt(tx: Tx, member: User, receipt: Receipt): Promise<void> {
  const t = translator(member.locale);
  const tier = receipt.tier ? (member.locale === "ru" ? receipt.tier.nameRu : receipt.tier.nameEn) : "";
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: "billing-welcome",
      subject: t("billing.email.welcome.subject"),
      text: `${t(receipt.tier ? "billing.email.welcome.body" : "billing.email.welcome.bodyNoTier", { name: member.name, tier })}\n\n${await receiptLines(tx, member, receipt)}`,
      action: { label: t("billing.email.receipt.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

/** Any later paid invoice (a renewal, or what a plan change bills at once): a receipt. */
export async function notifyReceipt(tx: Tx, member: User, receipt: Receipt, kind: "renewal" | "payment"): Promise<void> {
  const t = translator(member.locale);
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: kind === "renewal" ? "billing-renewal-receipt" : "billing-receipt",
      subject: t(kind === "renewal" ? "billing.email.renewal.subject" : "billing.email.receipt.subject"),
      text: `${t(kind === "renewal" ? "billing.email.renewal.body" : "billing.email.receipt.body", { name: member.name })}\n\n${await receiptLines(tx, member, receipt)}`,
      action: { label: t("billing.email.receipt.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

/** A change of tier, interval or price took effect (the old row ended, a new one started). */
export async function notifyPlanChanged(
  tx: Tx,
  member: User,
  change: {
    from: Pick<Tier, "nameEn" | "nameRu">;
    to: Pick<Tier, "nameEn" | "nameRu">;
    amount: number;
    currency: string;
    interval: BillingInterval;
    renewsOn: Date | null;
  },
): Promise<void> {
  const t = translator(member.locale);
  const date = await dates(tx, member);
  const name = (tier: Pick<Tier, "nameEn" | "nameRu">) => (member.locale === "ru" ? tier.nameRu : tier.nameEn);
  const price = t(change.interval === "YEAR" ? "billing.perYear" : "billing.perMonth", { price: formatMoney(member.locale, change.amount, change.currency) });
  const paragraphs = [t("billing.email.planChanged.body", { name: member.name, from: name(change.from), to: name(change.to), price })];
  if (change.renewsOn) paragraphs.push(t("billing.email.planChanged.renews", { date: date(change.renewsOn) }));
  paragraphs.push(t("billing.email.planChanged.invoice"));
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: "billing-plan-changed",
      subject: t("billing.email.planChanged.subject", { tier: name(change.to) }),
      text: paragraphs.join("\n\n"),
      action: { label: t("billing.email.receipt.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

/** The member cancelled at the end of the period: confirmed, with the day access ends. */
export async function notifyCancellation(tx: Tx, member: User, tier: Pick<Tier, "nameEn" | "nameRu">, accessEndsAt: Date | null): Promise<void> {
  const t = translator(member.locale);
  const date = await dates(tx, member);
  const name = member.locale === "ru" ? tier.nameRu : tier.nameEn;
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: "billing-canceled",
      subject: t("billing.email.canceled.subject"),
      text: accessEndsAt
        ? t("billing.email.canceled.body", { name: member.name, tier: name, date: date(accessEndsAt) })
        : t("billing.email.canceled.bodyNoDate", { name: member.name, tier: name }),
      action: { label: t("billing.email.canceled.action"), url: `${env().APP_URL}/billing` },
    },
    tx,
  );
}

/**
 * A membership ended without a cancellation scheduled before (cancelled at once, or the
 * payment could not be collected after the grace period): access ended on that day.
 */
export async function notifyMembershipEnded(
  tx: Tx,
  member: User,
  tier: Pick<Tier, "nameEn" | "nameRu">,
  endedAt: Date,
  reason: "payment" | "canceled",
): Promise<void> {
  const t = translator(member.locale);
  const date = await dates(tx, member);
  const name = member.locale === "ru" ? tier.nameRu : tier.nameEn;
  await queueEmail(
    {
      to: member.email,
      userId: member.id,
      locale: member.locale,
      template: reason === "payment" ? "billing-ended-unpaid" : "billing-ended",
      subject: t("billing.email.ended.subject"),
      text: t(reason === "payment" ? "billing.email.ended.unpaid" : "billing.email.ended.canceled", { name: member.name, tier: name, date: date(endedAt) }),
      action: { label: t("billing.email.ended.action"), url: `${env().APP_URL}/billing/join` },
    },
    tx,
  );
}
