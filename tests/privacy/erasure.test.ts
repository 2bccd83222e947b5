/**
 * Deleting an account: the password and a ticked box; the last owner is refused; Stripe (the
 * fake Stripe) cancels the subscription first and an outage erases nothing; Telegram (the fake
 * Bot API) takes the member out of the club's chats; and afterwards no text, varchar or JSON
 * column of any table holds the member's name or email.
 */
import { fake } from "../billing/with-fake-stripe";
import { stopTelegram, telegram, useWebhook } from "../telegram/with-fake-telegram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import { eraseAccount } from "~/privacy/erasure.server";
import { action as dataAction } from "~/routes/account_.data";
import { loader as profileLoader } from "~/routes/members.$id";
import { action as joinAction } from "~/routes/billing.join";
import { linkTelegramChat, processAccessChecks } from "~/telegram/chats.server";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import { threadPosts } from "~/forum/threads.server";
import { memberName } from "~/ui/member-name";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { deliver, tiersWithPrices } from "../billing/support";
import { linkTelegram } from "../telegram/support";
import { memberWithHistory } from "./support";

afterAll(async () => {
  fake.close();
  await stopTelegram();
});
beforeAll(async () => {
  await useWebhook();
});

const PASSWORD = "correct horse battery staple";
const form = (password: string, confirm = true) => ({ password, ...(confirm ? { confirm: "on" } : {}) });

/** Every text, varchar, array and JSON column of every table in public, and the rows in it that hold the needle. */
async function hitsEverywhere(needle: string) {
  const columns = await db.$queryRaw<Array<{ table: string; column: string }>>`
    SELECT table_name AS table, column_name AS column FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      AND (data_type IN ('text', 'character varying', 'json', 'jsonb') OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))`;
  expect(columns.length).toBeGreaterThan(100);
  const hits: string[] = [];
  for (const { table, column } of columns) {
    const [{ n }] = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${column}"`)}::text ILIKE ${`%${needle}%`}`;
    if (n > 0n) hits.push(`${table}.${column}: ${n}`);
  }
  return hits;
}

async function pay(user: { id: string }) {
  const tiers = await tiersWithPrices(fake);
  const cookie = await sessionCookie(user.id);
  const response = (await settle(
    joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId: tiers["private-client"].id, interval: "MONTH", attempt: `erase-${user.id}`.slice(0, 60) } }))),
  )) as Response;
  expect(response.status).toBe(302);
  const sessionId = new URL(response.headers.get("Location")!).pathname.split("/").pop()!;
  const checkout = fake.completeCheckout(sessionId);
  for (const event of [checkout.created, checkout.completed, checkout.paid]) expect((await deliver(fake, event)).status).toBe(200);
  return { subscriptionId: checkout.subscription.id as string, tiers };
}

