import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField, TextField } from "~/ui/form";
import { CategorySchema, TIER_ACCESS, type TierAccess } from "./schemas";
import { localized } from "./ui";

export type CategoryFormDefaults = {
  slug: string;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  position: number;
  access: Record<string, TierAccess>;
};

/** The owner's category form (/admin/forum/new and /admin/forum/:id). */
export function CategoryForm({
  defaults,
  tiers,
  lastResult,
  submitLabel,
}: {
  defaults: CategoryFormDefaults;
  tiers: Array<{ id: string; nameEn: string; nameRu: string }>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...defaults, position: String(defaults.position) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CategorySchema }),
    ...FORM_VALIDATION,
  });
  const submitted = (lastResult?.initialValue?.access ?? null) as Record<string, string> | null;
  return (
    <Form method="post" {...getFormProps(form)} className="card">
      <input type="hidden" name="intent" value="save" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.slug} label={t("forumAdmin.slug")} help={t("forumAdmin.slugHelp")} />
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextField field={fields.nameEn} label={t("forumAdmin.nameEn")} />
        <TextField field={fields.nameRu} label={t("forumAdmin.nameRu")} />
        <TextAreaField field={fields.descriptionEn} label={t("forumAdmin.descriptionEn")} rows={3} />
        <TextAreaField field={fields.descriptionRu} label={t("forumAdmin.descriptionRu")} rows={3} />
      </div>
      <TextField field={fields.position} label={t("forumAdmin.position")} type="number" help={t("forumAdmin.positionHelp")} />
      <fieldset className="field">
        <legend className="label">{t("forumAdmin.access")}</legend>
        <p className="help mb-2">{t("forumAdmin.intro")}</p>
        <div className="grid gap-3 md:grid-cols-3">
          {tiers.map((tier) => {
            const id = `access-${tier.id}`;
            const value = submitted?.[tier.id] ?? defaults.access[tier.id] ?? "none";
            return (
              <div key={tier.id}>
                <label htmlFor={id} className="label">
                  {t("forumAdmin.accessFor", { tier: localized(locale, tier) })}
                </label>
                <select id={id} name={`access.${tier.id}`} defaultValue={value} className="input">
                  {TIER_ACCESS.map((access) => (
                    <option key={access} value={access}>
                      {t(`forumAdmin.access.${access}`)}
                    </option>
                  ))}
                </select>
              </div>
            );
          })}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
        <Link to="/admin/forum">{t("forum.cancel")}</Link>
      </div>
    </Form>
  );
}
