import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as memberLoader } from "~/routes/admin.members.$userId";
import { touchMap } from "~/touches/touch-map.server";
import { addLedgerEntry, createForumCategory, createForumThread, createRoadmapItem, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type Page = { touchMap: { touches: Array<{ kind: string; id: string; at: string; payload: Record<string, unknown> }>; older: string | null; newest: string | null; result: unknown } };

const base = Date.parse("2026-06-01T10:00:00Z");
const at = (minutes: number) => new Date(base + minutes * 60_000);

let curator: Awaited<ReturnType<typeof createUser>>;
let curatorCookie: string;
let member: Awaited<ReturnType<typeof createUser>>;
let other: Awaited<ReturnType<typeof createUser>>;

async function load(path: string, userId = member.id) {
  const result = await settle(memberLoader(routeArgs(appRequest(path, { cookie: curatorCookie }), { userId })));
  if (result instanceof Response) throw new Error(`loader answered ${result.status}`);
  return result as unknown as Page;
}

/** One of every touch for `person`, at minutes start…start+15, in a known order. */
async function touchEverything(person: { id: string }, start: number, label: string) {
  const playbook = await db.playbook.create({ data: { name: `Playbook ${label}`, trigger: "INACTIVE", triggerDays: 21 } });
  const template = await db.followUpTemplate.create({
    data: { name: `Template ${label}`, reason: "INACTIVE", subjectEn: "We miss you", bodyEn: "Come back", subjectRu: "Скучаем", bodyRu: "Возвращайтесь" },
  });
  const run = await db.playbookRun.create({
    data: { playbookId: playbook.id, version: 1, userId: person.id, occurrence: `inactive:${person.id}:${label}`, enteredAt: at(start + 1), exitedAt: at(start + 4), exitReason: "CAME_BACK" },
  });
  await db.playbookRunStep.create({ data: { runId: run.id, position: 0, kind: "SEND", templateId: template.id, channels: { EMAIL: 1, TELEGRAM: 0, IN_APP: 1 }, doneAt: at(start + 2) } });
  const task = await db.curatorTask.create({ data: { memberId: person.id, runId: run.id, note: `Call ${label}`, createdAt: at(start + 3), doneAt: at(start + 5), doneById: curator.id } });
  await db.email.create({ data: { to: "x@example.com", userId: person.id, template: "metrics-follow-up", locale: "en", subject: `Subject ${label}`, text: "t", html: "h", status: "SENT", createdAt: at(start + 6) } });
  await db.telegramMessage.create({ data: { userId: person.id, chatId: 42n, purpose: "FOLLOW_UP", text: `Telegram ${label}`, status: "SENT", createdAt: at(start + 7) } });
  await db.notification.create({
    data: { userId: person.id, kind: "FOLLOW_UP", values: { club: "Test Club", template: "x", texts: { en: { subject: `Bell ${label}`, body: "b" } } }, url: "/notifications", createdAt: at(start + 8) },
  });
  await db.memberFollowUp.create({ data: { memberId: person.id, staffId: curator.id, kind: "NOTE", note: `Note ${label}`, createdAt: at(start + 9) } });
  const answer = await db.npsResponse.create({ data: { userId: person.id, score: 4, comment: `Comment ${label}`, createdAt: at(start + 10) } });
  await db.npsResponse.create({ data: { userId: person.id, score: null, createdAt: at(start + 11) } });
  await db.npsReply.create({ data: { responseId: answer.id, staffId: curator.id, body: `Reply ${label}`, createdAt: at(start + 12) } });
  const item = await createRoadmapItem({ title: `Item ${label}`, authorId: curator.id });
  await db.roadmapVote.create({ data: { itemId: item.id, userId: person.id, weight: 1, createdAt: at(start + 13) } });
  const category = await createForumCategory();
  const { post } = await createForumThread(person, category, { title: `Thread ${label}` });
  const postId = post.id;
  await db.forumPost.update({ where: { id: postId }, data: { createdAt: at(start + 14) } });
  await addLedgerEntry(person.id, { amount: 2900, occurredAt: at(start + 15) });
  // The factory's subscription started "now": move it to the start of this person's story.
  await db.subscription.updateMany({ where: { userId: person.id }, data: { startedAt: at(start) } });
  return { run, task, answer, item, postId };
}

beforeEach(async () => {
  await ensureClubSettings();
  curator = await createUser({ role: "CURATOR", tier: null, name: "Carla Curator" });
  curatorCookie = await sessionCookie(curator.id);
  member = await createUser({ tier: "community" });
  other = await createUser({ tier: "community" });
});

describe("the touch map on /admin/members/:userId", () => {
  it("shows one of each touch, newest first, and none of another member's", async () => {
    await touchEverything(member, 0, "mine");
    await touchEverything(other, 100, "theirs");
    const page = await load(`/admin/members/${member.id}`);
    const kinds = page.touchMap.touches.map((touch) => `${touch.kind}:${String((touch.payload as { event?: string }).event ?? "")}`);
    expect(kinds).toEqual([
      "payment:",
      "post:",
      "vote:",
      "reply:",
      "survey:",
      "survey:",
      "follow-up:",
      "notification:",
      "telegram:",
      "email:",
      "task:done",
      "playbook:exited",
      "task:created",
      "playbook:step",
      "playbook:entered",
      "subscription:started",
    ]);
    const text = JSON.stringify(page.touchMap.touches);
    expect(text).not.toContain("theirs");
    expect(text).toContain("Bell mine");
    expect(page.touchMap.touches.find((touch) => touch.kind === "notification")?.payload.notice).toBe("Test Club: Bell mine");
    expect(page.touchMap.touches.find((touch) => touch.kind === "reply")?.payload).toMatchObject({ body: "Reply mine", by: "Carla Curator", score: 4 });
    expect(page.touchMap.touches.find((touch) => touch.kind === "playbook" && touch.payload.event === "step")?.payload).toMatchObject({
      playbook: "Playbook mine",
      template: "Template mine",
      channels: { EMAIL: 1, TELEGRAM: 0, IN_APP: 1 },
    });
    expect(page.touchMap.older).toBeNull();
  });

  it("filters by kind with the GET form's checkboxes", async () => {
    await touchEverything(member, 0, "mine");
    const page = await load(`/admin/members/${member.id}?kind=survey&kind=reply`);
    expect(page.touchMap.touches.map((touch) => touch.kind)).toEqual(["reply", "survey", "survey"]);
    const one = await load(`/admin/members/${member.id}?kind=payment`);
    expect(one.touchMap.touches.map((touch) => touch.kind)).toEqual(["payment"]);
  });

  it("pages 50 at a time, older ones after the cursor, none twice, ties broken by kind and id", async () => {
    // 60 emails and 60 notifications at the same few instants: ties everywhere.
    for (let i = 0; i < 60; i++) {
      await db.email.create({ data: { to: "x@example.com", userId: member.id, template: "t", locale: "en", subject: `S${i}`, text: "t", html: "h", createdAt: at(i % 3) } });
      await db.notification.create({
        data: { userId: member.id, kind: "FOLLOW_UP", values: { club: "C", template: "x", texts: { en: { subject: `N${i}`, body: "b" } } }, url: "/", createdAt: at(i % 3) },
      });
    }
    const seen: string[] = [];
    let path: string | null = `/admin/members/${member.id}?kind=email&kind=notification`;
    let pages = 0;
    while (path) {
      const page = await load(path);
      pages += 1;
      expect(page.touchMap.touches.length).toBeLessThanOrEqual(50);
      if (pages > 1) expect(page.touchMap.newest).toBe(`/admin/members/${member.id}?kind=email&kind=notification#touch-map`);
      seen.push(...page.touchMap.touches.map((touch) => `${touch.at}|${touch.kind}|${touch.id}`));
      path = page.touchMap.older ? page.touchMap.older.replace(/#.*$/, "") : null;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const all = await touchMap(member.id, { kinds: ["email", "notification"], locale: "en", pageSize: 500 });
    expect(seen).toEqual(all.touches.map((touch) => `${touch.at}|${touch.kind}|${touch.id}`));
    expect(all.touches[0].at).toBe(at(2).toISOString());
  });

  it("refuses a filter no form sends at the filter, and keeps the rest of the page", async () => {
    const page = (await load(`/admin/members/${member.id}?kind=secrets&before=nonsense`)) as Page & { user: { id: string } };
    expect(page.user.id).toBe(member.id);
    expect(page.touchMap.touches).toEqual([]);
    expect(JSON.stringify(page.touchMap.result)).toContain("touches.filter");
  });

  it("is for staff only", async () => {
    const cookie = await sessionCookie(other.id);
    const result = await settle(memberLoader(routeArgs(appRequest(`/admin/members/${member.id}`, { cookie }), { userId: member.id })));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(403);
  });
});
