import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireUser } from "~/auth/guards.server";
import { clearSessionCookie, invalidateAllSessions } from "~/auth/session.server";
import { db } from "~/db.server";
import { updateProfile } from "~/members/account.server";
import { NotificationPreferencesGrid } from "~/notifications/preferences-grid";
import { preferenceGrid } from "~/notifications/preferences.server";
import { ChangePasswordSchema } from "~/members/password-form";
import { changePassword } from "~/members/password.server";
import { ProfileSchema } from "~/members/profile-form";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, LanguageField, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("account.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, membership } = await requireUser(request);
  const sessions = await db.session.count({ where: { userId: user.id, expiresAt: { gt: new Date() } } });
  return {
    profile: {
      name: user.name,
      company: user.company ?? "",
      jobTitle: user.jobTitle ?? "",
      locale: user.locale,
    },
    notificationGrid: await preferenceGrid(user.id),
    notificationsSaved: new URL(request.url).searchParams.get("notifications") === "saved",
    email: user.email,
    role: user.role,
    tier: membership ? { en: membership.tier.nameEn, ru: membership.tier.nameRu } : null,
    sessions,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await readForm(request);
  if (formData.get("intent") === "sign-out-everywhere") {
    await invalidateAllSessions(user.id);
    return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie() } });
  }
  if (formData.get("intent") === "change-password") {
    const submission = parseWithZod(formData, { schema: ChangePasswordSchema });
    const hide = { hideFields: ["currentPassword", "password", "confirmPassword"] };
    if (submission.status !== "success") return data({ password: submission.reply(hide), changed: false }, { status: 400 });
    const changed = await changePassword(request, user.id, submission.value);
    if (changed.ok) return { password: submission.reply({ resetForm: true }), changed: true };
    if (changed.reason === "rate-limited") {
      const minutes = Math.ceil(changed.state.retryAfterSeconds / 60);
      return data(
        { password: submission.reply({ ...hide, formErrors: [`account.password.rateLimited|{"minutes":${minutes}}`] }), changed: false },
        { status: 429, headers: { "Retry-After": String(changed.state.retryAfterSeconds) } },
      );
    }
    return data({ password: submission.reply({ ...hide, fieldErrors: { currentPassword: ["account.password.wrong"] } }), changed: false }, { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: ProfileSchema });
  if (submission.status !== "success") return data({ profile: submission.reply() }, { status: 400 });
  await updateProfile(user.id, submission.value);
  return { profile: submission.reply() };
}

export default function Account() {
  const { profile, email, role, tier, sessions, notificationGrid, notificationsSaved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData && "profile" in actionData ? actionData.profile : undefined;
  const t = useT();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: profile,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    ...FORM_VALIDATION,
  });
  const saved = lastResult?.status === "success";
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1>{t("account.title")}</h1>
      <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 wrap-anywhere">
        <dt className="font-medium">{t("login.email")}</dt>
        <dd>{email}</dd>
        <dt className="font-medium">{t("account.role")}</dt>
        <dd>{t(`role.${role}`)}</dd>
        <dt className="font-medium">{t("account.tier")}</dt>
        <dd>{tier ? tier[profile.locale] : t("account.noTier")}</dd>
      </dl>
      <p>
        <Link to="/members/vouch">{t("admission.vouch.accountLink")}</Link>
      </p>
      <Form method="post" {...getFormProps(form)} className="card">
        <h2 className="mb-4">{t("account.profile")}</h2>
        <TextField field={fields.name} label={t("account.name")} autoComplete="name" />
        <TextField field={fields.company} label={t("account.company")} autoComplete="organization" />
        <TextField field={fields.jobTitle} label={t("account.jobTitle")} autoComplete="organization-title" />
        <LanguageField field={fields.locale} label={t("account.language")} />
        <div className="flex items-center gap-4">
          <button type="submit" className="btn btn-primary">
            {t("account.save")}
          </button>
          {saved ? (
            <p role="status" className="text-sm text-green-800">
              {t("account.saved")}
            </p>
          ) : null}
        </div>
      </Form>
      <NotificationPreferencesGrid grid={notificationGrid} saved={notificationsSaved} />
      <ChangePassword lastResult={actionData && "password" in actionData ? actionData.password : undefined} changed={Boolean(actionData && "changed" in actionData && actionData.changed)} />
      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">{t("account.sessions")}</h2>
        <p className="mt-2 text-slate-700">{t("account.sessionsHelp", { count: sessions })}</p>
        <Form method="post" className="mt-4">
          <button type="submit" name="intent" value="sign-out-everywhere" className="btn btn-danger">
            {t("account.signOutEverywhere")}
          </button>
        </Form>
      </section>
    </div>
  );
}

function ChangePassword({ lastResult, changed }: { lastResult: SubmissionResult<string[]> | undefined; changed: boolean }) {
  const t = useT();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card" aria-labelledby="change-password-title">
      <h2 id="change-password-title" className="mb-2">
        {t("account.password.title")}
      </h2>
      <p className="mb-4 text-slate-700">{t("account.password.intro")}</p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="change-password" />
      <TextField field={fields.currentPassword} label={t("account.password.current")} type="password" autoComplete="current-password" />
      <TextField field={fields.password} label={t("account.password.new")} type="password" autoComplete="new-password" />
      <TextField field={fields.confirmPassword} label={t("account.password.confirm")} type="password" autoComplete="new-password" />
      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary">
          {t("account.password.submit")}
        </button>
        {changed ? (
          <p role="status" className="text-sm text-green-800">
            {t("account.password.changed")}
          </p>
        ) : null}
      </div>
    </Form>
  );
}
