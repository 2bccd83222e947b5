/** "Marked helpful": concurrent marks by one member are counted once. */
import { describe, expect, it } from "vitest";
import { forumReaderById } from "~/forum/access.server";
import { helpfulCount, setHelpful } from "~/forum/posts.server";
import { action as threadAction } from "~/routes/forum.t.$threadId";
import { createForumCategory, createForumReply, createForumThread, createUser, ensureTiers, sessionCookie } from "../factories";
import { db, post, statusOf } from "./world";

describe("concurrent helpful marks", () => {
  it("counts one mark per member however many requests race", async () => {
    await ensureTiers();
    const category = await createForumCategory();
    const [author, replier, ...markers] = await Promise.all([
      createUser({ tier: "professional" }),
      createUser({ tier: "professional" }),
      createUser({ tier: "community" }),
      createUser({ tier: "community" }),
      createUser({ tier: "private-client" }),
    ]);
    const { thread } = await createForumThread(author, category);
    const reply = await createForumReply(replier, thread.id, "Try turning it off and on again.");
    const readers = await Promise.all(markers.map((m) => forumReaderById(m.id)));

    // 3 members × 15 simultaneous marks each, straight at the area function...
    await Promise.all(readers.flatMap((reader) => Array.from({ length: 15 }, () => setHelpful(reader!, reply.id, true))));
    expect(await helpfulCount(reply.id)).toBe(3);

    // ...and through the route, as double-clicks from several browsers would send them.
    const cookie = await sessionCookie(markers[0].id);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        post(threadAction, `/forum/t/${thread.id}`, cookie, { intent: "helpful", postId: reply.id }, { threadId: thread.id }),
      ),
    );
    expect(results.map(statusOf).every((s) => s === 302)).toBe(true);
    expect(await db.forumHelpfulMark.count({ where: { postId: reply.id } })).toBe(3);
    const perMember = await db.forumHelpfulMark.groupBy({ by: ["userId"], where: { postId: reply.id }, _count: { _all: true } });
    expect(perMember.every((row) => row._count._all === 1)).toBe(true);
  });
});
