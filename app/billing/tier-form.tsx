import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FieldErrors, FormErrors, TextAreaField, TextField } from "~/ui/form";
import { CURRENCIES, TierSchema } from "./schemas";

/** The owner's form for a tier, at /admin/tiers/new and /admin/tiers/:tierId. */
export function TierForm({
  defaultValue,
  lastResult,
  testMode,
  editing,
  submitLabel,
}: {
  defaultValue?: Record<string, string>;
  lastResult?: SubmissionResult<string[]> | null;
  testMode: boolean;
  editing: boolean;
  submitLabel: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "tier",
    lastResult,
    defaultValue: defaultValue ?? { position: "1", currency: "eur", voteWeight: "1", referralQuota: "0" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TierSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend className="px-1 text-lg font-semibold">{t("billing.tier.identity")}</legend>
        <TextField
          field={fields.slug}
          label={t("billing.tier.slug")}
          help={editing ? t("billing.tier.slugFixed") : t("billing.tier.slugHelp")}
          inputProps={editing ? { readOnly: true } : undefined}
        />
        <div className="grid gap-x-6 md:grid-cols-2">
          <TextField field={fields.nameEn} label={t("billing.tier.nameEn")} inputProps={{ lang: "en" }} />
          <TextField field={fields.nameRu} label={t("billing.tier.nameRu")} inputProps={{ lang: "ru" }} />
          <TextAreaField field={fields.descriptionEn} label={t("billing.tier.descriptionEn")} rows={3} />
          <TextAreaField field={fields.descriptionRu} label={t("billing.tier.descriptionRu")} rows={3} />
        </div>
        <TextField field={fields.position} label={t("billing.tier.position")} type="number" help={t("billing.tier.positionHelp")} />
      </fieldset>

      <fieldset className="card">
        <legend className="px-1 text-lg font-semibold">{t("billing.tier.prices")}</legend>
        <p className="help mb-4">{testMode ? t("billing.tier.pricesTestHelp") : t("billing.tier.pricesLiveHelp")}</p>
        <div className="grid gap-x-6 md:grid-cols-2">
          <TextField field={fields.stripeMonthlyPriceId} label={t("billing.tier.monthlyPriceId")} />
          <TextField field={fields.stripeYearlyPriceId} label={t("billing.tier.yearlyPriceId")} />
          {testMode ? (
            <>
              <TextField field={fields.monthlyPrice} label={t("billing.tier.monthlyAmount")} inputProps={{ inputMode: "decimal" }} />
              <TextField field={fields.yearlyPrice} label={t("billing.tier.yearlyAmount")} inputProps={{ inputMode: "decimal" }} />
            </>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={fields.currency.id} className="label">
            {t("billing.tier.currency")}
          </label>
          <select {...getSelectProps(fields.currency)} key={fields.currency.key} className="input max-w-xs">
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.currency.errorId} errors={fields.currency.errors} />
        </div>
      </fieldset>

      <fieldset className="card">
        <legend className="px-1 text-lg font-semibold">{t("billing.tier.entitlements")}</legend>
        <div className="field flex items-center gap-2">
          <input {...getInputProps(fields.canVote, { type: "checkbox" })} key={fields.canVote.key} className="h-4 w-4" />
          <label htmlFor={fields.canVote.id}>{t("billing.tier.canVote")}</label>
          <FieldErrors id={fields.canVote.errorId} errors={fields.canVote.errors} />
        </div>
        <div className="grid gap-x-6 md:grid-cols-2">
          <TextField field={fields.voteWeight} label={t("billing.tier.voteWeight")} type="number" />
          <TextField field={fields.referralQuota} label={t("billing.tier.referralQuota")} type="number" help={t("billing.tier.referralQuotaHelp")} />
        </div>
        <p className="help">{t("billing.tier.forumHelp")}</p>
      </fieldset>

      <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
        {submitLabel}
      </button>
    </Form>
  );
}
