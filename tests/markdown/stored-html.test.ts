/** Migration 20261202100000: what was stored before images became links and titles lost their direction overrides. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { markdownToText } from "~/markdown/markdown.server";
import { createForumCategory, createForumThread, createRoadmapItem, createUser, ensureTiers } from "../factories";

const MIGRATIONS = path.resolve(__dirname, "../../prisma/migrations");

async function runMigrationAgain(name: string) {
  const sql = await readFile(path.join(MIGRATIONS, name, "migration.sql"), "utf8");
  const statements = sql
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
  for (const statement of statements) await db.$executeRawUnsafe(statement);
}

describe("stored HTML and titles from before", () => {
  it("turns the images of stored posts, items and comments into links and takes bidi controls out of stored titles", async () => {
    await ensureTiers();
    const author = await createUser({ tier: "community" });
    const category = await createForumCategory({ slug: `old-posts-${Date.now()}`, nameEn: "Old posts" });
    const { thread, post } = await createForumThread(author, category, { title: "Old title" });
    const pixel = '<p>Hi <img src="https://tracker.example/p.gif?u=1&amp;v=2" alt="" /> there <img alt="x" src="https://cdn.example/a.png" /><img /></p>\n';
    await db.forumPost.update({ where: { id: post.id }, data: { bodyHtml: pixel, title: "Old \u202Eeltit\u202C" } });
    await db.forumThread.update({ where: { id: thread.id }, data: { title: "Old \u202Eeltit\u202C" } });
    const item = await createRoadmapItem({ title: "Item" });
    await db.roadmapItem.update({ where: { id: item.id }, data: { descriptionHtml: pixel, title: "\u2066Item\u2069 \u202Dx" } });
    const untouched = "<p>No pictures here</p>\n";
    const other = await createForumThread(author, category, { title: "Untouched" });
    await db.forumPost.update({ where: { id: other.post.id }, data: { bodyHtml: untouched } });

    await runMigrationAgain("20261202100000_links_for_images_no_bidi_controls");

    const links =
      '<p>Hi <a href="https://tracker.example/p.gif?u=1&amp;v=2" rel="nofollow ugc noopener">https://tracker.example/p.gif?u=1&amp;v=2</a> there ' +
      '<a href="https://cdn.example/a.png" rel="nofollow ugc noopener">https://cdn.example/a.png</a></p>\n';
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: post.id } });
    expect(stored.bodyHtml).toBe(links);
    expect(stored.title).toBe("Old eltit");
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).title).toBe("Old eltit");
    const storedItem = await db.roadmapItem.findUniqueOrThrow({ where: { id: item.id } });
    expect([storedItem.descriptionHtml, storedItem.title]).toEqual([links, "Item x"]);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: other.post.id } })).bodyHtml).toBe(untouched);
  });

  it("puts back the space between blocks in the plain text of stored posts, as markdownToText now writes it", async () => {
    await ensureTiers();
    const author = await createUser({ tier: "community" });
    const category = await createForumCategory({ slug: `glued-${Date.now()}`, nameEn: "Glued" });
    const body = "> quoted line\n> second quoted line\n\n- a\n  - b\n\nTom & Jerry say \"<hi>\" and it's `x<y`";
    const { post } = await createForumThread(author, category, { body });
    await db.forumPost.update({ where: { id: post.id }, data: { bodyText: "quoted linesecond quoted line ab Tom & Jerry" } });
    const plain = await createForumThread(author, category, { body: "Just *one* paragraph" });

    await runMigrationAgain("20261202100100_post_text_between_blocks");

    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: post.id } });
    expect(stored.bodyText).toBe(markdownToText(body));
    expect(stored.bodyText).toBe('quoted line second quoted line a b Tom & Jerry say "" and it\'s x<y');
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: plain.post.id } })).bodyText).toBe("Just one paragraph");
  });
});
