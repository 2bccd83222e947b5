import { Prisma } from "~/generated/prisma/client";
import { readDb } from "~/db.server";
import { readableCategoryIds, type ForumReader } from "./access.server";
import { paginate, type Pagination } from "./pagination";
import { MAX_SEARCH_LENGTH } from "./schemas";

/**
 * Full-text search at /forum?q=, over what the reader may read: posts whose thread is
 * in a readable category, neither deleted nor hidden. The query is parsed with both the
 * russian and the english configurations (websearch syntax: "phrases", -not, or) and
 * matched against generated tsvector columns (ForumPost.search over the text,
 * ForumThread.search over the title), each behind a GIN index. A title match ranks its
 * opening post twice as high. Excerpts come from ts_headline, for the page's rows only.
 */
export const RESULTS_PER_PAGE = 10;
// Highlight marks: private-use characters that posts cannot contain (render.server.ts strips them).
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export type SearchHit = {
  postId: string;
  threadId: string;
  threadTitle: string;
  categorySlug: string;
  categoryNameEn: string;
  categoryNameRu: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
  isOpening: boolean;
  /** Text with MARK_START/MARK_END around the matched words; never HTML. */
  excerpt: string;
};

export function normalizeQuery(raw: string | null | undefined): string {
  return (raw ?? "").replace(/[\uE000\uE001]/g, "").trim().slice(0, MAX_SEARCH_LENGTH);
}

export function searchQuery(text: string, categoryIds: string[], offset: number, limit = RESULTS_PER_PAGE): Prisma.Sql {
  return Prisma.sql`
    WITH q AS (
      SELECT websearch_to_tsquery('russian', ${text}) || websearch_to_tsquery('english', ${text}) AS query
    ),
    hits AS (
      SELECT p.id, ts_rank(p.search, q.query) AS rank
      FROM "ForumPost" p, q
      WHERE p.search @@ q.query
      UNION ALL
      SELECT p.id, 2 * ts_rank(t.search, q.query) AS rank
      FROM "ForumThread" t
      JOIN "ForumPost" p ON p."threadId" = t.id AND p."isOpening"
      CROSS JOIN q
      WHERE t.search @@ q.query
    ),
    ranked AS (
      SELECT h.id, max(h.rank) AS rank FROM hits h GROUP BY h.id
    ),
    page AS (
      SELECT p.id AS "postId", p."threadId", t.title AS "threadTitle", c.slug AS "categorySlug",
             c."nameEn" AS "categoryNameEn", c."nameRu" AS "categoryNameRu", u.id AS "authorId", u.name AS "authorName",
             p."createdAt", p."isOpening", p."bodyText", r.rank, count(*) OVER () AS total
      FROM ranked r
      JOIN "ForumPost" p ON p.id = r.id
      JOIN "ForumThread" t ON t.id = p."threadId"
      JOIN "ForumCategory" c ON c.id = t."categoryId"
      JOIN "User" u ON u.id = p."authorId"
      WHERE p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL
        AND t."categoryId" = ANY(${categoryIds})
      ORDER BY r.rank DESC, p."createdAt" DESC, p.id
      LIMIT ${limit} OFFSET ${offset}
    )
    SELECT page."postId", page."threadId", page."threadTitle", page."categorySlug", page."categoryNameEn",
           page."categoryNameRu", page."authorId", page."authorName", page."createdAt", page."isOpening", page.total,
           ts_headline('russian', page."bodyText", q.query, ${HEADLINE_OPTIONS}) AS excerpt
    FROM page, q
    ORDER BY page.rank DESC, page."createdAt" DESC, page."postId"`;
}

export async function searchForum(
  reader: ForumReader,
  rawQuery: string,
  page: number,
): Promise<{ query: string; hits: SearchHit[]; pagination: Pagination }> {
  const query = normalizeQuery(rawQuery);
  const categoryIds = query ? await readableCategoryIds(reader) : [];
  if (!query || !categoryIds.length) return { query, hits: [], pagination: paginate(0, 1, RESULTS_PER_PAGE) };
  const offset = (page - 1) * RESULTS_PER_PAGE;
  let rows = await readDb.$replica().$queryRaw<Array<SearchHit & { total: bigint }>>(searchQuery(query, categoryIds, offset));
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page > 1) {
    // Past the last page: count, then show the last page.
    const first = await readDb.$replica().$queryRaw<Array<SearchHit & { total: bigint }>>(searchQuery(query, categoryIds, 0, 1));
    total = first.length ? Number(first[0].total) : 0;
    const last = Math.max(1, Math.ceil(total / RESULTS_PER_PAGE));
    rows = total ? await readDb.$replica().$queryRaw(searchQuery(query, categoryIds, (last - 1) * RESULTS_PER_PAGE)) : [];
  }
  const pagination = paginate(total, page, RESULTS_PER_PAGE);
  const hits = rows.map(({ total: _total, ...hit }) => hit);
  return { query, hits, pagination };
}

/** Splits an excerpt into plain and highlighted parts, for rendering as text (never as HTML). */
export function excerptParts(excerpt: string): Array<{ text: string; highlighted: boolean }> {
  const parts: Array<{ text: string; highlighted: boolean }> = [];
  for (const [index, chunk] of excerpt.split(MARK_START).entries()) {
    if (index === 0) {
      if (chunk) parts.push({ text: chunk.replaceAll(MARK_END, ""), highlighted: false });
      continue;
    }
    const [marked, ...rest] = chunk.split(MARK_END);
    if (marked) parts.push({ text: marked, highlighted: true });
    const after = rest.join("");
    if (after) parts.push({ text: after, highlighted: false });
  }
  return parts;
}
