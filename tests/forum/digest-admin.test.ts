/** /admin/digest: staff preview this week's digest as a member gets it, and send it now through the queue. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopQueue } from "~/jobs/queue.server";
import { action as digestAction, loader as digestLoader } from "~/routes/admin.digest";
import { createForumCategory, createForumThread, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { db } from "./world";

const DAY = 86_400_000;
let cookies: Record<"owner" | "curator" | "member", string>;
let quiet: Awaited<ReturnType<typeof createUser>>;

afterAll(() => stopQueue());

beforeAll(async () => {
  await Promise.all([ensureTiers(), ensureClubSettings()]);
  const [owner, curator, poster] = await Promise.all([
    createUser({ role: "OWNER", tier: null }),
    createUser({ role: "CURATOR", tier: null }),
    createUser({ tier: "professional", name: "Busy Poster" }),
  ]);
  quiet = await createUser({ tier: "community", name: "Тихая Читательница", locale: "ru" });
  await db.user.update({ where: { id: quiet.id }, data: { createdAt: new Date(Date.now() - 30 * DAY) } });
  cookies = { owner: await sessionCookie(owner.id), curator: await sessionCookie(curator.id), member: await sessionCookie(quiet.id) };
  const open = await createForumCategory({ nameEn: "Introductions", nameRu: "Знакомства" });
  const { thread } = await createForumThread(poster, open, { title: "Разбор инцидента недели" });
  // Two days ago: inside the week this Monday's digest covers.
  const twoDaysAgo = new Date(Date.now() - 2 * DAY);
  await db.forumThread.update({ where: { id: thread.id }, data: { lastPostAt: twoDaysAgo } });
  await db.forumPost.updateMany({ where: { threadId: thread.id }, data: { createdAt: twoDaysAgo } });
});

const load = (cookie: string, query = "") => settle(digestLoader(routeArgs(appRequest(`/admin/digest${query}`, { cookie }))));

describe("/admin/digest", () => {
  it("shows staff this week's digest as the member would get it, in the member's language", async () => {
    const page = (await load(cookies.curator, `?email=${encodeURIComponent(quiet.email)}`)) as Awaited<ReturnType<typeof digestLoader>>;
    expect(page.member).toMatchObject({ email: quiet.email, locale: "ru" });
    expect(page.email?.text).toContain("Разбор инцидента недели");
    expect(page.email?.subject).toMatch(/[а-я]/);
    expect(page.quietCount).toBeGreaterThan(0);
    // Without an email, the preview is of the first member who would get one.
    const first = (await load(cookies.owner)) as Awaited<ReturnType<typeof digestLoader>>;
    expect(first.email?.text).toContain("Разбор инцидента недели");
    const unknown = (await load(cookies.owner, "?email=nobody%40example.com")) as Awaited<ReturnType<typeof digestLoader>>;
    expect(unknown).toMatchObject({ member: null, email: null });
  });

  it("is for staff only", async () => {
    expect(((await load(cookies.member)) as Response).status).toBe(403);
    const sent = await settle(digestAction(routeArgs(appRequest("/admin/digest", { cookie: cookies.member, form: { intent: "send-now" } }))));
    expect((sent as Response).status).toBe(403);
  });

  it("sends now through the job queue, not in the request", async () => {
    const before = await db.forumDigest.count();
    const response = (await settle(digestAction(routeArgs(appRequest("/admin/digest", { cookie: cookies.owner, form: { intent: "send-now" } }))))) as Response;
    expect(response.headers.get("Location")).toBe("/admin/digest?queued=1");
    // Nothing was sent inside the request; one digest job waits in the queue.
    expect(await db.forumDigest.count()).toBe(before);
    const jobs = await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'forum-digest' AND state = 'created'`;
    expect(Number(jobs[0].n)).toBe(1);
  });
});
