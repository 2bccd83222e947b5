/** Every notification kind on the Telegram channel, in the member's language, with preferences respected. */
import { stopTelegram, telegram, useWebhook } from "./with-fake-telegram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { NOTIFICATION_KINDS, type MemberNotificationKind } from "~/notifications/kinds";
import { inAppLine, type Notice } from "~/notifications/messages.server";
import { notify } from "~/notifications/notify.server";
import { deliverDueTelegramMessages } from "~/telegram/outbox.server";
import { ensureClubSettings, createUser } from "../factories";
import { linkTelegram, messagesTo } from "./support";

beforeAll(async () => {
  await ensureClubSettings();
  await useWebhook();
});
afterAll(() => stopTelegram());

const notices: { [K in MemberNotificationKind]: Notice<K> } = {
  FORUM_REPLY: { kind: "FORUM_REPLY", values: { author: "Anna Ivanova", title: "Zero trust", excerpt: "Start with posture." }, url: "/forum/p/p1" },
  FORUM_MENTION: { kind: "FORUM_MENTION", values: { author: "Anna Ivanova", title: "Zero trust", excerpt: "@you what do you think?" }, url: "/forum/p/p2" },
  ROADMAP_STATUS: {
    kind: "ROADMAP_STATUS",
    values: { title: "KMS audit", club: "Coterie", from: "PLANNED", to: "SHIPPED", note: "Out today.", audience: "voter" },
    url: "/roadmap/r1",
  },
  ROADMAP_MERGE: { kind: "ROADMAP_MERGE", values: { from: "SSO", into: "SAML" }, url: "/roadmap/r2" },
  DIGEST: {
    kind: "DIGEST",
    values: { name: "Olga", club: "Coterie", threads: [{ id: "t1", title: "Hiring", categoryEn: "Jobs", categoryRu: "Вакансии", newPosts: 3 }] },
    url: "/forum",
  },
  FOLLOW_UP: {
    kind: "FOLLOW_UP",
    values: {
      club: "Coterie",
      template: "playbook-follow-up",
      texts: { en: { subject: "How are things, Olga?", body: "We have not seen you for a while." }, ru: { subject: "Как дела, Ольга?", body: "Давно вас не видели." } },
    },
    url: "/forum",
  },
};
const details: Record<MemberNotificationKind, string | null> = {
  FORUM_REPLY: "Start with posture.",
  FORUM_MENTION: "@you what do you think?",
  ROADMAP_STATUS: "Out today.",
  ROADMAP_MERGE: null,
  DIGEST: "Hiring",
  FOLLOW_UP: "not seen you for a while.|Давно вас не видели.",
};

describe("the Telegram channel", () => {
  for (const locale of ["en", "ru"] as const) {
    for (const kind of NOTIFICATION_KINDS) {
      it(`${kind} reaches a linked member in ${locale}, with a button that opens its place on the portal`, async () => {
        const member = await createUser({ locale });
        const { from } = await linkTelegram(telegram, member.id);
        const delivered = await db.$transaction((tx) => notify(tx, { userId: member.id, ...notices[kind] } as Notice & { userId: string }));
        expect(delivered).toEqual({ IN_APP: 1, EMAIL: 1, TELEGRAM: 1 });
        expect(await deliverDueTelegramMessages()).toBe(1);
        const [, message] = messagesTo(telegram, from.id);
        expect(message.text.startsWith(inAppLine(locale, notices[kind]))).toBe(true);
        const detail = details[kind]?.split("|")[locale === "ru" ? 1 : 0] ?? details[kind];
        if (detail) expect(message.text).toContain(detail);
        expect(message.text).not.toMatch(/\{\w+\}|notifications\.|forum\.|roadmap\.|telegram\./);
        expect(message.buttons).toEqual([{ text: expect.any(String), url: `https://club.example.test${notices[kind].url}` }]);
        if (locale === "ru") expect(message.buttons[0].text).toMatch(/[а-я]/);
      });
    }
  }

  for (const kind of NOTIFICATION_KINDS) {
    it(`${kind} turned off in Telegram never goes there; turned off by email it still does`, async () => {
      const quiet = await createUser();
      const other = await createUser();
      const { from: quietFrom } = await linkTelegram(telegram, quiet.id);
      const { from: otherFrom } = await linkTelegram(telegram, other.id);
      await db.notificationPreference.create({ data: { userId: quiet.id, kind, channel: "TELEGRAM", enabled: false } });
      await db.notificationPreference.create({ data: { userId: other.id, kind, channel: "EMAIL", enabled: false } });
      await db.$transaction(async (tx) => {
        expect(await notify(tx, { userId: quiet.id, ...notices[kind] } as Notice & { userId: string })).toEqual({ IN_APP: 1, EMAIL: 1, TELEGRAM: 0 });
        expect(await notify(tx, { userId: other.id, ...notices[kind] } as Notice & { userId: string })).toEqual({ IN_APP: 1, EMAIL: 0, TELEGRAM: 1 });
      });
      await deliverDueTelegramMessages();
      expect(messagesTo(telegram, quietFrom.id)).toHaveLength(1); // only the "linked" greeting
      expect(messagesTo(telegram, otherFrom.id)).toHaveLength(2);
    });
  }

  it("an unlinked member gets nothing in Telegram; a button to a localhost portal becomes a line of text", async () => {
    const member = await createUser();
    expect(await db.$transaction((tx) => notify(tx, { userId: member.id, ...notices.FORUM_REPLY }))).toMatchObject({ TELEGRAM: 0 });
    const { composeMessage } = await import("~/telegram/outbox.server");
    const composed = composeMessage("Hi", [{ label: "Open", url: "http://localhost:3000/forum" }]);
    expect(composed).toEqual({ text: "Hi\n\nOpen: http://localhost:3000/forum", replyMarkup: null });
  });

  it("/settings shows the grid in Telegram and a button press changes the same preferences as /account", async () => {
    const member = await createUser({ locale: "ru" });
    const { from } = await linkTelegram(telegram, member.id);
    await telegram.sendText(from, "/settings");
    await deliverDueTelegramMessages();
    const settings = telegram.sent("sendMessage").filter((c) => Number(c.params.chat_id) === from.id).at(-1)!;
    const keyboard = (settings.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    expect(keyboard).toHaveLength(NOTIFICATION_KINDS.length);
    expect(keyboard[0].map((b) => b.callback_data)).toEqual(["pref:FORUM_REPLY:IN_APP", "pref:FORUM_REPLY:EMAIL", "pref:FORUM_REPLY:TELEGRAM"]);
    expect(String(settings.params.text)).toContain("Ответы");
    await telegram.pressButton(from, "pref:FORUM_REPLY:TELEGRAM");
    expect(await db.notificationPreference.findUniqueOrThrow({ where: { userId_kind_channel: { userId: member.id, kind: "FORUM_REPLY", channel: "TELEGRAM" } } })).toMatchObject({ enabled: false });
    const edited = telegram.sent("editMessageReplyMarkup").at(-1)!;
    expect(JSON.stringify(edited.params.reply_markup)).toContain("▫️ Telegram");
    expect(telegram.sent("answerCallbackQuery").at(-1)!.params.text).toBe("Сохранено");
  });
});