describe("deleting an account", () => {
  it("refuses the last owner, with the reason next to the password", async () => {
    const owner = await createUser({ role: "OWNER", tier: null });
    expect(await db.user.count({ where: { role: "OWNER", erasedAt: null, deactivatedAt: null } })).toBe(1);
    const response = (await settle(dataAction(routeArgs(appRequest("/account/data", { cookie: await sessionCookie(owner.id), form: form(PASSWORD) }))))) as unknown as {
      init: { status: number };
      data: { result: { error: Record<string, string[]> } };
    };
    expect(response.init.status).toBe(400);
    expect(response.data.result.error.password).toEqual(["privacy.erase.lastOwner"]);
    expect(translator("en")("privacy.erase.lastOwner")).toMatch(/only owner/);
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ erasedAt: null, email: owner.email });
    // With a second owner, the first may go.
    await createUser({ role: "OWNER", tier: null });
    expect(await eraseAccount(owner.id, { password: PASSWORD })).toEqual({ ok: true });
  });

  it("refuses a wrong password or an unticked box and changes nothing", async () => {
    const { member, cookie } = await memberWithHistory({ label: "wrong" });
    const before = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    const wrong = (await settle(dataAction(routeArgs(appRequest("/account/data", { cookie, form: form("not my password") }))))) as unknown as {
      init: { status: number };
      data: { result: { error: Record<string, string[]> } };
    };
    expect(wrong.init.status).toBe(400);
    expect(wrong.data.result.error.password).toEqual(["privacy.erase.wrongPassword"]);
    const unticked = (await settle(dataAction(routeArgs(appRequest("/account/data", { cookie, form: form(PASSWORD, false) }))))) as unknown as {
      data: { result: { error: Record<string, string[]> } };
    };
    expect(unticked.data.result.error.confirm).toEqual(["privacy.erase.mustConfirm"]);
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toEqual(before);
    expect(await db.session.count({ where: { userId: member.id } })).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "account.erase", subjectId: member.id } })).toBe(0);
  });

  it("two deletions of one account at once erase it once", async () => {
    const { member } = await memberWithHistory({ label: "twice" });
    expect(await Promise.all([eraseAccount(member.id, { password: PASSWORD }), eraseAccount(member.id, { password: PASSWORD })])).toEqual([{ ok: true }, { ok: true }]);
    expect(await db.auditEntry.count({ where: { action: "account.erase", subjectId: member.id } })).toBe(1);
  });

  it("cancels the Stripe subscription and takes the member out of Telegram chats; a Stripe outage erases nothing", async () => {
    const member = await createUser({ tier: null });
    const { subscriptionId, tiers } = await pay(member);
    const chatId = -1_001_500_000_000;
    telegram.addChat({ id: chatId, type: "supergroup", title: "Members' lounge", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: true } });
    const owner = await createUser({ role: "OWNER", tier: null });
    expect(await linkTelegramChat({ chatRef: String(chatId), tierIds: [tiers["private-client"].id], ownerId: owner.id, locale: "en" })).toMatchObject({ ok: true });
    const { from } = await linkTelegram(telegram, member.id);
    await processAccessChecks();
    await deliverDueTelegramMessages();
    const invite = await db.telegramChatMember.findFirstOrThrow({ where: { userId: member.id } });
    await telegram.join(from, chatId, invite.inviteLink!);
    expect(telegram.chat(chatId)!.members.get(from.id)).toBe("member");

    // Stripe is down: refused, nothing erased, still billed and still in the chat.
    fake.breakdown({ mode: "500", path: /^\/v1\/subscriptions\// });
    expect(await eraseAccount(member.id, { password: PASSWORD })).toEqual({ ok: false, field: "form", message: "privacy.erase.paymentUnavailable" });
    fake.restore();
    expect(fake.subscriptions.get(subscriptionId)!.status).toBe("active");
    expect(await db.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ erasedAt: null, email: member.email });
    expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(1);
    expect(telegram.chat(chatId)!.members.get(from.id)).toBe("member");

    expect(await eraseAccount(member.id, { password: PASSWORD })).toEqual({ ok: true });
    // The refused attempt (retried once by the SDK) and this one, all with the same idempotency key.
    const deletes = fake.requestsTo(new RegExp(`^/v1/subscriptions/${subscriptionId}$`)).filter((r) => r.method === "DELETE");
    expect(deletes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(deletes.map((r) => r.idempotencyKey))).toEqual(new Set([`erase-${subscriptionId}`]));
    expect(fake.subscriptions.get(subscriptionId)!.status).toBe("canceled");
    expect(await db.subscription.count({ where: { userId: member.id, endedAt: null } })).toBe(0);
    const banned = telegram.sent("banChatMember").filter((c) => Number(c.params.user_id) === from.id && Number(c.params.chat_id) === chatId);
    expect(banned).toHaveLength(1);
    expect(telegram.chat(chatId)!.members.get(from.id)).toBe("left");
    expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(0);
    expect(await db.telegramMessage.count({ where: { userId: member.id } })).toBe(0);

    // Stripe's webhook for the cancellation arrives later and changes nothing.
    await deliver(fake, fake.changeSubscription(subscriptionId, { status: "canceled" }, { type: "customer.subscription.deleted" }));
    expect(await db.subscription.count({ where: { userId: member.id, endedAt: null } })).toBe(0);
    expect(await db.email.count({ where: { userId: member.id } })).toBe(0);
  });

  it("erases the member's personal data from every table, keeps their posts as a former member's, and signs them out", async () => {
    const history = await memberWithHistory({ label: "gone" });
    const { member, person, cookie } = history;
    const firstName = person.name.split(" ")[0];
    // Before: the name and address are all over the database.
    expect((await hitsEverywhere(person.email)).length).toBeGreaterThan(3);
    expect((await hitsEverywhere(person.name)).length).toBeGreaterThan(3);

    const response = (await settle(dataAction(routeArgs(appRequest("/account/data", { cookie, form: form(PASSWORD) }))))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account/deleted?lang=en");
    expect(response.headers.get("Set-Cookie")).toMatch(/coterie_session=;.*Max-Age=0/);

    // THE test of issue #20: nothing anywhere holds their name or email, in any case.
    expect(await hitsEverywhere(person.email)).toEqual([]);
    expect(await hitsEverywhere(person.name)).toEqual([]);
    expect(await hitsEverywhere(firstName)).toEqual([]);

    // Signed out everywhere, and no way back in.
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
    for (const table of ["knownDevice", "accountToken", "twoFactorCredential", "twoFactorRecoveryCode", "notification"] as const) {
      expect(await (db[table] as unknown as { count: (q: object) => Promise<number> }).count({ where: { userId: member.id } })).toBe(0);
    }
    const stale = (await settle(dataAction(routeArgs(appRequest("/account/data", { cookie, form: form(PASSWORD) }))))) as Response;
    expect(stale.status).toBe(302);
    expect(stale.headers.get("Location")).toMatch(/^\/login/);
    const erased = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(erased).toMatchObject({ name: "", email: `erased-${member.id}@erased.invalid`, passwordHash: null, company: null, jobTitle: null });
    expect(erased.erasedAt).toBeInstanceOf(Date);
    expect(erased.deactivatedAt).toBeInstanceOf(Date);

    // Posts, roadmap items, votes, payments and consent stay, without the name.
    const posts = await db.forumPost.findMany({ where: { authorId: member.id }, orderBy: { createdAt: "asc" } });
    expect(posts.map((p) => p.body)).toEqual(["My starter sulks above 2,000 metres.", "A snake plant, every time."]);
    const page = await threadPosts(await readerOf(history.other.id), history.opened.thread.id, { postCount: 10, lastReadAt: null }, 1);
    const opening = page.posts.find((p) => p.id === history.opened.post.id)!;
    expect(memberName(opening.authorName, translator("en"))).toBe("Former member");
    expect(memberName(opening.authorName, translator("ru"))).toBe("Бывший участник");
    const mention = await db.forumPost.findFirstOrThrow({ where: { threadId: history.otherThread.thread.id, body: { contains: "ordering one" } } });
    expect(mention.body).toBe("Thanks @Former member, ordering one.");
    expect(mention.bodyHtml).not.toContain(`/members/${member.id}`);
    expect(await db.roadmapItem.count({ where: { authorId: member.id } })).toBe(1);
    expect(await db.roadmapVote.count({ where: { userId: member.id } })).toBe(1);
    expect(await db.roadmapComment.count({ where: { authorId: member.id } })).toBe(1);
    expect(await db.ledgerEntry.findUniqueOrThrow({ where: { id: history.payment.id } })).toMatchObject({ amount: 4900, currency: "eur" });
    expect(await db.consentRecord.count({ where: { OR: [{ userId: member.id }, { applicationId: history.application.id }] } })).toBe(2);
    expect(await db.applicationAnswer.count({ where: { applicationId: history.application.id } })).toBe(0);
    expect(await db.npsResponse.findFirstOrThrow({ where: { userId: member.id } })).toMatchObject({ score: 6, comment: null });

    // Their profile is gone; the audit row names nobody.
    const profile = (await settle(profileLoader(routeArgs(appRequest(`/members/${member.id}`, { cookie: await sessionCookie(history.other.id) }), { id: member.id })))) as Response;
    expect(profile.status).toBe(404);
    const audit = await db.auditEntry.findMany({ where: { action: "account.erase", subjectId: member.id } });
    expect(audit).toEqual([expect.objectContaining({ actorId: null, subjectType: "User", before: null, after: null })]);
  });
});

async function readerOf(userId: string) {
  const { forumReaderById } = await import("~/forum/access.server");
  return (await forumReaderById(userId))!;
}
