import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getViewer, readForm, safeRedirectTo } from "~/auth/guards.server";
import { logIn, signedInHeaders } from "~/auth/login.server";
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

/** The sign-in's second step, for members with two-factor sign-in. */
const TWO_FACTOR_STEP = "/login/two-factor";

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
  const result = await logIn(request, email, password, safeRedirectTo(redirectTo, "/forum"));
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
  if (result.ok === "two-factor") {
    return redirect(TWO_FACTOR_STEP, { headers: { "Set-Cookie": result.challengeCookie } });
  }
  return redirect(safeRedirectTo(redirectTo, "/forum"), { headers: await signedInHeaders(request, result.token, result.userId) });
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
  // Back from the second step without a live challenge (expired, or never started).
  const challengeEnded = searchParams.get("twoFactor") === "expired" && !lastResult;
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("login.title")}</h1>
      {challengeEnded ? (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {t("twoFactor.login.expired")}
        </p>
      ) : null}
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
