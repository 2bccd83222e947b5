import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmLinkPage } from "~/admission/components";
import { inspectApplicationVerification, verifyApplication } from "~/admission/applications.server";
import { passThroughHeaders } from "~/admission/headers";
import { APPLICATION_VERIFY_DAYS } from "~/admission/lists";
import { useT } from "~/i18n/i18n";
import { keepLinkLanguage } from "~/i18n/locale.server";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const headers = passThroughHeaders;

const NO_STORE = { "Cache-Control": "no-store" };

type Problem = "unknown" | "expired" | "duplicate";

function problemStatus(problem: Problem) {
  return problem === "unknown" ? 404 : problem === "expired" ? 410 : 409;
}

/**
 * The link in the verification email. Opening it changes nothing, since mail scanners open
 * every link in a message: the page asks the applicant to confirm with a button.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const state = await inspectApplicationVerification(token);
  if (state === "already-verified") throw redirect(keepLinkLanguage(request, `/apply/status/${token}`));
  if (state === "pending") return data({ problem: null }, { headers: NO_STORE });
  return data({ problem: state }, { status: problemStatus(state), headers: NO_STORE });
}

/** The confirmation: puts the application in the review queue and leads to the status page of the same token. */
export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const result = await verifyApplication(token);
  if (result === "verified") throw redirect(keepLinkLanguage(request, `/apply/status/${token}?verified=1`));
  if (result === "already-verified") throw redirect(keepLinkLanguage(request, `/apply/status/${token}`));
  return data({ problem: result }, { status: problemStatus(result), headers: NO_STORE });
}

export default function VerifyApplication() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const problem = actionData?.problem ?? loaderData.problem;
  if (!problem) {
    return (
      <ConfirmLinkPage
        title={t("admission.verify.confirmTitle")}
        body={t("admission.verify.confirmBody")}
        button={t("admission.verify.confirm")}
      />
    );
  }
  const [title, body] =
    problem === "expired"
      ? [t("admission.verify.expiredTitle"), t("admission.verify.expiredBody", { days: APPLICATION_VERIFY_DAYS })]
      : problem === "duplicate"
        ? [t("admission.verify.duplicateTitle"), t("admission.verify.duplicateBody")]
        : [t("error.404.title"), t("admission.verify.unknown")];
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1>{title}</h1>
      <p className="text-slate-800">{body}</p>
      {problem !== "duplicate" ? (
        <p>
          <Link to="/apply" className="btn btn-primary">
            {t("admission.verify.applyAgain")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
