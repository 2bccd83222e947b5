import { Prisma, type ForumCategory, type ForumThread } from "~/generated/prisma/client";
import { notFound } from "~/auth/guards.server";
import { db, fromJsonTimestamp, readDb, rowFromJson, type Tx } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import { findCategoryWithAccess, type CategoryAccess, type ForumReader } from "./access.server";
import { paginate, type Pagination } from "./pagination";

/**
 * Reading the forum: the category list, a category's threads, a thread's posts, and
 * the member's read markers. Every list is one SQL query served by an index
 * (see docs/architecture.md "Forum"); authors, read markers and helpful counts are
 * joined in, never fetched row by row.
 */
export const THREADS_PER_PAGE = 20;
export const POSTS_PER_PAGE = 20;
/** Threads whose last post is older than this count as read for a member who never opened them. */
export const UNREAD_HORIZON_DAYS = 30;

const horizon = () => new Date(Date.now() - UNREAD_HORIZON_DAYS * 86_400_000);

export type CategorySummary = {
  id: string;
  slug: string;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  canPost: boolean;
  latestThreadId: string | null;
  latestThreadTitle: string | null;
  latestPostAt: Date | null;
  latestUnread: boolean;
};

/** The categories the reader may read, in order, each with its latest active thread. */
export function categoryListQuery(reader: ForumReader): Prisma.Sql {
  const access = reader.staff
    ? Prisma.sql`true AS "canPost"`
    : Prisma.sql`ct."canPost" AS "canPost"`;
  const gate = reader.staff
    ? Prisma.empty
    : Prisma.sql`JOIN "ForumCategoryTier" ct ON ct."categoryId" = c.id AND ct."tierId" = ${reader.tierId ?? ""}`;
  // Two index scans (pinned and not) instead of a sort: the thread index leads with pinned.
  return Prisma.sql`
    SELECT c.id, c.slug, c."nameEn", c."nameRu", c."descriptionEn", c."descriptionRu", ${access},
           latest.id AS "latestThreadId", latest.title AS "latestThreadTitle", latest."lastPostAt" AS "latestPostAt",
           COALESCE(latest.id IS NOT NULL AND (
              (r."lastReadAt" IS NULL AND latest."lastPostAt" > ${horizon()})
              OR r."lastReadAt" < latest."lastPostAt"), false) AS "latestUnread"
    FROM "ForumCategory" c
    ${gate}
    LEFT JOIN LATERAL (
      SELECT * FROM (
        (SELECT t.id, t.title, t."lastPostAt" FROM "ForumThread" t
          WHERE t."categoryId" = c.id AND t.pinned = false AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL
          ORDER BY t."lastPostAt" DESC LIMIT 1)
        UNION ALL
        (SELECT t.id, t.title, t."lastPostAt" FROM "ForumThread" t
          WHERE t."categoryId" = c.id AND t.pinned = true AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL
          ORDER BY t."lastPostAt" DESC LIMIT 1)
      ) latest_two ORDER BY "lastPostAt" DESC LIMIT 1
    ) latest ON true
    LEFT JOIN "ForumThreadRead" r ON r."threadId" = latest.id AND r."userId" = ${reader.userId}
    ORDER BY c.position, c."nameEn"`;
}

export async function listCategories(reader: ForumReader): Promise<CategorySummary[]> {
  if (!reader.staff && !reader.tierId) return [];
  return readDb.$replica().$queryRaw<CategorySummary[]>(categoryListQuery(reader));
}

export type ThreadSummary = {
  id: string;
  title: string;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  replyCount: number;
  lastPostAt: Date;
  createdAt: Date;
  authorId: string;
  authorName: string;
  unread: boolean;
};

/** One page of a category's threads: pinned first, then by latest activity. */
export function categoryThreadsQuery(reader: ForumReader, categoryId: string, offset: number, limit = THREADS_PER_PAGE): Prisma.Sql {
  const hidden = reader.staff ? Prisma.empty : Prisma.sql`AND t."hiddenAt" IS NULL`;
  return Prisma.sql`
    SELECT t.id, t.title, t.pinned, (t."lockedAt" IS NOT NULL) AS locked, (t."hiddenAt" IS NOT NULL) AS hidden,
           t."replyCount", t."lastPostAt", t."createdAt", u.id AS "authorId", u.name AS "authorName",
           COALESCE((r."lastReadAt" IS NULL AND t."lastPostAt" > ${horizon()}) OR r."lastReadAt" < t."lastPostAt", false) AS unread
    FROM "ForumThread" t
    JOIN "User" u ON u.id = t."authorId"
    LEFT JOIN "ForumThreadRead" r ON r."threadId" = t.id AND r."userId" = ${reader.userId}
    WHERE t."categoryId" = ${categoryId} AND t."deletedAt" IS NULL ${hidden}
    ORDER BY t.pinned DESC, t."lastPostAt" DESC, t.id DESC
    LIMIT ${limit} OFFSET ${offset}`;
}

