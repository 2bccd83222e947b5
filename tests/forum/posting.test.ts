/** Who may post, edit and delete, and what bad input gets. Every action through its route. */
import { beforeAll, describe, expect, it } from "vitest";
import { action as newThread, loader as newThreadPage } from "~/routes/forum.$category_.new";
import { action as editAction, loader as editPage } from "~/routes/forum.p.$postId_.edit";
import { action as threadAction, loader as threadPage } from "~/routes/forum.t.$threadId";
import { loader as categoryPage } from "~/routes/forum.$category";
import { createForumReply, createForumThread, createUser, sessionCookie } from "../factories";
import { bodyOf, db, forumWorld, get, post, statusOf, textOf } from "./world";

let world: Awaited<ReturnType<typeof forumWorld>>;
beforeAll(async () => {
  world = await forumWorld();
});

type Reply = { status: string; error?: Record<string, string[]> };

describe("starting threads", () => {
  it("starts a thread in a category the tier may post in, rendering the Markdown", async () => {
    const result = (await post(newThread, "/forum/introductions/new", world.cookies.community, {
      title: "Kubernetes network policies",
      body: "How do you **test** them?\n\n```yaml\nkind: NetworkPolicy\n```",
    }, { category: "introductions" })) as Response;
    expect(result.status).toBe(302);
    const threadId = result.headers.get("Location")!.replace("/forum/t/", "");
    const thread = await db.forumThread.findUniqueOrThrow({ where: { id: threadId }, include: { posts: true } });
    expect(thread.title).toBe("Kubernetes network policies");
    expect(thread.authorId).toBe(world.users.community.id);
    expect(thread.posts).toHaveLength(1);
    expect(thread.posts[0].isOpening).toBe(true);
    expect(thread.posts[0].bodyHtml).toContain("<strong>test</strong>");
    expect(thread.posts[0].bodyHtml).toContain('<code class="language-yaml">kind: NetworkPolicy');
  });

  it("takes direction overrides out of a title (U+202A-U+202E, U+2066-U+2069); a title of nothing else is empty", async () => {
    const result = (await post(newThread, "/forum/introductions/new", world.cookies.community, {
      title: "Invoice \u202Egnp.exe\u202C for \u2067May\u2069",
      body: "See attached.",
    }, { category: "introductions" })) as Response;
    expect(result.status).toBe(302);
    const threadId = result.headers.get("Location")!.replace("/forum/t/", "");
    const thread = await db.forumThread.findUniqueOrThrow({ where: { id: threadId }, include: { posts: true } });
    expect([thread.title, thread.posts[0].title]).toEqual(["Invoice gnp.exe for May", "Invoice gnp.exe for May"]);

    const empty = await post(newThread, "/forum/introductions/new", world.cookies.community, { title: "\u202E\u202D ", body: "x" }, { category: "introductions" });
    expect(statusOf(empty)).toBe(400);
    expect(bodyOf<Reply>(empty).error?.title).toEqual(["form.required"]);
  });

  it("refuses a tier that may only read with 403 and a message, on the page and on the action", async () => {
    const page = await get(newThreadPage, "/forum/war-stories/new", world.cookies.community, { category: "war-stories" });
    expect(statusOf(page)).toBe(403);
    expect(await textOf(page)).toBe("Your tier can read this category but cannot post in it.");
    const before = await db.forumThread.count();
    const result = await post(newThread, "/forum/war-stories/new", world.cookies.community, { title: "Sneaky", body: "Sneaky" }, { category: "war-stories" });
    expect(statusOf(result)).toBe(403);
    expect(await db.forumThread.count()).toBe(before);
  });

  it("answers 404 for a category the tier may not read, even to a direct POST", async () => {
    const result = await post(newThread, "/forum/ask-the-cto/new", world.cookies.community, { title: "Hi", body: "Hi" }, { category: "ask-the-cto" });
    expect(statusOf(result)).toBe(404);
  });

  it("refuses an empty title or body at the field", async () => {
    const result = await post(newThread, "/forum/introductions/new", world.cookies.community, { title: "  ", body: "" }, { category: "introductions" });
    expect(statusOf(result)).toBe(400);
    const reply = bodyOf<Reply>(result);
    expect(reply.error?.title).toEqual(["form.required"]);
    expect(reply.error?.body).toEqual(["form.required"]);
  });
});

