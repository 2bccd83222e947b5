import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireUser } from "~/auth/guards.server";
import { TestPortalSchema } from "~/billing/schemas";
import { assertTestMode, runTestPortal, testPortalSubscription } from "~/billing/test-mode.server";
import { tierOffers } from "~/billing/tiers.server";
import { PricePerInterval, StatusBadge, TestModeNotice, tierName, useFormatDate } from "~/billing/ui";
import { formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, FormErrors } from "~/ui/form";

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
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: TestPortalSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await runTestPortal(user, submission.value);
  if (result.ok) return redirect("/billing");
  if (result.field) return data(submission.reply({ fieldErrors: { [result.field]: [result.error] } }), { status: 409 });
  return data(submission.reply({ formErrors: [result.error] }), { status: 409 });
}

export default function TestPortal() {
  const { current, offers } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
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
