import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readForm, requireUser } from "~/auth/guards.server";
import { TestCardSchema, TestPortalSchema } from "~/billing/schemas";
import { assertTestMode, defaultTestCard, runTestPortal, testPortalInvoices, testPortalSubscription } from "~/billing/test-mode.server";
import { tierOffers } from "~/billing/tiers.server";
import { PricePerInterval, StatusBadge, TestModeNotice, tierName, useFormatDate } from "~/billing/ui";
import { formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { InvoiceStatusBadge } from "~/billing/invoice-ui";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.testPortal.title") }];

/** Billing's test mode only: stands in for the Stripe Billing Portal (see app/billing/test-mode.server.ts). */
export async function loader({ request }: LoaderFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const row = await testPortalSubscription(user.id);
  if (!row) throw redirect("/billing");
  return {
    current: {
      tierId: row.tierId,
      tier: { nameEn: row.tier.nameEn, nameRu: row.tier.nameRu },
      interval: row.interval ?? "MONTH",
      amount: row.amount,
      currency: row.currency,
      status: row.status,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      currentPeriodEnd: row.currentPeriodEnd,
    },
    offers: await tierOffers(),
    invoices: await testPortalInvoices(user.id),
    card: await defaultTestCard(user.id),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: TestPortalSchema });
  // A card's number and code are never sent back to the page.
  const hideFields = ["number", "cvc"];
  if (submission.status !== "success") return data(submission.reply({ hideFields }), { status: 400 });
  const result = await runTestPortal(user, submission.value);
  if (result.ok) return redirect(submission.value.intent === "update-card" ? "/billing/test-portal?card=saved" : "/billing");
  if (result.field) return data(submission.reply({ fieldErrors: { [result.field]: [result.error] }, hideFields }), { status: 409 });
  return data(submission.reply({ formErrors: [result.error], hideFields }), { status: 409 });
}

function intentOf(result: { initialValue?: Record<string, unknown> | null } | undefined): unknown {
  return result?.initialValue?.intent;
}

