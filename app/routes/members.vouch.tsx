import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { email, requiredText } from "~/admission/application-form";
import { ApplicationStatusBadge, useFormats } from "~/admission/components";
import { vouchesBy, vouchFor, vouchingQuota } from "~/admission/vouching.server";
import { forbidden, readForm, requireUser } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, LanguageField, TextAreaField, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

const VouchSchema = z.object({
  name: requiredText(120),
  email,
  note: z.string().trim().max(1000, 'form.tooLong|{"max":1000}').optional(),
  locale: z.enum(["en", "ru"], { error: "form.required" }),
});

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.vouch.title") }];

/** Members of tiers with a referral quota vouch for people here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const [quota, vouches] = await Promise.all([vouchingQuota(viewer), vouchesBy(viewer.user.id)]);
  return { quota, vouches, locale: viewer.user.locale };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const noQuota = () => forbidden(translator(viewer.user.locale)("admission.vouch.noQuota"));
  if ((viewer.membership?.tier.referralQuota ?? 0) <= 0) throw noQuota();
  const submission = parseWithZod(await readForm(request), { schema: VouchSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sentTo: null }, { status: 400 });
  const result = await vouchFor(viewer, submission.value);
  if (result.ok) return { result: submission.reply({ resetForm: true }), sentTo: submission.value.name };
  if (result.reason === "no-quota") throw noQuota();
  if (result.reason === "quota-used") return data({ result: submission.reply({ formErrors: ["admission.vouch.quotaUsed"] }), sentTo: null }, { status: 409 });
  return data({ result: submission.reply({ fieldErrors: { email: ["admission.vouch.alreadyVouched"] } }), sentTo: null }, { status: 409 });
}

export default function Vouch() {
  const { quota, vouches, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const f = useFormats();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: { locale },
    constraint: getZodConstraint(VouchSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: VouchSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1>{t("admission.vouch.title")}</h1>
      <p className="text-slate-700">{t("admission.vouch.intro")}</p>
      {actionData?.sentTo ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("admission.vouch.sent", { name: actionData.sentTo })}
        </p>
      ) : null}
      {quota.quota <= 0 ? (
        <p className="card">{t("admission.vouch.noQuota")}</p>
      ) : (
        <section className="card" aria-labelledby="vouch-form">
          <h2 id="vouch-form" className="mb-2">
            {t("admission.vouch.submit")}
          </h2>
          <p className="mb-4 font-medium">{t("admission.vouch.quota", { remaining: quota.remaining, quota: quota.quota })}</p>
          {quota.remaining <= 0 ? (
            <p>{t("admission.vouch.quotaUsed")}</p>
          ) : (
            <Form method="post" {...getFormProps(form)}>
              <FormErrors id={form.errorId} errors={form.errors} />
              <TextField field={fields.name} label={t("admission.vouch.name")} />
              <TextField field={fields.email} label={t("admission.vouch.email")} type="email" />
              <TextAreaField field={fields.note} label={t("admission.vouch.note")} rows={3} />
              <LanguageField field={fields.locale} label={t("admission.vouch.language")} className="max-w-xs" />
              <button type="submit" className="btn btn-primary">
                {t("admission.vouch.submit")}
              </button>
            </Form>
          )}
        </section>
      )}
      <section aria-labelledby="your-vouches">
        <h2 id="your-vouches" className="mb-3">
          {t("admission.vouch.yours")}
        </h2>
        {vouches.length === 0 ? (
          <p>{t("admission.vouch.none")}</p>
        ) : (
          <div className="card overflow-x-auto p-0">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("admission.vouch.person")}</th>
                  <th scope="col">{t("admission.vouch.date")}</th>
                  <th scope="col">{t("admission.vouch.application")}</th>
                </tr>
              </thead>
              <tbody>
                {vouches.map((vouch) => (
                  <tr key={vouch.id}>
                    <td className="wrap-anywhere">
                      {vouch.name}
                      <div className="text-sm text-slate-700">{vouch.email}</div>
                    </td>
                    <td>{f.date(vouch.createdAt)}</td>
                    <td>
                      {vouch.applicationStatus ? <ApplicationStatusBadge status={vouch.applicationStatus} /> : t("admission.vouch.notApplied")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
