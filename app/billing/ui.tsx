import { useRouteLoaderData } from "@remix-run/react";
import type { BillingInterval, SubscriptionStatus } from "~/generated/prisma/enums";
import { formatDate, formatMoney, useLocale, useT, type Locale, type MessageKey } from "~/i18n/i18n";

/** Small pieces of billing's pages, shared by the member's and the owner's views. */

export function tierName(locale: Locale, tier: { nameEn: string; nameRu: string }): string {
  return locale === "ru" ? tier.nameRu : tier.nameEn;
}

/** A payment history line: a refund, a tier's membership, or a payment tied to no tier. */
export function paymentDescription(
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  locale: Locale,
  entry: { kind: string; tier: { nameEn: string; nameRu: string } | null },
): string {
  if (entry.kind === "REFUND") return t("billing.history.refund");
  return entry.tier ? t("billing.history.invoice", { tier: tierName(locale, entry.tier) }) : t("billing.history.membership");
}

export function tierDescription(locale: Locale, tier: { descriptionEn: string; descriptionRu: string }): string {
  return locale === "ru" ? tier.descriptionRu : tier.descriptionEn;
}

const STATUS_STYLE: Record<SubscriptionStatus, string> = {
  ACTIVE: "bg-green-100 text-green-900",
  TRIALING: "bg-green-100 text-green-900",
  COMPLIMENTARY: "bg-indigo-100 text-indigo-900",
  PAST_DUE: "bg-amber-100 text-amber-900",
  INCOMPLETE: "bg-stone-200 text-slate-900",
  UNPAID: "bg-red-100 text-red-900",
  CANCELED: "bg-stone-200 text-slate-900",
};

export function StatusBadge({ status }: { status: SubscriptionStatus }) {
  const t = useT();
  return <span className={`badge ${STATUS_STYLE[status]}`}>{t(`billing.status.${status}` as MessageKey)}</span>;
}

/** "€29.00 / month" */
export function PricePerInterval({ amount, currency, interval }: { amount: number; currency: string; interval: BillingInterval }) {
  const t = useT();
  const locale = useLocale();
  return <>{t(interval === "YEAR" ? "billing.perYear" : "billing.perMonth", { price: formatMoney(locale, amount, currency) })}</>;
}

/** Dates in the reader's language and the club's time zone. */
export function useFormatDate() {
  const locale = useLocale();
  const timeZone = useRouteLoaderData<{ timeZone: string }>("root")?.timeZone ?? "UTC";
  return (value: Date | string) => formatDate(locale, value, { dateStyle: "long" }, timeZone);
}

/** A clear label on every page that only exists in test mode. */
export function TestModeNotice({ children }: { children?: React.ReactNode }) {
  const t = useT();
  return (
    <div role="note" className="test-mode-notice">
      <p className="font-semibold">{t("billing.testMode.label")}</p>
      <p className="mt-1 text-sm">{children ?? t("billing.testMode.body")}</p>
    </div>
  );
}