function Invoices() {
  const { invoices } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const payError = intentOf(lastResult) === "pay-invoice" ? (lastResult?.error?.invoiceId ?? lastResult?.error?.[""]) : undefined;
  return (
    // Not a landmark of its own: the scrolling table below is the labelled region.
    <section className="card space-y-3">
      <h2 id="invoices">{t("billing.invoices.title")}</h2>
      <FormErrors id="pay-error" errors={payError ?? undefined} />
      {invoices.length ? (
        <div className="overflow-x-auto" role="region" aria-labelledby="invoices" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("billing.invoices.date")}</th>
                <th scope="col">{t("billing.invoices.for")}</th>
                <th scope="col">{t("billing.invoices.period")}</th>
                <th scope="col" className="text-right">
                  {t("billing.invoices.amount")}
                </th>
                <th scope="col">{t("billing.invoices.status")}</th>
                <th scope="col">{t("billing.invoices.number")}</th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr key={invoice.id}>
                  <td>{date(invoice.createdAt)}</td>
                  <td>{invoice.tier ? t("billing.invoices.line.period", { tier: tierName(locale, invoice.tier) }) : t("billing.invoices.line.membership")}</td>
                  <td>{invoice.periodStart && invoice.periodEnd ? t("billing.history.period", { from: date(invoice.periodStart), to: date(invoice.periodEnd) }) : "—"}</td>
                  <td className="text-right tabular-nums">{formatMoney(locale, invoice.amount, invoice.currency)}</td>
                  <td>
                    <InvoiceStatusBadge status={invoice.status} />
                  </td>
                  <td className="space-y-1">
                    <Link to={`/billing/test-portal/invoices/${invoice.id}`} aria-label={t("billing.invoices.view", { id: invoice.id })}>
                      {t("billing.invoices.viewShort")}
                    </Link>
                    {invoice.status === "OPEN" ? (
                      <Form method="post">
                        <input type="hidden" name="invoiceId" value={invoice.id} />
                        <button type="submit" name="intent" value="pay-invoice" className="btn btn-primary" aria-label={t("billing.invoices.payNamed", { id: invoice.id })}>
                          {t("billing.invoices.pay")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-slate-700">{t("billing.invoices.empty")}</p>
      )}
    </section>
  );
}

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover" };

function PaymentMethod() {
  const { card } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const lastResult = intentOf(actionData) === "update-card" ? actionData : undefined;
  const [form, fields] = useForm({
    id: "update-card",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TestCardSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <section aria-labelledby="payment-method" className="card space-y-3">
      <h2 id="payment-method">{t("billing.card.title")}</h2>
      <p data-testid="default-card">
        {card
          ? t("billing.card.current", {
              brand: BRANDS[card.brand] ?? card.brand,
              last4: card.last4,
              month: String(card.expMonth).padStart(2, "0"),
              year: String(card.expYear),
            })
          : t("billing.card.none")}
      </p>
      {searchParams.get("card") === "saved" && !lastResult ? (
        <p role="status" className="text-sm text-green-800">
          {t("billing.card.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-3" aria-labelledby="update-card-title">
        <h3 id="update-card-title">{t("billing.card.update")}</h3>
        <p className="help">{t("billing.card.help")}</p>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="update-card" />
        <TextField field={fields.number} label={t("billing.card.number")} autoComplete="cc-number" inputProps={{ inputMode: "numeric" }} />
        <TextField field={fields.expiry} label={t("billing.card.expiry")} autoComplete="cc-exp" />
        <TextField field={fields.cvc} label={t("billing.card.cvc")} autoComplete="cc-csc" inputProps={{ inputMode: "numeric" }} />
        <button type="submit" className="btn btn-primary">
          {t("billing.card.save")}
        </button>
      </Form>
    </section>
  );
}

export default function TestPortal() {
  const { current, offers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = intentOf(actionData) === "update-card" || intentOf(actionData) === "pay-invoice" ? undefined : actionData;
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const [form, fields] = useForm({
    id: "change-plan",
    lastResult,
    defaultValue: { intent: "change-plan", tierId: current.tierId, interval: current.interval },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TestPortalSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <TestModeNotice>{t("billing.testPortal.notice")}</TestModeNotice>
      <h1>{t("billing.testPortal.title")}</h1>
      <section aria-labelledby="current-plan" className="card space-y-2">
        <h2 id="current-plan">{t("billing.testPortal.current")}</h2>
        <p className="flex flex-wrap items-center gap-2">
          <span>
            {tierName(locale, current.tier)} · <PricePerInterval amount={current.amount} currency={current.currency} interval={current.interval} />
          </span>
          <StatusBadge status={current.status} />
        </p>
        {current.currentPeriodEnd ? (
          <p className="text-slate-700">
            {current.cancelAtPeriodEnd
              ? t("billing.membership.canceledNote", { date: date(current.currentPeriodEnd) })
              : `${t("billing.membership.renewsOn")}: ${date(current.currentPeriodEnd)}`}
          </p>
        ) : null}
      </section>

      <Form method="post" {...getFormProps(form)} className="card space-y-4" aria-labelledby="change-plan-title">
        <h2 id="change-plan-title">{t("billing.testPortal.changePlan")}</h2>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="change-plan" />
        <div className="field">
          <label htmlFor={fields.tierId.id} className="label">
            {t("billing.testCheckout.tier")}
          </label>
          <select {...getSelectProps(fields.tierId)} key={fields.tierId.key} className="input">
            {offers.map((offer) => (
              <option key={offer.id} value={offer.id}>
                {tierName(locale, offer)}
                {offer.prices.MONTH !== null ? ` · ${formatMoney(locale, offer.prices.MONTH, offer.currency)}` : ""}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.tierId.errorId} errors={fields.tierId.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.interval.id} className="label">
            {t("billing.join.intervalLegend")}
          </label>
          <select {...getSelectProps(fields.interval)} key={fields.interval.key} className="input">
            <option value="MONTH">{t("billing.interval.MONTH")}</option>
            <option value="YEAR">{t("billing.interval.YEAR")}</option>
          </select>
          <FieldErrors id={fields.interval.errorId} errors={fields.interval.errors} />
        </div>
        <button type="submit" className="btn btn-primary">
          {t("billing.testPortal.switch")}
        </button>
      </Form>

      <Invoices />

      <PaymentMethod />

      <section aria-labelledby="cancellation" className="card space-y-3">
        <h2 id="cancellation">{t("billing.testPortal.cancellation")}</h2>
        <Form method="post">
          {current.cancelAtPeriodEnd ? (
            <button type="submit" name="intent" value="resume" className="btn btn-secondary">
              {t("billing.testPortal.resume")}
            </button>
          ) : (
            <button type="submit" name="intent" value="cancel-at-period-end" className="btn btn-danger">
              {t("billing.testPortal.cancel")}
            </button>
          )}
        </Form>
      </section>

      <section aria-labelledby="simulate" className="card space-y-3">
        <h2 id="simulate">{t("billing.testPortal.simulate")}</h2>
        <p className="text-sm text-slate-700">{t("billing.testPortal.simulateHelp")}</p>
        <Form method="post" className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="simulate-period-end" className="btn btn-secondary">
            {t("billing.testPortal.periodEnd")}
          </button>
          <button type="submit" name="intent" value="simulate-failed-payment" className="btn btn-secondary">
            {t("billing.testPortal.failedPayment")}
          </button>
        </Form>
      </section>

      <p>
        <Link to="/billing">{t("billing.testPortal.back")}</Link>
      </p>
    </div>
  );
}
