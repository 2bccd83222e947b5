/** Migration 20261202100000: what was stored before images became links and titles lost their direction overrides. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createForumCategory, createForumThread, createRoadmapItem, createUser, ensureTiers } from "../factories";

const MIGRATION = path.resolve(__dirname, "../../prisma/migrations/20261202100000_links_for_images_no_bidi_controls/migration.sql");

async function runMigrationAgain() {
  const sql = await readFile(MIGRATION, "utf8");
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

    await runMigrationAgain();

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
});
