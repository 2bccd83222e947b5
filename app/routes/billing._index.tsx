import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { badRequest, forbidden, readForm, requireUser } from "~/auth/guards.server";
import { consumeRateLimit, tooManyRequests } from "~/auth/rate-limit.server";
import { openBillingPortal } from "~/billing/checkout.server";
import { billingOverview } from "~/billing/overview.server";
import { BILLING_REDIRECTS, newAttempt } from "~/billing/requests.server";
import { PaymentServiceUnavailable } from "~/billing/stripe.server";
import { TierPicker } from "~/billing/tier-picker";
import { paymentDescription, PricePerInterval, StatusBadge, TestModeNotice, tierName, useFormatDate } from "~/billing/ui";
import { translator } from "~/i18n/dictionary";
import { formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FormErrors } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, membership } = await requireUser(request);
  const overview = await billingOverview(user, membership);
  return data({ ...overview, attempt: newAttempt() }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "portal") throw badRequest();
  const limit = await consumeRateLimit(BILLING_REDIRECTS, [`user:${user.id}`]);
  if (limit.limited) throw tooManyRequests(limit, translator(user.locale)("error.429.body"));
  try {
    const result = await openBillingPortal(user, formData.get("customer")?.toString());
    if (!result.ok && result.reason === "not-yours") throw forbidden(translator(user.locale)("billing.portal.notYours"));
    if (!result.ok) return data({ error: "billing.portal.noCustomer" }, { status: 409 });
    return redirect(result.url);
  } catch (error) {
    if (error instanceof PaymentServiceUnavailable) return data({ error: "billing.unavailable" }, { status: 503 });
    throw error;
  }
}

function Membership() {
  const { holding, paid, complimentary, ended, canOpenPortal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const opening = navigation.state !== "idle" && navigation.formData?.get("intent") === "portal";
  return (
    <section aria-labelledby="membership" className="card space-y-4">
      <h2 id="membership">{t("billing.membership.title")}</h2>
      {holding ? (
        <p className="flex flex-wrap items-center gap-2 text-lg">
          <span>{t("billing.membership.holding", { tier: tierName(locale, holding.tier) })}</span>
          <StatusBadge status={holding.status} />
        </p>
      ) : (
        <p className="text-lg">{t("billing.membership.none")}</p>
      )}
      {paid ? (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
          <dt className="font-medium">{t("billing.membership.plan")}</dt>
          <dd>
            {tierName(locale, paid.tier)} ·{" "}
            {paid.interval ? <PricePerInterval amount={paid.amount} currency={paid.currency} interval={paid.interval} /> : null}
          </dd>
          <dt className="font-medium">{t("billing.membership.status")}</dt>
          <dd>
            <StatusBadge status={paid.status} />
          </dd>
          {paid.currentPeriodEnd ? (
            <>
              <dt className="font-medium">{paid.cancelAtPeriodEnd ? t("billing.membership.endsOn") : t("billing.membership.renewsOn")}</dt>
              <dd>{date(paid.currentPeriodEnd)}</dd>
            </>
          ) : null}
          <dt className="font-medium">{t("billing.membership.since")}</dt>
          <dd>{date(paid.startedAt)}</dd>
        </dl>
      ) : null}
      {paid?.cancelAtPeriodEnd && paid.currentPeriodEnd ? (
        <p className="text-slate-700">{t("billing.membership.canceledNote", { date: date(paid.currentPeriodEnd) })}</p>
      ) : null}
      {paid?.status === "PAST_DUE" ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {holding?.graceEndsAt
            ? t("billing.membership.pastDue", { date: date(holding.graceEndsAt) })
            : t("billing.membership.pastDueExpired")}
        </p>
      ) : null}
      {paid && paid.status !== "PAST_DUE" && !holding ? <p className="text-slate-700">{t("billing.membership.notHolding")}</p> : null}
      {complimentary ? (
        <p className="text-slate-700">
          {t("billing.membership.complimentary", { tier: tierName(locale, complimentary.tier), date: date(complimentary.startedAt) })}
          {!paid ? (
            <>
              {" "}
              <Link to="/billing/join">{t("billing.membership.choosePaid")}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {ended && !holding ? (
        <p className="text-slate-700">{t("billing.membership.ended", { tier: tierName(locale, ended.tier), date: date(ended.endedAt) })}</p>
      ) : null}
      {canOpenPortal ? (
        <Form method="post" className="space-y-2">
          <FormErrors id="portal-error" errors={actionData ? [actionData.error] : undefined} />
          <button type="submit" name="intent" value="portal" className="btn btn-primary" disabled={opening}>
            {t("billing.portal.open")}
          </button>
          <p className="help">{t("billing.portal.help")}</p>
        </Form>
      ) : null}
    </section>
  );
}

function PaymentHistory() {
  const { history } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  return (
    <section aria-labelledby="payments" className="card">
      <h2 id="payments">{t("billing.history.title")}</h2>
      {history.length ? (
        <div className="mt-4 overflow-x-auto">
          <table className="table">
            <caption className="sr-only">{t("billing.history.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("billing.history.date")}</th>
                <th scope="col">{t("billing.history.what")}</th>
                <th scope="col" className="text-right">
                  {t("billing.history.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {history.map((entry) => (
                <tr key={entry.id}>
                  <td>{date(entry.occurredAt)}</td>
                  <td>
                    {paymentDescription(t, locale, entry)}
                    {entry.periodStart && entry.periodEnd ? (
                      <span className="block text-slate-600">
                        {t("billing.history.period", { from: date(entry.periodStart), to: date(entry.periodEnd) })}
                      </span>
                    ) : null}
                  </td>
                  <td className="text-right tabular-nums">{formatMoney(locale, entry.amount, entry.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mt-2 text-slate-700">{t("billing.history.empty")}</p>
      )}
    </section>
  );
}

export default function Billing() {
  const { testMode, holding, paid, offers, attempt } = useLoaderData<typeof loader>();
  const t = useT();
  const [searchParams] = useSearchParams();
  const confirming = searchParams.get("checkout") === "complete" && !holding;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <h1>{t("billing.title")}</h1>
      {testMode ? <TestModeNotice /> : null}
      {searchParams.get("checkout") === "complete" && holding ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("billing.checkout.welcome")}
        </p>
      ) : null}
      {confirming ? (
        <p role="status" className="rounded-md border border-indigo-200 bg-indigo-50 p-3 text-indigo-950">
          {t("billing.checkout.confirming")} <Link to="/billing?checkout=complete">{t("billing.checkout.refresh")}</Link>
        </p>
      ) : null}
      <Membership />
      {!holding && !paid && offers.length ? (
        <section aria-labelledby="choose" className="space-y-4">
          <h2 id="choose">{t("billing.join.title")}</h2>
          <TierPicker tiers={offers} attempt={attempt} />
        </section>
      ) : null}
      <PaymentHistory />
    </div>
  );
}
