import type { FieldMetadata } from "@conform-to/react";
import { getInputProps } from "@conform-to/react";
import { useT } from "~/i18n/i18n";
import { FieldErrors } from "~/ui/form";
import type { TermsShown } from "./consent-form";
import { LEGAL_PATHS } from "./legal-form";

/**
 * The consent box of /apply and /invite/:token, with links to the texts (in a new tab, so
 * the form keeps what was typed) and the ids of the versions shown. Nothing when the club
 * has published no texts.
 */
export function ConsentField({
  field,
  terms,
  className = "card",
}: {
  field: FieldMetadata<boolean | undefined>;
  terms: TermsShown;
  className?: string;
}) {
  const t = useT();
  if (!terms) return null;
  const link = (path: string, text: string) => (
    <a href={path} target="_blank" rel="noreferrer" className="underline">
      {text}
    </a>
  );
  const rules = terms.rules ? link(LEGAL_PATHS.RULES, t("club.consent.rules", { version: terms.rules.version })) : null;
  const privacy = terms.privacy ? link(LEGAL_PATHS.PRIVACY, t("club.consent.privacy", { version: terms.privacy.version })) : null;
  return (
    <div className={className}>
      {terms.rules ? <input type="hidden" name="rulesDocumentId" value={terms.rules.id} /> : null}
      {terms.privacy ? <input type="hidden" name="privacyDocumentId" value={terms.privacy.id} /> : null}
      <div className="flex items-start gap-3">
        {/* A new version shown is a new box: a tick given to the old one does not carry over. */}
        <input
          {...getInputProps(field, { type: "checkbox" })}
          key={`${terms.rules?.id ?? ""}|${terms.privacy?.id ?? ""}`}
          className="mt-1 h-4 w-4"
        />
        <label htmlFor={field.id}>
          {t("club.consent.accept")} {rules}
          {rules && privacy ? ` ${t("club.consent.and")} ` : null}
          {privacy}
          <span aria-hidden="true"> *</span>
        </label>
      </div>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
