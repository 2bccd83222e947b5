/**
 * The forum's pages are served by indexes: with tens of thousands of posts in the
 * database and fresh statistics, PostgreSQL's own plans for the category page, the thread
 * page and search touch no big table by a sequential scan. (The full-size benchmark is
 * `npm run bench`; this keeps a dropped index or a rewritten query from slipping by.)
 */
import { Prisma } from "~/generated/prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import type { ForumReader } from "~/forum/access.server";
import { searchQuery } from "~/forum/search.server";
import { categoryListQuery, categoryThreadsQuery, threadPostCountQuery, threadPostsQuery } from "~/forum/threads.server";
import { createUser, ensureTiers } from "../factories";
import { db } from "./world";

const BIG_TABLES = ["ForumThread", "ForumPost", "ForumHelpfulMark", "ForumThreadRead", "ForumMention", "User"];
const THREADS = 6_000;
const POSTS = 60_000;
const CATEGORIES = ["cat-a", "cat-b", "cat-c", "cat-d"];

let member: ForumReader;
let staff: ForumReader;

beforeAll(async () => {
  const tiers = await ensureTiers();
  const user = await createUser({ tier: "professional" });
  member = { userId: user.id, name: user.name, locale: "en", staff: false, tierId: tiers.professional.id };
  staff = { ...member, staff: true, tierId: null };
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumCategory" (id, slug, "nameEn", "nameRu", position, "updatedAt")
    SELECT c, c, c, c, i, now() FROM unnest(ARRAY['${CATEGORIES.join("','")}']) WITH ORDINALITY AS t(c, i)`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumCategoryTier" ("categoryId", "tierId", "canPost")
    SELECT c, '${tiers.professional.id}', true FROM unnest(ARRAY['cat-a', 'cat-b', 'cat-c']) AS t(c)`);
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, "updatedAt")
    SELECT 'bench-user-' || g, 'bench-' || g || '@example.com', 'Bench Member ' || g, now() FROM generate_series(1, 5000) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumThread" (id, "categoryId", "authorId", title, pinned, "lastPostAt", "createdAt", "updatedAt", "replyCount")
    SELECT 'bench-thread-' || g, 'cat-' || chr(97 + g % 4), 'bench-user-' || (1 + g % 5000),
           'Thread ' || g || ' about ' || (ARRAY['kubernetes', 'postgres', 'утечка данных', 'бакет', 'фишинг'])[1 + g % 5],
           g % 500 = 0, now() - g * interval '7 minutes', now() - g * interval '7 minutes', now(), 9
    FROM generate_series(1, ${THREADS}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumPost" (id, "threadId", "categoryId", "authorId", "isOpening", title, body, "bodyHtml", "bodyText", "createdAt", "updatedAt")
    SELECT 'bench-post-' || g, 'bench-thread-' || (1 + g % ${THREADS}), 'cat-' || chr(97 + (1 + g % ${THREADS}) % 4),
           'bench-user-' || (1 + g % 5000), g <= ${THREADS},
           CASE WHEN g <= ${THREADS} THEN 'Thread ' || g || ' about ' || (ARRAY['kubernetes', 'postgres', 'утечка данных', 'бакет', 'фишинг'])[1 + g % 5] END,
           x.text, '<p>' || x.text || '</p>', x.text, now() - g * interval '41 seconds', now()
    FROM generate_series(1, ${POSTS}) g,
    LATERAL (SELECT 'Post ' || g || ' on ' || (ARRAY['replication lag', 'network policies', 'расследование утечки', 'ротация ключей',
      'on-call fatigue', 'SIEM export', 'token ' || g])[1 + g % 7] || ' with some more words to index' AS text) x`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumHelpfulMark" ("postId", "userId") SELECT 'bench-post-' || g, 'bench-user-' || (1 + g % 5000) FROM generate_series(1, ${POSTS}, 3) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ForumThreadRead" ("userId", "threadId", "lastReadAt")
    SELECT 'bench-user-' || (1 + g % 5000), 'bench-thread-' || (1 + g % ${THREADS}), now() FROM generate_series(1, 20000) g ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
}, 120_000);

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };

async function planOf(query: Prisma.Sql): Promise<PlanNode> {
  const rows = await db.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>(Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`);
  return rows[0]["QUERY PLAN"][0].Plan;
}

function walk(node: PlanNode, visit: (node: PlanNode) => void) {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

async function scans(query: Prisma.Sql) {
  const plan = await planOf(query);
  const sequential: string[] = [];
  const indexes = new Set<string>();
  walk(plan, (node) => {
    if (node["Node Type"] === "Seq Scan" && node["Relation Name"] && BIG_TABLES.includes(node["Relation Name"])) {
      sequential.push(node["Relation Name"]);
    }
    if (node["Index Name"]) indexes.add(node["Index Name"]);
  });
  return { sequential, indexes: [...indexes] };
}

describe("query plans on a forum of 60,000 posts", () => {
  it("the forum index: each category's latest thread by index", async () => {
    for (const reader of [member, staff]) {
      const { sequential, indexes } = await scans(categoryListQuery(reader));
      expect(sequential).toEqual([]);
      expect(indexes).toContain("ForumThread_categoryId_pinned_lastPostAt_id_idx");
    }
  });

  it("the category page: pinned first, latest activity, one page, by the category index", async () => {
    for (const offset of [0, 400]) {
      const { sequential, indexes } = await scans(categoryThreadsQuery(member, "cat-a", offset));
      expect(sequential).toEqual([]);
      expect(indexes).toContain("ForumThread_categoryId_pinned_lastPostAt_id_idx");
      expect(indexes).toContain("User_pkey");
      expect(indexes).toContain("ForumThreadRead_pkey");
    }
  });

  it("the thread page: posts in order with authors and helpful marks, by the thread index", async () => {
    const { sequential, indexes } = await scans(threadPostsQuery(member, "bench-thread-42", 0));
    expect(sequential).toEqual([]);
    expect(indexes).toContain("ForumPost_threadId_createdAt_id_idx");
    expect(indexes).toContain("ForumHelpfulMark_pkey");
    expect((await scans(threadPostCountQuery("bench-thread-42"))).indexes).toContain("ForumPost_threadId_createdAt_id_idx");
  });

  it("search: the GIN index over titles and texts, in Russian and English", async () => {
    // A rare word comes from the GIN index; a word in a seventh of all posts, by walking
    // the newest posts backwards until enough candidates are found.
    for (const text of ["token 4242", "фишинг", "ротация ключей", "replication lag"]) {
      const { sequential, indexes } = await scans(searchQuery(text, ["cat-a", "cat-b", "cat-c"], 0));
      expect(sequential, text).toEqual([]);
      expect(indexes.some((name) => ["ForumPost_search_idx", "ForumPost_createdAt_idx"].includes(name)), text).toBe(true);
    }
    expect((await scans(searchQuery("token 4242", ["cat-a"], 0))).indexes).toContain("ForumPost_search_idx");
  });
});
