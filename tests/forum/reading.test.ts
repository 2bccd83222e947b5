/** Who may read what: tiers, staff, visitors, lapsed members, and what a 404 hides. */
import { beforeAll, describe, expect, it } from "vitest";
import { loader as forumIndex } from "~/routes/forum._index";
import { loader as categoryPage } from "~/routes/forum.$category";
import { loader as newThreadPage } from "~/routes/forum.$category_.new";
import { loader as postLink } from "~/routes/forum.p.$postId";
import { loader as editPage } from "~/routes/forum.p.$postId_.edit";
import { loader as reportPage } from "~/routes/forum.p.$postId_.report";
import { loader as threadPage } from "~/routes/forum.t.$threadId";
import { loader as profilePage } from "~/routes/members.$id";
import { createForumReply } from "../factories";
import { bodyOf, forumWorld, get, statusOf, textOf } from "./world";

let world: Awaited<ReturnType<typeof forumWorld>>;
beforeAll(async () => {
  world = await forumWorld();
});

type IndexData = { categories: Array<{ slug: string; canPost: boolean }> };

describe("reading the forum", () => {
  it("sends a visitor to sign in", async () => {
    const result = (await get(forumIndex, "/forum", undefined)) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/login?redirectTo=%2Fforum");
  });

  it("refuses a signed-in person without a tier, with the reason", async () => {
    const result = await get(forumIndex, "/forum", world.cookies.lapsed);
    expect(statusOf(result)).toBe(403);
    expect(await textOf(result)).toMatch(/active membership/);
  });

  it("lists only the categories the member's tier may read, and which are read-only", async () => {
    const asCommunity = bodyOf<IndexData>(await get(forumIndex, "/forum", world.cookies.community));
    expect(asCommunity.categories.map((c) => c.slug).sort()).toEqual(["introductions", "war-stories"]);
    expect(asCommunity.categories.find((c) => c.slug === "war-stories")!.canPost).toBe(false);
    const asProfessional = bodyOf<IndexData>(await get(forumIndex, "/forum", world.cookies.professional));
    expect(asProfessional.categories.map((c) => c.slug).sort()).toEqual(["ask-the-cto", "introductions", "war-stories"]);
  });

  it("lets curators and owners (even without a tier) read every category", async () => {
    for (const cookie of [world.cookies.curator, world.cookies.owner]) {
      const data = bodyOf<IndexData>(await get(forumIndex, "/forum", cookie));
      expect(data.categories.map((c) => c.slug).sort()).toEqual(["ask-the-cto", "introductions", "war-stories"]);
      expect(data.categories.every((c) => c.canPost)).toBe(true);
    }
  });

  it("gives a Community member 404 on every address of Ask the CTO, so no title leaks", async () => {
    const cookie = world.cookies.community;
    const threadId = world.threads.cto.thread.id;
    const postId = world.replies.cto.id;
    const attempts = [
      await get(categoryPage, "/forum/ask-the-cto", cookie, { category: "ask-the-cto" }),
      await get(newThreadPage, "/forum/ask-the-cto/new", cookie, { category: "ask-the-cto" }),
      await get(threadPage, `/forum/t/${threadId}`, cookie, { threadId }),
      await get(postLink, `/forum/p/${postId}`, cookie, { postId }),
      await get(reportPage, `/forum/p/${postId}/report`, cookie, { postId }),
      await get(editPage, `/forum/p/${postId}/edit`, cookie, { postId }),
    ];
    for (const result of attempts) {
      expect(statusOf(result)).toBe(404);
      expect(await textOf(result)).not.toContain("Secret roadmap question");
    }
    // An address that does not exist looks the same as one the member may not read.
    const missing = await get(threadPage, "/forum/t/nope", cookie, { threadId: "nope" });
    expect(statusOf(missing)).toBe(404);
  });

  it("shows a Professional member the thread with its posts, authors and rendered Markdown", async () => {
    const threadId = world.threads.cto.thread.id;
    const data = bodyOf<{
      thread: { title: string };
      posts: Array<{ authorName: string; bodyHtml: string }>;
      canReply: boolean;
    }>(await get(threadPage, `/forum/t/${threadId}`, world.cookies.professional, { threadId }));
    expect(data.thread.title).toBe("Secret roadmap question");
    expect(data.posts.map((p) => p.authorName)).toEqual(["Olga Professional", "Irina Private"]);
    expect(data.posts[1].bodyHtml).toBe("<p>A private answer.</p>\n");
    expect(data.canReply).toBe(true);
  });

  it("lets a Community member read a read-only category but not reply there", async () => {
    const threadId = world.threads.story.thread.id;
    const data = bodyOf<{ canReply: boolean; cannotReplyReason: string }>(
      await get(threadPage, `/forum/t/${threadId}`, world.cookies.community, { threadId }),
    );
    expect(data.canReply).toBe(false);
    expect(data.cannotReplyReason).toBe("cannotPost");
  });

  it("links a post to its page in the thread", async () => {
    const threadId = world.threads.intro.thread.id;
    const replies = [];
    for (let i = 0; i < 21; i += 1) replies.push(await createForumReply(world.users.privateClient, threadId, `Reply number ${i}`));
    const last = replies.at(-1)!;
    const result = (await get(postLink, `/forum/p/${last.id}`, world.cookies.community, { postId: last.id })) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/forum/t/${threadId}?page=2#post-${last.id}`);
    const page2 = bodyOf<{ posts: Array<{ id: string }>; pagination: { page: number; pages: number } }>(
      await get(threadPage, `/forum/t/${threadId}?page=2`, world.cookies.community, { threadId }),
    );
    expect(page2.pagination).toMatchObject({ page: 2, pages: 2 });
    expect(page2.posts.map((p) => p.id)).toContain(last.id);
  });
});