describe("Markdown the parser cannot nest", () => {
  it("posts Markdown nested too deeply to render (5,000 \">\") as plain text instead of failing with 500", async () => {
    const threadId = world.threads.intro.thread.id;
    const body = ">".repeat(5_000) + " deep";
    const result = (await post(threadAction, `/forum/t/${threadId}`, world.cookies.community, { intent: "reply", body }, { threadId })) as Response;
    expect(result.status).toBe(302);
    const reply = await db.forumPost.findUniqueOrThrow({ where: { id: result.headers.get("Location")!.replace("/forum/p/", "") } });
    expect(reply.body).toBe(body);
    expect(reply.bodyHtml).toBe(`<p>${"&gt;".repeat(5_000)} deep</p>\n`);
  });
});

describe("NUL characters (U+0000), which PostgreSQL text cannot hold", () => {
  it("are dropped from a thread's title and body and from a reply, instead of failing with 500", async () => {
    const started = (await post(newThread, "/forum/introductions/new", world.cookies.community, {
      title: "Pasted\0 from a log",
      body: "line one\0\nline two",
    }, { category: "introductions" })) as Response;
    expect(started.status).toBe(302);
    const threadId = started.headers.get("Location")!.replace("/forum/t/", "");
    const thread = await db.forumThread.findUniqueOrThrow({ where: { id: threadId }, include: { posts: true } });
    expect(thread.title).toBe("Pasted from a log");
    expect(thread.posts[0].body).toBe("line one\nline two");
    const replied = await post(threadAction, `/forum/t/${threadId}`, world.cookies.community, { intent: "reply", body: "\0ok\0" }, { threadId });
    expect(statusOf(replied)).toBe(302);
    const onlyNul = await post(threadAction, `/forum/t/${threadId}`, world.cookies.community, { intent: "reply", body: "\0\0" }, { threadId });
    expect(statusOf(onlyNul)).toBe(400);
    expect(bodyOf<Reply>(onlyNul).error?.body).toEqual(["form.required"]);
  });
});

describe("forms no page of ours sends", () => {
  it("answers an unknown or missing intent with 400 (the error page explains it in the member's language) and writes nothing", async () => {
    const threadId = world.threads.intro.thread.id;
    const posts = await db.forumPost.count();
    const unknown = await post(threadAction, `/forum/t/${threadId}`, world.cookies.professional, { intent: "explode", body: "x" }, { threadId });
    expect(statusOf(unknown)).toBe(400);
    const missing = await post(threadAction, `/forum/t/${threadId}`, world.cookies.community, { body: "x" }, { threadId });
    expect(statusOf(missing)).toBe(400);

    const postId = world.replies.intro.id;
    const edit = await post(editAction, `/forum/p/${postId}/edit`, world.cookies.professional, { body: "changed" }, { postId });
    expect(statusOf(edit)).toBe(400);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: postId } })).body).toBe("Welcome, Priya!");
    expect(await db.forumPost.count()).toBe(posts);
  });
});

describe("text that shows nothing", () => {
  // Zero-width spaces and joiners, word joiner, BOM, bidi marks, Hangul filler, blank Braille.
  const invisible = "\u200B\u200C\u200D\u2060\uFEFF\u200E\u202E\u3164\u2800 ";

  it("refuses a title or body of invisible characters at the field, as if empty, and writes nothing", async () => {
    const threads = await db.forumThread.count();
    const result = await post(newThread, "/forum/introductions/new", world.cookies.community, { title: invisible, body: invisible }, { category: "introductions" });
    expect(statusOf(result)).toBe(400);
    const reply = bodyOf<Reply>(result);
    expect(reply.error?.title).toEqual(["form.required"]);
    expect(reply.error?.body).toEqual(["form.required"]);
    expect(await db.forumThread.count()).toBe(threads);

    const posts = await db.forumPost.count();
    const threadId = world.threads.intro.thread.id;
    const answer = await post(threadAction, `/forum/t/${threadId}`, world.cookies.community, { intent: "reply", body: invisible }, { threadId });
    expect(statusOf(answer)).toBe(400);
    expect(bodyOf<Reply>(answer).error?.body).toEqual(["form.required"]);
    expect(await db.forumPost.count()).toBe(posts);
  });

  it("keeps those characters inside text that shows something (emoji sequences, Persian)", async () => {
    const result = (await post(newThread, "/forum/introductions/new", world.cookies.community, {
      title: "\u{1F469}\u200D\u{1F4BB} نیم\u200Cفاصله",
      body: "\u200B\u{1F44B}",
    }, { category: "introductions" })) as Response;
    expect(result.status).toBe(302);
    const thread = await db.forumThread.findUniqueOrThrow({ where: { id: result.headers.get("Location")!.replace("/forum/t/", "") } });
    expect(thread.title).toBe("\u{1F469}\u200D\u{1F4BB} نیم\u200Cفاصله");
  });
});

