/** Emails on replies and @mentions, in the recipient's language, respecting their settings. */
import { beforeAll, describe, expect, it } from "vitest";
import { action as editAction } from "~/routes/forum.p.$postId_.edit";
import { createForumCategory, createForumReply, createForumThread, createUser, ensureTiers, sessionCookie } from "../factories";
import { db, post } from "./world";

let people: Record<"author" | "replier" | "russian" | "quiet" | "community", Awaited<ReturnType<typeof createUser>>>;
let categories: { open: { slug: string }; cto: { slug: string } };

beforeAll(async () => {
  await ensureTiers();
  const [author, replier, russian, quiet, community] = await Promise.all([
    createUser({ tier: "professional", name: "Thread Author" }),
    createUser({ tier: "private-client", name: "Reply Writer" }),
    createUser({ tier: "professional", name: "Ирина Петрова", locale: "ru" }),
    createUser({ tier: "professional", name: "Quiet Person" }),
    createUser({ tier: "community", name: "Community Member" }),
  ]);
  people = { author, replier, russian, quiet, community };
  await db.notificationPreference.createMany({
    data: (["FORUM_REPLY", "FORUM_MENTION"] as const).map((kind) => ({ userId: quiet.id, kind, channel: "EMAIL" as const, enabled: false })),
  });
  categories = {
    open: await createForumCategory(),
    cto: await createForumCategory({ access: { professional: "post", "private-client": "post" } }),
  };
});

const emailsTo = (userId: string) => db.email.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("reply notifications", () => {
  it("emails the thread's author about a reply, with a link to the post, but not the replier", async () => {
    const { thread } = await createForumThread(people.author, categories.open, { title: "Zero-trust rollout" });
    const reply = await createForumReply(people.replier, thread.id, "We started with **device posture**.");
    const emails = await emailsTo(people.author.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ template: "forum-reply", locale: "en", to: people.author.email });
    expect(emails[0].subject).toBe("Reply Writer replied to “Zero-trust rollout”");
    expect(emails[0].text).toContain("We started with device posture.");
    expect(emails[0].text).toContain(`/forum/p/${reply.id}`);
    expect(await emailsTo(people.replier.id)).toHaveLength(0);
    // The author's own reply in their thread sends nothing.
    await createForumReply(people.author, thread.id, "Thanks!");
    expect(await emailsTo(people.author.id)).toHaveLength(1);
  });

  it("writes to a Russian-speaking author in Russian", async () => {
    const { thread } = await createForumThread(people.russian, categories.open, { title: "Сегментация сети" });
    await createForumReply(people.replier, thread.id, "Начните с инвентаризации.");
    const [email] = await emailsTo(people.russian.id);
    expect(email.locale).toBe("ru");
    expect(email.subject).toBe("Reply Writer ответил(а) в теме «Сегментация сети»");
  });

  it("respects a member who turned reply emails off", async () => {
    const { thread } = await createForumThread(people.quiet, categories.open);
    await createForumReply(people.replier, thread.id, "Hello?");
    expect(await emailsTo(people.quiet.id)).toHaveLength(0);
  });
});

describe("mention notifications", () => {
  it("links @Full Name to the profile and emails the member once", async () => {
    const { thread } = await createForumThread(people.author, categories.open, { title: "Who knows KMS?" });
    const reply = await createForumReply(people.replier, thread.id, "@Ирина Петрова, ты же делала ротацию ключей? И @thread author тоже.");
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.bodyHtml).toContain(`<a href="/members/${people.russian.id}" class="mention" rel="nofollow ugc noopener">@Ирина Петрова</a>`);
    expect(stored.bodyHtml).toContain(`<a href="/members/${people.author.id}"`);
    const russianEmails = (await emailsTo(people.russian.id)).filter((e) => e.text.includes(reply.id));
    expect(russianEmails.map((e) => e.template)).toEqual(["forum-mention"]);
    expect(russianEmails[0].subject).toBe("Reply Writer упомянул(а) вас в теме «Who knows KMS?»");
    // The thread's author is mentioned and replied to: one email, not two.
    const authorEmails = (await emailsTo(people.author.id)).filter((e) => e.text.includes(reply.id));
    expect(authorEmails.map((e) => e.template)).toEqual(["forum-mention"]);
  });

  it("does not tell a member about a thread in a category they may not read", async () => {
    const { thread } = await createForumThread(people.author, categories.cto, { title: "Private CTO matter" });
    const reply = await createForumReply(people.replier, thread.id, "@Community Member should not hear of this.");
    expect(await emailsTo(people.community.id)).toHaveLength(0);
    // The mention is still recorded and linked: the profile itself is visible to members.
    expect(await db.forumMention.count({ where: { postId: reply.id, userId: people.community.id } })).toBe(1);
  });

  it("respects a member who turned mention emails off", async () => {
    const { thread } = await createForumThread(people.author, categories.open);
    await createForumReply(people.replier, thread.id, "cc @Quiet Person");
    expect(await emailsTo(people.quiet.id)).toHaveLength(0);
  });

  it("emails only members newly mentioned by an edit", async () => {
    const { thread } = await createForumThread(people.author, categories.open);
    const reply = await createForumReply(people.replier, thread.id, "Asking @Ирина Петрова");
    const before = (await emailsTo(people.russian.id)).length;
    const cookie = await sessionCookie(people.replier.id);
    await post(editAction, `/forum/p/${reply.id}/edit`, cookie, { intent: "save", body: "Asking @Ирина Петрова and @Thread Author" }, { postId: reply.id });
    expect((await emailsTo(people.russian.id)).length).toBe(before);
    const authorMentions = (await emailsTo(people.author.id)).filter((e) => e.template === "forum-mention" && e.text.includes(reply.id));
    expect(authorMentions).toHaveLength(1);
  });

  it("leaves mentions inside code and links as text", async () => {
    const { thread } = await createForumThread(people.author, categories.open);
    const reply = await createForumReply(people.replier, thread.id, "`@Quiet Person` and [@Quiet Person](https://example.com) and @Nobody Here");
    const stored = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.bodyHtml).not.toContain("/members/");
    expect(await db.forumMention.count({ where: { postId: reply.id } })).toBe(0);
  });
});
