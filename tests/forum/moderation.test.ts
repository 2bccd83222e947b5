/** Curators' moderation, the report queue, and the owner's category administration. */
import { beforeAll, describe, expect, it } from "vitest";
import { action as categoriesAction, loader as categoriesPage } from "~/routes/admin.forum._index";
import { action as editCategory, loader as editCategoryPage } from "~/routes/admin.forum.$categoryId";
import { action as createCategory, loader as newCategoryPage } from "~/routes/admin.forum.new";
import { action as reportsAction, loader as reportsPage } from "~/routes/admin.reports";
import { loader as forumIndex } from "~/routes/forum._index";
import { loader as categoryPage } from "~/routes/forum.$category";
import { action as reportAction, loader as reportPage } from "~/routes/forum.p.$postId_.report";
import { action as editAction, loader as editPage } from "~/routes/forum.p.$postId_.edit";
import { action as threadAction, loader as threadPage } from "~/routes/forum.t.$threadId";
import { createForumCategory, createForumReply, createForumThread, createUser, ensureTiers, sessionCookie } from "../factories";
import { bodyOf, db, forumWorld, get, post, statusOf } from "./world";

let world: Awaited<ReturnType<typeof forumWorld>>;
beforeAll(async () => {
  world = await forumWorld();
});

const moderate = (cookie: string, threadId: string, form: Record<string, string>) =>
  post(threadAction, `/forum/t/${threadId}`, cookie, form, { threadId });

describe("thread and post moderation", () => {
  it("refuses every moderation action from a member with 403, and changes nothing", async () => {
    const { thread } = await createForumThread(world.users.professional, world.categories.open);
    const reply = await createForumReply(world.users.community, thread.id);
    const forms: Array<Record<string, string>> = [
      { intent: "pin" },
      { intent: "lock" },
      { intent: "hide" },
      { intent: "move", categoryId: world.categories.stories.id },
      { intent: "hide-post", postId: reply.id },
    ];
    for (const form of forms) {
      expect(statusOf(await moderate(world.cookies.privateClient, thread.id, form)), form.intent).toBe(403);
    }
    const after = await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } });
    expect(after).toMatchObject({ pinned: false, lockedAt: null, hiddenAt: null, categoryId: world.categories.open.id });
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } })).hiddenAt).toBeNull();
  });

  it("lets a curator pin (first in the list), lock, move and hide a thread, and an owner undo it", async () => {
    const { thread } = await createForumThread(world.users.community, world.categories.open, { title: "Pin me" });
    await createForumThread(world.users.community, world.categories.open, { title: "Newer thread" });
    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "pin" }))).toBe(302);
    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "lock" }))).toBe(302);
    const list = bodyOf<{ threads: Array<{ id: string; pinned: boolean; locked: boolean }> }>(
      await get(categoryPage, "/forum/introductions", world.cookies.community, { category: "introductions" }),
    );
    expect(list.threads[0]).toMatchObject({ id: thread.id, pinned: true, locked: true });

    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "move", categoryId: world.categories.stories.id }))).toBe(302);
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).categoryId).toBe(world.categories.stories.id);
    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "move", categoryId: "no-such-category" }))).toBe(400);

    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "hide" }))).toBe(302);
    const asMember = await get(threadPage, `/forum/t/${thread.id}`, world.cookies.community, { threadId: thread.id });
    expect(statusOf(asMember)).toBe(410);
    const asStaff = bodyOf<{ thread: { hidden: boolean } }>(
      await get(threadPage, `/forum/t/${thread.id}`, world.cookies.owner, { threadId: thread.id }),
    );
    expect(asStaff.thread.hidden).toBe(true);

    for (const intent of ["unhide", "unlock", "unpin"]) {
      expect(statusOf(await moderate(world.cookies.owner, thread.id, { intent }))).toBe(302);
    }
    expect(await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).toMatchObject({
      pinned: false,
      lockedAt: null,
      hiddenAt: null,
      hiddenById: null,
    });
  });

  it("hides a reply from members (staff still see it) and counts it out, then shows it again", async () => {
    const { thread } = await createForumThread(world.users.professional, world.categories.open);
    const reply = await createForumReply(world.users.community, thread.id, "Rude words");
    expect(statusOf(await moderate(world.cookies.curator, thread.id, { intent: "hide-post", postId: reply.id }))).toBe(302);
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.hiddenById).toBe(world.users.curator.id);
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(0);
    type Page = { posts: Array<{ id: string; hidden: boolean; bodyHtml: string | null }> };
    const member = bodyOf<Page>(await get(threadPage, `/forum/t/${thread.id}`, world.cookies.privateClient, { threadId: thread.id }));
    expect(member.posts.find((p) => p.id === reply.id)).toMatchObject({ hidden: true, bodyHtml: null });
    const staff = bodyOf<Page>(await get(threadPage, `/forum/t/${thread.id}`, world.cookies.curator, { threadId: thread.id }));
    expect(staff.posts.find((p) => p.id === reply.id)?.bodyHtml).toBe("<p>Rude words</p>\n");
    // Hiding twice counts once.
    await moderate(world.cookies.curator, thread.id, { intent: "hide-post", postId: reply.id });
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(0);
    await moderate(world.cookies.curator, thread.id, { intent: "unhide-post", postId: reply.id });
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: thread.id } })).replyCount).toBe(1);
  });
});

