import { useFormats } from "~/admission/components";
import { useT } from "~/i18n/i18n";
import type { ConsentSummary } from "./consent.server";

/** "Accepted rules v2 and privacy notice v1 on <date>", for the staff's application page. */
export function ConsentText({ consent }: { consent: ConsentSummary }) {
  const t = useT();
  const f = useFormats();
  if (!consent) return <>{t("club.consent.none")}</>;
  const date = f.dateTime(consent.acceptedAt);
  if (consent.rules !== null && consent.privacy !== null) {
    return <>{t("club.consent.recorded", { rules: consent.rules, privacy: consent.privacy, date })}</>;
  }
  if (consent.rules !== null) return <>{t("club.consent.recordedRules", { rules: consent.rules, date })}</>;
  return <>{t("club.consent.recordedPrivacy", { privacy: consent.privacy ?? "", date })}</>;
}
