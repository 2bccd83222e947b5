import { forbidden, notFound } from "~/auth/guards.server";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import type { ForumReport, User } from "~/generated/prisma/client";
import { translator, type Locale } from "~/i18n/dictionary";
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
  const existing = await db.forumReport.findUnique({ where: { postId_reporterId: { postId, reporterId: reader.userId } } });
  const readable = !(removed || post.deletedAt || (post.hiddenAt && !reader.staff));
  // The reporter still sees what became of their report once the post is hidden or gone.
  if (!readable && !existing) throw notFound();
  return { post, thread, readable, alreadyReported: Boolean(existing), outcome: existing ? reportOutcome(existing) : null };
}

/** What the reporter is told: still open, or resolved on a date, the post hidden or kept, with the curator's note. */
export type ReportOutcome = { status: "OPEN" } | { status: "RESOLVED"; resolvedAt: Date; postHidden: boolean; note: string | null };

function reportOutcome(report: ForumReport): ReportOutcome {
  if (report.status !== "RESOLVED" || !report.resolvedAt) return { status: "OPEN" };
  return { status: "RESOLVED", resolvedAt: report.resolvedAt, postHidden: report.postHidden, note: report.resolutionNote };
}

export async function reportPost(reader: ForumReader, postId: string, reason: string) {
  const { post, thread, alreadyReported, readable } = await reportablePost(reader, postId);
  if (alreadyReported || !readable) return { created: false, threadId: thread.id, postId: post.id };
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

/**
 * Resolves an open report once, with who, when and a note. A second resolution is 409.
 * The reporter is told the outcome by email, in their language, in the same transaction, and
 * sees it on the report's page (`reportablePost`).
 */
export async function resolveReport(reader: ForumReader, reportId: string, note: string, hidePost: boolean) {
  if (!reader.staff) throw forbidden(translator(reader.locale)("forum.staffOnly"));
  return db.$transaction(async (tx) => {
    const report = await tx.forumReport.findUnique({
      where: { id: reportId },
      include: { reporter: true, post: { select: { hiddenAt: true, thread: { select: { title: true } } } } },
    });
    if (!report) throw notFound();
    const postHidden = hidePost || Boolean(report.post.hiddenAt);
    const { count } = await tx.forumReport.updateMany({
      where: { id: reportId, status: "OPEN" },
      data: { status: "RESOLVED", resolvedById: reader.userId, resolvedAt: new Date(), resolutionNote: note, postHidden },
    });
    if (!count) throw new Response(translator(reader.locale)("reports.alreadyResolved"), { status: 409 });
    // The note is the staff member's words to the reporter; the log keeps the outcome.
    await recordAudit(tx, {
      actorId: reader.userId,
      action: "forum.report",
      subjectType: "ForumReport",
      subjectId: reportId,
      before: { status: "OPEN" },
      after: { status: "RESOLVED", postId: report.postId, postHidden },
    });
    if (hidePost) await setPostHidden(reader, report.postId, true, tx);
    await tellReporter(tx, report.reporter, { postId: report.postId, title: report.post.thread.title, postHidden, note });
    return report;
  });
}

async function tellReporter(tx: Tx, reporter: User, outcome: { postId: string; title: string; postHidden: boolean; note: string }) {
  if (reporter.deactivatedAt) return;
  const locale = reporter.locale as Locale;
  const t = translator(locale);
  const decision = t(outcome.postHidden ? "forum.reportOutcome.hidden" : "forum.reportOutcome.kept");
  const note = outcome.note ? t("forum.reportOutcome.note", { note: outcome.note }) : "";
  await queueEmail(
    {
      to: reporter.email,
      locale,
      userId: reporter.id,
      template: "forum-report-outcome",
      subject: t("forum.reportOutcome.subject", { title: outcome.title }),
      text: [t("forum.reportOutcome.email", { title: outcome.title }), decision, note].filter(Boolean).join("\n\n"),
      action: { label: t("forum.reportOutcome.open"), url: new URL(`/forum/p/${outcome.postId}/report`, env().APP_URL).toString() },
    },
    tx,
  );
}
