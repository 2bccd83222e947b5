/** Linking a Telegram chat (against the fake Bot API) writes one audit row; a refused link writes none. */
import { stopTelegram, telegram } from "../telegram/with-fake-telegram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { linkTelegramChat } from "~/telegram/chats.server";
import { createUser, ensureTiers } from "../factories";

afterAll(async () => {
  await stopTelegram();
});

let owner: Awaited<ReturnType<typeof createUser>>;
let tiers: Awaited<ReturnType<typeof ensureTiers>>;
beforeAll(async () => {
  tiers = await ensureTiers();
  owner = await createUser({ role: "OWNER", tier: null });
});

describe("telegram.chat", () => {
  it("a link and a relink with other tiers are recorded with the tiers before and after", async () => {
    const id = -1_001_234_567_890;
    telegram.addChat({ id, type: "supergroup", title: "Inner circle", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: true } });
    const linked = await linkTelegramChat({ chatRef: String(id), tierIds: [tiers["private-client"].id], ownerId: owner.id, locale: "en" });
    expect(linked.ok).toBe(true);
    const chatId = (linked as { chatId: string }).chatId;
    const first = await db.auditEntry.findMany({ where: { action: "telegram.chat" } });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      actorId: owner.id,
      subjectType: "TelegramChat",
      subjectId: chatId,
      before: { linked: false },
      after: { change: "link", linked: true, telegramChatId: String(id), tierIds: [tiers["private-client"].id] },
    });

    await linkTelegramChat({ chatRef: String(id), tierIds: [tiers.professional.id], ownerId: owner.id, locale: "en" });
    const second = await db.auditEntry.findMany({ where: { action: "telegram.chat" }, orderBy: { id: "asc" } });
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ before: { linked: true, tierIds: [tiers["private-client"].id] }, after: { tierIds: [tiers.professional.id] } });

    const refused = -1_001_234_567_891;
    telegram.addChat({ id: refused, type: "supergroup", title: "No rights", botRights: { status: "member" } as never });
    expect((await linkTelegramChat({ chatRef: String(refused), tierIds: [tiers.community.id], ownerId: owner.id, locale: "en" })).ok).toBe(false);
    expect(await db.auditEntry.count({ where: { action: "telegram.chat" } })).toBe(2);
  });
});
