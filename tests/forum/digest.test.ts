/** The weekly digest: only quiet members who want it, listing the threads they missed. */
import { beforeAll, describe, expect, it } from "vitest";
import { DIGEST_CRON, digestPeriod, missedThreads, quietMembers, sendWeeklyDigests, workForumDigest } from "~/forum/digest.server";
import { stopQueue } from "~/jobs/queue.server";
import { forumReaderById } from "~/forum/access.server";
import { markRead } from "~/forum/threads.server";
import { createForumCategory, createForumReply, createForumThread, createUser, ensureClubSettings, ensureTiers } from "../factories";
import { db } from "./world";

const DAY = 86_400_000;
// The run "tomorrow" covers the seven days up to today's end, so posts made now fall inside it.
const runAt = new Date(Date.now() + DAY);

let people: Record<"poster" | "quiet" | "russian" | "reader" | "optedOut" | "lapsed", Awaited<ReturnType<typeof createUser>>>;
let threads: Record<"open" | "story" | "cto" | "old", string>;

beforeAll(async () => {
  await Promise.all([ensureTiers(), ensureClubSettings()]);
  const [poster, quiet, russian, reader, optedOut, lapsed] = await Promise.all([
    createUser({ tier: "professional", name: "Busy Poster" }),
    createUser({ tier: "community", name: "Quiet Community" }),
    createUser({ tier: "community", name: "Тихая Участница", locale: "ru" }),
    createUser({ tier: "community", name: "Diligent Reader" }),
    createUser({ tier: "community", name: "No Digest Please" }),
    createUser({ tier: null, name: "Lapsed" }),
  ]);
  people = { poster, quiet, russian, reader, optedOut, lapsed };
  await db.notificationPreference.createMany({
    data: (["EMAIL", "IN_APP"] as const).map((channel) => ({ userId: optedOut.id, kind: "DIGEST" as const, channel, enabled: false })),
  });
  const open = await createForumCategory({ nameEn: "Introductions", nameRu: "Знакомства" });
  const stories = await createForumCategory({ access: { community: "read", professional: "post" } });
  const cto = await createForumCategory({ access: { professional: "post" } });
  const openThread = await createForumThread(poster, open, { title: "Welcome our new members" });
  await createForumReply(poster, openThread.thread.id, "Second post this week");
  const story = await createForumThread(poster, stories, { title: "Incident of the week" });
  const ctoThread = await createForumThread(poster, cto, { title: "Roadmap secrets" });
  const old = await createForumThread(poster, open, { title: "Last month's news" });
  const monthAgo = new Date(Date.now() - 30 * DAY);
  await db.forumThread.update({ where: { id: old.thread.id }, data: { lastPostAt: monthAgo, createdAt: monthAgo } });
  await db.forumPost.updateMany({ where: { threadId: old.thread.id }, data: { createdAt: monthAgo } });
  threads = { open: openThread.thread.id, story: story.thread.id, cto: ctoThread.thread.id, old: old.thread.id };
  // The diligent reader has read everything they may read.
  for (const id of [threads.open, threads.story]) await markRead(reader.id, id, new Date());
});

describe("weekly digest", () => {
  it("finds the quiet members: no post that week, digest wanted, active", async () => {
    const quiet = await quietMembers(digestPeriod(runAt));
    const ids = quiet.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([people.quiet.id, people.russian.id, people.reader.id, people.lapsed.id]));
    expect(ids).not.toContain(people.poster.id);
    expect(ids).not.toContain(people.optedOut.id);
  });

  it("lists the threads a member missed: readable, active that week, unread", async () => {
    const reader = await forumReaderById(people.quiet.id);
    const missed = await missedThreads(reader!, digestPeriod(runAt));
    expect(missed.map((t) => t.title)).toEqual(["Welcome our new members", "Incident of the week"]);
    expect(missed[0].newPosts).toBe(2);
    const diligent = await forumReaderById(people.reader.id);
    expect(await missedThreads(diligent!, digestPeriod(runAt))).toEqual([]);
  });

  it("emails each quiet member once, in their language, and sends nothing twice", async () => {
    const first = await sendWeeklyDigests(runAt);
    expect(first.sent).toBe(2);
    const emails = await db.email.findMany({ where: { template: "forum-digest" }, orderBy: { to: "asc" } });
    expect(emails.map((e) => e.userId).sort()).toEqual([people.quiet.id, people.russian.id].sort());
    const english = emails.find((e) => e.userId === people.quiet.id)!;
    expect(english.subject).toBe("Test Club: threads you missed this week (2)");
    expect(english.text).toContain("Welcome our new members (Introductions, new posts: 2)");
    expect(english.text).toContain(`/forum/t/${threads.open}`);
    expect(english.text).not.toContain("Roadmap secrets");
    expect(english.text).not.toContain("Last month's news");
    const russian = emails.find((e) => e.userId === people.russian.id)!;
    expect(russian.locale).toBe("ru");
    expect(russian.text).toContain("Welcome our new members (Знакомства, новых сообщений: 2)");
    expect(await db.forumDigest.count()).toBe(2);

    const second = await sendWeeklyDigests(runAt);
    expect(second.sent).toBe(0);
    expect(await db.email.count({ where: { template: "forum-digest" } })).toBe(2);
  });

  it("leaves out a member who posted that week even once", async () => {
    // A run one day later: a different week key, and the reply falls inside it.
    const period = digestPeriod(new Date(runAt.getTime() + DAY));
    expect((await quietMembers(period)).map((u) => u.id)).toContain(people.quiet.id);
    await createForumReply(people.quiet, threads.open, "Back again");
    const ids = (await quietMembers(period)).map((u) => u.id);
    expect(ids).not.toContain(people.quiet.id);
  });

  it("is a pg-boss schedule, Mondays in the club's time zone, with its worker", async () => {
    await workForumDigest();
    try {
      const rows = await db.$queryRawUnsafe<Array<{ name: string; cron: string; timezone: string }>>(
        `SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'forum-digest'`,
      );
      expect(rows).toEqual([{ name: "forum-digest", cron: DIGEST_CRON, timezone: "UTC" }]);
      expect(DIGEST_CRON).toBe("0 7 * * 1");
    } finally {
      await stopQueue();
    }
  });
});