describe("replying", () => {
  const reply = (cookie: string, threadId: string, body: string) =>
    post(threadAction, `/forum/t/${threadId}`, cookie, { intent: "reply", body }, { threadId });

  it("adds a reply, bumps the thread to the top of its category and counts it", async () => {
    const threadId = world.threads.intro.thread.id;
    const before = await db.forumThread.findUniqueOrThrow({ where: { id: threadId } });
    const result = (await reply(world.cookies.privateClient, threadId, "Use `kubectl` and _patience_.")) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/forum\/p\/\w+$/);
    const after = await db.forumThread.findUniqueOrThrow({ where: { id: threadId } });
    expect(after.replyCount).toBe(before.replyCount + 1);
    expect(after.lastPostAt.getTime()).toBeGreaterThan(before.lastPostAt.getTime());
    const list = bodyOf<{ threads: Array<{ id: string }> }>(
      await get(categoryPage, "/forum/introductions", world.cookies.community, { category: "introductions" }),
    );
    expect(list.threads[0].id).toBe(threadId);
  });

  it("refuses an empty reply and one over 50,000 characters at the field; 50,000 is fine", async () => {
    const threadId = world.threads.intro.thread.id;
    const empty = await reply(world.cookies.community, threadId, "   ");
    expect(statusOf(empty)).toBe(400);
    expect(bodyOf<Reply>(empty).error?.body).toEqual(["form.required"]);
    const long = await reply(world.cookies.community, threadId, "я".repeat(50_001));
    expect(statusOf(long)).toBe(400);
    expect(bodyOf<Reply>(long).error?.body).toEqual(['form.tooLong|{"max":50000}']);
    const limit = await reply(world.cookies.community, threadId, "я".repeat(50_000));
    expect(statusOf(limit)).toBe(302);
  });

  it("refuses a reply where the tier may only read: 403 with a message", async () => {
    const threadId = world.threads.story.thread.id;
    const result = await reply(world.cookies.community, threadId, "Me too!");
    expect(statusOf(result)).toBe(403);
    expect(await textOf(result)).toBe("Your tier can read this category but cannot post in it.");
  });

  it("refuses a reply to a locked thread with 403 and a message, but lets staff reply", async () => {
    const { thread } = await createForumThread(world.users.community, world.categories.open, { title: "Soon locked" });
    await post(threadAction, `/forum/t/${thread.id}`, world.cookies.curator, { intent: "lock" }, { threadId: thread.id });
    const result = await reply(world.cookies.professional, thread.id, "Late answer");
    expect(statusOf(result)).toBe(403);
    expect(await textOf(result)).toBe("Тема закрыта: новые ответы и правки невозможны."); // Olga reads Russian
    expect(statusOf(await reply(world.cookies.curator, thread.id, "Closing note from the curator."))).toBe(302);
    const page = bodyOf<{ canReply: boolean; cannotReplyReason: string }>(
      await get(threadPage, `/forum/t/${thread.id}`, world.cookies.professional, { threadId: thread.id }),
    );
    expect(page).toMatchObject({ canReply: false, cannotReplyReason: "locked" });
  });
});

