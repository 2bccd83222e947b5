import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { Honeypot } from "~/admission/components";
import { passThroughHeaders } from "~/admission/headers";
import { redeemSchema } from "~/admission/invite-form";
import { findInvite, inviteState, redeemInvite } from "~/admission/invites.server";
import { WRONG_INVITE_CODES } from "~/admission/rate-limits.server";
import { getViewer, readForm } from "~/auth/guards.server";
import { reserveRateLimit } from "~/auth/rate-limit.server";
import { clientIp, commitSessionCookie } from "~/auth/session.server";
import { getClubSettings } from "~/club.server";
import { ConsentField } from "~/club/consent-field";
import { shownTerms, type TermsShown } from "~/club/consent-form";
import { currentTerms, termsChanged } from "~/club/consent.server";
import { useT } from "~/i18n/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

/** Where a new member goes once signed in: the billing area's tier choice and checkout. */
export const AFTER_JOINING = "/billing/join";

export const headers = passThroughHeaders;

type RedeemFormShape = {
  name?: string;
  email?: string;
  company?: string;
  jobTitle?: string;
  password: string;
  confirmPassword: string;
  website?: string;
  legalAccepted?: boolean;
};

type Problem = "unknown" | "expired" | "used" | "revoked" | "rate-limited";

/**
 * Finds the invite for a request, counting unknown codes against the address. Returns
 * a problem response to send as is, or the invite.
 */
async function lookUp(request: Request, token: string) {
  // A slot is taken before the lookup, so a burst of guesses cannot outrun the count; a
  // link that exists gives it back.
  const limit = await reserveRateLimit([[WRONG_INVITE_CODES, [`ip:${clientIp(request)}`]]]);
  if (limit.limited) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
    return {
      problem: data({ problem: "rate-limited" as Problem, minutes }, {
        status: 429,
        headers: { "Retry-After": String(limit.retryAfterSeconds), "Cache-Control": "no-store" },
      }),
    };
  }
  const invite = await findInvite(token);
  if (invite) await limit.release();
  if (!invite) {
    return { problem: data({ problem: "unknown" as Problem, minutes: 0 }, { status: 404, headers: { "Cache-Control": "no-store" } }) };
  }
  const state = inviteState(invite);
  if (state !== "valid") {
    return { problem: data({ problem: state as Problem, minutes: 0 }, { status: 410, headers: { "Cache-Control": "no-store" } }) };
  }
  return { invite };
}

