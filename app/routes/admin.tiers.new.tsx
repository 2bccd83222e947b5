import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { TierSchema } from "~/billing/schemas";
import { TierForm } from "~/billing/tier-form";
import { saveTier } from "~/billing/tiers.server";
import { isStripeTestMode } from "~/env.server";
import { metaTranslator, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.tiers.new") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  return { testMode: isStripeTestMode() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const submission = parseWithZod(await readForm(request), { schema: TierSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = await saveTier(submission.value, undefined, user.id);
  if (!saved.ok) {
    const { "": formErrors, ...fieldErrors } = saved.errors;
    return data(submission.reply({ formErrors, fieldErrors }), { status: formErrors ? 503 : 400 });
  }
  return redirect("/admin/tiers");
}

export default function NewTier() {
  const { testMode } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/tiers">{t("billing.tiers.title")}</Link>
      </p>
      <h1>{t("billing.tiers.new")}</h1>
      <TierForm lastResult={lastResult} testMode={testMode} editing={false} submitLabel={t("billing.tier.create")} />
    </div>
  );
}