/** How many threads of a category the reader sees: counts kept on the category by a trigger. */
export function visibleThreadCount(reader: ForumReader, category: Pick<ForumCategory, "liveThreadCount" | "hiddenThreadCount">): number {
  return category.liveThreadCount + (reader.staff ? category.hiddenThreadCount : 0);
}

export async function categoryThreads(
  reader: ForumReader,
  category: Pick<ForumCategory, "id" | "liveThreadCount" | "hiddenThreadCount">,
  page: number,
): Promise<{ threads: ThreadSummary[]; pagination: Pagination }> {
  const pagination = paginate(visibleThreadCount(reader, category), page, THREADS_PER_PAGE);
  const threads = await readDb.$replica().$queryRaw<ThreadSummary[]>(
    categoryThreadsQuery(reader, category.id, (pagination.page - 1) * THREADS_PER_PAGE),
  );
  return { threads, pagination };
}

export type ThreadWithCategory = ForumThread & { category: ForumCategory };

/** Where the reader stands in a thread: how many posts it has, and how far they have read. */
export type ThreadProgress = { postCount: number; lastReadAt: Date | null };

export type ReadableThread = { removed: boolean; thread: ThreadWithCategory; access: CategoryAccess; progress: ThreadProgress };

const THREAD_DATES = ["lockedAt", "hiddenAt", "deletedAt", "lastPostAt", "createdAt", "updatedAt"] as const satisfies ReadonlyArray<keyof ForumThread>;

/**
 * The thread with the reader's access to its category. A thread in a category the reader
 * may not read is "not found"; for members, one its author deleted or a curator hid is
 * "removed". Staff still open both, to restore or show them again.
 */
export async function findReadableThread(reader: ForumReader, threadId: string): Promise<ReadableThread> {
  // The thread, its category with the reader's access, the number of posts and the reader's
  // marker: one round trip, as every thread page and every forum action asks it first.
  const found = await findCategoryWithAccess<{ thread: object; postCount: number; lastReadAt: string | null } | null>(
    reader,
    Prisma.sql`c.id = (SELECT "categoryId" FROM "ForumThread" WHERE id = ${threadId})`,
    db,
    Prisma.sql`(SELECT json_build_object(
        'thread', to_jsonb(t),
        'postCount', (${threadPostCountQuery(threadId)}),
        'lastReadAt', (SELECT "lastReadAt" FROM "ForumThreadRead" WHERE "userId" = ${reader.userId} AND "threadId" = ${threadId}))
      FROM "ForumThread" t WHERE t.id = ${threadId})`,
  );
  if (!found?.also || !found.access.canRead) throw notFound();
  const thread = rowFromJson<ForumThread>(found.also.thread, THREAD_DATES);
  const removed = (Boolean(thread.deletedAt) || Boolean(thread.hiddenAt)) && !reader.staff;
  return {
    removed,
    thread: { ...thread, category: found.category },
    access: found.access,
    progress: { postCount: found.also.postCount, lastReadAt: fromJsonTimestamp(found.also.lastReadAt) },
  };
}

/** As findReadableThread, for actions: a removed thread (for staff too, a deleted one) is 410. */
export async function requireLiveThread(reader: ForumReader, threadId: string) {
  const found = await findReadableThread(reader, threadId);
  if (found.removed || found.thread.deletedAt) throw new Response(translator(reader.locale)("forum.removed.title"), { status: 410 });
  return found;
}

export type PostView = {
  id: string;
  authorId: string;
  authorName: string;
  authorRole: "OWNER" | "CURATOR" | "MEMBER";
  authorJobTitle: string | null;
  authorCompany: string | null;
  isOpening: boolean;
  /** null when the post was deleted, or hidden and the reader is not staff. */
  bodyHtml: string | null;
  deleted: boolean;
  hidden: boolean;
  editedAt: Date | null;
  /** Who made the last edit when it was not the author (a curator redacting the post). */
  editorName: string | null;
  createdAt: Date;
  helpful: number;
  markedHelpful: boolean;
  isNew: boolean;
};

type PostRow = Omit<PostView, "helpful" | "isNew" | "bodyHtml"> & { bodyHtml: string; helpful: bigint };

