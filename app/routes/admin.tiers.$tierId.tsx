import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, readForm, requireRole } from "~/auth/guards.server";
import { TierSchema } from "~/billing/schemas";
import { TierForm } from "~/billing/tier-form";
import { findTier, listTiers, saveTier, tierFormValues } from "~/billing/tiers.server";
import { tierName } from "~/billing/ui";
import { isStripeTestMode } from "~/env.server";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t, locale } = metaTranslator(matches);
  return [{ title: data ? t("billing.tiers.editTitle", { name: tierName(locale, data.tier) }) : t("billing.tiers.title") }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const tier = (await listTiers()).find((t) => t.id === params.tierId);
  if (!tier) throw notFound();
  return {
    tier: { id: tier.id, nameEn: tier.nameEn, nameRu: tier.nameRu, members: tier.members, forumCategories: tier.forumCategories },
    values: tierFormValues(tier),
    testMode: isStripeTestMode(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const tier = await findTier(params.tierId ?? "");
  if (!tier) throw notFound();
  const formData = await readForm(request);
  // The slug names the tier for good; the form shows it read-only.
  formData.set("slug", tier.slug);
  const submission = parseWithZod(formData, { schema: TierSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = await saveTier(submission.value, tier.id, user.id);
  if (!saved.ok) {
    const { "": formErrors, ...fieldErrors } = saved.errors;
    return data(submission.reply({ formErrors, fieldErrors }), { status: formErrors ? 503 : 400 });
  }
  return redirect("/admin/tiers");
}

export default function EditTier() {
  const { tier, values, testMode } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/tiers">{t("billing.tiers.title")}</Link>
      </p>
      <h1>{t("billing.tiers.editTitle", { name: tierName(locale, tier) })}</h1>
      <p className="text-slate-700">{t("billing.tiers.membersNow", { count: tier.members })}</p>
      <section aria-labelledby="forum-access" className="card">
        <h2 id="forum-access">{t("billing.tiers.forum")}</h2>
        <p className="mt-2">
          {tier.forumCategories.length ? tier.forumCategories.map((c) => tierName(locale, c)).join(", ") : t("billing.tiers.noForum")}
        </p>
        <p className="help">
          {t("billing.tiers.forumNote")} <Link to="/admin/forum">{t("admin.forum")}</Link>
        </p>
      </section>
      <TierForm defaultValue={values} lastResult={lastResult} testMode={testMode} editing submitLabel={t("billing.tier.save")} />
    </div>
  );
}
