/** Full-text search at /forum?q=: Russian and English, only over what the member may read. */
import { beforeAll, describe, expect, it } from "vitest";
import { action as threadAction } from "~/routes/forum.t.$threadId";
import { action as editAction } from "~/routes/forum.p.$postId_.edit";
import { loader as forumIndex } from "~/routes/forum._index";
import { createForumCategory, createForumReply, createForumThread } from "../factories";
import { bodyOf, db, forumWorld, get, post } from "./world";

let world: Awaited<ReturnType<typeof forumWorld>>;
beforeAll(async () => {
  world = await forumWorld();
  const { open, cto, stories } = world.categories;
  const { professional, privateClient, community } = world.users;
  await createForumThread(professional, stories, {
    title: "Как мы нашли утечку через забытый бакет",
    body: "Подрядчик оставил публичный бакет. Расследование утечки заняло три дня.",
  });
  const cto1 = await createForumThread(privateClient, cto, {
    title: "Cross-region replication for managed PostgreSQL",
    body: "When will logical replication between regions arrive? Утечки данных при репликации нам не нужны.",
  });
  await createForumReply(professional, cto1.thread.id, "We replicate with pglogical today; failover is scary.");
  await createForumThread(community, open, { title: "Hello, I run SRE teams", body: "Interested in replicated databases and on-call." });
});

type Search = {
  search: {
    query: string;
    pagination: { total: number; page: number; pages: number };
    hits: Array<{ threadTitle: string; isOpening: boolean; threadHits: number; parts: Array<{ text: string; highlighted: boolean }> }>;
  };
};

const search = async (cookie: string, q: string, page?: number) =>
  bodyOf<Search>(await get(forumIndex, `/forum?q=${encodeURIComponent(q)}${page ? `&page=${page}` : ""}`, cookie)).search;

