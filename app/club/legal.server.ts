import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { renderMarkdown } from "~/markdown/markdown.server";
import type { Locale } from "~/i18n/dictionary";
import { LEGAL_KINDS, type LegalKind, type PublishLegalInput } from "./legal-form";

type Client = Tx | typeof db;

/** The newest version of each kind (null where none is published). */
export async function currentLegalDocuments(client: Client = db) {
  const rows = await Promise.all(
    LEGAL_KINDS.map((kind) => client.legalDocument.findFirst({ where: { kind }, orderBy: { version: "desc" } })),
  );
  return { RULES: rows[0], PRIVACY: rows[1] };
}

/** The names of the staff who published, by id (a removed or erased one shows as nobody). */
async function publisherNames(ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map<string, string>();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user.name]));
}

/** Every version of both texts, newest first, with who published it: the owner's page. */
export async function legalAdminPage() {
  const documents = await db.legalDocument.findMany({ orderBy: [{ kind: "asc" }, { version: "desc" }] });
  const names = await publisherNames(documents.map((doc) => doc.publishedById));
  return LEGAL_KINDS.map((kind) => {
    const versions = documents
      .filter((doc) => doc.kind === kind)
      .map((doc) => ({
        id: doc.id,
        version: doc.version,
        publishedAt: doc.publishedAt.toISOString(),
        publishedBy: doc.publishedById ? (names.get(doc.publishedById) ?? null) : null,
      }));
    const current = documents.find((doc) => doc.kind === kind) ?? null;
    return { kind, versions, current: current ? { bodyEn: current.bodyEn, bodyRu: current.bodyRu } : null };
  });
}

export type PublishResult = { ok: true; version: number } | { ok: false; reason: "race" };

/**
 * Publishes version N+1 of a text; versions are never edited. Two owners publishing at once:
 * the unique (kind, version) index refuses the second, who is asked to look again.
 */
export async function publishLegalDocument(actorId: string, input: PublishLegalInput): Promise<PublishResult> {
  try {
    const version = await db.$transaction(async (tx) => {
      const latest = await tx.legalDocument.findFirst({ where: { kind: input.kind }, orderBy: { version: "desc" }, select: { version: true } });
      const next = (latest?.version ?? 0) + 1;
      const doc = await tx.legalDocument.create({
        data: { kind: input.kind, version: next, bodyEn: input.bodyEn, bodyRu: input.bodyRu, publishedById: actorId },
      });
      await recordAudit(tx, {
        actorId,
        action: "legal.publish",
        subjectType: "LegalDocument",
        subjectId: doc.id,
        before: latest ? { kind: input.kind, version: latest.version } : null,
        after: { kind: input.kind, version: next },
      });
      return next;
    });
    return { ok: true, version };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, reason: "race" };
    throw error;
  }
}

/**
 * One version of a text for its public page, in the reader's language: the current one, or
 * the one asked for with ?version=N. Null when there is none.
 */
export async function legalPage(kind: LegalKind, locale: Locale, versionParam: string | null) {
  const asked = versionParam === null ? null : /^\d{1,6}$/.test(versionParam) ? Number(versionParam) : NaN;
  if (Number.isNaN(asked)) return null;
  const [doc, latest] = await Promise.all([
    asked === null
      ? db.legalDocument.findFirst({ where: { kind }, orderBy: { version: "desc" } })
      : db.legalDocument.findUnique({ where: { kind_version: { kind, version: asked } } }),
    db.legalDocument.findFirst({ where: { kind }, orderBy: { version: "desc" }, select: { version: true } }),
  ]);
  if (!doc) return null;
  return {
    kind,
    version: doc.version,
    publishedAt: doc.publishedAt.toISOString(),
    latestVersion: latest?.version ?? doc.version,
    html: renderMarkdown(locale === "ru" ? doc.bodyRu : doc.bodyEn),
  };
}
