import { useLoaderData } from "@remix-run/react";
import { Link } from "@remix-run/react";
import { useFormats } from "~/admission/components";
import { useT } from "~/i18n/i18n";
import { LEGAL_PATHS, type LegalKind } from "./legal-form";

export type LegalPageData = {
  kind: LegalKind;
  version: number;
  publishedAt: string;
  latestVersion: number;
  html: string;
};

/** /rules and /privacy: one version of the text in the reader's language, with its number and date. */
export function LegalPage() {
  const page = useLoaderData<LegalPageData>();
  const t = useT();
  const f = useFormats();
  const older = page.version < page.latestVersion;
  return (
    <article className="mx-auto max-w-3xl space-y-4">
      <h1>{t(`club.legal.kind.${page.kind}`)}</h1>
      <h2 className="text-base font-normal text-slate-700">
        {t("club.page.version", { version: page.version, date: f.longDate(page.publishedAt) })}
      </h2>
      {older ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900" role="status">
          {t("club.page.older", { version: page.latestVersion })} <Link to={LEGAL_PATHS[page.kind]}>{t("club.page.readCurrent")}</Link>
        </p>
      ) : null}
      <div className="prose-club card wrap-anywhere" dangerouslySetInnerHTML={{ __html: page.html }} />
    </article>
  );
}
