import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { metaTranslator, useT } from "~/i18n/i18n";

/** Where a deleted account lands, signed out; public, in the reader's language (`?lang=` from the deletion). */
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("privacy.deleted.title") }];

export default function AccountDeleted() {
  const t = useT();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1>{t("privacy.deleted.title")}</h1>
      <p>{t("privacy.deleted.body")}</p>
      <p>
        <Link to="/">{t("privacy.deleted.home")}</Link>
      </p>
    </div>
  );
}
