import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { adminCategories } from "~/forum/categories.server";
import { visibleThreadCount } from "~/forum/threads.server";
import { createForumCategory, createForumThread, createUser } from "../factories";

/** What the kept counts must equal: the threads counted now. */
async function counted(categoryId: string) {
  const [live, hidden] = await Promise.all([
    db.forumThread.count({ where: { categoryId, deletedAt: null, hiddenAt: null } }),
    db.forumThread.count({ where: { categoryId, deletedAt: null, hiddenAt: { not: null } } }),
  ]);
  return { liveThreadCount: live, hiddenThreadCount: hidden };
}

async function kept(categoryId: string) {
  return db.forumCategory.findUniqueOrThrow({ where: { id: categoryId }, select: { liveThreadCount: true, hiddenThreadCount: true } });
}

describe("a category's kept thread counts", () => {
  it("follow new threads, hiding, deleting, moving and removal of rows", async () => {
    const author = await createUser({ tier: "professional" });
    const [a, b] = [await createForumCategory({ slug: "counts-a" }), await createForumCategory({ slug: "counts-b" })];
    const threads = [];
    for (let i = 0; i < 5; i += 1) threads.push((await createForumThread(author, a, { title: `Thread ${i}`, body: "Body" })).thread);
    expect(await kept(a.id)).toEqual({ liveThreadCount: 5, hiddenThreadCount: 0 });

    await db.forumThread.update({ where: { id: threads[0].id }, data: { hiddenAt: new Date() } });
    await db.forumThread.update({ where: { id: threads[0].id }, data: { hiddenAt: new Date(Date.now() + 1000) } }); // hidden again: no change
    await db.forumThread.update({ where: { id: threads[1].id }, data: { deletedAt: new Date() } });
    await db.forumThread.update({ where: { id: threads[2].id }, data: { categoryId: b.id } });
    await db.forumThread.update({ where: { id: threads[3].id }, data: { hiddenAt: new Date(), categoryId: b.id } });
    await db.forumThread.update({ where: { id: threads[0].id }, data: { title: "Renamed" } });
    expect(await kept(a.id)).toEqual(await counted(a.id));
    expect(await kept(a.id)).toEqual({ liveThreadCount: 1, hiddenThreadCount: 1 });
    expect(await kept(b.id)).toEqual({ liveThreadCount: 1, hiddenThreadCount: 1 });

    // A curator shows a hidden thread again; a deleted one hidden meanwhile stays uncounted.
    await db.forumThread.update({ where: { id: threads[0].id }, data: { hiddenAt: null } });
    await db.forumThread.update({ where: { id: threads[1].id }, data: { hiddenAt: new Date() } });
    await db.forumThread.delete({ where: { id: threads[4].id } });
    expect(await kept(a.id)).toEqual(await counted(a.id));
    expect(await kept(a.id)).toEqual({ liveThreadCount: 1, hiddenThreadCount: 0 });

    // Members see live threads; staff see hidden ones as well; the owner's list shows both.
    const category = await db.forumCategory.findUniqueOrThrow({ where: { id: b.id } });
    expect(visibleThreadCount({ staff: false } as never, category)).toBe(1);
    expect(visibleThreadCount({ staff: true } as never, category)).toBe(2);
    expect((await adminCategories()).find((c) => c.id === b.id)?.threadCount).toBe(2);
  });

  it("stay exact when many members start threads at once", async () => {
    const category = await createForumCategory({ slug: "counts-busy" });
    const authors = await Promise.all(Array.from({ length: 10 }, () => createUser({ tier: "professional" })));
    await Promise.all(authors.flatMap((author, i) => [0, 1, 2].map((j) => createForumThread(author, category, { title: `Busy ${i}.${j}`, body: "Body" }))));
    expect(await kept(category.id)).toEqual({ liveThreadCount: 30, hiddenThreadCount: 0 });
  });
});
