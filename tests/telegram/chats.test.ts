/**
 * Tier-gated Telegram chats, driven by billing through real (fake) Stripe webhooks: an entitled
 * linked member gets a single-use invite; a lapse (payment failed, grace over, subscription
 * deleted) takes them out exactly once and tells them; paying again lets them back; the nightly
 * reconciliation fixes drift between Telegram and our rows.
 */
import { fake } from "../billing/with-fake-stripe";
import { stopTelegram, telegram, useWebhook } from "./with-fake-telegram";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { db } from "~/db.server";
import { action as joinAction } from "~/routes/billing.join";
import { linkTelegramChat, processAccessChecks, reconcileTelegramChats } from "~/telegram/chats.server";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { deliver, tiersWithPrices } from "../billing/support";
import { linkTelegram, messagesTo, telegramUser } from "./support";

afterAll(async () => {
  fake.close();
  await stopTelegram();
});

let tiers: Awaited<ReturnType<typeof tiersWithPrices>>;
let owner: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  await useWebhook();
  owner = await createUser({ role: "OWNER", tier: null });
});
beforeEach(async () => {
  tiers = await tiersWithPrices(fake);
});

let nextChatId = -1_001_000_000_000;
const RIGHTS = { status: "administrator" as const, can_invite_users: true, can_restrict_members: true };

/** A supergroup where the bot is a full administrator, linked for the private-client tier. */
async function gatedChat(title = "Inner circle") {
  const id = nextChatId--;
  telegram.addChat({ id, type: "supergroup", title, botRights: { ...RIGHTS } });
  const result = await linkTelegramChat({ chatRef: String(id), tierIds: [tiers["private-client"].id], ownerId: owner.id, locale: "en" });
  expect(result).toEqual({ ok: true, chatId: expect.any(String) });
  return { telegramChatId: id, chatId: (result as { chatId: string }).chatId };
}

/** The member pays for a tier through /billing/join and Stripe's (fake) checkout; Stripe's webhooks follow. */
async function pay(user: { id: string }, slug: "professional" | "private-client" = "private-client") {
  const cookie = await sessionCookie(user.id);
  const response = (await settle(
    joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId: tiers[slug].id, interval: "MONTH", attempt: `attempt-${user.id}-${Date.now()}`.slice(0, 60) } }))),
  )) as Response;
  expect(response.status).toBe(302);
  const sessionId = new URL(response.headers.get("Location")!).pathname.split("/").pop()!;
  const checkout = fake.completeCheckout(sessionId);
  for (const event of [checkout.created, checkout.completed, checkout.paid]) expect((await deliver(fake, event)).status).toBe(200);
  return checkout.subscription.id as string;
}

/** What the worker does: settle the queued members, then send the outbox. */
async function work() {
  await processAccessChecks();
  await deliverDueTelegramMessages();
}

const logOf = async (chatId: string, userId: string) =>
  (await db.telegramChatLog.findMany({ where: { chatId, userId }, orderBy: { createdAt: "asc" } })).map((row) => (row.reason ? `${row.action}:${row.reason}` : row.action));
/** Successful calls of a method about one Telegram user in one chat (every test's member may be entitled to earlier tests' chats too). */
const callsFor = (method: string, userId: number, chatId: number) => telegram.sent(method).filter((c) => Number(c.params.user_id) === userId && Number(c.params.chat_id) === chatId);

