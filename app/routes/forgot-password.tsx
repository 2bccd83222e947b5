import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requestPasswordReset } from "~/admission/account-tokens.server";
import { email } from "~/admission/application-form";
import { Honeypot } from "~/admission/components";
import { passThroughHeaders } from "~/admission/headers";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { readForm } from "~/auth/guards.server";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

const ForgotSchema = z.object({ email, website: z.string().optional() });

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.forgot.title") }];

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: ForgotSchema });
  if (submission.status !== "success") return data({ sent: false, result: submission.reply() }, { status: 400 });
  // A filled honeypot is a bot: it is told the same as everyone, and nothing is sent.
  if (submission.value.website) return { sent: true, result: submission.reply({ resetForm: true }) };
  const outcome = await requestPasswordReset(submission.value.email, request);
  if (!outcome.ok) {
    const minutes = Math.max(1, Math.ceil(outcome.rateLimited.retryAfterSeconds / 60));
    return data(
      { sent: false, result: submission.reply({ formErrors: [`admission.forgot.rateLimited|{"minutes":${minutes}}`] }) },
      { status: 429, headers: { "Retry-After": String(outcome.rateLimited.retryAfterSeconds) } },
    );
  }
  return { sent: true, result: submission.reply({ resetForm: true }) };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("admission.forgot.title")}</h1>
      <p className="mt-3 text-slate-700">{t("admission.forgot.intro")}</p>
      {actionData?.sent ? (
        <p role="status" className="mt-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("admission.forgot.sent")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card mt-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.email} label={t("admission.forgot.email")} type="email" autoComplete="email" />
        <Honeypot />
        <button type="submit" className="btn btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("admission.forgot.submit")}
        </button>
      </Form>
      <p className="mt-6 text-sm">
        <Link to="/login">{t("admission.forgot.back")}</Link>
      </p>
    </div>
  );
}