/** One page of a thread's posts, oldest first, with authors and helpful marks. */
export function threadPostsQuery(reader: ForumReader, threadId: string, offset: number, limit = POSTS_PER_PAGE): Prisma.Sql {
  return Prisma.sql`
    SELECT p.id, p."authorId", u.name AS "authorName", u.role::text AS "authorRole", u."jobTitle" AS "authorJobTitle",
           u.company AS "authorCompany", p."isOpening", p."bodyHtml", (p."deletedAt" IS NOT NULL) AS deleted,
           (p."hiddenAt" IS NOT NULL) AS hidden, p."editedAt", p."createdAt",
           (SELECT e.name FROM "User" e WHERE e.id = p."editedById") AS "editorName",
           (SELECT count(*) FROM "ForumHelpfulMark" h WHERE h."postId" = p.id) AS helpful,
           EXISTS (SELECT 1 FROM "ForumHelpfulMark" h WHERE h."postId" = p.id AND h."userId" = ${reader.userId}) AS "markedHelpful"
    FROM "ForumPost" p
    JOIN "User" u ON u.id = p."authorId"
    WHERE p."threadId" = ${threadId}
    ORDER BY p."createdAt", p.id
    LIMIT ${limit} OFFSET ${offset}`;
}

export function threadPostCountQuery(threadId: string): Prisma.Sql {
  return Prisma.sql`SELECT count(*) AS total FROM "ForumPost" WHERE "threadId" = ${threadId}`;
}

/** One page of a thread's posts, given where the reader stands in it (from findReadableThread). */
export async function threadPosts(
  reader: ForumReader,
  threadId: string,
  { postCount, lastReadAt }: ThreadProgress,
  page: number,
): Promise<{ posts: PostView[]; pagination: Pagination; firstVisit: boolean }> {
  const read = lastReadAt ? { lastReadAt } : null;
  const pagination = paginate(postCount, page, POSTS_PER_PAGE);
  const rows = await db.$queryRaw<PostRow[]>(threadPostsQuery(reader, threadId, (pagination.page - 1) * POSTS_PER_PAGE));
  const posts = rows.map((row) => {
    const concealed = row.deleted || (row.hidden && !reader.staff);
    return {
      ...row,
      bodyHtml: concealed ? null : row.bodyHtml,
      helpful: Number(row.helpful),
      isNew: Boolean(read && row.createdAt > read.lastReadAt && row.authorId !== reader.userId),
    };
  });
  // Re-reading what was read already writes nothing.
  const lastShown = rows.at(-1)?.createdAt;
  if (lastShown && (!read || lastShown > read.lastReadAt)) await markRead(reader.userId, threadId, lastShown);
  return { posts, pagination, firstVisit: !read };
}

/** Moves the member's read marker forward (never back), in one statement. */
export async function markRead(userId: string, threadId: string, at: Date, tx: Tx | typeof db = db) {
  await tx.$executeRaw`
    INSERT INTO "ForumThreadRead" ("userId", "threadId", "lastReadAt") VALUES (${userId}, ${threadId}, ${at})
    ON CONFLICT ("userId", "threadId") DO UPDATE
    SET "lastReadAt" = GREATEST("ForumThreadRead"."lastReadAt", EXCLUDED."lastReadAt")`;
}

/**
 * Copies a thread's state onto its posts (ForumPost.visible and categoryId), so search and
 * profiles filter posts without joining threads. Called in the transaction of every
 * delete, hide, show or move.
 */
export async function refreshPostVisibility(tx: Tx | typeof db, threadId: string) {
  await tx.$executeRaw`
    UPDATE "ForumPost" p
    SET "visible" = (p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL),
        "categoryId" = t."categoryId"
    FROM "ForumThread" t
    WHERE t.id = ${threadId} AND p."threadId" = t.id
      AND (p."visible" IS DISTINCT FROM (p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL)
           OR p."categoryId" <> t."categoryId")`;
}

/** Categories staff may move a thread to. */
export function categoriesForMove() {
  return db.forumCategory.findMany({ orderBy: [{ position: "asc" }, { nameEn: "asc" }], select: { id: true, nameEn: true, nameRu: true } });
}

/** Which page of its thread a post is on, counting every earlier post. */
export async function pageOfPost(threadId: string, post: { id: string; createdAt: Date }): Promise<number> {
  const [{ before }] = await db.$queryRaw<Array<{ before: bigint }>>`
    SELECT count(*) AS before FROM "ForumPost"
    WHERE "threadId" = ${threadId} AND ("createdAt", id) < (${post.createdAt}, ${post.id})`;
  return Math.floor(Number(before) / POSTS_PER_PAGE) + 1;
}
