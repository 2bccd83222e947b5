/** Linking Telegram through the one-time deep link, the bot's commands, and the webhook's guard. */
import { stopTelegram, telegram, useWebhook, webhookUrl, WEBHOOK_SECRET } from "./with-fake-telegram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createLinkToken, LINK_TOKEN_MINUTES } from "~/telegram/linking.server";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import { ensureClubSettings, createUser } from "../factories";
import { linkTelegram, messagesTo, telegramUser } from "./support";

beforeAll(async () => {
  await ensureClubSettings();
  await useWebhook();
});
afterAll(() => stopTelegram());

const tokenOf = (url: string) => new URL(url).searchParams.get("start")!;

describe("linking through the one-time deep link", () => {
  it("a good token links the member, answers in their language, and keeps only the token's hash", async () => {
    const member = await createUser({ locale: "ru", name: "Ольга Смирнова" });
    const { url, expiresAt } = await createLinkToken(member.id);
    expect(url).toMatch(/^https:\/\/t\.me\/coterie_test_bot\?start=[A-Za-z0-9_-]{32}$/);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan((LINK_TOKEN_MINUTES - 1) * 60_000);
    const token = tokenOf(url);
    const stored = await db.telegramLinkToken.findFirstOrThrow({ where: { userId: member.id } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$|^[A-Za-z0-9_-]{43}$|^[A-Z2-7]{52}$/);
    expect(JSON.stringify(await db.telegramLinkToken.findMany())).not.toContain(token);

    const from = telegramUser({ language_code: "en", username: "olga_s" });
    await telegram.sendText(from, `/start ${token}`);
    await deliverDueTelegramMessages();
    const link = await db.telegramLink.findUniqueOrThrow({ where: { userId: member.id } });
    expect(link).toMatchObject({ telegramUserId: BigInt(from.id), chatId: BigInt(from.id), username: "olga_s" });
    const [reply] = messagesTo(telegram, from.id);
    expect(reply.text).toContain("Ольга Смирнова");
    expect(reply.text).toContain("Telegram привязан");
    expect(reply.buttons[0]).toMatchObject({ url: "https://club.example.test/account" });
  });

  it("a used token is refused with a clear message and links nobody else", async () => {
    const member = await createUser();
    const { token, from } = await linkTelegram(telegram, member.id);
    const stranger = telegramUser();
    await telegram.sendText(stranger, `/start ${token}`);
    await deliverDueTelegramMessages();
    expect(messagesTo(telegram, stranger.id).map((m) => m.text)).toEqual([expect.stringContaining("This link was already used")]);
    expect(await db.telegramLink.findUnique({ where: { telegramUserId: BigInt(stranger.id) } })).toBeNull();
    expect((await db.telegramLink.findUniqueOrThrow({ where: { userId: member.id } })).telegramUserId).toBe(BigInt(from.id));
  });

  it("an expired token (older than 15 minutes) and an unknown one are refused, in the sender's language", async () => {
    const member = await createUser();
    const { url } = await createLinkToken(member.id, new Date(Date.now() - (LINK_TOKEN_MINUTES * 60_000 + 1000)));
    const late = telegramUser();
    await telegram.sendText(late, `/start ${tokenOf(url)}`);
    const guesser = telegramUser({ language_code: "ru" });
    await telegram.sendText(guesser, "/start not-a-real-token-at-all");
    await deliverDueTelegramMessages();
    expect(messagesTo(telegram, late.id).map((m) => m.text)).toEqual([expect.stringContaining("This link has expired")]);
    expect(messagesTo(telegram, guesser.id).map((m) => m.text)).toEqual([expect.stringContaining("Эта ссылка недействительна")]);
    expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(0);
  });

  it("an unlinked Telegram user gets a polite explanation for any message", async () => {
    const nobody = telegramUser();
    await telegram.sendText(nobody, "/help");
    await telegram.sendText(nobody, "hello?");
    await deliverDueTelegramMessages();
    const texts = messagesTo(telegram, nobody.id).map((m) => m.text);
    expect(texts).toHaveLength(2);
    for (const text of texts) expect(text).toContain("is not linked to a member's account yet");
  });

  it("/help and /unlink work for a linked member; after /unlink they are a stranger again", async () => {
    const member = await createUser({ name: "Pavel Orlov" });
    const { from } = await linkTelegram(telegram, member.id);
    await telegram.sendText(from, "/help");
    await telegram.sendText(from, "/unlink");
    await deliverDueTelegramMessages();
    const texts = messagesTo(telegram, from.id).map((m) => m.text);
    expect(texts[1]).toContain("/settings");
    expect(texts[2]).toContain("no longer linked");
    expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(0);
  });
});

describe("the webhook", () => {
  const update = (id: number, text: string, from = telegramUser()) => ({
    update_id: id,
    message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private" }, from: { ...from, is_bot: false }, text },
  });
  const post = (body: unknown, secret?: string) =>
    fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...(secret ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {}) }, body: JSON.stringify(body) });
  const counts = async () => ({ updates: await db.telegramUpdate.count(), messages: await db.telegramMessage.count(), links: await db.telegramLink.count() });

  it("answers 401 without the right secret header and writes nothing", async () => {
    const member = await createUser();
    const { url } = await createLinkToken(member.id);
    const before = await counts();
    const body = update(9_000_001, `/start ${tokenOf(url)}`);
    const responses = [await post(body), await post(body, "wrong-secret"), await post(body, `${WEBHOOK_SECRET}x`)];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await counts()).toEqual(before);
    expect(await db.telegramLinkToken.count({ where: { userId: member.id, usedAt: { not: null } } })).toBe(0);
    expect((await fetch(webhookUrl)).status).toBe(405);
  });

  it("processes each update once, however often Telegram delivers it", async () => {
    const member = await createUser();
    const { url } = await createLinkToken(member.id);
    const from = telegramUser();
    const body = update(9_000_002, `/start ${tokenOf(url)}`, from);
    const statuses = await Promise.all([1, 2, 3].map(() => post(body, WEBHOOK_SECRET).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await db.telegramMessage.count({ where: { chatId: BigInt(from.id) } })).toBe(1);
    expect(await db.telegramLink.count({ where: { userId: member.id } })).toBe(1);
    expect((await post({ nonsense: true }, WEBHOOK_SECRET)).status).toBe(400);
  });
});
