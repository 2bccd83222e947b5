import type { RoadmapStatus, User } from "~/generated/prisma/client";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import { markdownToText, renderMarkdown } from "~/markdown/markdown.server";
import { lockVotesExclusive } from "./standing.server";
import { recountItems } from "./votes.server";
import { notifyOfStatusChange, notifyVotersOfMerge } from "./notifications.server";

const SUMMARY_MAX = 240;

/** The HTML of a description, and its opening paragraph as plain text for the board. */
export function described(markdown: string | undefined) {
  const descriptionMd = markdown ?? "";
  const opening = descriptionMd.split(/\n\s*\n/).find((block) => block.trim()) ?? "";
  const text = markdownToText(opening);
  return {
    descriptionMd,
    descriptionHtml: renderMarkdown(descriptionMd),
    summary: text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : text,
  };
}

export type ItemInput = {
  title: string;
  description?: string;
  status?: RoadmapStatus;
  targetQuarter?: string;
};

/**
 * Creates an item with the first row of its status history. Curators and owners choose
 * the status; a member's suggestion always starts under review (see suggestItem).
 */
export async function createItem(input: ItemInput, authorId: string, at = new Date()) {
  const status = input.status ?? "UNDER_REVIEW";
  return db.$transaction(async (tx) => {
    const item = await tx.roadmapItem.create({
      data: {
        title: input.title,
        ...described(input.description),
        status,
        targetQuarter: input.targetQuarter ?? null,
        authorId,
        statusChangedAt: at,
        createdAt: at,
      },
    });
    await tx.roadmapStatusChange.create({
      data: { itemId: item.id, fromStatus: null, toStatus: status, changedById: authorId, createdAt: at },
    });
    return item;
  });
}

/** A member's suggestion: it lands under review, with them as its author. */
export function suggestItem(input: { title: string; description?: string }, authorId: string) {
  return createItem({ title: input.title, description: input.description, status: "UNDER_REVIEW" }, authorId);
}

/** A staff edit of an item (members suggest, staff edit); the log keeps the title and quarter before and after. */
export async function updateItem(itemId: string, input: Omit<ItemInput, "status">, actorId: string) {
  return db.$transaction(async (tx) => {
    const existing = await tx.roadmapItem.findUnique({ where: { id: itemId }, select: { mergedIntoId: true, title: true, targetQuarter: true, descriptionMd: true } });
    if (!existing) return { ok: false as const, reason: "not-found" as const };
    if (existing.mergedIntoId) return { ok: false as const, reason: "merged" as const };
    const updated = await tx.roadmapItem.update({
      where: { id: itemId },
      data: { title: input.title, ...described(input.description), targetQuarter: input.targetQuarter ?? null },
    });
    await recordAudit(tx, {
      actorId,
      action: "roadmap.moderation",
      subjectType: "RoadmapItem",
      subjectId: itemId,
      before: { title: existing.title, targetQuarter: existing.targetQuarter },
      after: { moderation: "edit", title: updated.title, targetQuarter: updated.targetQuarter, descriptionChanged: existing.descriptionMd !== updated.descriptionMd },
    });
    return { ok: true as const };
  });
}

export type StatusChangeRefusal = "not-found" | "merged" | "unchanged";

/**
 * Moves an item to another status: records it in the history and queues the notification
 * of its voters (then its author), all in one transaction. The item row is locked first, so
 * votes in flight finish before the change is recorded; the voters are those who voted by
 * then. Telling them is one fan-out job (app/notifications), expanded after the commit.
 */
