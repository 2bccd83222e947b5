import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { formatDateTime, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { followUpTemplate, saveFollowUpTemplate } from "~/metrics/at-risk.server";
import { TemplateSchema } from "~/metrics/follow-up";
import { FORM_VALIDATION, TextAreaField, TextField } from "~/ui/form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("metrics.template.title") }];

/** The follow-up email of the at-risk list, in English and Russian. The owner's to edit. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const [template, club] = await Promise.all([followUpTemplate(), getClubSettings()]);
  return { template, timeZone: club.timeZone };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const submission = parseWithZod(await readForm(request), { schema: TemplateSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await saveFollowUpTemplate(submission.value, user.id);
  return submission.reply();
}

export default function FollowUpTemplateEditor() {
  const { template, timeZone } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: template,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TemplateSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p>
        <Link to="/admin/metrics/at-risk">{t("metrics.atRisk.title")}</Link>
      </p>
      <h1>{t("metrics.template.title")}</h1>
      <p className="text-slate-700">{t("metrics.template.intro")}</p>
      <p className="text-sm text-slate-700">
        {template.updatedAt
          ? t("metrics.template.updated", { name: template.updatedBy ?? t("metrics.followUp.formerStaff"), date: formatDateTime(locale, template.updatedAt, timeZone) })
          : t("metrics.template.default")}
      </p>
      <Form method="post" {...getFormProps(form)} className="card">
        <fieldset>
          <legend className="font-semibold">{t("metrics.template.inactiveHeading")}</legend>
          <TextField field={fields.followUpSubjectEn} label={t("metrics.template.subjectEn")} />
          <TextAreaField field={fields.followUpBodyEn} label={t("metrics.template.bodyEn")} rows={10} />
          <TextField field={fields.followUpSubjectRu} label={t("metrics.template.subjectRu")} />
          <TextAreaField field={fields.followUpBodyRu} label={t("metrics.template.bodyRu")} rows={10} />
        </fieldset>
        <fieldset>
          <legend className="font-semibold">{t("metrics.template.detractorHeading")}</legend>
          <TextField field={fields.detractorSubjectEn} label={t("metrics.template.subjectEn")} />
          <TextAreaField field={fields.detractorBodyEn} label={t("metrics.template.bodyEn")} rows={10} />
          <TextField field={fields.detractorSubjectRu} label={t("metrics.template.subjectRu")} />
          <TextAreaField field={fields.detractorBodyRu} label={t("metrics.template.bodyRu")} rows={10} />
        </fieldset>
        <div className="flex items-center gap-4">
          <button type="submit" className="btn btn-primary">
            {t("metrics.template.save")}
          </button>
          {lastResult?.status === "success" ? (
            <p role="status" className="text-sm text-green-800">
              {t("metrics.template.saved")}
            </p>
          ) : null}
        </div>
      </Form>
    </div>
  );
}
