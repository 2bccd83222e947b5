import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as commentsAction, loader as commentsLoader } from "~/routes/admin.metrics_.comments";
import { loader as memberLoader } from "~/routes/admin.members.$userId";
import { REPLY_LIMIT } from "~/touches/nps-feed.server";
import { addNpsAnswer, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type Feed = {
  feed: { total: number; answers: Array<{ id: string; score: number; comment: string; member: { id: string }; replies: Array<{ body: string }> }>; older: string | null } | null;
  result: { error?: Record<string, string[]> } | null;
};
type Reply = { data: { responseId: string; result: { status: string; error?: Record<string, string[]>; initialValue?: Record<string, unknown> } }; init: { status: number } };

let tiers: Awaited<ReturnType<typeof ensureTiers>>;
let curator: Awaited<ReturnType<typeof createUser>>;
let curatorCookie: string;
let promoter: Awaited<ReturnType<typeof createUser>>;
let detractor: Awaited<ReturnType<typeof createUser>>;
let answers: Record<"promoter" | "passive" | "detractor", { id: string }>;

async function feed(search = "", cookie = curatorCookie) {
  const result = await settle(commentsLoader(routeArgs(appRequest(`/admin/metrics/comments${search}`, { cookie }))));
  if (result instanceof Response) return result;
  if (result && typeof result === "object" && "init" in result) return { status: (result as { init: { status: number } }).init.status, ...(result as unknown as { data: Feed }).data };
  return { status: 200, ...(result as unknown as Feed) };
}

function reply(responseId: string, body: string, cookie = curatorCookie) {
  return settle(commentsAction(routeArgs(appRequest(`/admin/metrics/comments?group=detractors`, { cookie, form: { responseId, body } }))));
}

beforeEach(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
  curator = await createUser({ role: "CURATOR", tier: null, name: "Carla Curator" });
  curatorCookie = await sessionCookie(curator.id);
  promoter = await createUser({ tier: "professional" });
  const passive = await createUser({ tier: "community" });
  detractor = await createUser({ tier: "community", locale: "ru" });
  const telegramId = BigInt(700_000 + Math.floor(Math.random() * 1_000_000_000));
  await db.telegramLink.create({ data: { userId: detractor.id, telegramUserId: telegramId, chatId: telegramId } });
  answers = {
    promoter: await addNpsAnswer(promoter.id, { score: 10, createdAt: new Date("2026-05-10T12:00:00Z"), tier: "professional", comment: "Love the dinners" }),
    passive: await addNpsAnswer(passive.id, { score: 8, createdAt: new Date("2026-06-10T12:00:00Z"), tier: "community", comment: "Fine" }),
    detractor: await addNpsAnswer(detractor.id, { score: 3, createdAt: new Date("2026-07-10T12:00:00Z"), tier: "community", comment: "Слишком мало встреч" }),
  };
  // Neither a score without a comment nor a dismissal is in the feed.
  await addNpsAnswer(promoter.id, { score: 9, createdAt: new Date("2026-07-11T12:00:00Z") });
  await addNpsAnswer(passive.id, { score: null, createdAt: new Date("2026-07-12T12:00:00Z") });
});

