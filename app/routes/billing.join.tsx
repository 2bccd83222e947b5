import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readForm, requireUser } from "~/auth/guards.server";
import { consumeRateLimit, tooManyRequests } from "~/auth/rate-limit.server";
import { openStripeSubscription, startCheckout } from "~/billing/checkout.server";
import { BILLING_REDIRECTS, newAttempt } from "~/billing/requests.server";
import { CheckoutSchema } from "~/billing/schemas";
import { PaymentServiceUnavailable } from "~/billing/stripe.server";
import { TierPicker } from "~/billing/tier-picker";
import { tierOffers } from "~/billing/tiers.server";
import { TestModeNotice, tierName } from "~/billing/ui";
import { isStripeTestMode } from "~/env.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.join.title") }];

/** Where a new member lands after setting their password (admission), and where joining starts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, membership } = await requireUser(request);
  if (await openStripeSubscription(user.id)) throw redirect("/billing");
  const offers = await tierOffers();
  const wanted = new URL(request.url).searchParams.get("tier");
  return data(
    {
      name: user.name,
      offers,
      attempt: newAttempt(),
      defaultTierId: offers.find((o) => o.slug === wanted)?.id ?? null,
      complimentary: membership?.subscription.status === "COMPLIMENTARY" ? membership.tier : null,
      testMode: isStripeTestMode(),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: CheckoutSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await consumeRateLimit(BILLING_REDIRECTS, [`user:${user.id}`]);
  if (limit.limited) throw tooManyRequests(limit, translator(user.locale)("error.429.body"));
  try {
    const result = await startCheckout(user, submission.value);
    if (result.ok) return redirect(result.url);
    if (result.field) return data(submission.reply({ fieldErrors: { [result.field]: [result.error] } }), { status: 409 });
    return data(submission.reply({ formErrors: [result.error] }), { status: 409 });
  } catch (error) {
    // Nothing was started: the member tries again with the same form (and the same key).
    if (error instanceof PaymentServiceUnavailable) return data(submission.reply({ formErrors: ["billing.unavailable"] }), { status: 503 });
    throw error;
  }
}

const CHECKOUT_NOTICES: Record<string, "billing.join.canceled" | "billing.join.replaced" | undefined> = {
  canceled: "billing.join.canceled",
  replaced: "billing.join.replaced",
};

export default function Join() {
  const { name, offers, attempt, defaultTierId, complimentary, testMode } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // Back from a checkout that was cancelled, or replaced by a newer one.
  const checkoutNotice = CHECKOUT_NOTICES[searchParams.get("checkout") ?? ""];
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <h1>{t("billing.join.title")}</h1>
      <p className="text-lg text-slate-700">{t("billing.join.intro", { name })}</p>
      {testMode ? <TestModeNotice /> : null}
      {checkoutNotice ? (
        <p role="status" className="rounded-md border border-stone-300 bg-white p-3">
          {t(checkoutNotice)}
        </p>
      ) : null}
      {complimentary ? <p className="text-slate-700">{t("billing.join.complimentary", { tier: tierName(locale, complimentary) })}</p> : null}
      {offers.length ? (
        <TierPicker tiers={offers} attempt={attempt} lastResult={lastResult} defaultTierId={defaultTierId} />
      ) : (
        <p>{t("billing.join.noTiers")}</p>
      )}
      <p className="text-sm">
        <Link to="/billing">{t("billing.join.back")}</Link>
      </p>
    </div>
  );
}
