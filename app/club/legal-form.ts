import { z } from "zod";
import { requiredText } from "~/ui/visible-text";

/** The kinds of legal text the club publishes, in the order the pages show them. */
export const LEGAL_KINDS = ["RULES", "PRIVACY"] as const;
export type LegalKind = (typeof LEGAL_KINDS)[number];

/** Where the public page of each kind lives. */
export const LEGAL_PATHS: Record<LegalKind, string> = { RULES: "/rules", PRIVACY: "/privacy" };

export const LEGAL_BODY_MAX = 20_000;

/** A new version of one text, in both languages (the owner's form on /admin/settings/legal). */
export const PublishLegalSchema = z.object({
  kind: z.enum(LEGAL_KINDS),
  bodyEn: requiredText(LEGAL_BODY_MAX),
  bodyRu: requiredText(LEGAL_BODY_MAX),
});

export type PublishLegalInput = z.infer<typeof PublishLegalSchema>;