describe("reports", () => {
  it("lets a member report a post once, with a reason, and refuses an empty one at the field", async () => {
    const postId = world.replies.intro.id;
    const empty = await post(reportAction, `/forum/p/${postId}/report`, world.cookies.community, { reason: " " }, { postId });
    expect(statusOf(empty)).toBe(400);
    expect(bodyOf<{ error: Record<string, string[]> }>(empty).error.reason).toEqual(["form.required"]);
    for (let i = 0; i < 2; i += 1) {
      const result = await post(reportAction, `/forum/p/${postId}/report`, world.cookies.community, { reason: "Spam link" }, { postId });
      expect(statusOf(result)).toBe(302);
    }
    expect(await db.forumReport.count({ where: { postId } })).toBe(1);
    const page = bodyOf<{ alreadyReported: boolean }>(await get(reportPage, `/forum/p/${postId}/report`, world.cookies.community, { postId }));
    expect(page.alreadyReported).toBe(true);
  });

  it("keeps the queue to curators and owners", async () => {
    expect(statusOf(await get(reportsPage, "/admin/reports", world.cookies.privateClient))).toBe(403);
    const report = await db.forumReport.findFirstOrThrow();
    const attempt = await post(reportsAction, "/admin/reports", world.cookies.privateClient, { intent: "resolve", reportId: report.id, note: "mine" });
    expect(statusOf(attempt)).toBe(403);
    expect((await db.forumReport.findUniqueOrThrow({ where: { id: report.id } })).status).toBe("OPEN");
  });

  it("resolves a report once, with a note, who and when, optionally hiding the post", async () => {
    const report = await db.forumReport.findFirstOrThrow({ where: { status: "OPEN" } });
    const queue = bodyOf<{ reports: Array<{ id: string; reason: string }> }>(await get(reportsPage, "/admin/reports", world.cookies.curator));
    expect(queue.reports.map((r) => r.id)).toContain(report.id);
    const noNote = await post(reportsAction, "/admin/reports", world.cookies.curator, { intent: "resolve", reportId: report.id, note: "" });
    expect(statusOf(noNote)).toBe(400);
    const done = await post(reportsAction, "/admin/reports", world.cookies.curator, {
      intent: "resolve",
      reportId: report.id,
      note: "Link removed; warned the author.",
      hidePost: "on",
    });
    expect(statusOf(done)).toBe(302);
    const stored = await db.forumReport.findUniqueOrThrow({ where: { id: report.id } });
    expect(stored).toMatchObject({ status: "RESOLVED", resolvedById: world.users.curator.id, resolutionNote: "Link removed; warned the author." });
    expect(stored.resolvedAt).toBeInstanceOf(Date);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: report.postId } })).hiddenAt).not.toBeNull();
    const again = await post(reportsAction, "/admin/reports", world.cookies.owner, { intent: "resolve", reportId: report.id, note: "Again" });
    expect(statusOf(again)).toBe(409);
    expect((await db.forumReport.findUniqueOrThrow({ where: { id: report.id } })).resolutionNote).toBe("Link removed; warned the author.");
    const resolved = bodyOf<{ reports: Array<{ id: string }> }>(await get(reportsPage, "/admin/reports?status=resolved", world.cookies.owner));
    expect(resolved.reports.map((r) => r.id)).toEqual([report.id]);
  });

  it("tells the reporter the outcome: an email in their language, and a line on the report's page once the post is hidden", async () => {
    const report = await db.forumReport.findFirstOrThrow({ where: { status: "RESOLVED", reporterId: world.users.community.id } });
    const emails = await db.email.findMany({ where: { to: world.users.community.email, template: "forum-report-outcome" } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ locale: "en", subject: "Your report about a post in “Hello from Priya”" });
    expect(emails[0].text).toContain("The post is now hidden from members.");
    expect(emails[0].text).toContain("The curator’s note: Link removed; warned the author.");
    expect(emails[0].text).toContain(`/forum/p/${report.postId}/report`);

    const postId = report.postId;
    const page = await get(reportPage, `/forum/p/${postId}/report`, world.cookies.community, { postId });
    expect(statusOf(page)).toBe(200);
    expect(bodyOf(page)).toMatchObject({
      post: { excerpt: null },
      outcome: { status: "RESOLVED", postHidden: true, note: "Link removed; warned the author." },
    });
    // Someone who did not report the hidden post still gets nothing.
    expect(statusOf(await get(reportPage, `/forum/p/${postId}/report`, world.cookies.privateClient, { postId }))).toBe(404);
  });

  it("offers no helpful mark on a hidden post, and refuses one, staff included", async () => {
    const report = await db.forumReport.findFirstOrThrow({ where: { status: "RESOLVED" } });
    const threadId = (await db.forumPost.findUniqueOrThrow({ where: { id: report.postId } })).threadId;
    const marked = await post(threadAction, `/forum/t/${threadId}`, world.cookies.curator, { intent: "helpful", postId: report.postId }, { threadId });
    expect(statusOf(marked)).toBe(403);
    expect(await db.forumHelpfulMark.count({ where: { postId: report.postId } })).toBe(0);
  });
});

