import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { applicantStatus } from "~/admission/applications.server";
import { ApplicationStatusBadge, useFormats } from "~/admission/components";
import { useT } from "~/i18n/i18n";

/** The applicant's own view of their application, reached only through the token in their email. */
export async function loader({ params }: LoaderFunctionArgs) {
  const status = await applicantStatus(params.token ?? "");
  return data({ application: status }, { status: status ? 200 : 404, headers: { "Cache-Control": "no-store" } });
}

export default function ApplicationStatusPage() {
  const { application } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const f = useFormats();
  if (!application) {
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <h1>{t("error.404.title")}</h1>
        <p>{t("admission.verify.unknown")}</p>
      </div>
    );
  }
  const { status, invite } = application;
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1>{t("admission.statusPage.title")}</h1>
      {searchParams.get("verified") && status !== "UNVERIFIED" ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("admission.statusPage.verified")}
        </p>
      ) : null}
      <section className="card space-y-3 wrap-anywhere" aria-labelledby="current-status">
        <p className="text-slate-700">
          {t("admission.statusPage.submitted", { date: f.longDate(application.submittedAt), name: application.name, email: application.email })}
        </p>
        <h2 id="current-status" className="flex items-center gap-3">
          {t("admission.statusPage.current")} <ApplicationStatusBadge status={status} />
        </h2>
        <p className="text-lg">{application.lapsed ? t("admission.statusPage.lapsed") : t(`admission.statusPage.${status}`)}</p>
        {application.decidedAt && (status === "APPROVED" || status === "REJECTED" || status === "WAITLISTED") ? (
          <p className="text-slate-700">{t("admission.statusPage.decidedOn", { date: f.longDate(application.decidedAt) })}</p>
        ) : null}
        {application.rejectionReason ? (
          <div>
            <h3 className="font-semibold">{t("admission.statusPage.reason")}</h3>
            <p className="whitespace-pre-line">{application.rejectionReason}</p>
          </div>
        ) : null}
        {status === "APPROVED" && invite ? (
          <p>
            {invite.state === "valid"
              ? t("admission.statusPage.inviteValid", { date: f.longDate(invite.expiresAt) })
              : invite.state === "used"
                ? t("admission.statusPage.inviteUsed")
                : invite.state === "expired"
                  ? t("admission.statusPage.inviteExpired", { date: f.longDate(invite.expiresAt) })
                  : t("admission.statusPage.inviteRevoked")}
          </p>
        ) : null}
        {status === "APPROVED" && invite?.state === "used" ? (
          <p>
            <Link to="/login" className="btn btn-primary">
              {t("admission.statusPage.signIn")}
            </Link>
          </p>
        ) : null}
        {application.lapsed ? (
          <p>
            <Link to="/apply" className="btn btn-primary">
              {t("admission.verify.applyAgain")}
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
