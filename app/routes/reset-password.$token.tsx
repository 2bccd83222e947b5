import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { inspectAccountToken, resetPassword, type TokenProblem } from "~/admission/account-tokens.server";
import { passThroughHeaders } from "~/admission/headers";
import { newPasswordFields, PASSWORD_MISMATCH, passwordsMatch } from "~/admission/password";
import { clearSessionCookie } from "~/auth/session.server";
import { useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { readForm } from "~/auth/guards.server";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

const ResetSchema = z.object(newPasswordFields).refine(passwordsMatch, PASSWORD_MISMATCH);

export const headers = passThroughHeaders;

const NO_STORE = { "Cache-Control": "no-store" };

function problemStatus(problem: TokenProblem) {
  return problem === "unknown" ? 404 : 410;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const checked = await inspectAccountToken(params.token ?? "", "PASSWORD_RESET");
  if (!checked.ok) return data({ problem: checked.reason }, { status: problemStatus(checked.reason), headers: NO_STORE });
  return data({ problem: null }, { headers: NO_STORE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: ResetSchema });
  const hide = { hideFields: ["password", "confirmPassword"] };
  if (submission.status !== "success") return data({ done: false, problem: null, result: submission.reply(hide) }, { status: 400 });
  const result = await resetPassword(params.token ?? "", submission.value.password);
  if (!result.ok) {
    return data({ done: false, problem: result.reason, result: undefined }, { status: problemStatus(result.reason) });
  }
  // Every session of the account has ended, this browser's included. The status is explicit:
  // without it, a page posted without JavaScript would get the status of the loader that runs
  // after the action, which by then sees the link used (410).
  return data(
    { done: true, problem: null, result: undefined },
    { status: 200, headers: { "Set-Cookie": await clearSessionCookie() } },
  );
}

export default function ResetPassword() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetSchema }),
    ...FORM_VALIDATION,
  });
  const problem = actionData?.problem ?? loaderData.problem;
  if (actionData?.done) {
    return (
      <div className="mx-auto max-w-md space-y-4">
        <h1>{t("admission.reset.doneTitle")}</h1>
        <p role="status">{t("admission.reset.done")}</p>
        <p>
          <Link to="/login" className="btn btn-primary">
            {t("admission.reset.signIn")}
          </Link>
        </p>
      </div>
    );
  }
  if (problem) {
    return (
      <div className="mx-auto max-w-md space-y-4">
        <h1>{t("admission.reset.problemTitle")}</h1>
        <p>{t(`admission.reset.${problem}`)}</p>
        <p>
          <Link to="/forgot-password" className="btn btn-primary">
            {t("admission.reset.requestNew")}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("admission.reset.title")}</h1>
      <p className="mt-3 text-slate-700">{t("admission.reset.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="card mt-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          field={fields.password}
          label={t("admission.reset.password")}
          type="password"
          autoComplete="new-password"
          help={t("admission.invite.passwordHelp")}
        />
        <TextField field={fields.confirmPassword} label={t("admission.reset.confirmPassword")} type="password" autoComplete="new-password" />
        <button type="submit" className="btn btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("admission.reset.submit")}
        </button>
      </Form>
    </div>
  );
}
