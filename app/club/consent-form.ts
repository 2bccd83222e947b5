import { z } from "zod";

/**
 * The consent box on /apply and /invite/:token: "I accept the club rules (version N) and the
 * privacy notice (version M)". The form carries the ids of the versions it showed, so the
 * server can tell when a newer one was published in between. `terms` is what the page showed
 * (null when the club has published no texts: no box, nothing recorded).
 */
export type TermsShown = {
  rules: { id: string; version: number } | null;
  privacy: { id: string; version: number } | null;
} | null;

export function consentFields(terms: TermsShown) {
  return {
    legalAccepted: terms ? z.boolean({ error: "club.consent.required" }) : z.boolean().optional(),
    rulesDocumentId: z.string().max(64).optional(),
    privacyDocumentId: z.string().max(64).optional(),
  };
}

/** What the server needs from a submitted form to record consent. */
export type ConsentInput = {
  legalAccepted?: boolean;
  rulesDocumentId?: string;
  privacyDocumentId?: string;
};

/** The versions a submitted form says it showed (the hidden fields beside the box). */
export function shownTerms(formData: FormData): ConsentInput {
  const id = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value ? value : undefined;
  };
  return { rulesDocumentId: id("rulesDocumentId"), privacyDocumentId: id("privacyDocumentId") };
}
