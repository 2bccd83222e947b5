import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { badRequest, notFound, readForm, requireRole } from "~/auth/guards.server";
import { BillingSettingsSchema } from "~/billing/schemas";
import { findTier, listTiers, setPastDueGraceDays, setTierArchived } from "~/billing/tiers.server";
import { tierName } from "~/billing/ui";
import { getClubSettings } from "~/club.server";
import { isStripeTestMode } from "~/env.server";
import { formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, TextField } from "~/ui/form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("billing.tiers.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const [tiers, club] = await Promise.all([listTiers(), getClubSettings()]);
  return { tiers, testMode: isStripeTestMode(), pastDueGraceDays: club.pastDueGraceDays };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "settings") {
    const submission = parseWithZod(formData, { schema: BillingSettingsSchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await setPastDueGraceDays(submission.value.pastDueGraceDays, user.id);
    return submission.reply();
  }
  if (intent !== "archive" && intent !== "restore") throw badRequest();
  const tier = await findTier(String(formData.get("tierId") ?? ""));
  if (!tier) throw notFound();
  await setTierArchived(tier.id, intent === "archive", user.id);
  return null;
}

function BillingSettings() {
  const { pastDueGraceDays } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useForm({
    id: "billing-settings",
    lastResult,
    defaultValue: { pastDueGraceDays: String(pastDueGraceDays) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BillingSettingsSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card max-w-xl" aria-labelledby="billing-settings-title">
      <h2 id="billing-settings-title" className="mb-4">
        {t("billing.settings.title")}
      </h2>
      <input type="hidden" name="intent" value="settings" />
      <TextField field={fields.pastDueGraceDays} label={t("billing.settings.graceDays")} type="number" help={t("billing.settings.graceDaysHelp")} />
      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary">
          {t("billing.settings.save")}
        </button>
        {lastResult?.status === "success" ? (
          <p role="status" className="text-sm text-green-800">
            {t("account.saved")}
          </p>
        ) : null}
      </div>
    </Form>
  );
}

export default function Tiers() {
  const { tiers, testMode } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const price = (amount: number | null, currency: string, priceId: string | null) =>
    amount === null ? "—" : `${formatMoney(locale, amount, currency)}${priceId ? "" : testMode ? ` (${t("billing.tier.noPriceId")})` : ""}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1>{t("billing.tiers.title")}</h1>
        <Link to="/admin/tiers/new" className="btn btn-primary">
          {t("billing.tiers.new")}
        </Link>
      </div>
      <p className="text-slate-700">{t("billing.tiers.intro")}</p>
      <div className="overflow-x-auto">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("billing.tiers.tier")}</th>
              <th scope="col">{t("billing.tiers.monthly")}</th>
              <th scope="col">{t("billing.tiers.yearly")}</th>
              <th scope="col">{t("billing.tiers.forum")}</th>
              <th scope="col">{t("billing.tiers.vote")}</th>
              <th scope="col">{t("billing.tier.referralQuota")}</th>
              <th scope="col">{t("billing.tiers.members")}</th>
              <th scope="col">
                <span className="sr-only">{t("billing.tiers.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((tier) => (
              <tr key={tier.id}>
                <th scope="row" className="font-semibold">
                  <Link to={`/admin/tiers/${tier.id}`}>{tierName(locale, tier)}</Link>
                  {tier.archivedAt ? <span className="badge ml-2 bg-stone-200 text-slate-900">{t("billing.tiers.archived")}</span> : null}
                  <span className="block text-xs font-normal text-slate-600">{tier.slug}</span>
                </th>
                <td>{price(tier.monthlyAmount, tier.currency, tier.stripeMonthlyPriceId)}</td>
                <td>{price(tier.yearlyAmount, tier.currency, tier.stripeYearlyPriceId)}</td>
                <td>{tier.forumCategories.length ? tier.forumCategories.map((c) => tierName(locale, c)).join(", ") : t("billing.tiers.noForum")}</td>
                <td>{tier.canVote ? t("billing.tiers.voteWeight", { weight: tier.voteWeight }) : t("billing.tiers.noVote")}</td>
                <td>{tier.referralQuota}</td>
                <td>{tier.members}</td>
                <td>
                  <div className="flex flex-wrap gap-2">
                    <Link to={`/admin/tiers/${tier.id}`} className="btn btn-secondary" aria-label={t("billing.tiers.editNamed", { name: tierName(locale, tier) })}>
                      {t("billing.tiers.edit")}
                    </Link>
                    <Form method="post">
                      <input type="hidden" name="tierId" value={tier.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={tier.archivedAt ? "restore" : "archive"}
                        className="btn btn-secondary"
                        aria-label={t(tier.archivedAt ? "billing.tiers.restoreNamed" : "billing.tiers.archiveNamed", { name: tierName(locale, tier) })}
                      >
                        {t(tier.archivedAt ? "billing.tiers.restore" : "billing.tiers.archive")}
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="help">{t("billing.tiers.forumNote")}</p>
      <BillingSettings />
    </div>
  );
}
