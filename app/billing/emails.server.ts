import type { Tier, User } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import { translator } from "~/i18n/dictionary";
import { formatDate } from "~/i18n/format";

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
