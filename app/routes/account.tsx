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
import { formatDateTime, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { log } from "~/log.server";
import { settleMember } from "~/telegram/chats.server";
import { createLinkToken, telegramAccountState, type TelegramAccountState } from "~/telegram/linking.server";
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
    telegram: await telegramAccountState(user.id),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await readForm(request);
  if (formData.get("intent") === "sign-out-everywhere") {
    await invalidateAllSessions(user.id);
    return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie() } });
  }
  if (formData.get("intent") === "telegram-link" || formData.get("intent") === "telegram-unlink") {
    return telegramAction(user.id, formData.get("intent") as "telegram-link" | "telegram-unlink");
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

/** Linking makes a one-time deep link (shown on the page, so it works without JavaScript); unlinking first takes the member out of gated chats. */
async function telegramAction(userId: string, intent: "telegram-link" | "telegram-unlink") {
  const state = await telegramAccountState(userId);
  if (!state.on) return data({ telegram: { error: "telegram.account.off" as const } }, { status: 400 });
  if (intent === "telegram-link") {
    try {
      const link = await createLinkToken(userId);
      return { telegram: { link: { url: link.url, bot: link.bot, expiresAt: link.expiresAt.toISOString() } } };
    } catch (error) {
      log.warn("telegram link token", { error: (error as Error).message });
      return data({ telegram: { error: "telegram.account.unreachable" as const } }, { status: 503 });
    }
  }
  if (state.link) {
    // Out of every gated chat while the link still says who they are in Telegram.
    await settleMember(userId, { unlinking: true }).catch((error: Error) => log.warn("telegram unlink removal", { error: error.message }));
    await db.telegramLink.deleteMany({ where: { userId } });
  }
  return { telegram: { unlinked: true } };
}

export default function Account() {
  const { profile, email, role, tier, sessions, notificationGrid, notificationsSaved, telegram } = useLoaderData<typeof loader>();
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
      <TelegramSection state={telegram} result={actionData && "telegram" in actionData ? actionData.telegram : undefined} />
      <ChangePassword lastResult={actionData && "password" in actionData ? actionData.password : undefined} changed={Boolean(actionData && "changed" in actionData && actionData.changed)} />
      <PageLinkSection id="two-factor-title" title={t("twoFactor.account.title")} intro={t("twoFactor.account.intro")} to="/account/two-factor" label={t("twoFactor.account.manage")} />
      <PageLinkSection id="your-data-title" title={t("privacy.account.title")} intro={t("privacy.account.intro")} to="/account/data" label={t("privacy.account.manage")} />
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

/** A part of the account that has its own page: what it is, and the way there. */
function PageLinkSection({ id, title, intro, to, label }: { id: string; title: string; intro: string; to: string; label: string }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="mb-2">
        {title}
      </h2>
      <p className="mb-4 text-slate-700">{intro}</p>
      <Link to={to} className="btn">
        {label}
      </Link>
    </section>
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

type TelegramResult = { link?: { url: string; bot: string; expiresAt: string }; unlinked?: boolean; error?: "telegram.account.off" | "telegram.account.unreachable" };

function TelegramSection({ state, result }: { state: TelegramAccountState; result: TelegramResult | undefined }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="card" aria-labelledby="telegram-title" id="telegram">
      <h2 id="telegram-title" className="mb-2">
        {t("telegram.account.title")}
      </h2>
      {!state.on ? (
        <p className="text-slate-700">{t("telegram.account.off")}</p>
      ) : state.link ? (
        <>
          <p className="mb-4 text-slate-700">
            {t("telegram.account.linked", {
              who: state.link.username ? `@${state.link.username}` : (state.link.firstName ?? "Telegram"),
              date: formatDateTime(locale, state.link.linkedAt),
            })}
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="telegram-unlink" className="btn btn-danger">
              {t("telegram.account.unlink")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p className="mb-4 text-slate-700">{t("telegram.account.intro")}</p>
          {result?.unlinked ? (
            <p role="status" className="mb-4 text-sm text-green-800">
              {t("telegram.account.unlinked")}
            </p>
          ) : null}
          {result?.error ? (
            <p role="alert" className="mb-4 text-sm text-red-800">
              {t(result.error)}
            </p>
          ) : null}
          {result?.link ? (
            <div role="status" className="mb-4">
              <p className="mb-2">{t("telegram.account.linkReady")}</p>
              <a href={result.link.url} className="btn btn-primary" data-testid="telegram-deep-link">
                {t("telegram.account.open", { bot: result.link.bot })}
              </a>
            </div>
          ) : null}
          <Form method="post">
            <button type="submit" name="intent" value="telegram-link" className={result?.link ? "btn" : "btn btn-primary"}>
              {t("telegram.account.link")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
