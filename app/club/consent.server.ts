import { db, type Tx } from "~/db.server";
import type { ConsentInput, TermsShown } from "./consent-form";
import { currentLegalDocuments } from "./legal.server";

/** The versions a consent box shows now: null when the club has published neither text. */
export async function currentTerms(client: Tx | typeof db = db): Promise<TermsShown> {
  const { RULES, PRIVACY } = await currentLegalDocuments(client);
  if (!RULES && !PRIVACY) return null;
  const shown = (doc: typeof RULES) => (doc ? { id: doc.id, version: doc.version } : null);
  return { rules: shown(RULES), privacy: shown(PRIVACY) };
}

/** Whether the submitted form showed other versions than `terms` (the current ones). */
export function termsChanged(input: ConsentInput, terms: TermsShown): boolean {
  return (
    (terms?.rules?.id ?? null) !== (input.rulesDocumentId || null) ||
    (terms?.privacy?.id ?? null) !== (input.privacyDocumentId || null)
  );
}

/** The box was ticked under versions that are no longer current (or left unticked). */
export class ConsentRefused extends Error {
  constructor(readonly reason: "stale" | "required") {
    super(`consent ${reason}`);
  }
}

/**
 * Records one ConsentRecord per current document, for an application or for a new member,
 * inside the caller's transaction (so a failing application or redemption records none).
 * Throws ConsentRefused when the form showed other versions than the current ones: a text
 * published since the form was shown must be read first. Nothing published: nothing recorded.
 */
export async function recordConsent(
  tx: Tx,
  input: ConsentInput,
  subject: { applicationId: string } | { userId: string },
  now = new Date(),
): Promise<void> {
  const terms = await currentTerms(tx);
  if (termsChanged(input, terms)) throw new ConsentRefused("stale");
  if (!terms) return;
  if (!input.legalAccepted) throw new ConsentRefused("required");
  const documents = [terms.rules, terms.privacy].filter((doc): doc is { id: string; version: number } => Boolean(doc));
  await tx.consentRecord.createMany({
    data: documents.map((doc) => ({ documentId: doc.id, acceptedAt: now, ...subject })),
  });
}

export type ConsentSummary = { rules: number | null; privacy: number | null; acceptedAt: string } | null;

/** What an applicant accepted, for the staff's application page. */
export async function applicationConsent(applicationId: string): Promise<ConsentSummary> {
  const records = await db.consentRecord.findMany({ where: { applicationId }, orderBy: { acceptedAt: "asc" } });
  if (!records.length) return null;
  const documents = await db.legalDocument.findMany({
    where: { id: { in: records.map((record) => record.documentId) } },
    select: { id: true, kind: true, version: true },
  });
  const version = (kind: "RULES" | "PRIVACY") => documents.find((doc) => doc.kind === kind)?.version ?? null;
  return { rules: version("RULES"), privacy: version("PRIVACY"), acceptedAt: records[0].acceptedAt.toISOString() };
}
