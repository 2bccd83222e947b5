import { Prisma, type ForumCategory, type User } from "~/generated/prisma/client";
import { forbidden, isStaff, notFound, requireMember, type Viewer } from "~/auth/guards.server";
import { currentMembership } from "~/billing/access.server";
import { db, type Tx } from "~/db.server";
import { translator, type Locale } from "~/i18n/dictionary";

/**
 * Who may do what in the forum. Every loader and action asks here, on the server.
 *  - Curators and owners read and post everywhere, and moderate.
 *  - A member reads the categories their tier now holds a ForumCategoryTier row for,
 *    and posts where that row has canPost.
 *  - A category or thread the member may not read is "not found" (404), so its title
 *    never leaks; posting where they may only read, or in a locked thread, is 403.
 */
export type ForumReader = {
  userId: string;
  name: string;
  locale: Locale;
  staff: boolean;
  /** The tier held now; null for staff without one. */
  tierId: string | null;
};

export function forumReaderOf(viewer: Viewer): ForumReader {
  return {
    userId: viewer.user.id,
    name: viewer.user.name,
    locale: viewer.user.locale,
    staff: isStaff(viewer.user),
    tierId: viewer.membership?.tier.id ?? null,
  };
}

/** A signed-in member holding a tier, or staff. Others get 403 with the reason. */
export async function requireForumReader(request: Request): Promise<ForumReader> {
  return forumReaderOf(await requireMember(request, "forum.noMembership"));
}

/** The same reader for a member looked up by id (for notifications and the digest). */
export async function forumReaderById(userId: string): Promise<ForumReader | null> {
  const user = await db.user.findUnique({ where: { id: userId } });
  return user ? forumReaderOfUser(user) : null;
}

/** The reader a stored member is now: null when deactivated or holding no tier (and not staff). */
export async function forumReaderOfUser(user: User, client: Tx | typeof db = db): Promise<ForumReader | null> {
  if (user.deactivatedAt) return null;
  const membership = await currentMembership(user.id, new Date(), client);
  const reader: ForumReader = {
    userId: user.id,
    name: user.name,
    locale: user.locale,
    staff: user.role === "OWNER" || user.role === "CURATOR",
    tierId: membership?.tier.id ?? null,
  };
  return reader.staff || reader.tierId ? reader : null;
}

export type CategoryAccess = { canRead: boolean; canPost: boolean };

export async function categoryAccess(reader: ForumReader, categoryId: string, client: Tx | typeof db = db): Promise<CategoryAccess> {
  const found = await findCategoryWithAccess(reader, Prisma.sql`c.id = ${categoryId}`, client);
  return found?.access ?? { canRead: false, canPost: false };
}

/** Ids of the categories the reader may read (a handful of rows). */
export async function readableCategoryIds(reader: ForumReader): Promise<string[]> {
  if (reader.staff) return (await db.forumCategory.findMany({ select: { id: true } })).map((c) => c.id);
  if (!reader.tierId) return [];
  const rows = await db.forumCategoryTier.findMany({ where: { tierId: reader.tierId }, select: { categoryId: true } });
  return rows.map((r) => r.categoryId);
}

/**
 * One category (picked by `where`, on alias c) with the reader's access to it, in one raw
 * query: category and thread pages ask this first on every request. Null when there is none.
 * A caller may ask for more in the same round trip: `also` is an SQL expression over the
 * category (`c`), returned as `also` (the thread page asks for the thread this way).
 */
export async function findCategoryWithAccess<Also = null>(
  reader: ForumReader,
  where: Prisma.Sql,
  client: Tx | typeof db = db,
  also: Prisma.Sql = Prisma.sql`NULL`,
): Promise<{ category: ForumCategory; access: CategoryAccess; also: Also } | null> {
  const [row] = await client.$queryRaw<Array<ForumCategory & { tierRow: boolean; tierCanPost: boolean | null; categoryAlso: Also }>>`
    SELECT c.*, (ct."tierId" IS NOT NULL) AS "tierRow", ct."canPost" AS "tierCanPost", ${also} AS "categoryAlso"
    FROM "ForumCategory" c
    LEFT JOIN "ForumCategoryTier" ct ON ct."categoryId" = c.id AND ct."tierId" = ${reader.tierId ?? ""}
    WHERE ${where}`;
  if (!row) return null;
  const { tierRow, tierCanPost, categoryAlso, ...category } = row;
  const access: CategoryAccess = reader.staff
    ? { canRead: true, canPost: true }
    : { canRead: Boolean(reader.tierId && tierRow), canPost: Boolean(reader.tierId && tierCanPost) };
  return { category, access, also: categoryAlso };
}

/** The category at /forum/:slug with the reader's access, or 404 when they may not read it. */
export async function requireReadableCategory(
  reader: ForumReader,
  slug: string,
): Promise<{ category: ForumCategory; access: CategoryAccess }> {
  const found = await findCategoryWithAccess(reader, Prisma.sql`c.slug = ${slug}`);
  if (!found?.access.canRead) throw notFound();
  return found;
}

/** 403 with a message in the reader's language. */
export function refuse(reader: Pick<ForumReader, "locale">, key: "forum.cannotPost" | "forum.locked" | "forum.notYourPost" | "forum.ownPostHelpful" | "forum.helpfulHidden"): Response {
  return forbidden(translator(reader.locale)(key));
}
