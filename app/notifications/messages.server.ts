import type { RoadmapStatus } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { translator, type Locale, type MessageKey } from "~/i18n/dictionary";
import { formatNumber } from "~/i18n/format";
import type { MemberNotificationKind } from "./kinds";

/**
 * What each kind says, rendered from message keys in the reader's language. A notification
 * stores its kind and values (titles, names, status codes), never rendered text, so the
 * centre shows each entry in the language the member reads now.
 */
export type DigestThread = { id: string; title: string; categoryEn: string; categoryRu: string; newPosts: number };

export type NotificationValues = {
  FORUM_REPLY: { author: string; title: string; excerpt: string };
  FORUM_MENTION: { author: string; title: string; excerpt: string };
  /** `audience` "author" is the member who suggested the item (and did not vote for it). */
  ROADMAP_STATUS: { title: string; club: string; from: RoadmapStatus; to: RoadmapStatus; note: string | null; audience: "voter" | "author" };
  ROADMAP_MERGE: { from: string; into: string };
  DIGEST: { name: string; club: string; threads: DigestThread[] };
  /**
   * A message from the club's staff (a playbook step, a reply to an NPS answer), already
   * filled in (name, tier) in the languages it was written in; the reader gets theirs, or the
   * other when only one exists. `template` names it in the outbox.
   */
  FOLLOW_UP: { club: string; template: string; texts: FollowUpTexts };
};

export type FollowUpTexts = Partial<Record<Locale, { subject: string; body: string }>>;

/** The text of a follow-up in `locale`, or in the language it exists in. */
export function followUpText(locale: Locale, texts: FollowUpTexts): { subject: string; body: string } {
  return texts[locale] ?? texts.en ?? texts.ru ?? { subject: "", body: "" };
}

/** One notification as callers describe it; `url` is a path inside the portal (its place). */
export type Notice<K extends MemberNotificationKind = MemberNotificationKind> = {
  [Kind in K]: { kind: Kind; values: NotificationValues[Kind]; url: string };
}[K];

export type RenderedEmail = { template: string; subject: string; text: string; action: { label: string; url: string } };

const absolute = (path: string) => new URL(path, env().APP_URL).toString();
const statusKey = (status: RoadmapStatus) => `roadmap.status.${status}` as MessageKey;

/** The one line the bell's list shows for an entry. */
export function inAppLine(locale: Locale, notice: Notice): string {
  const t = translator(locale);
  switch (notice.kind) {
    case "FORUM_REPLY":
    case "FORUM_MENTION":
      return t(`notifications.line.${notice.kind}`, { author: notice.values.author, title: notice.values.title });
    case "ROADMAP_STATUS": {
      const values = { title: notice.values.title, to: t(statusKey(notice.values.to)) };
      return t(notice.values.audience === "author" ? "notifications.line.ROADMAP_STATUS_AUTHOR" : "notifications.line.ROADMAP_STATUS", values);
    }
    case "ROADMAP_MERGE":
      return t("notifications.line.ROADMAP_MERGE", notice.values);
    case "DIGEST":
      return t("notifications.line.DIGEST", { count: formatNumber(locale, notice.values.threads.length) });
    case "FOLLOW_UP":
      return t("notifications.line.FOLLOW_UP", { club: notice.values.club, subject: followUpText(locale, notice.values.texts).subject });
  }
}

/** The email for an entry. Templates keep the names the outbox has always shown. */
export function emailFor(locale: Locale, notice: Notice): RenderedEmail {
  const t = translator(locale);
  const accountUrl = absolute("/account");
  switch (notice.kind) {
    case "FORUM_REPLY":
    case "FORUM_MENTION": {
      const reply = notice.kind === "FORUM_REPLY";
      const values = { author: notice.values.author, title: notice.values.title };
      return {
        template: reply ? "forum-reply" : "forum-mention",
        subject: t(reply ? "forum.email.reply.subject" : "forum.email.mention.subject", values),
        text: [t(reply ? "forum.email.reply.intro" : "forum.email.mention.intro", values), notice.values.excerpt, t("forum.email.settings", { url: accountUrl })].join(
          "\n\n",
        ),
        action: { label: t("forum.email.open"), url: absolute(notice.url) },
      };
    }
    case "ROADMAP_STATUS": {
      const { title, club, from, to, note, audience } = notice.values;
      const action = { label: t("roadmap.email.open"), url: absolute(notice.url) };
      const noteLine = note ? t("roadmap.email.note", { note }) : null;
      if (audience === "author") {
        const values = { title, to: t(statusKey(to)) };
        return {
          template: "roadmap-suggestion-status",
          subject: t("roadmap.email.author.subject", values),
          text: [t("roadmap.email.author.body", values), noteLine].filter(Boolean).join("\n\n"),
          action,
        };
      }
      const values = { title, club, from: t(statusKey(from)), to: t(statusKey(to)) };
      const shipped = to === "SHIPPED";
      return {
        template: shipped ? "roadmap-shipped" : "roadmap-status",
        subject: t(shipped ? "roadmap.email.shipped.subject" : "roadmap.email.status.subject", values),
        text: [t(shipped ? "roadmap.email.shipped.body" : "roadmap.email.status.body", values), noteLine, t("roadmap.email.why")].filter(Boolean).join("\n\n"),
        action,
      };
    }
    case "ROADMAP_MERGE":
      return {
        template: "roadmap-merged",
        subject: t("roadmap.email.merged.subject", notice.values),
        text: t("roadmap.email.merged.body", notice.values),
        action: { label: t("roadmap.email.open"), url: absolute(notice.url) },
      };
    case "DIGEST": {
      const { name, club, threads } = notice.values;
      const lines = threads.map((thread) => {
        const category = locale === "ru" ? thread.categoryRu : thread.categoryEn;
        const posts = t("forum.digest.newPosts", { count: formatNumber(locale, thread.newPosts) });
        return `• ${thread.title} (${category}, ${posts})\n  ${absolute(`/forum/t/${thread.id}`)}`;
      });
      return {
        template: "forum-digest",
        subject: t("forum.digest.subject", { club, count: threads.length }),
        text: [t("forum.digest.intro", { name }), lines.join("\n\n"), t("forum.digest.optOut", { url: accountUrl })].join("\n\n"),
        action: { label: t("forum.digest.open"), url: absolute(notice.url) },
      };
    }
    case "FOLLOW_UP": {
      const { subject, body } = followUpText(locale, notice.values.texts);
      return {
        template: notice.values.template,
        subject,
        text: [body, t("notifications.followUp.settings", { url: accountUrl })].join("\n\n"),
        action: { label: t("notifications.followUp.open", { club: notice.values.club }), url: absolute(notice.url) },
      };
    }
  }
}
