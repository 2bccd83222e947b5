import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getViewer, readForm, safeRedirectTo } from "~/auth/guards.server";
import { rememberDevice } from "~/auth/devices.server";
import { logIn } from "~/auth/login.server";
import { commitSessionCookie } from "~/auth/session.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

const LoginSchema = z.object({
  email: z.string({ error: "form.required" }).trim().email("form.invalidEmail").max(320, "form.tooLong|{\"max\":320}"),
  password: z.string({ error: "form.required" }).max(1000, "form.tooLong|{\"max\":1000}"),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("login.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  if (viewer) throw redirect(safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "/forum"));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await logIn(request, email, password);
  if (!result.ok && result.reason === "rate-limited") {
    const minutes = Math.max(1, Math.ceil(result.state.retryAfterSeconds / 60));
    return data(submission.reply({ formErrors: [`login.rateLimited|{"minutes":${minutes}}`], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(result.state.retryAfterSeconds) },
    });
  }
  if (!result.ok) {
    return data(submission.reply({ formErrors: ["login.invalid"], hideFields: ["password"] }), { status: 401 });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionCookie(result.token));
  headers.append("Set-Cookie", await rememberDevice(request, result.userId));
  return redirect(safeRedirectTo(redirectTo, "/forum"), { headers });
}

// A refused sign-in (429) tells the browser when to try again, on the page as in the header.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export default function Login() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("login.title")}</h1>
      <Form method="post" {...getFormProps(form)} className="card mt-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField field={fields.email} label={t("login.email")} type="email" autoComplete="email" />
        <TextField field={fields.password} label={t("login.password")} type="password" autoComplete="current-password" />
        <button type="submit" className="btn btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
      </Form>
      <p className="mt-6 text-sm text-slate-700">
        {t("login.notMember")} <Link to="/apply">{t("nav.apply")}</Link>
      </p>
    </div>
  );
}
