import { Prisma } from "~/generated/prisma/client";
import { readDb } from "~/db.server";
import { readableCategoryIds, type ForumReader } from "./access.server";
import { paginate, type Pagination } from "./pagination";
import { MAX_SEARCH_LENGTH } from "./schemas";

/**
 * Full-text search at /forum?q=, over what the reader may read: visible posts in readable
 * categories. The query is parsed with both the russian and the english configurations
 * (websearch syntax: "phrases", -not, or) and matched against ForumPost.search, a
 * generated tsvector of the opening post's thread title (weight A) and the post's text
 * (weight B) in both configurations, behind a GIN index; ts_rank orders the hits, so a
 * title match ranks first. A word found in more than SEARCH_CANDIDATES posts ranks the
 * newest of them. The last word also matches as a prefix (a member typing «фишинг» finds
 * «фишинговой», which the stemmer keeps apart). Hits are grouped by thread: each thread
 * shows once, with its best post and how many of its posts match. Excerpts come from
 * ts_headline, for the page's rows only.
 */
export const RESULTS_PER_PAGE = 10;
/** The newest matches ranked for one search; a search with more shows "1,000+" results. */
export const SEARCH_CANDIDATES = 1_000;
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
  /** How many posts of this thread match (this one included). */
  threadHits: number;
};

/** The query's last word, letters and digits only, to match as a prefix; null if there is none. */
export function lastWord(text: string): string | null {
  if (/["')-]\s*$/.test(text)) return null; // a phrase or an exclusion ends the query: no prefix
  return text.match(/[\p{L}\p{N}]{2,}$/u)?.[0] ?? null;
}

function tsQuery(text: string): Prisma.Sql {
  const whole = Prisma.sql`(websearch_to_tsquery('russian', ${text}) || websearch_to_tsquery('english', ${text}))`;
  const word = lastWord(text);
  if (!word) return whole;
  const prefix = Prisma.sql`(to_tsquery('russian', ${`${word}:*`}) || to_tsquery('english', ${`${word}:*`}))`;
  const rest = text.slice(0, text.length - word.length).trim();
  const before = rest ? Prisma.sql`(websearch_to_tsquery('russian', ${rest}) || websearch_to_tsquery('english', ${rest})) && ` : Prisma.empty;
  return Prisma.sql`(${whole} || (${before}${prefix}))`;
}

export function normalizeQuery(raw: string | null | undefined): string {
  // Highlight marks, and NUL, which PostgreSQL text cannot hold.
  return (raw ?? "").replace(/[\uE000\uE001\0]/g, "").trim().slice(0, MAX_SEARCH_LENGTH);
}

export function searchQuery(text: string, categoryIds: string[], offset: number, limit = RESULTS_PER_PAGE): Prisma.Sql {
  const query = tsQuery(text);
  // Candidates come from the indexes alone: a post carries its thread's visibility and
  // category (ForumPost.visible, categoryId) and, when it opens the thread, its title.
  // At most SEARCH_CANDIDATES of the newest matches are ranked, so a word in every post
  // costs no more than a rare one: PostgreSQL takes a rare word from the GIN index and a
  // common one by walking ForumPost_createdAt_idx backwards. Threads, categories and
  // authors are read for the page's rows only.
  return Prisma.sql`
    WITH candidates AS (
      SELECT p.id, p."threadId", p."createdAt", p.search
      FROM "ForumPost" p
      WHERE p.search @@ ${query} AND p.visible AND p."categoryId" = ANY(${categoryIds})
      ORDER BY p."createdAt" DESC
      LIMIT ${SEARCH_CANDIDATES}
    ),
    ranked AS (
      SELECT c.id, c."threadId", c."createdAt", ts_rank(c.search, ${query}) AS rank,
             count(*) OVER (PARTITION BY c."threadId") AS "threadHits"
      FROM candidates c
    ),
    best AS (
      SELECT DISTINCT ON (r."threadId") r.*
      FROM ranked r
      ORDER BY r."threadId", r.rank DESC, r."createdAt" DESC, r.id
    ),
    page AS (
      SELECT b.*, count(*) OVER () AS total, (SELECT count(*) FROM candidates) AS candidates
      FROM best b
      ORDER BY b.rank DESC, b."createdAt" DESC, b.id
      LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.id AS "postId", p."threadId", t.title AS "threadTitle", c.slug AS "categorySlug",
           c."nameEn" AS "categoryNameEn", c."nameRu" AS "categoryNameRu", u.id AS "authorId", u.name AS "authorName",
           p."createdAt", p."isOpening", page.total, page.candidates, page."threadHits",
           ts_headline('russian', p."bodyText", ${query}, ${HEADLINE_OPTIONS}) AS excerpt
    FROM page
    JOIN "ForumPost" p ON p.id = page.id
    JOIN "ForumThread" t ON t.id = p."threadId"
    JOIN "ForumCategory" c ON c.id = t."categoryId"
    JOIN "User" u ON u.id = p."authorId"
    ORDER BY page.rank DESC, page."createdAt" DESC, page.id`;
}

export async function searchForum(
  reader: ForumReader,
  rawQuery: string,
  page: number,
): Promise<{ query: string; hits: SearchHit[]; pagination: Pagination; capped: boolean }> {
  type Row = Omit<SearchHit, "threadHits"> & { total: bigint; candidates: bigint; threadHits: bigint };
  const query = normalizeQuery(rawQuery);
  const categoryIds = query ? await readableCategoryIds(reader) : [];
  if (!query || !categoryIds.length) return { query, hits: [], pagination: paginate(0, 1, RESULTS_PER_PAGE), capped: false };
  const offset = (page - 1) * RESULTS_PER_PAGE;
  let rows = await readDb.$replica().$queryRaw<Row[]>(searchQuery(query, categoryIds, offset));
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page > 1) {
    // Past the last page: count, then show the last page.
    const first = await readDb.$replica().$queryRaw<Row[]>(searchQuery(query, categoryIds, 0, 1));
    total = first.length ? Number(first[0].total) : 0;
    const last = Math.max(1, Math.ceil(total / RESULTS_PER_PAGE));
    rows = total ? await readDb.$replica().$queryRaw(searchQuery(query, categoryIds, (last - 1) * RESULTS_PER_PAGE)) : [];
  }
  const pagination = paginate(total, page, RESULTS_PER_PAGE);
  const hits = rows.map(({ total: _total, candidates: _candidates, threadHits, ...hit }) => ({ ...hit, threadHits: Number(threadHits) }));
  const candidates = rows.length ? Number(rows[0].candidates) : 0;
  return { query, hits, pagination, capped: candidates >= SEARCH_CANDIDATES };
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
