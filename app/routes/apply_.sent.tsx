import { useT } from "~/i18n/i18n";

/** Where /apply leads after a submission: the next step is in the applicant's mailbox. */
export default function ApplicationSent() {
  const t = useT();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1>{t("admission.sent.title")}</h1>
      <p className="text-lg text-slate-800" role="status">
        {t("admission.sent.body")}
      </p>
      <p className="text-slate-700">{t("admission.sent.spam")}</p>
    </div>
  );
}
