import type { ForumCategory, ForumPost, ForumThread, User } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import { translator } from "~/i18n/dictionary";
import { categoryAccess, forumReaderOfUser, type ForumReader } from "./access.server";

/**
 * Emails about forum posts, in each recipient's language, through the email queue:
 *  - a reply to your thread (User.notifyReplies);
 *  - a mention of you (User.notifyMentions), once per post, also when an edit adds it.
 * Nobody is emailed about their own post, twice about one post, or about a category
 * they may not read.
 */
export type NotificationContext = {
  author: Pick<ForumReader, "userId" | "name">;
  thread: ForumThread;
  category: ForumCategory;
  post: ForumPost;
  bodyText: string;
};

const EXCERPT_LENGTH = 600;

export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}

/** The address of a post: /forum/p/:id finds its page in the thread. */
export function postUrl(postId: string): string {
  return `${env().APP_URL}/forum/p/${postId}`;
}

async function mayRead(tx: Tx, user: User, categoryId: string): Promise<boolean> {
  const reader = await forumReaderOfUser(user, tx);
  return Boolean(reader && (await categoryAccess(reader, categoryId, tx)).canRead);
}

export async function notifyAboutPost(
  tx: Tx,
  context: NotificationContext,
  { mentionedUserIds, isReply }: { mentionedUserIds: string[]; isReply: boolean },
) {
  const { author, thread, post } = context;
  const already = new Set(
    (await tx.forumMention.findMany({ where: { postId: post.id }, select: { userId: true } })).map((m) => m.userId),
  );
  const fresh = mentionedUserIds.filter((id) => id !== author.userId && !already.has(id));
  if (fresh.length) {
    await tx.forumMention.createMany({ data: fresh.map((userId) => ({ postId: post.id, userId })), skipDuplicates: true });
  }
  const replyTo = isReply && thread.authorId !== author.userId && !fresh.includes(thread.authorId) ? thread.authorId : null;
  const ids = [...fresh, ...(replyTo ? [replyTo] : [])];
  if (!ids.length) return;
  const users = await tx.user.findMany({ where: { id: { in: ids }, deactivatedAt: null } });
  for (const user of users) {
    const kind = user.id === replyTo ? "reply" : "mention";
    if (kind === "reply" && !user.notifyReplies) continue;
    if (kind === "mention" && !user.notifyMentions) continue;
    if (!(await mayRead(tx, user, thread.categoryId))) continue;
    await queueEmail(forumEmail(user, kind, context), tx);
  }
}

function forumEmail(user: User, kind: "reply" | "mention", { author, thread, post, bodyText }: NotificationContext) {
  const t = translator(user.locale);
  const values = { author: author.name, title: thread.title };
  return {
    to: user.email,
    userId: user.id,
    locale: user.locale,
    template: kind === "reply" ? "forum-reply" : "forum-mention",
    subject: t(kind === "reply" ? "forum.email.reply.subject" : "forum.email.mention.subject", values),
    text: [
      t(kind === "reply" ? "forum.email.reply.intro" : "forum.email.mention.intro", values),
      excerpt(bodyText),
      t("forum.email.settings", { url: `${env().APP_URL}/account` }),
    ].join("\n\n"),
    action: { label: t("forum.email.open"), url: postUrl(post.id) },
  };
}