describe("tier-gated chats", () => {
  it("a lapse through Stripe's webhooks removes the member once and tells them; paying again lets them back", async () => {
    const chat = await gatedChat();
    const member = await createUser({ tier: null, name: "Irina Volkova" });
    const { from } = await linkTelegram(telegram, member.id);
    const subscriptionId = await pay(member);
    await work();

    // Entitled: a single-use invite link, sent to them with a button.
    const invite = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: member.id } } });
    expect(invite.status).toBe("INVITED");
    expect(telegram.inviteLink(invite.inviteLink!)).toMatchObject({ chatId: chat.telegramChatId, memberLimit: 1 });
    const inviteMessage = messagesTo(telegram, from.id).at(-1)!;
    expect(inviteMessage.text).toContain("Inner circle");
    expect(inviteMessage.buttons).toEqual([{ text: "Join “Inner circle”", url: invite.inviteLink }]);

    // They join through it: the stand-in sends the chat_member update to the webhook.
    await telegram.join(from, chat.telegramChatId, invite.inviteLink!);
    await work();
    expect(await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: member.id } } })).toMatchObject({ status: "JOINED" });
    expect(() => telegram.join(telegramUser(), chat.telegramChatId, invite.inviteLink!)).toThrow(/not usable/);

    // Payment fails: still in during the grace period.
    const t = Math.floor(Date.now() / 1000);
    await deliver(fake, fake.invoiceEvent(subscriptionId, "failed", { created: t + 1 }));
    await deliver(fake, fake.changeSubscription(subscriptionId, { status: "past_due" }, { created: t + 1 }));
    await work();
    expect(telegram.chat(chat.telegramChatId)!.members.get(from.id)).toBe("member");
    expect(callsFor("banChatMember", from.id, chat.telegramChatId)).toHaveLength(0);

    // Grace over, Stripe gives up and deletes the subscription: out, exactly once, and told why.
    await deliver(fake, fake.changeSubscription(subscriptionId, { status: "canceled" }, { created: t + 2, type: "customer.subscription.deleted" }));
    expect(await currentMembership(member.id)).toBeNull();
    await work();
    await work();
    await reconcileTelegramChats();
    await deliverDueTelegramMessages();
    expect(callsFor("banChatMember", from.id, chat.telegramChatId)).toHaveLength(1);
    expect(callsFor("unbanChatMember", from.id, chat.telegramChatId)).toHaveLength(1);
    expect(telegram.chat(chat.telegramChatId)!.members.get(from.id)).toBe("left"); // banned, then unbanned: free to rejoin later
    const removals = messagesTo(telegram, from.id).filter((m) => m.text.includes("taken out"));
    expect(removals).toHaveLength(1);
    expect(removals[0].text).toContain("your membership no longer includes this chat");
    expect(removals[0].buttons).toEqual([{ text: "Renew your membership", url: "https://club.example.test/billing" }]);
    expect(await logOf(chat.chatId, member.id)).toEqual(["GRANTED", "JOINED", "REMOVED:lapsed"]);

    // Paying again: a fresh single-use invite.
    await pay(member);
    await work();
    const again = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: member.id } } });
    expect(again.status).toBe("INVITED");
    expect(again.inviteLink).not.toBe(invite.inviteLink);
    await telegram.join(from, chat.telegramChatId, again.inviteLink!);
    expect(await logOf(chat.chatId, member.id)).toEqual(["GRANTED", "JOINED", "REMOVED:lapsed", "GRANTED", "JOINED"]);
  });

  it("the grace period running out (no webhook) is noticed by the nightly reconciliation", async () => {
    const chat = await gatedChat("Night owls");
    const member = await createUser({ tier: null });
    const { from } = await linkTelegram(telegram, member.id);
    const subscriptionId = await pay(member);
    await work();
    const row = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: member.id } } });
    await telegram.join(from, chat.telegramChatId, row.inviteLink!);
    await deliver(fake, fake.changeSubscription(subscriptionId, { status: "past_due" }, { created: Math.floor(Date.now() / 1000) + 1 }));
    await work();
    expect(callsFor("banChatMember", from.id, chat.telegramChatId)).toHaveLength(0);
    // Eight days later (the grace period is seven): nothing arrived, but the member no longer holds the tier.
    await db.subscription.updateMany({ where: { userId: member.id }, data: { pastDueSince: new Date(Date.now() - 8 * 86_400_000) } });
    await processAccessChecks(); // the trigger queued them; nothing else changed
    await reconcileTelegramChats();
    await reconcileTelegramChats();
    expect(callsFor("banChatMember", from.id, chat.telegramChatId)).toHaveLength(1);
    expect(await logOf(chat.chatId, member.id)).toEqual(["GRANTED", "JOINED", "REMOVED:lapsed"]);
  });

  it("members of other tiers get no invite; a downgrade and an unlink take the member out", async () => {
    const chat = await gatedChat("Private clients");
    const professional = await createUser({ tier: null });
    await linkTelegram(telegram, professional.id);
    await pay(professional, "professional");
    await work();
    expect(await db.telegramChatMember.count({ where: { chatId: chat.chatId, userId: professional.id } })).toBe(0);

    const leaving = await createUser({ tier: null });
    const { from } = await linkTelegram(telegram, leaving.id);
    const subscriptionId = await pay(leaving);
    await work();
    const row = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: leaving.id } } });
    await telegram.join(from, chat.telegramChatId, row.inviteLink!);
    await deliver(fake, fake.changeSubscription(subscriptionId, { priceId: "price_fake_professional_month" }, { created: Math.floor(Date.now() / 1000) + 1 }));
    await work();
    expect(callsFor("banChatMember", from.id, chat.telegramChatId)).toHaveLength(1);
    expect(await logOf(chat.chatId, leaving.id)).toEqual(["GRANTED", "JOINED", "REMOVED:lapsed"]);

    const unlinking = await createUser({ tier: null });
    const second = await linkTelegram(telegram, unlinking.id);
    await pay(unlinking);
    await work();
    const invited = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: unlinking.id } } });
    await telegram.join(second.from, chat.telegramChatId, invited.inviteLink!);
    await telegram.sendText(second.from, "/unlink");
    await work();
    expect(callsFor("banChatMember", second.from.id, chat.telegramChatId)).toHaveLength(1);
    expect(await logOf(chat.chatId, unlinking.id)).toEqual(["GRANTED", "JOINED", "REMOVED:unlinked"]);
  });

  it("reconciliation fixes drift: an intruder is taken out, a member who left gets a new invite", async () => {
    const chat = await gatedChat("Drifting");
    const intruder = await createUser({ tier: null });
    const intruderTelegram = await linkTelegram(telegram, intruder.id);
    const stayer = await createUser({ tier: null });
    const stayerTelegram = await linkTelegram(telegram, stayer.id);
    await pay(stayer);
    await work();
    const row = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: stayer.id } } });
    await telegram.join(stayerTelegram.from, chat.telegramChatId, row.inviteLink!);

    // Behind our back: the intruder got in through an admin; the stayer left on their own.
    telegram.chat(chat.telegramChatId)!.members.set(intruderTelegram.from.id, "member");
    telegram.chat(chat.telegramChatId)!.members.set(stayerTelegram.from.id, "left");
    await reconcileTelegramChats();
    await deliverDueTelegramMessages();
    expect(telegram.chat(chat.telegramChatId)!.members.get(intruderTelegram.from.id)).toBe("left");
    expect(callsFor("banChatMember", intruderTelegram.from.id, chat.telegramChatId)).toHaveLength(1);
    expect(await logOf(chat.chatId, intruder.id)).toEqual(["REMOVED:lapsed"]);
    const reinvited = await db.telegramChatMember.findUniqueOrThrow({ where: { chatId_userId: { chatId: chat.chatId, userId: stayer.id } } });
    expect(reinvited).toMatchObject({ status: "INVITED" });
    expect(reinvited.inviteLink).not.toBe(row.inviteLink);
    expect(await logOf(chat.chatId, stayer.id)).toEqual(["GRANTED", "JOINED", "GRANTED"]);

    // A second run finds nothing to fix.
    const before = telegram.calls.filter((c) => c.method !== "getChatMember").length;
    await reconcileTelegramChats();
    expect(telegram.calls.filter((c) => c.method !== "getChatMember").length).toBe(before);
  });

  it("refuses a chat where the bot lacks rights, saying exactly which", async () => {
    const id = nextChatId--;
    telegram.addChat({ id, type: "supergroup", title: "Half set up", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: false } });
    const tierIds = [tiers["private-client"].id];
    expect(await linkTelegramChat({ chatRef: String(id), tierIds, ownerId: owner.id, locale: "en" })).toEqual({
      ok: false,
      field: "chatRef",
      message: "telegram.admin.error.missing",
      values: { missing: "Ban users" },
    });
    telegram.chat(id)!.botRights = { status: "member" };
    expect(await linkTelegramChat({ chatRef: String(id), tierIds, ownerId: owner.id, locale: "ru" })).toMatchObject({ ok: false, message: "telegram.admin.error.notAdmin" });
    expect(await linkTelegramChat({ chatRef: "-100999", tierIds, ownerId: owner.id, locale: "en" })).toMatchObject({ ok: false, field: "chatRef", message: "telegram.admin.error.notFound" });
    expect(await linkTelegramChat({ chatRef: "not a chat", tierIds, ownerId: owner.id, locale: "en" })).toMatchObject({ ok: false, field: "chatRef", message: "telegram.admin.error.chatId" });
    expect(await linkTelegramChat({ chatRef: String(id), tierIds: [], ownerId: owner.id, locale: "en" })).toMatchObject({ ok: false, field: "tierIds" });
    expect(await db.telegramChat.count({ where: { telegramChatId: BigInt(id) } })).toBe(0);
  });
});
