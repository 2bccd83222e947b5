import { forbidden, notFound } from "~/auth/guards.server";
import type { SubmissionResult } from "@conform-to/react";
import { data } from "@remix-run/node";
import { consumeRateLimit, type RateLimit } from "~/auth/rate-limit.server";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import { recordActivity } from "~/metrics/activity.server";
import { refuse, requireReadableCategory, type ForumReader } from "./access.server";
import { notifyAboutPost, type NotificationContext } from "./notifications.server";
import { renderPost } from "./render.server";
import { markRead, refreshPostVisibility, requireLiveThread } from "./threads.server";

/**
 * Writing in the forum: threads, replies, edits, soft deletes and helpful marks.
 * Each write of several rows is one transaction, with its notification emails queued
 * inside it, so a post and its emails exist together or not at all.
 */

/** Against floods from one account: 30 threads and replies in 10 minutes. Staff are not limited. */
export const POSTING_LIMIT: RateLimit = { bucket: "forum-post", limit: 30, windowMs: 10 * 60 * 1000 };

/**
 * A post refused by POSTING_LIMIT. The forms catch it (`withinPostingLimit`) and show the
 * message above the text the member typed, which stays in the form; nothing is thrown away.
 */
export class PostingLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("posting limit reached");
    this.name = "PostingLimited";
  }

  /** The form's message as an i18n key with its values (translated where the form is shown). */
  get formError() {
    const minutes = Math.max(1, Math.ceil(this.retryAfterSeconds / 60));
    return `forum.rateLimited|${JSON.stringify({ minutes })}`;
  }
}

async function limitPosting(reader: ForumReader) {
  if (reader.staff) return;
  const state = await consumeRateLimit(POSTING_LIMIT, [reader.userId]);
  if (state.limited) throw new PostingLimited(state.retryAfterSeconds);
}

/**
 * Runs a post's write; a refusal by the posting limit becomes the form's reply: 429 with
 * Retry-After, the message, and the submitted fields, so the form shows them again (with and
 * without JavaScript) instead of an error page.
 */
export async function withinPostingLimit<T>(
  submission: { reply: (options: { formErrors: string[] }) => SubmissionResult<string[]> },
  write: () => Promise<T>,
): Promise<{ posted: T } | { refused: ReturnType<typeof data<SubmissionResult<string[]>>> }> {
  try {
    return { posted: await write() };
  } catch (error) {
    if (!(error instanceof PostingLimited)) throw error;
    const refused = data(submission.reply({ formErrors: [error.formError] }), {
      status: 429,
      headers: { "Retry-After": String(error.retryAfterSeconds) },
    });
    return { refused };
  }
}

export async function startThread(reader: ForumReader, categorySlug: string, input: { title: string; body: string }) {
  const { category, access } = await requireReadableCategory(reader, categorySlug);
  if (!access.canPost) throw refuse(reader, "forum.cannotPost");
  await limitPosting(reader);
  const rendered = await renderPost(input.body);
  const now = new Date();
  const { thread, post } = await db.$transaction(async (tx) => {
    const thread = await tx.forumThread.create({
      data: { categoryId: category.id, authorId: reader.userId, title: input.title, lastPostAt: now, createdAt: now },
    });
    const post = await tx.forumPost.create({
      data: {
        threadId: thread.id,
        categoryId: category.id,
        authorId: reader.userId,
        isOpening: true,
        title: input.title,
        body: input.body,
        bodyHtml: rendered.bodyHtml,
        bodyText: rendered.bodyText,
        createdAt: now,
      },
    });
    await markRead(reader.userId, thread.id, now, tx);
    const context: NotificationContext = { author: reader, thread, category, post, bodyText: rendered.bodyText };
    await notifyAboutPost(tx, context, { mentionedUserIds: rendered.mentionedUserIds, isReply: false });
    return { thread, post };
  });
  recordActivity(reader.userId, "POST");
  return { thread, post };
}

export async function replyToThread(reader: ForumReader, threadId: string, input: { body: string }) {
  const { thread, access } = await requireLiveThread(reader, threadId);
  if (!access.canPost) throw refuse(reader, "forum.cannotPost");
  if (thread.lockedAt && !reader.staff) throw refuse(reader, "forum.locked");
  await limitPosting(reader);
  const rendered = await renderPost(input.body);
  const post = await db.$transaction(async (tx) => {
    const now = new Date();
    const post = await tx.forumPost.create({
      data: {
        threadId: thread.id,
        categoryId: thread.categoryId,
        authorId: reader.userId,
        body: input.body,
        bodyHtml: rendered.bodyHtml,
        bodyText: rendered.bodyText,
        createdAt: now,
      },
    });
    await tx.forumThread.update({
      where: { id: thread.id },
      data: { lastPostAt: now, replyCount: { increment: 1 } },
    });
    await markRead(reader.userId, thread.id, now, tx);
    const context: NotificationContext = { author: reader, thread, category: thread.category, post, bodyText: rendered.bodyText };
    await notifyAboutPost(tx, context, { mentionedUserIds: rendered.mentionedUserIds, isReply: true });
    return post;
  });
  recordActivity(reader.userId, "REPLY");
  return post;
}

/**
 * The reader's own post, in a thread they may read. Another member's post is 403, whatever the
 * form sends; with `curatorMayEdit`, staff may edit it too (to redact a leaked secret).
 */