describe("curators redacting a post", () => {
  it("lets a curator edit a member's post; the post then names who edited it; members still edit only their own, and only authors delete", async () => {
    const { thread } = await createForumThread(world.users.community, world.categories.open, { title: "Leaked a key" });
    const leaked = await createForumReply(world.users.professional, thread.id, "Use key sk_live_123 for the API");
    const postId = leaked.id;
    expect(statusOf(await get(editPage, `/forum/p/${postId}/edit`, world.cookies.curator, { postId }))).toBe(200);
    const saved = await post(editAction, `/forum/p/${postId}/edit`, world.cookies.curator, { intent: "save", body: "Use key [removed by a curator] for the API" }, { postId });
    expect(statusOf(saved)).toBe(302);
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: postId } });
    expect(stored).toMatchObject({ editedById: world.users.curator.id, body: "Use key [removed by a curator] for the API" });
    expect(stored.editedAt).toBeInstanceOf(Date);
    expect(stored.bodyText).not.toContain("sk_live_123");

    const page = bodyOf<{ posts: Array<{ id: string; editorName: string | null; editedAt: Date | null }> }>(
      await get(threadPage, `/forum/t/${thread.id}`, world.cookies.community, { threadId: thread.id }),
    );
    expect(page.posts.find((p) => p.id === postId)).toMatchObject({ editorName: "Marina Curator" });

    // Another member may not; the curator may not delete it; the author's own edit is theirs again.
    const stranger = await post(editAction, `/forum/p/${postId}/edit`, world.cookies.privateClient, { intent: "save", body: "Mine now" }, { postId });
    expect(statusOf(stranger)).toBe(403);
    const deleted = await post(editAction, `/forum/p/${postId}/edit`, world.cookies.curator, { intent: "delete", confirm: "yes" }, { postId });
    expect(statusOf(deleted)).toBe(403);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: postId } })).deletedAt).toBeNull();
    await post(editAction, `/forum/p/${postId}/edit`, world.cookies.professional, { intent: "save", body: "Use the key from the vault" }, { postId });
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: postId } })).editedById).toBeNull();
  });
});