export async function changeItemStatus(
  itemId: string,
  to: RoadmapStatus,
  { note = null, actorId }: { note?: string | null; actorId: string },
): Promise<{ ok: true; notified: number } | { ok: false; reason: StatusChangeRefusal }> {
  return db.$transaction(
    async (tx) => {
      const [item] = await tx.$queryRaw<Array<{ id: string; title: string; status: RoadmapStatus; mergedIntoId: string | null; authorId: string | null }>>`
        SELECT "id", "title", "status", "mergedIntoId", "authorId" FROM "RoadmapItem" WHERE "id" = ${itemId} FOR UPDATE`;
      if (!item) return { ok: false as const, reason: "not-found" as const };
      if (item.mergedIntoId) return { ok: false as const, reason: "merged" as const };
      if (item.status === to) return { ok: false as const, reason: "unchanged" as const };
      const now = new Date();
      await tx.roadmapItem.update({ where: { id: itemId }, data: { status: to, statusChangedAt: now } });
      await tx.roadmapStatusChange.create({
        data: { itemId, fromStatus: item.status, toStatus: to, note: note || null, changedById: actorId, createdAt: now },
      });
      await recordAudit(tx, { actorId, action: "roadmap.moderation", subjectType: "RoadmapItem", subjectId: itemId, before: { status: item.status }, after: { moderation: "status", status: to } });
      const [{ voters, authorVoted }] = await tx.$queryRaw<Array<{ voters: number; authorVoted: boolean }>>`
        SELECT count(*)::int AS "voters", coalesce(bool_or(v."userId" = ${item.authorId}), false) AS "authorVoted"
        FROM "RoadmapVote" v JOIN "User" u ON u."id" = v."userId"
        WHERE v."itemId" = ${itemId} AND u."deactivatedAt" IS NULL`;
      const author = item.authorId && item.authorId !== actorId && !authorVoted ? { userId: item.authorId } : null;
      await notifyOfStatusChange(tx, item, { from: item.status, to, note: note || null, at: now }, author);
      return { ok: true as const, notified: voters };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

export type MergeRefusal = "not-found" | "target-not-found" | "same" | "merged" | "target-merged";

/**
 * Merges the duplicate `fromId` into `intoId`, in one transaction: its votes move over
 * (a member who voted for both keeps the one vote they already had on the target, so
 * each member is counted once), its comments move over, items merged into it earlier now
 * point at the target, and it becomes a redirect with a "merged" note. The target's
 * totals are recounted from its votes while the votes lock is held alone.
 */
export async function mergeItems(
  fromId: string,
  intoId: string,
  actorId: string,
): Promise<{ ok: true; moved: number; duplicates: number } | { ok: false; reason: MergeRefusal }> {
  if (fromId === intoId) return { ok: false, reason: "same" };
  return db.$transaction(
    async (tx) => {
      await lockVotesExclusive(tx);
      const rows = await tx.$queryRaw<Array<{ id: string; title: string; status: RoadmapStatus; mergedIntoId: string | null }>>`
        SELECT "id", "title", "status", "mergedIntoId" FROM "RoadmapItem" WHERE "id" IN (${fromId}, ${intoId}) ORDER BY "id" FOR UPDATE`;
      const from = rows.find((r) => r.id === fromId);
      const into = rows.find((r) => r.id === intoId);
      if (!from) return { ok: false as const, reason: "not-found" as const };
      if (!into) return { ok: false as const, reason: "target-not-found" as const };
      if (from.mergedIntoId) return { ok: false as const, reason: "merged" as const };
      if (into.mergedIntoId) return { ok: false as const, reason: "target-merged" as const };

      const voters = await tx.$queryRaw<Array<{ userId: string }>>`
        SELECT v."userId" FROM "RoadmapVote" v WHERE v."itemId" = ${fromId} ORDER BY v."createdAt", v."userId"`;
      const moved = await tx.$executeRaw`
        UPDATE "RoadmapVote" SET "itemId" = ${intoId}
        WHERE "itemId" = ${fromId}
          AND "userId" NOT IN (SELECT "userId" FROM "RoadmapVote" WHERE "itemId" = ${intoId})`;
      const duplicates = await tx.$executeRaw`DELETE FROM "RoadmapVote" WHERE "itemId" = ${fromId}`;
      await tx.roadmapComment.updateMany({ where: { itemId: fromId }, data: { itemId: intoId } });
      await tx.roadmapItem.updateMany({ where: { mergedIntoId: fromId }, data: { mergedIntoId: intoId } });
      await tx.roadmapItem.update({
        where: { id: fromId },
        data: { mergedIntoId: intoId, mergedAt: new Date(), mergedById: actorId, voteCount: 0, weightedVotes: 0 },
      });
      await recountItems(tx, [intoId]);
      // The target's history says what was merged into it, and by whom; its status stays.
      await tx.roadmapStatusChange.create({
        data: { itemId: intoId, fromStatus: into.status, toStatus: into.status, changedById: actorId, mergedFromId: fromId, mergedFromTitle: from.title },
      });
      await recordAudit(tx, {
        actorId,
        action: "roadmap.moderation",
        subjectType: "RoadmapItem",
        subjectId: fromId,
        before: { mergedIntoId: null, voteCount: voters.length },
        after: { moderation: "merge", mergedIntoId: intoId, votesMoved: moved, duplicateVotes: duplicates },
      });
      await notifyVotersOfMerge(tx, from, into, voters.map((v) => v.userId));
      return { ok: true as const, moved, duplicates };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Where a merged item's page sends its visitors: the live item at the end of the chain. */
export async function mergeDestination(itemId: string): Promise<string | null> {
  let id = itemId;
  for (let hops = 0; hops < 20; hops += 1) {
    const item = await db.roadmapItem.findUnique({ where: { id }, select: { mergedIntoId: true } });
    if (!item) return null;
    if (!item.mergedIntoId) return id === itemId ? null : id;
    id = item.mergedIntoId;
  }
  return id;
}

export async function addComment(itemId: string, authorId: string, body: string) {
  const item = await db.roadmapItem.findUnique({ where: { id: itemId }, select: { mergedIntoId: true } });
  if (!item) return { ok: false as const, reason: "not-found" as const };
  if (item.mergedIntoId) return { ok: false as const, reason: "merged" as const };
  const comment = await db.roadmapComment.create({
    data: { itemId, authorId, bodyMd: body, bodyHtml: renderMarkdown(body) },
  });
  return { ok: true as const, comment };
}

/** Authors edit their own comments (marked as edited); nobody else does. */
export async function ownComment(commentId: string, viewer: Pick<User, "id">, itemId: string) {
  const comment = await db.roadmapComment.findUnique({ where: { id: commentId } });
  if (!comment || comment.itemId !== itemId || comment.deletedAt) return { ok: false as const, reason: "not-found" as const };
  if (comment.authorId !== viewer.id) return { ok: false as const, reason: "forbidden" as const };
  return { ok: true as const, comment };
}

export async function editComment(commentId: string, viewer: Pick<User, "id">, itemId: string, body: string) {
  const own = await ownComment(commentId, viewer, itemId);
  if (!own.ok) return own;
  await db.roadmapComment.update({ where: { id: commentId }, data: { bodyMd: body, bodyHtml: renderMarkdown(body), editedAt: new Date() } });
  return { ok: true as const };
}

/** Authors delete their own comments, curators and owners any; deletion is soft. */
export async function deleteComment(commentId: string, viewer: Pick<User, "id" | "role">, itemId: string) {
  const comment = await db.roadmapComment.findUnique({ where: { id: commentId } });
  if (!comment || comment.itemId !== itemId || comment.deletedAt) return { ok: false as const, reason: "not-found" as const };
  const staff = viewer.role === "OWNER" || viewer.role === "CURATOR";
  if (comment.authorId !== viewer.id && !staff) return { ok: false as const, reason: "forbidden" as const };
  await db.$transaction(async (tx) => {
    await tx.roadmapComment.update({ where: { id: commentId }, data: { deletedAt: new Date() } });
    // An author deleting their own words is no staff action; staff removing someone's is.
    if (comment.authorId !== viewer.id) {
      await recordAudit(tx, { actorId: viewer.id, action: "roadmap.moderation", subjectType: "RoadmapComment", subjectId: commentId, before: { deleted: false }, after: { moderation: "hide-comment", deleted: true, itemId } });
    }
  });
  return { ok: true as const };
}

/**
 * How many voters the item page lists (the first, in vote order); the heading gives the
 * total. An item with 10,000 voters would otherwise send and render every one of them on
 * each view and after each status change (scripts/bench.ts, the status-change row).
 */
export const VOTERS_LISTED = 100;

/** Everything the item page shows. */
export async function getItemPage(itemId: string, viewerId: string) {
  const item = await db.roadmapItem.findUnique({
    where: { id: itemId },
    include: {
      author: { select: { id: true, name: true } },
      mergedItems: { select: { id: true, title: true, mergedAt: true }, orderBy: { mergedAt: "asc" } },
      statusChanges: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          fromStatus: true,
          toStatus: true,
          note: true,
          createdAt: true,
          mergedFromTitle: true,
          changedBy: { select: { name: true } },
        },
      },
      comments: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, bodyMd: true, bodyHtml: true, createdAt: true, editedAt: true, deletedAt: true, author: { select: { id: true, name: true } } },
      },
    },
  });
  if (!item) return null;
  const [votes, myVote, [tally]] = await Promise.all([
    db.roadmapVote.findMany({
      where: { itemId },
      orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
      take: VOTERS_LISTED,
      select: {
        weight: true,
        createdAt: true,
        user: { select: { id: true, name: true, company: true, roadmapVoter: { select: { counting: true } } } },
      },
    }),
    db.roadmapVote.findUnique({
      where: { itemId_userId: { itemId, userId: viewerId } },
      select: { weight: true, user: { select: { roadmapVoter: { select: { counting: true } } } } },
    }),
    // Every voter, and those whose votes do not count now, counted in SQL, not listed.
    db.$queryRaw<Array<{ voters: number; lapsed: number }>>`
      SELECT count(*)::int AS "voters", count(*) FILTER (WHERE rv."counting" = false)::int AS "lapsed"
      FROM "RoadmapVote" v LEFT JOIN "RoadmapVoter" rv ON rv."userId" = v."userId"
      WHERE v."itemId" = ${itemId}`,
  ]);
  return {
    item,
    // A deleted comment is a placeholder: its text and author never leave the server.
    // Only the author gets the Markdown back, to edit it.
    comments: item.comments.map(({ bodyMd, ...comment }) =>
      comment.deletedAt ? { ...comment, bodyHtml: "", bodyMd: null, author: null } : { ...comment, bodyMd: comment.author?.id === viewerId ? bodyMd : null },
    ),
    voters: votes.map((v) => ({
      id: v.user.id,
      name: v.user.name,
      company: v.user.company,
      weight: v.weight,
      counting: v.user.roadmapVoter?.counting ?? true,
    })),
    voterCount: tally.voters,
    lapsedVoters: tally.lapsed,
    myVote: myVote ? { weight: myVote.weight, counting: myVote.user.roadmapVoter?.counting ?? true } : null,
  };
}

/** The items an owner can merge this one into: every other live item. */
export function mergeTargets(itemId: string) {
  return db.roadmapItem.findMany({
    where: { mergedIntoId: null, id: { not: itemId } },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, status: true },
  });
}
