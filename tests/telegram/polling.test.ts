/** Long polling (npm run dev, the demo): updates fetched with getUpdates are processed once each. */
import { stopTelegram, telegram } from "./with-fake-telegram";
import { afterAll, expect, it } from "vitest";
import { db } from "~/db.server";
import { createLinkToken } from "~/telegram/linking.server";
import { pollTelegramUpdates } from "~/telegram/updates.server";
import { createUser, ensureClubSettings } from "../factories";
import { telegramUser } from "./support";

let stop: (() => void) | undefined;
afterAll(async () => {
  stop?.();
  await stopTelegram();
});

async function until<T>(read: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("a /start sent while the bot long-polls links the member, and is not processed again", async () => {
  await ensureClubSettings();
  const member = await createUser();
  const { url } = await createLinkToken(member.id);
  stop = pollTelegramUpdates();
  // The stand-in records a long poll when it answers; deleteWebhook comes just before the first.
  await until(async () => (telegram.calls.some((c) => c.method === "deleteWebhook") ? true : null));
  const from = telegramUser();
  await telegram.sendText(from, `/start ${new URL(url).searchParams.get("start")}`);
  const link = await until(() => db.telegramLink.findUnique({ where: { userId: member.id } }));
  expect(link.telegramUserId).toBe(BigInt(from.id));
  // The next update arrives on the following poll; the first is not processed again.
  await telegram.sendText(from, "/help");
  await until(async () => ((await db.telegramMessage.count({ where: { chatId: BigInt(from.id) } })) === 2 ? true : null));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await db.telegramMessage.findMany({ where: { chatId: BigInt(from.id) }, orderBy: { createdAt: "asc" } })).map((m) => m.text.split("\n")[0])).toEqual([
    expect.stringContaining("is now linked"),
    expect.stringContaining("I bring you news"),
  ]);
  expect(telegram.webhook()).toBeNull();
});
