import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { passThroughHeaders } from "~/admission/headers";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { badRequest, getViewer, readForm, safeRedirectTo } from "~/auth/guards.server";
import { signedInHeaders, startSession } from "~/auth/login.server";
import { AnyCodeSchema, CodeForm, TotpCodeSchema } from "~/auth/two-factor-form";
import {
  answerTwoFactorChallenge,
  ChallengeGone,
  clearChallengeCookie,
  readTwoFactorChallenge,
  refusedCode,
} from "~/auth/two-factor.server";
import { metaTranslator, useT } from "~/i18n/i18n";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("twoFactor.login.title") }];

/** No live challenge (it expired, or the password step never happened): start again. */
async function backToLogin() {
  return redirect("/login?twoFactor=expired", { headers: { "Set-Cookie": await clearChallengeCookie() } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getViewer(request)) throw redirect("/forum");
  if (!(await readTwoFactorChallenge(request))) throw await backToLogin();
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const challenge = await readTwoFactorChallenge(request);
  if (!challenge) return backToLogin();
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent !== "totp" && intent !== "recovery") throw badRequest();
  const submission = parseWithZod(formData, { schema: intent === "totp" ? TotpCodeSchema : AnyCodeSchema });
  if (submission.status !== "success") return data({ intent, result: submission.reply({ hideFields: ["code"] }) }, { status: 400 });

  let check;
  try {
    check = await answerTwoFactorChallenge(challenge, submission.value.code, intent === "recovery");
  } catch (error) {
    if (error instanceof ChallengeGone) return backToLogin();
    throw error;
  }
  if (!check.ok) {
    const { result, init } = refusedCode(submission, check);
    return data({ intent, result }, init);
  }
  const token = await startSession(request, challenge.userId);
  const cookies = await signedInHeaders(request, token, challenge.userId);
  cookies.append("Set-Cookie", await clearChallengeCookie());
  return redirect(safeRedirectTo(challenge.redirectTo, "/forum"), { headers: cookies });
}

// A refused code past the limit (429) tells the browser when to try again, on the page as in the header.
export const headers = passThroughHeaders;

export default function LoginTwoFactor() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const recovery = actionData?.intent === "recovery";
  return (
    <div className="mx-auto max-w-md">
      <h1>{t("twoFactor.login.title")}</h1>
      <p className="mt-3 text-slate-700">{t("twoFactor.login.intro")}</p>
      <div className="card mt-6">
        <CodeForm
          intent="totp"
          schema={TotpCodeSchema}
          lastResult={recovery ? undefined : actionData?.result}
          label={t("twoFactor.code.label")}
          help={t("twoFactor.code.help")}
          submit={t("twoFactor.login.submit")}
        />
        <details className="mt-6" open={recovery}>
          <summary className="cursor-pointer text-sm font-medium text-indigo-800">{t("twoFactor.login.useRecovery")}</summary>
          <CodeForm
            intent="recovery"
            schema={AnyCodeSchema}
            lastResult={recovery ? actionData?.result : undefined}
            label={t("twoFactor.login.recoveryLabel")}
            help={t("twoFactor.login.recoveryHelp")}
            submit={t("twoFactor.login.recoverySubmit")}
            oneTimeCode={false}
          />
        </details>
      </div>
      <p className="mt-6 text-sm">
        <Link to="/login">{t("twoFactor.login.restart")}</Link>
      </p>
    </div>
  );
}
