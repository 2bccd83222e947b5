/** The Telegram outbox: 429 with retry_after, 5xx and outages delay a message; nothing is lost or sent twice. */
import { stopTelegram, telegram } from "./with-fake-telegram";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { deliverDueTelegramMessages, queueTelegramMessage } from "~/telegram/outbox.server";

afterAll(() => stopTelegram());
beforeEach(() => telegram.clearFaults());

let nextChat = 800_000;
async function queue(count = 1) {
  const chatId = nextChat++;
  await db.$transaction(async (tx) => {
    for (let i = 0; i < count; i++) await queueTelegramMessage(tx, { chatId, purpose: "TEST", text: `message ${i + 1}` });
  });
  return chatId;
}
const accepted = (chatId: number) => telegram.sent("sendMessage").filter((c) => Number(c.params.chat_id) === chatId).map((c) => c.params.text);
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe("delivering the outbox", () => {
  it("429: waits the retry_after Telegram asks for (the whole batch), then sends each message once", async () => {
    const chatId = await queue(3);
    telegram.fault({ method: "sendMessage", status: 429, retryAfter: 30, times: 1 });
    expect(await deliverDueTelegramMessages()).toBe(0);
    const rows = await db.telegramMessage.findMany({ where: { chatId: BigInt(chatId) }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
    const first = rows.find((r) => r.attempts === 1 && r.lastError)!;
    expect(first.lastError).toContain("retry after 30");
    expect(first.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(28_000);
    expect(first.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(30_000);

    // Not before retry_after: the first is not due yet; the others go.
    await deliverDueTelegramMessages(later(10));
    expect(accepted(chatId)).toHaveLength(2);
    await deliverDueTelegramMessages(later(31));
    expect(accepted(chatId).sort()).toEqual(["message 1", "message 2", "message 3"]);
    await deliverDueTelegramMessages(later(3600));
    expect(accepted(chatId)).toHaveLength(3);
    expect(await db.telegramMessage.count({ where: { chatId: BigInt(chatId), status: "SENT" } })).toBe(3);
  });

  it("5xx and a dropped connection are retried with growing backoff until Telegram answers; sent exactly once", async () => {
    const chatId = await queue(1);
    telegram.fault({ method: "sendMessage", status: 502, times: 1 });
    telegram.fault({ method: "sendMessage", status: "drop", times: 1 });
    telegram.fault({ method: "sendMessage", status: 500, times: 1 });
    const delays: number[] = [];
    let at = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(await deliverDueTelegramMessages(new Date(at))).toBe(0);
      const row = await db.telegramMessage.findFirstOrThrow({ where: { chatId: BigInt(chatId) } });
      expect(row.status).toBe("PENDING");
      delays.push(Math.round((row.nextAttemptAt.getTime() - Date.now()) / 1000));
      at = row.nextAttemptAt.getTime() + 1000;
    }
    expect(delays).toEqual([5, 10, 20]);
    expect(await deliverDueTelegramMessages(new Date(at))).toBe(1);
    expect(accepted(chatId)).toEqual(["message 1"]);
    expect(telegram.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId).map((c) => c.answered)).toEqual([502, "dropped", 500, "ok"]);
    expect(await db.telegramMessage.findFirstOrThrow({ where: { chatId: BigInt(chatId) } })).toMatchObject({ status: "SENT", attempts: 4 });
  });

  it("two workers at once never send the same message twice", async () => {
    const chatId = await queue(10);
    const [a, b] = await Promise.all([deliverDueTelegramMessages(), deliverDueTelegramMessages()]);
    expect(a + b).toBe(10);
    expect(accepted(chatId)).toHaveLength(10);
    expect(new Set(accepted(chatId)).size).toBe(10);
  });

  it("a refusal that will never work (the member blocked the bot) fails the message and keeps the reason", async () => {
    const chatId = await queue(1);
    await db.telegramMessage.updateMany({ where: { chatId: BigInt(chatId) }, data: { text: " " } });
    await deliverDueTelegramMessages();
    expect(await db.telegramMessage.findFirstOrThrow({ where: { chatId: BigInt(chatId) } })).toMatchObject({ status: "FAILED", lastError: expect.stringContaining("message text is empty") });
    await deliverDueTelegramMessages(later(3600));
    expect(telegram.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId)).toHaveLength(1);
  });
});
