import type { LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { verifyApplication } from "~/admission/applications.server";
import { APPLICATION_VERIFY_DAYS } from "~/admission/lists";
import { useT } from "~/i18n/i18n";

/**
 * The link in the verification email. Following it confirms the address, puts the
 * application in the review queue, and leads to the status page of the same token.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await verifyApplication(token);
  if (result === "verified") throw redirect(`/apply/status/${token}?verified=1`);
  if (result === "already-verified") throw redirect(`/apply/status/${token}`);
  const status = result === "unknown" ? 404 : result === "expired" ? 410 : 409;
  return data({ problem: result }, { status, headers: { "Cache-Control": "no-store" } });
}

export default function VerifyApplication() {
  const { problem } = useLoaderData<typeof loader>();
  const t = useT();
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
