import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { badRequest, notFound, readForm, requireUser } from "~/auth/guards.server";
import { assertTestMode, findTestCheckout, payTestCheckout } from "~/billing/test-mode.server";
import { PricePerInterval, TestModeNotice, tierName } from "~/billing/ui";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FormErrors } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.testCheckout.title") }];

/** Billing's test mode only: stands in for Stripe Checkout (see app/billing/test-mode.server.ts). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const session = await findTestCheckout(params.sessionId ?? "", user.id);
  if (!session) throw notFound();
  if (session.completedAt) throw redirect("/billing?checkout=complete");
  if (session.expiredAt) throw redirect("/billing/join?checkout=replaced");
  return {
    id: session.id,
    tier: { nameEn: session.tier.nameEn, nameRu: session.tier.nameRu },
    interval: session.interval,
    amount: session.amount,
    currency: session.currency,
    email: user.email,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertTestMode();
  const { user } = await requireUser(request);
  const intent = (await readForm(request)).get("intent");
  if (intent === "cancel") {
    if (!(await findTestCheckout(params.sessionId ?? "", user.id))) throw notFound();
    return redirect("/billing/join?checkout=canceled");
  }
  if (intent !== "pay") throw badRequest();
  const result = await payTestCheckout(params.sessionId ?? "", user);
  if (!result.ok && result.reason === "not-found") throw notFound();
  if (!result.ok && result.reason === "replaced") return redirect("/billing/join?checkout=replaced");
  if (!result.ok) return data({ error: "billing.join.alreadyMember" }, { status: 409 });
  return redirect("/billing?checkout=complete");
}

export default function TestCheckout() {
  const session = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <TestModeNotice>{t("billing.testCheckout.notice")}</TestModeNotice>
      <h1>{t("billing.testCheckout.title")}</h1>
      <section aria-labelledby="order" className="card space-y-3">
        <h2 id="order">{t("billing.testCheckout.order")}</h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
          <dt className="font-medium">{t("billing.testCheckout.tier")}</dt>
          <dd>{tierName(locale, session.tier)}</dd>
          <dt className="font-medium">{t("billing.testCheckout.price")}</dt>
          <dd>
            <PricePerInterval amount={session.amount} currency={session.currency} interval={session.interval} />
          </dd>
          <dt className="font-medium">{t("login.email")}</dt>
          <dd>{session.email}</dd>
        </dl>
        <FormErrors id="pay-error" errors={actionData ? [actionData.error] : undefined} />
        <Form method="post" className="flex flex-wrap gap-3 pt-2">
          <button type="submit" name="intent" value="pay" className="btn btn-primary" disabled={navigation.state !== "idle"}>
            {t("billing.testCheckout.pay")}
          </button>
          <button type="submit" name="intent" value="cancel" className="btn btn-secondary">
            {t("billing.testCheckout.cancel")}
          </button>
        </Form>
      </section>
    </div>
  );
}
