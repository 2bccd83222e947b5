import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { verifyAccountEmail } from "~/admission/account-tokens.server";
import { passThroughHeaders } from "~/admission/headers";
import { useT } from "~/i18n/i18n";

export const headers = passThroughHeaders;

/** The link in an account's email-verification message; it works once. */
export async function loader({ params }: LoaderFunctionArgs) {
  const result = await verifyAccountEmail(params.token ?? "");
  const headers = { "Cache-Control": "no-store" };
  if (result.ok) return data({ problem: null }, { headers });
  return data({ problem: result.reason }, { status: result.reason === "unknown" ? 404 : 410, headers });
}

export default function VerifyEmail() {
  const { problem } = useLoaderData<typeof loader>();
  const t = useT();
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