function tokenOf(params: LoaderFunctionArgs["params"]) {
  return (params.token ?? "").trim().toLowerCase();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await lookUp(request, tokenOf(params));
  if (found.problem) return found.problem;
  const { invite } = found;
  const [club, terms] = await Promise.all([getClubSettings(), currentTerms()]);
  return data(
    {
      problem: null,
      minutes: 0,
      club: club.name,
      terms,
      invitee: {
        name: invite.application?.name ?? null,
        email: invite.application?.email ?? invite.email ?? null,
        askDetails: !invite.application,
      },
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = tokenOf(params);
  const found = await lookUp(request, token);
  if (found.problem) return found.problem;
  const { invite } = found;
  const askEmail = !invite.application && !invite.email;
  const terms = await currentTerms();
  const schema = redeemSchema({ askDetails: !invite.application, askEmail, terms });
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  const hide = { hideFields: ["password", "confirmPassword"] };
  // A text published since the form was shown: the page comes back with the new version to read.
  const stale = () =>
    data(
      { problem: null, result: submission.reply({ hideFields: [...hide.hideFields, "legalAccepted"], fieldErrors: { legalAccepted: ["club.consent.stale"] } }) },
      { status: 409 },
    );
  if (termsChanged(shownTerms(formData), terms)) return stale();
  if (submission.status !== "success") return data({ problem: null, result: submission.reply(hide) }, { status: 400 });
  // Only a bot fills the honeypot in; it gets the form back and nothing happens.
  if (submission.value.website) return data({ problem: null, result: submission.reply(hide) }, { status: 400 });
  const viewer = await getViewer(request);
  const result = await redeemInvite(
    token,
    { ...submission.value, locale: await resolveLocale(request, viewer?.user.locale) },
    request,
  );
  if (result.ok) {
    return redirect(AFTER_JOINING, { headers: { "Set-Cookie": await commitSessionCookie(result.sessionToken) } });
  }
  if (result.reason === "email-taken") {
    // The address is on the form only when the invitee typed it; otherwise the message heads the form.
    const message = ["admission.invite.emailTaken"];
    const reply = askEmail ? submission.reply({ ...hide, fieldErrors: { email: message } }) : submission.reply({ ...hide, formErrors: message });
    return data({ problem: null, result: reply }, { status: 409 });
  }
  if (result.reason === "consent") {
    if (result.consent === "stale") return stale();
    return data({ problem: null, result: submission.reply({ ...hide, fieldErrors: { legalAccepted: ["club.consent.required"] } }) }, { status: 400 });
  }
  if (result.reason === "details-missing") {
    return data({ problem: null, result: submission.reply({ ...hide, fieldErrors: { name: ["form.required"] } }) }, { status: 400 });
  }
  return data({ problem: result.reason as Problem, minutes: 0 }, { status: result.reason === "unknown" ? 404 : 410 });
}

const PROBLEM_TEXT = {
  unknown: ["admission.invite.unknownTitle", "admission.invite.unknownBody"],
  expired: ["admission.invite.expiredTitle", "admission.invite.expiredBody"],
  used: ["admission.invite.usedTitle", "admission.invite.usedBody"],
  revoked: ["admission.invite.revokedTitle", "admission.invite.revokedBody"],
} as const;

function InviteProblem({ problem, minutes }: { problem: Problem; minutes: number }) {
  const t = useT();
  const [title, body] =
    problem === "rate-limited"
      ? [t("admission.invite.rateLimitedTitle"), t("admission.invite.rateLimited", { minutes })]
      : [t(PROBLEM_TEXT[problem][0]), t(PROBLEM_TEXT[problem][1])];
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1>{title}</h1>
      <p className="text-slate-800">{body}</p>
      <p className="flex flex-wrap gap-3">
        {problem === "used" ? (
          <Link to="/login" className="btn btn-primary">
            {t("admission.invite.signIn")}
          </Link>
        ) : null}
        {problem !== "rate-limited" ? (
          <Link to="/apply" className={problem === "used" ? "btn btn-secondary" : "btn btn-primary"}>
            {t("admission.invite.apply")}
          </Link>
        ) : null}
      </p>
    </div>
  );
}

export default function AcceptInvite() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const actionProblem = actionData && "problem" in actionData ? actionData.problem : null;
  if (actionProblem) return <InviteProblem problem={actionProblem} minutes={"minutes" in actionData! ? actionData.minutes : 0} />;
  if (loaderData.problem || !("invitee" in loaderData)) {
    return <InviteProblem problem={loaderData.problem ?? "unknown"} minutes={loaderData.minutes} />;
  }
  return (
    <RedeemForm
      club={loaderData.club}
      terms={loaderData.terms}
      invitee={loaderData.invitee}
      lastResult={actionData && "result" in actionData ? actionData.result : undefined}
    />
  );
}

function RedeemForm({
  club,
  terms,
  invitee,
  lastResult,
}: {
  club: string;
  terms: TermsShown;
  invitee: { name: string | null; email: string | null; askDetails: boolean };
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const t = useT();
  const navigation = useNavigation();
  const askEmail = invitee.askDetails && !invitee.email;
  const schema = useMemo(() => redeemSchema({ askDetails: invitee.askDetails, askEmail, terms }), [invitee.askDetails, askEmail, terms]);
  const [form, fields] = useForm<RedeemFormShape>({
    lastResult,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("admission.invite.title")}</h1>
      <p className="mt-3 text-slate-700">{t("admission.invite.intro", { club })}</p>
      {invitee.name && invitee.email ? (
        <p className="mt-2 text-slate-700">{t("admission.invite.for", { name: invitee.name, email: invitee.email })}</p>
      ) : invitee.email ? (
        <p className="mt-2 text-slate-700">{t("admission.invite.forEmail", { email: invitee.email })}</p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card mt-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        {invitee.askDetails ? (
          <>
            <TextField field={fields.name} label={t("admission.invite.name")} autoComplete="name" />
            {askEmail ? <TextField field={fields.email} label={t("admission.invite.email")} type="email" autoComplete="email" /> : null}
            <TextField field={fields.company} label={t("admission.invite.company")} autoComplete="organization" />
            <TextField field={fields.jobTitle} label={t("admission.invite.jobTitle")} autoComplete="organization-title" />
          </>
        ) : null}
        {/* Password managers file the new password under this address. */}
        {invitee.email ? <input type="hidden" name="username" autoComplete="username" value={invitee.email} /> : null}
        <TextField
          field={fields.password}
          label={t("admission.invite.password")}
          type="password"
          autoComplete="new-password"
          help={t("admission.invite.passwordHelp")}
        />
        <TextField field={fields.confirmPassword} label={t("admission.invite.confirmPassword")} type="password" autoComplete="new-password" />
        <ConsentField field={fields.legalAccepted} terms={terms} className="field" />
        <Honeypot />
        <button type="submit" className="btn btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("admission.invite.submit")}
        </button>
      </Form>
    </div>
  );
}
