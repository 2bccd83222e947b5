import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUser } from "~/auth/guards.server";
import { InvoiceStatusBadge } from "~/billing/invoice-ui";
import { assertTestMode, testPortalInvoice } from "~/billing/test-mode.server";
import { TestModeNotice, tierName, useFormatDate } from "~/billing/ui";
import { formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { withoutNul } from "~/ui/visible-text";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  { title: metaTranslator(matches).t("billing.invoices.detailTitle", { id: data?.invoice.id ?? "" }) },
];

/** Billing's test mode only: one of the member's invoices, as the Stripe Billing Portal shows it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const invoice = await testPortalInvoice(user.id, withoutNul(params.invoiceId ?? "").slice(0, 100));
  if (!invoice) throw notFound();
  return data({ invoice }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function TestInvoice() {
  const { invoice } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const lineText = (line: (typeof invoice.lines)[number]) => {
    if (!line.tier) return t("billing.invoices.line.membership");
    const tier = tierName(locale, line.tier);
    return t(line.kind === "credit" ? "billing.invoices.line.credit" : line.kind === "remaining" ? "billing.invoices.line.remaining" : "billing.invoices.line.period", { tier });
  };
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <TestModeNotice />
      <h1 className="wrap-anywhere">{t("billing.invoices.detailTitle", { id: invoice.id })}</h1>
      <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-medium">{t("billing.invoices.status")}</dt>
        <dd>
          <InvoiceStatusBadge status={invoice.status} />
        </dd>
        <dt className="font-medium">{t("billing.invoices.issued")}</dt>
        <dd>{date(invoice.createdAt)}</dd>
        {invoice.paidAt && invoice.status === "PAID" ? (
          <>
            <dt className="font-medium">{t("billing.invoices.paidOn")}</dt>
            <dd>{date(invoice.paidAt)}</dd>
          </>
        ) : null}
        {invoice.periodStart && invoice.periodEnd ? (
          <>
            <dt className="font-medium">{t("billing.invoices.period")}</dt>
            <dd>{t("billing.history.period", { from: date(invoice.periodStart), to: date(invoice.periodEnd) })}</dd>
          </>
        ) : null}
        <dt className="font-medium">{t("billing.invoices.amount")}</dt>
        <dd className="tabular-nums">{formatMoney(locale, invoice.amount, invoice.currency)}</dd>
      </dl>
      <section className="card">
        <h2 id="lines">{t("billing.invoices.lines")}</h2>
        <div className="mt-4 overflow-x-auto" role="region" aria-labelledby="lines" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("billing.invoices.description")}</th>
                <th scope="col">{t("billing.invoices.period")}</th>
                <th scope="col" className="text-right">
                  {t("billing.invoices.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line, index) => (
                <tr key={index}>
                  <td>{lineText(line)}</td>
                  <td>{t("billing.history.period", { from: date(line.periodStart), to: date(line.periodEnd) })}</td>
                  <td className="text-right tabular-nums">{formatMoney(locale, line.amount, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t("billing.invoices.total")}
                </th>
                <td className="text-right font-semibold tabular-nums">{formatMoney(locale, invoice.amount, invoice.currency)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        {!invoice.detailed ? <p className="mt-3 text-sm text-slate-700">{t("billing.invoices.fromRecords")}</p> : null}
      </section>
      <p className="text-sm text-slate-700">{t("billing.invoices.print")}</p>
      <p>
        <Link to="/billing/test-portal">{t("billing.invoices.back")}</Link>
      </p>
    </div>
  );
}
