/** Helpers for the club tests: publishing the legal texts, and the consent fields a form sends. */
import { db } from "~/db.server";
import { currentTerms } from "~/club/consent.server";
import { publishLegalDocument } from "~/club/legal.server";
import { createUser } from "../factories";

/** Publishes a new version of both texts, as an owner does on /admin/settings/legal. */
export async function publishTerms(ownerId?: string) {
  const owner = ownerId ?? (await createUser({ role: "OWNER", tier: null })).id;
  for (const kind of ["RULES", "PRIVACY"] as const) {
    const result = await publishLegalDocument(owner, { kind, bodyEn: `# ${kind}\nBe kind.`, bodyRu: `# ${kind}\nБудьте добры.` });
    if (!result.ok) throw new Error("publishing failed");
  }
  return currentTerms();
}

/**
 * The consent box as the form sends it: ticked, with the ids of the versions shown (the
 * current ones unless told), or nothing at all when the club has published no texts.
 */
export async function consentFields(options: { ticked?: boolean; terms?: Awaited<ReturnType<typeof currentTerms>> } = {}) {
  const terms = options.terms === undefined ? await currentTerms() : options.terms;
  const fields: Record<string, string> = {};
  if (!terms) return fields;
  if (terms.rules) fields.rulesDocumentId = terms.rules.id;
  if (terms.privacy) fields.privacyDocumentId = terms.privacy.id;
  if (options.ticked !== false) fields.legalAccepted = "on";
  return fields;
}

export function auditRows(action: string) {
  return db.auditEntry.findMany({ where: { action }, orderBy: { id: "asc" } });
}