describe("the NPS comment feed", () => {
  it("lists answers with comments newest first, filtered by score group, tier, period and segment", async () => {
    const all = await feed();
    expect(all.status).toBe(200);
    expect("feed" in all && all.feed?.answers.map((a) => a.comment)).toEqual(["Слишком мало встреч", "Fine", "Love the dinners"]);
    const groups = async (group: string) => ("feed" in (await feed(`?group=${group}`)) ? ((await feed(`?group=${group}`)) as Feed).feed!.answers.map((a) => a.score) : null);
    expect(await groups("detractors")).toEqual([3]);
    expect(await groups("passives")).toEqual([8]);
    expect(await groups("promoters")).toEqual([10]);
    const byTier = (await feed(`?tier=${tiers.professional.id}`)) as Feed;
    expect(byTier.feed!.answers.map((a) => a.id)).toEqual([answers.promoter.id]);
    const june = (await feed(`?from=2026-06-01&to=2026-06-30`)) as Feed;
    expect(june.feed!.answers.map((a) => a.id)).toEqual([answers.passive.id]);
    const segment = await db.segment.create({ data: { name: "Russian speakers", filter: { locale: "ru" } } });
    const bySegment = (await feed(`?segment=${segment.id}`)) as Feed;
    expect(bySegment.feed!.answers.map((a) => a.id)).toEqual([answers.detractor.id]);
    expect(bySegment.feed!.total).toBe(1);
  });

  it("refuses a filter it cannot read at its field", async () => {
    const unknownSegment = await feed(`?segment=nope`);
    expect(unknownSegment.status).toBe(400);
    expect((unknownSegment as Feed).result?.error?.segment).toEqual(["touches.feed.filter.unknownSegment"]);
    const backwards = await feed(`?from=2026-06-30&to=2026-06-01`);
    expect(backwards.status).toBe(400);
    expect((backwards as Feed).result?.error?.to).toEqual(["touches.feed.filter.endBeforeStart"]);
    const badTier = await feed(`?tier=nope`);
    expect((badTier as Feed).result?.error?.tier).toEqual(["touches.feed.filter.unknownTier"]);
  });

  it("pages with an older link, none twice", async () => {
    for (let i = 0; i < 25; i++) await addNpsAnswer(promoter.id, { score: 9, createdAt: new Date("2026-04-01T00:00:00Z"), comment: `Same instant ${i}` });
    const first = (await feed("?from=2026-04-01&to=2026-04-01")) as Feed;
    expect(first.feed!.answers).toHaveLength(20);
    expect(first.feed!.total).toBe(25);
    const second = (await feed(first.feed!.older!.replace("/admin/metrics/comments", ""))) as Feed;
    expect(second.feed!.answers).toHaveLength(5);
    expect(second.feed!.older).toBeNull();
    const ids = [...first.feed!.answers, ...second.feed!.answers].map((a) => a.id);
    expect(new Set(ids).size).toBe(25);
  });

  it("sends a curator's reply on the member's channels, in their language, audited, and shows it on the touch map", async () => {
    const result = await reply(answers.detractor.id, "Спасибо! В августе будет три встречи.");
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(302);
    expect((result as Response).headers.get("Location")).toBe(`/admin/metrics/comments?group=detractors&replied=${answers.detractor.id}#answer-${answers.detractor.id}`);
    const stored = await db.npsReply.findMany({ where: { responseId: answers.detractor.id } });
    expect(stored).toMatchObject([{ staffId: curator.id, body: "Спасибо! В августе будет три встречи." }]);
    const bell = await db.notification.findMany({ where: { userId: detractor.id } });
    expect(bell).toHaveLength(1);
    expect(bell[0]).toMatchObject({
      kind: "FOLLOW_UP",
      url: "/notifications",
      values: { club: "Test Club", template: "nps-reply", texts: { ru: { subject: "Ответ на ваш отзыв от клуба Test Club", body: "Спасибо! В августе будет три встречи." } } },
    });
    const emails = await db.email.findMany({ where: { userId: detractor.id } });
    expect(emails.map((email) => email.subject)).toEqual(["Ответ на ваш отзыв от клуба Test Club"]);
    expect(emails[0].text).toContain("В августе будет три встречи.");
    const telegram = await db.telegramMessage.findMany({ where: { userId: detractor.id } });
    expect(telegram).toHaveLength(1);
    expect(telegram[0].text).toContain("В августе будет три встречи.");
    const audit = await db.auditEntry.findMany({ where: { action: "nps.reply", subjectId: answers.detractor.id } });
    expect(audit).toMatchObject([{ actorId: curator.id, subjectType: "NpsResponse", subjectId: answers.detractor.id }]);
    expect(JSON.stringify([audit[0].before, audit[0].after])).not.toContain("встречи");
    // Nobody else heard of it.
    expect(await db.notification.count({ where: { kind: "FOLLOW_UP", userId: { in: [curator.id, promoter.id] } } })).toBe(0);

    const page = (await feed("?group=detractors")) as Feed;
    expect(page.feed!.answers[0].replies.map((r) => r.body)).toEqual(["Спасибо! В августе будет три встречи."]);
    const member = (await memberLoader(routeArgs(appRequest(`/admin/members/${detractor.id}?kind=reply`, { cookie: curatorCookie }), { userId: detractor.id }))) as unknown as {
      touchMap: { touches: Array<{ kind: string; payload: { body?: string; by?: string } }> };
    };
    expect(member.touchMap.touches).toMatchObject([{ kind: "reply", payload: { body: "Спасибо! В августе будет три встречи.", by: "Carla Curator" } }]);
  });

  it("lets an owner reply too, refuses a plain member (403) and an empty reply (at the field)", async () => {
    const owner = await createUser({ role: "OWNER", tier: null });
    const ok = await reply(answers.promoter.id, "Thank you!", await sessionCookie(owner.id));
    expect((ok as Response).status).toBe(302);
    const memberCookie = await sessionCookie(promoter.id);
    const page = await feed("", memberCookie);
    expect((page as Response).status).toBe(403);
    const refused = await reply(answers.promoter.id, "Hi", memberCookie);
    expect((refused as Response).status).toBe(403);
    const empty = (await reply(answers.promoter.id, "   ")) as Reply;
    expect(empty.init.status).toBe(400);
    expect(empty.data.result.error?.body).toEqual(["form.required"]);
    expect(await db.npsReply.count({ where: { responseId: answers.promoter.id } })).toBe(1);
  });

  it("keeps the typed text when the rate limit refuses a reply", async () => {
    for (let i = 0; i < REPLY_LIMIT.limit; i++) expect(((await reply(answers.passive.id, `Reply ${i}`)) as Response).status).toBe(302);
    const refused = (await reply(answers.passive.id, "One reply too many, kept in the box")) as Reply;
    expect(refused.init.status).toBe(429);
    expect(refused.data.responseId).toBe(answers.passive.id);
    expect(refused.data.result.initialValue?.body).toBe("One reply too many, kept in the box");
    expect(refused.data.result.error?.[""]?.[0]).toMatch(/^touches\.reply\.tooMany\|\{"minutes":\d+\}$/);
    expect(await db.npsReply.count({ where: { responseId: answers.passive.id } })).toBe(REPLY_LIMIT.limit);
    // Another curator is not held back by the first one's replies.
    const other = await createUser({ role: "CURATOR", tier: null });
    expect(((await reply(answers.passive.id, "Mine", await sessionCookie(other.id))) as Response).status).toBe(302);
  });

  it("refuses to reply to an erased member's answer, and to an answer that does not exist", async () => {
    await db.user.update({ where: { id: detractor.id }, data: { name: "", erasedAt: new Date(), deactivatedAt: new Date() } });
    const refused = (await reply(answers.detractor.id, "Hello?")) as Reply;
    expect(refused.init.status).toBe(409);
    expect(refused.data.result.error?.[""]).toEqual(["touches.reply.erased"]);
    expect(refused.data.result.initialValue?.body).toBe("Hello?");
    const missing = (await reply("no-such-answer", "Hello?")) as Reply;
    expect(missing.init.status).toBe(404);
    expect(await db.npsReply.count({ where: { responseId: answers.detractor.id } })).toBe(0);
    expect(await db.notification.count({ where: { userId: detractor.id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "nps.reply", actorId: curator.id } })).toBe(0);
  });
});

describe("a member who left the club", () => {
  it("is said on the feed; a reply is kept and on their touch map, but no channel delivers it", async () => {
    await db.user.update({ where: { id: promoter.id }, data: { deactivatedAt: new Date() } });
    const page = (await feed(`?answer=${answers.promoter.id}`)) as unknown as Feed & { feed: { answers: Array<{ member: { deactivated: boolean; erased: boolean } }> } };
    expect(page.feed.answers.map((a) => a.member)).toMatchObject([{ deactivated: true, erased: false }]);
    expect(((await reply(answers.promoter.id, "We hope to see you again")) as Response).status).toBe(302);
    expect(await db.npsReply.count({ where: { responseId: answers.promoter.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: promoter.id } })).toBe(0);
    expect(await db.email.count({ where: { userId: promoter.id } })).toBe(0);
  });
});
