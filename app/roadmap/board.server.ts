import type { Prisma, RoadmapStatus } from "~/generated/prisma/client";
import { db, readDb } from "~/db.server";
import { BOARD_SORTS, ROADMAP_STATUSES, SEARCH_MAX, type BoardSort } from "./forms";

export const BOARD_PAGE_SIZE = 20;

export type BoardQuery = { status: RoadmapStatus | null; sort: BoardSort; q: string; page: number };

/** Reads the board's filters from the address; anything unknown falls back to the default. */
export function parseBoardQuery(url: URL): BoardQuery {
  const status = url.searchParams.get("status");
  const sort = url.searchParams.get("sort");
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return {
    status: (ROADMAP_STATUSES as readonly string[]).includes(status ?? "") ? (status as RoadmapStatus) : null,
    sort: (BOARD_SORTS as readonly string[]).includes(sort ?? "") ? (sort as BoardSort) : "weighted",
    q: (url.searchParams.get("q") ?? "").trim().slice(0, SEARCH_MAX),
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
  };
}

const ORDER: Record<BoardSort, Prisma.RoadmapItemOrderByWithRelationInput[]> = {
  weighted: [{ weightedVotes: "desc" }, { voteCount: "desc" }, { createdAt: "desc" }, { id: "asc" }],
  votes: [{ voteCount: "desc" }, { weightedVotes: "desc" }, { createdAt: "desc" }, { id: "asc" }],
  newest: [{ createdAt: "desc" }, { id: "asc" }],
  changed: [{ statusChangedAt: "desc" }, { id: "asc" }],
  status: [{ status: "asc" }, { weightedVotes: "desc" }, { createdAt: "desc" }, { id: "asc" }],
};

/**
 * One page of the board. Totals are the items' own counters (voteCount, weightedVotes),
 * kept in step with the votes, so reading the board never touches the votes table except
 * to find the viewer's own votes among the twenty items shown (primary key lookups).
 * The items come from the read replica when there is one; the viewer's own votes from the
 * primary, so a vote just cast shows at once.
 */
export async function listBoard(query: BoardQuery, viewerId: string) {
  const search: Prisma.RoadmapItemWhereInput = query.q
    ? {
        OR: [
          { title: { contains: query.q, mode: "insensitive" } },
          { descriptionMd: { contains: query.q, mode: "insensitive" } },
        ],
      }
    : {};
  const live: Prisma.RoadmapItemWhereInput = { mergedIntoId: null, ...search };
  const where: Prisma.RoadmapItemWhereInput = query.status ? { ...live, status: query.status } : live;
  const [items, byStatus] = await Promise.all([
    readDb.roadmapItem.findMany({
      where,
      orderBy: ORDER[query.sort],
      skip: (query.page - 1) * BOARD_PAGE_SIZE,
      take: BOARD_PAGE_SIZE,
      select: {
        id: true,
        title: true,
        summary: true,
        status: true,
        targetQuarter: true,
        voteCount: true,
        weightedVotes: true,
        createdAt: true,
        statusChangedAt: true,
        _count: { select: { comments: { where: { deletedAt: null } } } },
      },
    }),
    readDb.roadmapItem.groupBy({ by: ["status"], where: live, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(ROADMAP_STATUSES.map((s) => [s, 0])) as Record<RoadmapStatus, number>;
  for (const row of byStatus) counts[row.status] = row._count._all;
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const mine = items.length
    ? await db.roadmapVote.findMany({
        where: { userId: viewerId, itemId: { in: items.map((i) => i.id) } },
        select: { itemId: true, weight: true },
      })
    : [];
  const myVotes = new Map(mine.map((v) => [v.itemId, v.weight]));
  return {
    items: items.map(({ _count, ...item }) => ({
      ...item,
      comments: _count.comments,
      myVoteWeight: myVotes.get(item.id) ?? null,
    })),
    counts,
    total,
    pages: Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE)),
  };
}

/** Names of the tiers whose members vote, for the note shown to everyone else. */
export function votingTiers() {
  return readDb.tier.findMany({
    where: { canVote: true, archivedAt: null },
    orderBy: { position: "asc" },
    select: { nameEn: true, nameRu: true, voteWeight: true },
  });
}

/** Whether the viewer's own earlier votes count now (false once they lost a voting tier). */
export async function viewerStanding(userId: string) {
  const voter = await db.roadmapVoter.findUnique({ where: { userId }, select: { counting: true } });
  return voter ? voter.counting : null;
}
