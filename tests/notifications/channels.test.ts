/** Every kind on every channel, in both languages, with the member's preferences respected. */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type MemberNotificationKind } from "~/notifications/kinds";
import { emailFor, inAppLine, type Notice } from "~/notifications/messages.server";
import { notify } from "~/notifications/notify.server";
import { createUser } from "../factories";

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

const expected = {
  en: {
    FORUM_REPLY: ["Anna Ivanova replied to “Zero trust”", "Anna Ivanova replied to “Zero trust”"],
    FORUM_MENTION: ["Anna Ivanova mentioned you in “Zero trust”", "Anna Ivanova mentioned you in “Zero trust”"],
    ROADMAP_STATUS: ["“KMS audit” is now Shipped", "Shipped: “KMS audit”"],
    ROADMAP_MERGE: ["“SSO” was merged into “SAML”; your vote moved there", "Your vote moved to “SAML”"],
    DIGEST: ["Your weekly digest of threads you missed (1)", "Coterie: threads you missed this week (1)"],
    FOLLOW_UP: ["Coterie: How are things, Olga?", "How are things, Olga?"],
  },
  ru: {
    FORUM_REPLY: ["Anna Ivanova ответил(а) в теме «Zero trust»", "Anna Ivanova ответил(а) в теме «Zero trust»"],
    FORUM_MENTION: ["Anna Ivanova упомянул(а) вас в теме «Zero trust»", "Anna Ivanova упомянул(а) вас в теме «Zero trust»"],
    ROADMAP_STATUS: ["«KMS audit»: Выпущено", "Выпущено: «KMS audit»"],
    ROADMAP_MERGE: ["«SSO» объединён с «SAML»; ваш голос перенесён туда", "Ваш голос перенесён в «SAML»"],
    DIGEST: ["Еженедельная сводка: пропущенных тем — 1", "Coterie: пропущенные за неделю темы (1)"],
    FOLLOW_UP: ["Coterie: Как дела, Ольга?", "Как дела, Ольга?"],
  },
} as const;

describe("each kind, rendered by each channel in the member's language", () => {
  for (const locale of ["en", "ru"] as const) {
    for (const kind of NOTIFICATION_KINDS) {
      it(`${kind} in ${locale}: the in-app line and the email`, () => {
        const [line, subject] = expected[locale][kind];
        expect(inAppLine(locale, notices[kind])).toBe(line);
        const email = emailFor(locale, notices[kind]);
        expect(email.subject).toBe(subject);
        expect(email.action.url).toMatch(new RegExp(`^https?://[^/]+${notices[kind].url}$`));
        for (const text of [line, email.subject, email.text, email.action.label]) expect(text).not.toMatch(/\{\w+\}|notifications\.|forum\.|roadmap\./);
      });
    }
  }
});

describe("preferences decide the channels", () => {
  for (const kind of NOTIFICATION_KINDS) {
    for (const off of NOTIFICATION_CHANNELS) {
      it(`${kind} turned off ${off}: never there, still on the other channel`, async () => {
        const member = await createUser({ locale: "ru" });
        await db.notificationPreference.create({ data: { userId: member.id, kind, channel: off, enabled: false } });
        const delivered = await db.$transaction((tx) => notify(tx, { userId: member.id, ...notices[kind] } as Notice & { userId: string }));
        const inApp = await db.notification.count({ where: { userId: member.id, kind } });
        const emails = await db.email.findMany({ where: { userId: member.id } });
        // The member has not linked Telegram, so nothing goes there (tests/telegram/channel.test.ts covers it).
        expect(delivered).toEqual({ IN_APP: off === "IN_APP" ? 0 : 1, EMAIL: off === "EMAIL" ? 0 : 1, TELEGRAM: 0 });
        expect(inApp).toBe(off === "IN_APP" ? 0 : 1);
        expect(emails).toHaveLength(off === "EMAIL" ? 0 : 1);
        if (emails[0]) expect(emails[0]).toMatchObject({ locale: "ru", subject: expected.ru[kind][1] });
      });
    }
  }

  it("a row turned back on (enabled) delivers as the default does", async () => {
    const member = await createUser();
    await db.notificationPreference.create({ data: { userId: member.id, kind: "FORUM_REPLY", channel: "EMAIL", enabled: true } });
    const delivered = await db.$transaction((tx) => notify(tx, { userId: member.id, ...notices.FORUM_REPLY }));
    expect(delivered).toEqual({ IN_APP: 1, EMAIL: 1, TELEGRAM: 0 });
  });
});
