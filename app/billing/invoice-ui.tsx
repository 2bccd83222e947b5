import { useT } from "~/i18n/i18n";

/** An invoice's state as the test billing portal shows it (Stripe's paid, open, uncollectible). */
const STYLE = {
  PAID: "bg-green-100 text-green-900",
  OPEN: "bg-amber-100 text-amber-900",
  UNCOLLECTIBLE: "bg-red-100 text-red-900",
} as const;

export function InvoiceStatusBadge({ status }: { status: keyof typeof STYLE }) {
  const t = useT();
  return <span className={`badge ${STYLE[status]}`}>{t(`billing.invoices.status.${status}`)}</span>;
}