describe("unread markers", () => {
  it("marks a thread unread until the member has read its latest post", async () => {
    const { community, privateClient } = world.cookies;
    const slug = "introductions";
    type Threads = { threads: Array<{ id: string; unread: boolean }> };
    const before = bodyOf<Threads>(await get(categoryPage, `/forum/${slug}`, privateClient, { category: slug }));
    const threadId = world.threads.intro.thread.id;
    const storyThreadId = world.threads.story.thread.id;
    expect(before.threads.find((t) => t.id === threadId)?.unread).toBe(false); // privateClient replied in it above
    await createForumReply(world.users.professional, threadId, "Something new");
    const after = bodyOf<Threads>(await get(categoryPage, `/forum/${slug}`, privateClient, { category: slug }));
    expect(after.threads.find((t) => t.id === threadId)?.unread).toBe(true);
    // Reading the last page clears it; the new post is marked new on the page.
    const page = bodyOf<{ posts: Array<{ bodyHtml: string | null; isNew: boolean }> }>(
      await get(threadPage, `/forum/t/${threadId}?page=2`, privateClient, { threadId }),
    );
    expect(page.posts.filter((p) => p.isNew).map((p) => p.bodyHtml)).toEqual(["<p>Something new</p>\n"]);
    const read = bodyOf<Threads>(await get(categoryPage, `/forum/${slug}`, privateClient, { category: slug }));
    expect(read.threads.find((t) => t.id === threadId)?.unread).toBe(false);
    // Each member's markers are their own: the curator has not opened the story; once the Community member opens it, it is read for them only.
    const stories = bodyOf<Threads>(await get(categoryPage, "/forum/war-stories", world.cookies.curator, { category: "war-stories" }));
    expect(stories.threads.find((t) => t.id === storyThreadId)?.unread).toBe(true);
    await get(threadPage, `/forum/t/${storyThreadId}`, community, { threadId: storyThreadId });
    const read2 = bodyOf<Threads>(await get(categoryPage, "/forum/war-stories", community, { category: "war-stories" }));
    expect(read2.threads.find((t) => t.id === storyThreadId)?.unread).toBe(false);
  });
});

describe("member profiles", () => {
  it("are for members only", async () => {
    const id = world.users.professional.id;
    const visitor = (await get(profilePage, `/members/${id}`, undefined, { id })) as Response;
    expect(visitor.status).toBe(302);
    expect(statusOf(await get(profilePage, `/members/${id}`, world.cookies.lapsed, { id }))).toBe(403);
    expect(statusOf(await get(profilePage, "/members/nobody", world.cookies.community, { id: "nobody" }))).toBe(404);
  });

  it("show name, company, role, tier and join date, and only posts the reader may see", async () => {
    const id = world.users.professional.id;
    type Profile = {
      member: { name: string; joinedAt: Date };
      tier: { slug: string } | null;
      recentPosts: Array<{ threadTitle: string }>;
    };
    const asCommunity = bodyOf<Profile>(await get(profilePage, `/members/${id}`, world.cookies.community, { id }));
    expect(asCommunity.member.name).toBe("Olga Professional");
    expect(asCommunity.tier?.slug).toBe("professional");
    expect(asCommunity.member.joinedAt).toBeInstanceOf(Date);
    const titles = asCommunity.recentPosts.map((p) => p.threadTitle);
    expect(titles).toContain("The forgotten bucket");
    expect(titles).not.toContain("Secret roadmap question");
    const asPrivate = bodyOf<Profile>(await get(profilePage, `/members/${id}`, world.cookies.privateClient, { id }));
    expect(asPrivate.recentPosts.map((p) => p.threadTitle)).toContain("Secret roadmap question");
  });
});
