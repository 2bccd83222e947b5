import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmLinkPage } from "~/admission/components";
import { inspectAccountToken, verifyAccountEmail, type TokenProblem } from "~/admission/account-tokens.server";
import { passThroughHeaders } from "~/admission/headers";
import { useT } from "~/i18n/i18n";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const headers = passThroughHeaders;

const NO_STORE = { "Cache-Control": "no-store" };

function problemStatus(problem: TokenProblem) {
  return problem === "unknown" ? 404 : 410;
}

/**
 * The link in an account's email-verification message. Opening it changes nothing, since
 * mail scanners open every link in a message: the page asks for a press of its button.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const checked = await inspectAccountToken(params.token ?? "", "EMAIL_VERIFICATION");
  if (checked.ok) return data({ problem: null }, { headers: NO_STORE });
  return data({ problem: checked.reason }, { status: problemStatus(checked.reason), headers: NO_STORE });
}

/** The confirmation; the link works once. */
export async function action({ params }: ActionFunctionArgs) {
  const result = await verifyAccountEmail(params.token ?? "");
  // The status is explicit: without it, a page posted without JavaScript would get the
  // status of the loader that runs after the action, which by then sees the link used (410).
  if (result.ok) return data({ done: true, problem: null }, { status: 200, headers: NO_STORE });
  return data({ done: false, problem: result.reason }, { status: problemStatus(result.reason), headers: NO_STORE });
}

export default function VerifyEmail() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  // After a confirmation the loader sees the link used; the action's answer is the one to show.
  const problem = actionData ? actionData.problem : loaderData.problem;
  if (!problem && !actionData?.done) {
    return (
      <ConfirmLinkPage
        title={t("admission.verifyEmail.confirmTitle")}
        body={t("admission.verifyEmail.confirmBody")}
        button={t("admission.verifyEmail.confirm")}
      />
    );
  }
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1>{problem ? t("admission.verifyEmail.problemTitle") : t("admission.verifyEmail.title")}</h1>
      <p role="status">{problem ? t(`admission.verifyEmail.${problem}`) : t("admission.verifyEmail.body")}</p>
      <p>
        <Link to="/account" className="btn btn-primary">
          {t("admission.verifyEmail.continue")}
        </Link>
      </p>
    </div>
  );
}