export async function requireOwnPost(reader: ForumReader, postId: string, { curatorMayEdit = false } = {}) {
  const post = await db.forumPost.findUnique({ where: { id: postId } });
  if (!post) throw notFound();
  const { thread, access } = await requireLiveThread(reader, post.threadId);
  if (post.deletedAt) throw new Response(translator(reader.locale)("forum.removed.title"), { status: 410 });
  if (post.authorId !== reader.userId && !(curatorMayEdit && reader.staff)) throw refuse(reader, "forum.notYourPost");
  if (post.hiddenAt && !reader.staff) throw forbidden(translator(reader.locale)("forum.hiddenPost"));
  if (thread.lockedAt && !reader.staff) throw refuse(reader, "forum.locked");
  return { post, thread, access };
}

/** An edit by the author, or by a curator or owner, whose name the post then shows with the edit's time. */
export async function editPost(reader: ForumReader, postId: string, input: { title?: string; body: string }) {
  const { post, thread } = await requireOwnPost(reader, postId, { curatorMayEdit: true });
  const rendered = await renderPost(input.body);
  await db.$transaction(async (tx) => {
    const now = new Date();
    const renamed = post.isOpening && input.title && input.title !== thread.title;
    const updated = await tx.forumPost.update({
      where: { id: post.id },
      data: {
        body: input.body,
        bodyHtml: rendered.bodyHtml,
        bodyText: rendered.bodyText,
        editedAt: now,
        editedById: post.authorId === reader.userId ? null : reader.userId,
        ...(renamed ? { title: input.title } : {}),
      },
    });
    const current = renamed ? await tx.forumThread.update({ where: { id: thread.id }, data: { title: input.title } }) : thread;
    // Staff editing someone's words (to redact a leaked secret) is moderation; the words stay out of the log.
    if (post.authorId !== reader.userId) {
      await recordAudit(tx, {
        actorId: reader.userId,
        action: "forum.moderation",
        subjectType: "ForumPost",
        subjectId: post.id,
        before: { editedAt: post.editedAt?.toISOString() ?? null },
        after: { moderation: "edit", editedAt: now.toISOString(), retitled: Boolean(renamed), threadId: thread.id },
      });
    }
    const context: NotificationContext = { author: reader, thread: current, category: thread.category, post: updated, bodyText: rendered.bodyText };
    // Only members newly mentioned by the edit are told; nobody is told twice.
    await notifyAboutPost(tx, context, { mentionedUserIds: rendered.mentionedUserIds, isReply: false });
  });
  return { threadId: thread.id };
}

/**
 * What deleting this post would do: an opening post that other members have answered is
 * replaced by a note and the thread stays (as Discourse does); an opening post nobody else
 * answered removes the thread; a reply leaves a placeholder. Staff can restore either.
 */
export async function deletionOutcome(post: { id: string; threadId: string; authorId: string; isOpening: boolean }, client: Tx | typeof db = db) {
  if (!post.isOpening) return "reply" as const;
  const othersReplies = await client.forumPost.count({
    where: { threadId: post.threadId, isOpening: false, deletedAt: null, authorId: { not: post.authorId } },
  });
  return othersReplies > 0 ? ("opening-kept" as const) : ("thread" as const);
}

export type DeletionOutcome = Awaited<ReturnType<typeof deletionOutcome>>;

/** Soft delete by the author; nothing anyone else wrote goes with it (see deletionOutcome). */
export async function deletePost(reader: ForumReader, postId: string) {
  const { post, thread } = await requireOwnPost(reader, postId);
  const outcome = await db.$transaction(async (tx) => {
    const now = new Date();
    // Decided inside the transaction, under a lock on the thread, so a reply arriving at the
    // same moment either counts or waits.
    await tx.$executeRaw`SELECT 1 FROM "ForumThread" WHERE id = ${thread.id} FOR UPDATE`;
    const outcome = await deletionOutcome(post, tx);
    const { count } = await tx.forumPost.updateMany({ where: { id: post.id, deletedAt: null }, data: { deletedAt: now } });
    if (outcome === "thread") {
      await tx.forumThread.update({ where: { id: thread.id }, data: { deletedAt: now } });
    } else if (outcome === "reply" && count && !post.hiddenAt) {
      await tx.forumThread.update({ where: { id: thread.id }, data: { replyCount: { decrement: 1 } } });
    }
    await refreshPostVisibility(tx, thread.id);
    return outcome;
  });
  return { threadId: thread.id, categorySlug: thread.category.slug, outcome };
}

/**
 * "Marked helpful" on a reply: one mark per member, whatever the number of concurrent
 * requests; the primary key (postId, userId) keeps the second insert out.
 */
export async function setHelpful(reader: ForumReader, postId: string, helpful: boolean) {
  const post = await db.forumPost.findUnique({ where: { id: postId } });
  if (!post) throw notFound();
  const { thread } = await requireLiveThread(reader, post.threadId);
  if (post.deletedAt || (post.hiddenAt && !reader.staff)) throw notFound();
  if (post.isOpening) throw forbidden(translator(reader.locale)("forum.helpfulRepliesOnly"));
  if (post.authorId === reader.userId) throw refuse(reader, "forum.ownPostHelpful");
  if (helpful && post.hiddenAt) throw refuse(reader, "forum.helpfulHidden");
  if (helpful) {
    await db.forumHelpfulMark.createMany({ data: [{ postId, userId: reader.userId }], skipDuplicates: true });
  } else {
    await db.forumHelpfulMark.deleteMany({ where: { postId, userId: reader.userId } });
  }
  return { threadId: thread.id };
}

export async function helpfulCount(postId: string): Promise<number> {
  return db.forumHelpfulMark.count({ where: { postId } });
}