describe("posting limits", () => {
  it("answers the 31st post in ten minutes with 429 in the form: the message, Retry-After and the typed text kept", async () => {
    const member = await createUser({ tier: "professional" });
    const cookie = await sessionCookie(member.id);
    const threadId = world.threads.intro.thread.id;
    for (let i = 0; i < 30; i += 1) {
      const result = await post(threadAction, `/forum/t/${threadId}`, cookie, { intent: "reply", body: `Reply ${i}` }, { threadId });
      expect(statusOf(result)).toBe(302);
    }
    const limited = await post(threadAction, `/forum/t/${threadId}`, cookie, { intent: "reply", body: "One more, typed with care" }, { threadId });
    expect(limited).not.toBeInstanceOf(Response);
    expect(statusOf(limited)).toBe(429);
    const retryAfter = Number(new Headers((limited as { init: ResponseInit }).init.headers).get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    const reply = bodyOf<{ status: string; error: Record<string, string[]>; initialValue: Record<string, string> }>(limited);
    expect(reply.status).toBe("error");
    expect(reply.error[""]).toEqual([`forum.rateLimited|{"minutes":${Math.ceil(retryAfter / 60)}}`]);
    expect(reply.initialValue.body).toBe("One more, typed with care");
    expect(await db.forumPost.count({ where: { authorId: member.id } })).toBe(30);

    const thread = await post(newThread, "/forum/introductions/new", cookie, { title: "Also limited", body: "A new thread" }, { category: "introductions" });
    expect(statusOf(thread)).toBe(429);
    expect(bodyOf<{ initialValue: Record<string, string> }>(thread).initialValue).toEqual({ title: "Also limited", body: "A new thread" });
  });
});

describe("editing and deleting", () => {
  it("lets the author edit, with an edited mark and a new title on the opening post", async () => {
    const { thread, post: opening } = await createForumThread(world.users.community, world.categories.open, { title: "Typo in titel" });
    const page = bodyOf<{ post: { body: string } }>(await get(editPage, `/forum/p/${opening.id}/edit`, world.cookies.community, { postId: opening.id }));
    expect(page.post.body).toBe("An opening post with **Markdown**.");
    const result = await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, {
      intent: "save",
      title: "Typo in title",
      body: "Fixed *body*",
    }, { postId: opening.id });
    expect(statusOf(result)).toBe(302);
    const saved = await db.forumPost.findUniqueOrThrow({ where: { id: opening.id }, include: { thread: true } });
    expect(saved.thread.title).toBe("Typo in title");
    expect(saved.bodyHtml).toBe("<p>Fixed <em>body</em></p>\n");
    expect(saved.editedAt).not.toBeNull();
    const shown = bodyOf<{ posts: Array<{ id: string; editedAt: Date | null }> }>(
      await get(threadPage, `/forum/t/${thread.id}`, world.cookies.professional, { threadId: thread.id }),
    );
    expect(shown.posts[0].editedAt).toBeInstanceOf(Date);
  });

  it("requires a title when the opening post is edited", async () => {
    const { post: opening } = await createForumThread(world.users.community, world.categories.open);
    const result = await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, { intent: "save", title: "", body: "x" }, { postId: opening.id });
    expect(statusOf(result)).toBe(400);
    expect(bodyOf<Reply>(result).error?.title).toEqual(["form.required"]);
  });

  it("refuses another member's post with 403, whatever the form sends; staff may edit it (tests/forum/moderation.test.ts) but not delete it", async () => {
    const reply = await createForumReply(world.users.professional, world.threads.intro.thread.id, "Mine, not yours.");
    for (const cookie of [world.cookies.community, world.cookies.privateClient, world.cookies.curator, world.cookies.owner]) {
      const staff = cookie === world.cookies.curator || cookie === world.cookies.owner;
      if (!staff) {
        expect(statusOf(await get(editPage, `/forum/p/${reply.id}/edit`, cookie, { postId: reply.id }))).toBe(403);
        const save = await post(editAction, `/forum/p/${reply.id}/edit`, cookie, { intent: "save", body: "Hijacked", authorId: "whatever" }, { postId: reply.id });
        expect(statusOf(save)).toBe(403);
      }
      const remove = await post(editAction, `/forum/p/${reply.id}/edit`, cookie, { intent: "delete", confirm: "yes" }, { postId: reply.id });
      expect(statusOf(remove)).toBe(403);
    }
    const unchanged = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(unchanged).toMatchObject({ body: "Mine, not yours.", editedAt: null, deletedAt: null });
  });

  it("soft-deletes a reply: a placeholder stays and the count drops", async () => {
    const { thread } = await createForumThread(world.users.community, world.categories.open);
    const reply = await createForumReply(world.users.professional, thread.id, "Regrettable");
    const result = await post(editAction, `/forum/p/${reply.id}/edit`, world.cookies.professional, { intent: "delete", confirm: "yes" }, { postId: reply.id });
    expect((result as Response).headers.get("Location")).toBe(`/forum/t/${thread.id}`);
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.deletedAt).not.toBeNull();
    expect(stored.body).toBe("Regrettable"); // soft: kept for moderation
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(0);
    const page = bodyOf<{ posts: Array<{ id: string; deleted: boolean; bodyHtml: string | null }> }>(
      await get(threadPage, `/forum/t/${thread.id}`, world.cookies.community, { threadId: thread.id }),
    );
    expect(page.posts.find((p) => p.id === reply.id)).toMatchObject({ deleted: true, bodyHtml: null });
  });

  it("asks before deleting: without confirm=yes nothing is deleted and the page says what would go", async () => {
    const { thread, post: opening } = await createForumThread(world.users.community, world.categories.open);
    await createForumReply(world.users.professional, thread.id, "An answer worth keeping.");
    const first = await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, { intent: "delete" }, { postId: opening.id });
    expect((first as Response).headers.get("Location")).toBe(`/forum/p/${opening.id}/edit?delete#delete`);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: opening.id } })).deletedAt).toBeNull();
    const confirm = bodyOf<{ deletion: string | null }>(await get(editPage, `/forum/p/${opening.id}/edit?delete`, world.cookies.community, { postId: opening.id }));
    expect(confirm.deletion).toBe("opening-kept");
  });

  it("deleting an opening post others answered keeps the thread and every reply", async () => {
    const { thread, post: opening } = await createForumThread(world.users.community, world.categories.open, { title: "Kept for the replies" });
    const others = await createForumReply(world.users.professional, thread.id, "Others wrote this.");
    await createForumReply(world.users.community, thread.id, "The author's own follow-up.");
    const result = await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, { intent: "delete", confirm: "yes" }, { postId: opening.id });
    expect((result as Response).headers.get("Location")).toBe(`/forum/t/${thread.id}`);
    const stored = await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(stored.deletedAt).toBeNull();
    expect(stored.replyCount).toBe(2);
    for (const cookie of [world.cookies.professional, world.cookies.owner]) {
      const page = await get(threadPage, `/forum/t/${thread.id}`, cookie, { threadId: thread.id });
      expect(statusOf(page)).toBe(200);
      const posts = bodyOf<{ posts: Array<{ id: string; deleted: boolean; bodyHtml: string | null }> }>(page).posts;
      expect(posts.find((p) => p.id === opening.id)).toMatchObject({ deleted: true, bodyHtml: null });
      expect(posts.find((p) => p.id === others.id)?.bodyHtml).toContain("Others wrote this.");
    }
    // The thread still takes replies.
    const reply = await post(threadAction, `/forum/t/${thread.id}`, world.cookies.professional, { intent: "reply", body: "Still here." }, { threadId: thread.id });
    expect(statusOf(reply)).toBe(302);
  });

  it("deleting an opening post nobody else answered removes the thread for members; staff still open it and restore it", async () => {
    const { thread, post: opening } = await createForumThread(world.users.community, world.categories.open, { title: "Removed soon" });
    await post(editAction, `/forum/p/${opening.id}/edit`, world.cookies.community, { intent: "delete", confirm: "yes" }, { postId: opening.id });
    const removed = await get(threadPage, `/forum/t/${thread.id}`, world.cookies.community, { threadId: thread.id });
    expect(statusOf(removed)).toBe(410);
    expect(bodyOf<{ removed: boolean }>(removed).removed).toBe(true);
    expect(JSON.stringify(bodyOf(removed))).not.toContain("Removed soon");
    const replyToRemoved = await post(threadAction, `/forum/t/${thread.id}`, world.cookies.professional, { intent: "reply", body: "Hello?" }, { threadId: thread.id });
    expect(statusOf(replyToRemoved)).toBe(410);
    const list = bodyOf<{ threads: Array<{ id: string }> }>(
      await get(categoryPage, "/forum/introductions", world.cookies.community, { category: "introductions" }),
    );
    expect(list.threads.map((t) => t.id)).not.toContain(thread.id);

    // The owner is not shut out: she sees the thread, marked deleted, and can restore it.
    const staffView = await get(threadPage, `/forum/t/${thread.id}`, world.cookies.owner, { threadId: thread.id });
    expect(statusOf(staffView)).toBe(200);
    expect(bodyOf<{ thread: { deleted: boolean }; canReply: boolean }>(staffView)).toMatchObject({ thread: { deleted: true }, canReply: false });
    const memberRestore = await post(threadAction, `/forum/t/${thread.id}`, world.cookies.community, { intent: "restore" }, { threadId: thread.id });
    expect(statusOf(memberRestore)).toBe(403);
    await post(threadAction, `/forum/t/${thread.id}`, world.cookies.curator, { intent: "restore" }, { threadId: thread.id });
    expect(statusOf(await get(threadPage, `/forum/t/${thread.id}`, world.cookies.community, { threadId: thread.id }))).toBe(200);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: opening.id } })).deletedAt).toBeNull();
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: opening.id } })).visible).toBe(true);
  });

  it("staff restore a deleted reply and the count follows; members cannot", async () => {
    const { thread } = await createForumThread(world.users.community, world.categories.open);
    const reply = await createForumReply(world.users.professional, thread.id, "Deleted in haste");
    await post(editAction, `/forum/p/${reply.id}/edit`, world.cookies.professional, { intent: "delete", confirm: "yes" }, { postId: reply.id });
    const refused = await post(threadAction, `/forum/t/${thread.id}`, world.cookies.professional, { intent: "restore-post", postId: reply.id }, { threadId: thread.id });
    expect(statusOf(refused)).toBe(403);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } })).deletedAt).not.toBeNull();
    await post(threadAction, `/forum/t/${thread.id}`, world.cookies.curator, { intent: "restore-post", postId: reply.id }, { threadId: thread.id });
    expect(await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ deletedAt: null, visible: true });
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(1);
  });
});