describe("category administration", () => {
  it("is for owners only", async () => {
    for (const cookie of [world.cookies.curator, world.cookies.privateClient]) {
      expect(statusOf(await get(categoriesPage, "/admin/forum", cookie))).toBe(403);
      expect(statusOf(await get(newCategoryPage, "/admin/forum/new", cookie))).toBe(403);
      const categoryId = world.categories.open.id;
      expect(statusOf(await get(editCategoryPage, `/admin/forum/${categoryId}`, cookie, { categoryId }))).toBe(403);
      const attempt = await post(createCategory, "/admin/forum/new", cookie, { slug: "sneaky", nameEn: "S", nameRu: "S", position: "1" });
      expect(statusOf(attempt)).toBe(403);
    }
    expect(await db.forumCategory.findUnique({ where: { slug: "sneaky" } })).toBeNull();
  });

  it("creates a category with names in both languages, order and tier access", async () => {
    const tiers = await ensureTiers();
    const result = await post(createCategory, "/admin/forum/new", world.cookies.owner, {
      slug: "Mentoring",
      nameEn: "Mentoring",
      nameRu: "Менторство",
      descriptionEn: "Find a mentor",
      descriptionRu: "Найдите ментора",
      position: "5",
      [`access.${tiers.community.id}`]: "read",
      [`access.${tiers.professional.id}`]: "post",
      [`access.${tiers["private-client"].id}`]: "none",
    });
    expect(statusOf(result)).toBe(302);
    const category = await db.forumCategory.findUniqueOrThrow({ where: { slug: "mentoring" }, include: { tiers: true } });
    expect(category).toMatchObject({ nameRu: "Менторство", position: 5, descriptionEn: "Find a mentor" });
    expect(category.tiers.map((t) => [t.tierId, t.canPost]).sort()).toEqual(
      [[tiers.community.id, false], [tiers.professional.id, true]].sort(),
    );
    const forum = bodyOf<{ categories: Array<{ slug: string; canPost: boolean }> }>(await get(forumIndex, "/forum", world.cookies.community));
    expect(forum.categories.at(-1)).toMatchObject({ slug: "mentoring", canPost: false }); // position 5, after the 0s
    const privateView = bodyOf<{ categories: Array<{ slug: string }> }>(await get(forumIndex, "/forum", world.cookies.privateClient));
    expect(privateView.categories.map((c) => c.slug)).not.toContain("mentoring");
  });

  it("refuses a taken, reserved or malformed address at the field", async () => {
    const base = { nameEn: "X", nameRu: "Х", position: "1" };
    const taken = await post(createCategory, "/admin/forum/new", world.cookies.owner, { ...base, slug: "introductions" });
    expect(statusOf(taken)).toBe(409);
    expect(bodyOf<{ error: Record<string, string[]> }>(taken).error.slug).toEqual(["forumAdmin.slugTaken"]);
    const reserved = await post(createCategory, "/admin/forum/new", world.cookies.owner, { ...base, slug: "t" });
    expect(statusOf(reserved)).toBe(400);
    const malformed = await post(createCategory, "/admin/forum/new", world.cookies.owner, { ...base, slug: "no spaces!", position: "first" });
    expect(bodyOf<{ error: Record<string, string[]> }>(malformed).error).toMatchObject({
      slug: ["forumAdmin.slugFormat"],
      position: ["forumAdmin.positionNumber"],
    });
  });

  it("answers a double submit of a new category with one category and a field error, never a 500", async () => {
    const form = { slug: "double-submit", nameEn: "Double", nameRu: "Дубль", position: "1" };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => post(createCategory, "/admin/forum/new", world.cookies.owner, form)),
    );
    const statuses = results.map(statusOf).sort();
    expect(statuses).toEqual([302, 409, 409, 409]);
    for (const result of results.filter((r) => statusOf(r) === 409)) {
      expect(bodyOf<{ error: Record<string, string[]> }>(result).error.slug).toEqual(["forumAdmin.slugTaken"]);
    }
    expect(await db.forumCategory.count({ where: { slug: "double-submit" } })).toBe(1);
  });

  it("keeps the access of an archived tier, whose members keep their tier, when the owner saves the category", async () => {
    const legacy = await db.tier.create({
      data: { slug: "founders", nameEn: "Founders", nameRu: "Основатели", position: 9, monthlyAmount: 1000, canVote: false, voteWeight: 1, referralQuota: 0 },
    });
    const founder = await createUser({ tier: null, name: "Fiona Founder" });
    await db.subscription.create({
      data: {
        userId: founder.id, tierId: legacy.id, status: "ACTIVE", interval: "MONTH", amount: 1000, currency: legacy.currency,
        currentPeriodStart: new Date(), currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000),
      },
    });
    const category = await createForumCategory({ slug: "founders-lounge", nameEn: "Founders' lounge" });
    await db.forumCategoryTier.create({ data: { categoryId: category.id, tierId: legacy.id, canPost: true } });
    await db.tier.update({ where: { id: legacy.id }, data: { archivedAt: new Date() } });
    const cookie = await sessionCookie(founder.id);
    expect(statusOf(await get(categoryPage, "/forum/founders-lounge", cookie, { category: "founders-lounge" }))).toBe(200);

    // The owner fixes a typo; the form lists only the tiers on offer.
    const tiers = await ensureTiers();
    const saved = await post(editCategory, `/admin/forum/${category.id}`, world.cookies.owner, {
      intent: "save",
      slug: "founders-lounge",
      nameEn: "Founders’ lounge",
      nameRu: "Гостиная основателей",
      position: "0",
      [`access.${tiers.community.id}`]: "none",
      [`access.${tiers.professional.id}`]: "read",
      [`access.${tiers["private-client"].id}`]: "post",
      // A crafted request cannot change an archived tier's access either.
      [`access.${legacy.id}`]: "none",
    }, { categoryId: category.id });
    expect(statusOf(saved)).toBe(302);
    const rows = await db.forumCategoryTier.findMany({ where: { categoryId: category.id } });
    expect(rows.map((r) => [r.tierId, r.canPost]).sort()).toEqual(
      [[legacy.id, true], [tiers.professional.id, false], [tiers["private-client"].id, true]].sort(),
    );
    expect(statusOf(await get(categoryPage, "/forum/founders-lounge", cookie, { category: "founders-lounge" }))).toBe(200);
  });

  it("changes a category's access, reorders, and deletes only an empty category", async () => {
    const tiers = await ensureTiers();
    const cto = world.categories.cto;
    const edited = await post(editCategory, `/admin/forum/${cto.id}`, world.cookies.owner, {
      intent: "save",
      slug: "ask-the-cto",
      nameEn: "Ask the CTO",
      nameRu: "Вопрос CTO",
      position: "20",
      [`access.${tiers.community.id}`]: "read",
      [`access.${tiers.professional.id}`]: "post",
      [`access.${tiers["private-client"].id}`]: "post",
    }, { categoryId: cto.id });
    expect(statusOf(edited)).toBe(302);
    expect(statusOf(await get(categoryPage, "/forum/ask-the-cto", world.cookies.community, { category: "ask-the-cto" }))).toBe(200);

    const before = bodyOf<{ categories: Array<{ id: string }> }>(await get(categoriesPage, "/admin/forum", world.cookies.owner));
    const second = before.categories[1].id;
    await post(categoriesAction, "/admin/forum", world.cookies.owner, { intent: "up", categoryId: second });
    const after = bodyOf<{ categories: Array<{ id: string }> }>(await get(categoriesPage, "/admin/forum", world.cookies.owner));
    expect(after.categories[0].id).toBe(second);

    const refused = await post(editCategory, `/admin/forum/${cto.id}`, world.cookies.owner, { intent: "delete" }, { categoryId: cto.id });
    expect(statusOf(refused)).toBe(409);
    expect(await db.forumCategory.findUnique({ where: { id: cto.id } })).not.toBeNull();
    const empty = await db.forumCategory.findUniqueOrThrow({ where: { slug: "mentoring" } });
    const deleted = await post(editCategory, `/admin/forum/${empty.id}`, world.cookies.owner, { intent: "delete" }, { categoryId: empty.id });
    expect(statusOf(deleted)).toBe(302);
    expect(await db.forumCategory.findUnique({ where: { id: empty.id } })).toBeNull();
  });
});
