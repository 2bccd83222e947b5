import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, FormErrors } from "~/ui/form";
import { CheckoutSchema } from "./schemas";
import { PricePerInterval, tierDescription, tierName } from "./ui";

/** What a tier picker shows of a tier (TierOffer from tiers.server.ts, as the loader sends it). */
export type PickerTier = {
  id: string;
  slug: string;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  currency: string;
  prices: { MONTH: number | null; YEAR: number | null };
  canVote: boolean;
  voteWeight: number;
  referralQuota: number;
  forumCategories: Array<{ nameEn: string; nameRu: string }>;
};

function Includes({ tier }: { tier: PickerTier }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
      {tier.forumCategories.length ? (
        <li>{t("billing.includes.forum", { categories: tier.forumCategories.map((c) => tierName(locale, c)).join(", ") })}</li>
      ) : null}
      <li>{tier.canVote ? t("billing.includes.vote", { weight: tier.voteWeight }) : t("billing.includes.noVote")}</li>
      {tier.referralQuota > 0 ? <li>{t("billing.includes.vouch", { count: tier.referralQuota })}</li> : null}
    </ul>
  );
}

/**
 * The choice of tier and billing period, which starts a checkout. It always posts to
 * /billing/join, whose action answers errors next to the fields.
 */
export function TierPicker({
  tiers,
  attempt,
  lastResult,
  defaultTierId,
}: {
  tiers: PickerTier[];
  attempt: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultTierId?: string | null;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "choose-tier",
    lastResult,
    defaultValue: { tierId: defaultTierId ?? undefined, interval: "MONTH", attempt },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CheckoutSchema }),
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state !== "idle" && navigation.formAction === "/billing/join";
  return (
    <Form method="post" action="/billing/join" {...getFormProps(form)} className="space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <input {...getInputProps(fields.attempt, { type: "hidden" })} key={fields.attempt.key} />
      {/* A fieldset is at least as wide as its longest word; the owner's descriptions may hold links. */}
      <fieldset aria-describedby={fields.tierId.errors ? fields.tierId.errorId : undefined} className="min-w-0">
        <legend className="text-xl font-semibold">{t("billing.join.tierLegend")}</legend>
        <ul className="mt-4 grid gap-4 md:grid-cols-3">
          {tiers.map((tier) => {
            const id = `${fields.tierId.id}-${tier.slug}`;
            const radio = getInputProps(fields.tierId, { type: "radio", value: tier.id });
            return (
              <li key={tier.id} className="tier-option wrap-anywhere">
                <label htmlFor={id} className="flex cursor-pointer items-start gap-3">
                  <input
                    {...radio}
                    key={`${fields.tierId.key}-${tier.id}`}
                    id={id}
                    aria-describedby={[`${id}-details`, radio["aria-describedby"]].filter(Boolean).join(" ")}
                    className="mt-1.5 h-4 w-4"
                  />
                  <span>
                    <span className="block text-lg font-semibold">{tierName(locale, tier)}</span>
                    {tier.prices.MONTH !== null ? (
                      <span className="block text-sm font-medium">
                        <PricePerInterval amount={tier.prices.MONTH} currency={tier.currency} interval="MONTH" />
                      </span>
                    ) : null}
                    {tier.prices.YEAR !== null ? (
                      <span className="block text-sm font-medium">
                        <PricePerInterval amount={tier.prices.YEAR} currency={tier.currency} interval="YEAR" />
                      </span>
                    ) : null}
                  </span>
                </label>
                <div id={`${id}-details`} className="mt-2">
                  <p className="text-sm text-slate-700">{tierDescription(locale, tier)}</p>
                  <Includes tier={tier} />
                </div>
              </li>
            );
          })}
        </ul>
        <FieldErrors id={fields.tierId.errorId} errors={fields.tierId.errors} />
      </fieldset>
      <fieldset aria-describedby={fields.interval.errors ? fields.interval.errorId : undefined}>
        <legend className="text-xl font-semibold">{t("billing.join.intervalLegend")}</legend>
        <div className="mt-3 flex flex-wrap gap-6">
          {(["MONTH", "YEAR"] as const).map((interval) => {
            const id = `${fields.interval.id}-${interval}`;
            return (
              <div key={interval} className="flex items-center gap-2">
                <input
                  {...getInputProps(fields.interval, { type: "radio", value: interval })}
                  key={`${fields.interval.key}-${interval}`}
                  id={id}
                  className="h-4 w-4"
                />
                <label htmlFor={id}>{t(interval === "YEAR" ? "billing.interval.YEAR" : "billing.interval.MONTH")}</label>
              </div>
            );
          })}
        </div>
        <FieldErrors id={fields.interval.errorId} errors={fields.interval.errors} />
      </fieldset>
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t("billing.join.redirecting") : t("billing.join.submit")}
        </button>
        <p className="text-sm text-slate-700">{t("billing.join.secure")}</p>
      </div>
      <p className="sr-only" aria-live="polite">
        {busy ? t("billing.join.redirecting") : ""}
      </p>
    </Form>
  );
}