describe("marked helpful", () => {
  const mark = (cookie: string, threadId: string, postId: string, intent = "helpful") =>
    post(threadAction, `/forum/t/${threadId}`, cookie, { intent, postId }, { threadId });

  it("marks and unmarks a reply, one mark per member", async () => {
    const threadId = world.threads.intro.thread.id;
    const replyId = world.replies.intro.id;
    expect(statusOf(await mark(world.cookies.community, threadId, replyId))).toBe(302);
    expect(statusOf(await mark(world.cookies.community, threadId, replyId))).toBe(302);
    expect(statusOf(await mark(world.cookies.curator, threadId, replyId))).toBe(302);
    expect(await db.forumHelpfulMark.count({ where: { postId: replyId } })).toBe(2);
    const page = bodyOf<{ posts: Array<{ id: string; helpful: number; markedHelpful: boolean }> }>(
      await get(threadPage, `/forum/t/${threadId}`, world.cookies.community, { threadId }),
    );
    expect(page.posts.find((p) => p.id === replyId)).toMatchObject({ helpful: 2, markedHelpful: true });
    await mark(world.cookies.community, threadId, replyId, "unhelpful");
    expect(await db.forumHelpfulMark.count({ where: { postId: replyId } })).toBe(1);
  });

  it("refuses marking your own reply, an opening post, or a reply you may not read", async () => {
    const intro = world.threads.intro;
    expect(statusOf(await mark(world.cookies.professional, intro.thread.id, world.replies.intro.id))).toBe(403);
    expect(statusOf(await mark(world.cookies.professional, intro.thread.id, intro.post.id))).toBe(403);
    const cto = world.threads.cto;
    expect(statusOf(await mark(world.cookies.community, cto.thread.id, world.replies.cto.id))).toBe(404);
    // A post id from a readable thread posted against another thread's address reads the post's own thread.
    expect(statusOf(await mark(world.cookies.community, intro.thread.id, world.replies.cto.id))).toBe(404);
    expect(await db.forumHelpfulMark.count({ where: { postId: world.replies.cto.id } })).toBe(0);
  });
});
