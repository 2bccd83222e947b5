import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextAreaField, TextField } from "~/ui/form";
import { PLACEHOLDERS, templateSchema, TRIGGERS } from "./forms";

/** The owner's form for a follow-up template (/admin/playbooks/templates/new and /:templateId); curators see it disabled. */
export function TemplateForm({
  defaultValue,
  lastResult,
  canEdit,
}: {
  defaultValue: Partial<Record<"name" | "reason" | "subjectEn" | "bodyEn" | "subjectRu" | "bodyRu", string>>;
  lastResult?: SubmissionResult<string[]> | null;
  canEdit: boolean;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "template",
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: templateSchema }),
    ...FORM_VALIDATION,
  });
  const placeholders = PLACEHOLDERS.map((p) => `{${p}}`).join(", ");
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <input type="hidden" name="intent" value="save" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset disabled={!canEdit} className="card">
        <TextField field={fields.name} label={t("playbooks.template.name")} />
        <div className="field">
          <label htmlFor={fields.reason.id} className="label">
            {t("playbooks.template.reason")}
          </label>
          <select {...getSelectProps(fields.reason, { ariaDescribedBy: `${fields.reason.id}-help` })} key={fields.reason.key} className="input">
            {TRIGGERS.map((reason) => (
              <option key={reason} value={reason}>
                {t(`playbooks.trigger.${reason}` as MessageKey)}
              </option>
            ))}
          </select>
          <p id={`${fields.reason.id}-help`} className="help">
            {t("playbooks.template.reasonHelp")}
          </p>
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>
        <p className="help mb-4">{t("playbooks.template.placeholders", { placeholders })}</p>
        <div className="grid gap-x-6 md:grid-cols-2">
          <div>
            <TextField field={fields.subjectEn} label={t("playbooks.template.subjectEn")} inputProps={{ lang: "en" }} />
            <TextAreaField field={fields.bodyEn} label={t("playbooks.template.bodyEn")} rows={8} />
          </div>
          <div>
            <TextField field={fields.subjectRu} label={t("playbooks.template.subjectRu")} inputProps={{ lang: "ru" }} />
            <TextAreaField field={fields.bodyRu} label={t("playbooks.template.bodyRu")} rows={8} />
          </div>
        </div>
        {canEdit ? (
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("playbooks.template.save")}
          </button>
        ) : null}
      </fieldset>
    </Form>
  );
}
