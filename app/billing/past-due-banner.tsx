import { Link } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { useFormatDate } from "./ui";

/** Shown on every page while a failed payment's grace period runs (app/root.tsx). */
export function PastDueBanner({ graceEndsAt }: { graceEndsAt: Date | string }) {
  const t = useT();
  const date = useFormatDate();
  return (
    <div className="past-due-banner" data-testid="past-due-banner">
      <p>
        {t("billing.banner.pastDue", { date: date(graceEndsAt) })} <Link to="/billing">{t("billing.banner.action")}</Link>
      </p>
    </div>
  );
}