describe("forum search", () => {
  it("finds a Russian post by another form of the word (russian stemming), with the match highlighted", async () => {
    const result = await search(world.cookies.community, "утечки");
    expect(result.hits.map((h) => h.threadTitle)).toEqual(["Как мы нашли утечку через забытый бакет"]);
    const highlighted = result.hits[0].parts.filter((p) => p.highlighted).map((p) => p.text.toLowerCase());
    expect(highlighted.length).toBeGreaterThan(0);
    expect(highlighted.every((word) => word.startsWith("утечк"))).toBe(true);
  });

  it("finds English posts by stem (english configuration) and ranks title matches first", async () => {
    const result = await search(world.cookies.privateClient, "replication");
    const titles = result.hits.map((h) => h.threadTitle);
    expect(titles[0]).toBe("Cross-region replication for managed PostgreSQL");
    expect(result.hits[0].isOpening).toBe(true);
    expect(titles).toContain("Hello, I run SRE teams"); // "replicated" shares the stem
  });

  it("searches only what the member may read", async () => {
    // The Community member may not read Ask the CTO, which holds a Russian match too.
    const asCommunity = await search(world.cookies.community, "утечки");
    expect(asCommunity.hits.map((h) => h.threadTitle)).not.toContain("Cross-region replication for managed PostgreSQL");
    const asCommunityEnglish = await search(world.cookies.community, "pglogical failover");
    expect(asCommunityEnglish.pagination.total).toBe(0);
    const asProfessional = await search(world.cookies.professional, "утечки");
    expect(asProfessional.hits.map((h) => h.threadTitle).sort()).toEqual(
      ["Cross-region replication for managed PostgreSQL", "Как мы нашли утечку через забытый бакет"].sort(),
    );
    const asOwner = await search(world.cookies.owner, "pglogical failover");
    expect(asOwner.pagination.total).toBe(1);
  });

  it("leaves out deleted and hidden posts", async () => {
    const { thread, post: opening } = await createForumThread(world.users.community, world.categories.open, {
      title: "Quokka sighting",
      body: "A quokka in the server room.",
    });
    const reply = await createForumReply(world.users.professional, thread.id, "Another quokka!");
    expect((await search(world.cookies.privateClient, "quokka")).hits[0].threadHits).toBe(2);
    await post(threadAction, `/forum/t/${thread.id}`, world.cookies.curator, { intent: "hide-post", postId: reply.id }, { threadId: thread.id });
    expect((await search(world.cookies.privateClient, "quokka")).hits[0].threadHits).toBe(1);
    await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, { intent: "delete", confirm: "yes" }, { postId: opening.id });
    expect((await search(world.cookies.privateClient, "quokka")).pagination.total).toBe(0);
  });

  it("paginates, ten threads a page", async () => {
    const category = await createForumCategory({ slug: "pagination" });
    for (let i = 0; i < 12; i += 1) await createForumThread(world.users.professional, category, { title: `Zebra crossing ${i}`, body: `zebra ${i}` });
    const first = await search(world.cookies.community, "zebra");
    expect(first.pagination).toMatchObject({ total: 12, page: 1, pages: 2 });
    expect(first.hits).toHaveLength(10);
    const second = await search(world.cookies.community, "zebra", 2);
    expect(second.hits).toHaveLength(2);
    const beyond = await search(world.cookies.community, "zebra", 9);
    expect(beyond.pagination.page).toBe(2);
    expect(beyond.hits).toHaveLength(2);
  });

  it("groups hits by thread: a thread shows once, with its best post and how many of its posts match", async () => {
    const category = await createForumCategory({ slug: "grouping" });
    const { thread } = await createForumThread(world.users.professional, category, { title: "Okapi sightings", body: "okapi one" });
    for (let i = 0; i < 4; i += 1) await createForumReply(world.users.privateClient, thread.id, `okapi reply ${i}`);
    const result = await search(world.cookies.community, "okapi");
    expect(result.pagination.total).toBe(1);
    expect(result.hits).toHaveLength(1);
    expect(result.hits[0]).toMatchObject({ threadTitle: "Okapi sightings", isOpening: true, threadHits: 5 });
  });

  it("matches the last word as a prefix: «фишинг» finds «фишинговой», which the stemmer keeps apart", async () => {
    await createForumThread(world.users.professional, world.categories.open, {
      title: "Разбор фишинговой кампании против бухгалтерии",
      body: "Письма приходили от имени налоговой.",
    });
    const result = await search(world.cookies.community, "фишинг");
    expect(result.hits.map((h) => h.threadTitle)).toContain("Разбор фишинговой кампании против бухгалтерии");
    const both = await search(world.cookies.community, "кампании фишинг");
    expect(both.hits.map((h) => h.threadTitle)).toContain("Разбор фишинговой кампании против бухгалтерии");
    // Earlier words still have to match.
    expect((await search(world.cookies.community, "зебра фишинг")).hits).toHaveLength(0);
  });

  it("ranks the newest 1,000 matches of a very common word and says there are more", async () => {
    const category = await createForumCategory({ slug: "busy" });
    const { thread } = await createForumThread(world.users.professional, category, { title: "Busy thread", body: "platypus zero" });
    await db.$executeRaw`
      INSERT INTO "ForumPost" (id, "threadId", "categoryId", "authorId", body, "bodyHtml", "bodyText", "createdAt", "updatedAt")
      SELECT 'platypus-' || g, ${thread.id}, ${category.id}, ${world.users.professional.id}, 'platypus ' || g, '<p>platypus</p>',
             'platypus number ' || g, now() - g * interval '1 minute', now()
      FROM generate_series(1, 1005) g`;
    const result = bodyOf<Search & { search: { capped: boolean } }>(await get(forumIndex, "/forum?q=platypus", world.cookies.community)).search;
    // One thread holds them all: it shows once, with the 1,000 matches ranked.
    expect(result.pagination.total).toBe(1);
    expect(result.hits[0]).toMatchObject({ threadHits: 1000 });
    expect(result.capped).toBe(true);
    const oldest = await search(world.cookies.community, "\"platypus number 1005\"");
    expect(oldest.pagination.total).toBe(1); // a precise query still finds the oldest
  });

  it("returns excerpts as text, never markup, and copes with odd queries", async () => {
    await createForumThread(world.users.community, world.categories.open, {
      title: "Escaping test",
      body: "The payload `<script>alert('walrus')</script>` showed up in a walrus report.",
    });
    const result = await search(world.cookies.community, "walrus");
    const text = result.hits[0].parts.map((p) => p.text).join("");
    // Plain text (ts_headline drops tag-like tokens), not escaped twice; React renders it as text.
    expect(text).toContain("alert('walrus')");
    expect(text).not.toMatch(/&lt;|&amp;|&#39;/);
    for (const odd of ["\"unclosed", "-", "or or", "!!!", "'; DROP TABLE \"ForumPost\"; --", "\uE000", "wal\0rus", "\0", "a".repeat(500)]) {
      const found = await search(world.cookies.community, odd);
      expect(Array.isArray(found.hits)).toBe(true);
    }
    // NUL, which PostgreSQL text cannot hold, is dropped from the query.
    expect((await search(world.cookies.community, "wal\0rus")).hits.length).toBeGreaterThan(0);
  });
});
