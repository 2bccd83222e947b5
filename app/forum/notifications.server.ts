import type { ForumCategory, ForumPost, ForumThread, User } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { notify } from "~/notifications/notify.server";
import { categoryAccess, forumReaderOfUser, type ForumReader } from "./access.server";

/**
 * Notifications about forum posts, through the notifications layer (each member's channels
 * and preferences decide where they land):
 *  - a reply to your thread (FORUM_REPLY);
 *  - a mention of you (FORUM_MENTION), once per post, also when an edit adds it.
 * Nobody is told about their own post, twice about one post, or about a category they may
 * not read.
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
    const kind = user.id === replyTo ? "FORUM_REPLY" : "FORUM_MENTION";
    if (!(await mayRead(tx, user, thread.categoryId))) continue;
    await notify(tx, {
      userId: user.id,
      kind,
      values: { author: author.name, title: thread.title, excerpt: excerpt(context.bodyText) },
      // /forum/p/:id finds the post's page in its thread.
      url: `/forum/p/${post.id}`,
    });
  }
}
