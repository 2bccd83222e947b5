import { forbidden, notFound } from "~/auth/guards.server";
import { recordAudit, type AuditValue } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import type { ForumReader } from "./access.server";
import { refreshPostVisibility } from "./threads.server";

/** What curators and owners do to threads and posts. Members get 403. */
export const THREAD_MODERATIONS = ["pin", "unpin", "lock", "unlock", "hide", "unhide", "move", "restore"] as const;
export type ThreadModeration = (typeof THREAD_MODERATIONS)[number];

function requireModerator(reader: ForumReader) {
  if (!reader.staff) throw forbidden(translator(reader.locale)("forum.staffOnly"));
}

export async function moderateThread(
  reader: ForumReader,
  threadId: string,
  action: ThreadModeration,
  options: { categoryId?: string } = {},
) {
  requireModerator(reader);
  const thread = await db.forumThread.findUnique({ where: { id: threadId } });
  if (!thread || (thread.deletedAt && action !== "restore")) throw notFound();
  const now = new Date();
  const audit = (tx: Tx, before: Record<string, AuditValue>, after: Record<string, AuditValue>) =>
    recordAudit(tx, { actorId: reader.userId, action: "forum.moderation", subjectType: "ForumThread", subjectId: threadId, before, after: { moderation: action, ...after } });
  switch (action) {
    case "restore": {
      const opening = await db.forumPost.findFirst({ where: { threadId, isOpening: true }, select: { id: true } });
      if (opening) await restorePost(reader, opening.id);
      break;
    }
    case "pin":
    case "unpin":
      await db.$transaction(async (tx) => {
        await tx.forumThread.update({ where: { id: threadId }, data: { pinned: action === "pin" } });
        await audit(tx, { pinned: thread.pinned }, { pinned: action === "pin" });
      });
      break;
    case "lock":
    case "unlock":
      await db.$transaction(async (tx) => {
        await tx.forumThread.update({ where: { id: threadId }, data: { lockedAt: action === "lock" ? now : null } });
        await audit(tx, { locked: Boolean(thread.lockedAt) }, { locked: action === "lock" });
      });
      break;
    case "hide":
    case "unhide":
      await db.$transaction(async (tx) => {
        await tx.forumThread.update({
          where: { id: threadId },
          data: action === "hide" ? { hiddenAt: now, hiddenById: reader.userId } : { hiddenAt: null, hiddenById: null },
        });
        await refreshPostVisibility(tx, threadId);
        await audit(tx, { hidden: Boolean(thread.hiddenAt) }, { hidden: action === "hide" });
      });
      break;
    case "move": {
      const target = options.categoryId ? await db.forumCategory.findUnique({ where: { id: options.categoryId } }) : null;
      if (!target) throw new Response(translator(reader.locale)("forum.moveUnknownCategory"), { status: 400 });
      await db.$transaction(async (tx) => {
        await tx.forumThread.update({ where: { id: threadId }, data: { categoryId: target.id } });
        await refreshPostVisibility(tx, threadId);
        await audit(tx, { categoryId: thread.categoryId }, { categoryId: target.id });
      });
      break;
    }
  }
  return thread;
}

/**
 * Hides or shows one post. Hiding the opening post hides its thread. The thread's reply
 * count follows, counted once even when a hide and a delete meet.
 */
export async function setPostHidden(reader: ForumReader, postId: string, hidden: boolean, tx?: Tx) {
  requireModerator(reader);
  const run = async (client: Tx) => {
    const post = await client.forumPost.findUnique({ where: { id: postId }, include: { thread: { select: { hiddenAt: true } } } });
    if (!post) throw notFound();
    const now = new Date();
    await recordAudit(client, {
      actorId: reader.userId,
      action: "forum.moderation",
      subjectType: "ForumPost",
      subjectId: postId,
      before: { hidden: Boolean(post.isOpening ? post.thread.hiddenAt : post.hiddenAt) },
      after: { moderation: hidden ? "hide" : "unhide", hidden, threadId: post.threadId },
    });
    if (post.isOpening) {
      await client.forumThread.update({
        where: { id: post.threadId },
        data: hidden ? { hiddenAt: now, hiddenById: reader.userId } : { hiddenAt: null, hiddenById: null },
      });
      await refreshPostVisibility(client, post.threadId);
      return post;
    }
    const { count } = await client.forumPost.updateMany({
      where: { id: postId, hiddenAt: hidden ? null : { not: null } },
      data: hidden ? { hiddenAt: now, hiddenById: reader.userId } : { hiddenAt: null, hiddenById: null },
    });
    if (count && !post.deletedAt) {
      await client.forumThread.update({
        where: { id: post.threadId },
        data: { replyCount: hidden ? { decrement: 1 } : { increment: 1 } },
      });
    }
    await refreshPostVisibility(client, post.threadId);
    return post;
  };
  return tx ? run(tx) : db.$transaction(run);
}

/**
 * Staff bring back a post its author deleted. Restoring an opening post brings back its
 * thread too, if deleting it had removed the thread. The reply count follows.
 */
export async function restorePost(reader: ForumReader, postId: string) {
  requireModerator(reader);
  return db.$transaction(async (tx) => {
    const post = await tx.forumPost.findUnique({ where: { id: postId } });
    if (!post) throw notFound();
    const { count } = await tx.forumPost.updateMany({ where: { id: postId, deletedAt: { not: null } }, data: { deletedAt: null } });
    if (count) {
      await recordAudit(tx, { actorId: reader.userId, action: "forum.moderation", subjectType: "ForumPost", subjectId: postId, before: { deleted: true }, after: { moderation: "restore", deleted: false, threadId: post.threadId } });
    }
    if (post.isOpening) {
      await tx.forumThread.updateMany({ where: { id: post.threadId, deletedAt: { not: null } }, data: { deletedAt: null } });
    } else if (count && !post.hiddenAt) {
      await tx.forumThread.update({ where: { id: post.threadId }, data: { replyCount: { increment: 1 } } });
    }
    await refreshPostVisibility(tx, post.threadId);
    return post;
  });
}
