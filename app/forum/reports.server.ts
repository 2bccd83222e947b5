import { forbidden, notFound } from "~/auth/guards.server";
import { db } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import type { ForumReader } from "./access.server";
import { setPostHidden } from "./moderation.server";
import { paginate } from "./pagination";
import { findReadableThread } from "./threads.server";

/**
 * Reports of posts: a member reports a post they can read, once; staff resolve each
 * report at /admin/reports with a note, optionally hiding the post in the same step.
 */
export async function reportablePost(reader: ForumReader, postId: string) {
  const post = await db.forumPost.findUnique({ where: { id: postId }, include: { author: { select: { name: true } } } });
  if (!post) throw notFound();
  const { thread, removed } = await findReadableThread(reader, post.threadId);
  if (removed || post.deletedAt || (post.hiddenAt && !reader.staff)) throw notFound();
  const existing = await db.forumReport.findUnique({ where: { postId_reporterId: { postId, reporterId: reader.userId } } });
  return { post, thread, alreadyReported: Boolean(existing) };
}

export async function reportPost(reader: ForumReader, postId: string, reason: string) {
  const { post, thread, alreadyReported } = await reportablePost(reader, postId);
  if (alreadyReported) return { created: false, threadId: thread.id, postId: post.id };
  const { count } = await db.forumReport.createMany({
    data: [{ postId, reporterId: reader.userId, reason }],
    skipDuplicates: true,
  });
  return { created: count > 0, threadId: thread.id, postId: post.id };
}

export const REPORTS_PER_PAGE = 20;

export async function reportQueue(status: "OPEN" | "RESOLVED", page: number) {
  const total = await db.forumReport.count({ where: { status } });
  const pagination = paginate(total, page, REPORTS_PER_PAGE);
  const reports = await db.forumReport.findMany({
    where: { status },
    orderBy: status === "OPEN" ? [{ createdAt: "asc" }, { id: "asc" }] : [{ resolvedAt: "desc" }, { id: "asc" }],
    skip: (pagination.page - 1) * REPORTS_PER_PAGE,
    take: REPORTS_PER_PAGE,
    include: {
      reporter: { select: { id: true, name: true } },
      resolvedBy: { select: { id: true, name: true } },
      post: {
        select: {
          id: true,
          bodyText: true,
          isOpening: true,
          hiddenAt: true,
          deletedAt: true,
          createdAt: true,
          author: { select: { id: true, name: true } },
          thread: { select: { id: true, title: true, hiddenAt: true, deletedAt: true } },
        },
      },
    },
  });
  return { reports, pagination };
}

export async function openReportCount(): Promise<number> {
  return db.forumReport.count({ where: { status: "OPEN" } });
}

/** Resolves an open report once, with who, when and a note. A second resolution is 409. */
export async function resolveReport(reader: ForumReader, reportId: string, note: string, hidePost: boolean) {
  if (!reader.staff) throw forbidden(translator(reader.locale)("forum.staffOnly"));
  return db.$transaction(async (tx) => {
    const report = await tx.forumReport.findUnique({ where: { id: reportId } });
    if (!report) throw notFound();
    const { count } = await tx.forumReport.updateMany({
      where: { id: reportId, status: "OPEN" },
      data: { status: "RESOLVED", resolvedById: reader.userId, resolvedAt: new Date(), resolutionNote: note },
    });
    if (!count) throw new Response(translator(reader.locale)("reports.alreadyResolved"), { status: 409 });
    if (hidePost) await setPostHidden(reader, report.postId, true, tx);
    return report;
  });
}
