import { Prisma, type RoadmapStatus } from "~/generated/prisma/client";
import { db, readDb } from "~/db.server";
import { withoutNul } from "~/ui/visible-text";
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
    q: withoutNul(url.searchParams.get("q") ?? "").trim().slice(0, SEARCH_MAX),
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
  };
}

// Fixed SQL per sort (never built from input); ties end on the id so pages never overlap.
const ORDER: Record<BoardSort, Prisma.Sql> = {
  weighted: Prisma.sql`i."weightedVotes" DESC, i."voteCount" DESC, i."createdAt" DESC, i."id"`,
  votes: Prisma.sql`i."voteCount" DESC, i."weightedVotes" DESC, i."createdAt" DESC, i."id"`,
  newest: Prisma.sql`i."createdAt" DESC, i."id"`,
  changed: Prisma.sql`i."statusChangedAt" DESC, i."id"`,
  status: Prisma.sql`i."status", i."weightedVotes" DESC, i."createdAt" DESC, i."id"`,
};

/** `text` for ILIKE, with its wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type BoardItem = {
  id: string;
  title: string;
  summary: string;
  status: RoadmapStatus;
  targetQuarter: string | null;
  voteCount: number;
  weightedVotes: number;
  createdAt: string;
  statusChangedAt: string;
  comments: number;
  myVoteWeight: number | null;
};

type BoardRow = {
  items: Array<Omit<BoardItem, "myVoteWeight">> | null;
  counts: Partial<Record<RoadmapStatus, number>> | null;
  tiers: Array<{ nameEn: string; nameRu: string; voteWeight: number }> | null;
};

/**
 * One page of the board, in two statements run side by side:
 *  - the page of items with their comment counts, the count of items per status and the
 *    tiers that vote, in one query (on the read replica when there is one). Totals are
 *    the items' own counters (voteCount, weightedVotes), kept in step with the votes, so
 *    the board never reads the votes table to show them; the twenty rows come from a
 *    top-N sort of RoadmapItem (indexes on status and on each sort key);
 *  - the viewer's own votes and standing, from the primary, so a vote just cast shows at
 *    once (RoadmapVote_userId_itemId_idx).
 */
export async function listBoard(query: BoardQuery, viewerId: string) {
  const search = query.q
    ? Prisma.sql`AND (i."title" ILIKE ${containing(query.q)} OR i."descriptionMd" ILIKE ${containing(query.q)})`
    : Prisma.empty;
  const status = query.status ? Prisma.sql`AND i."status" = ${query.status}::"RoadmapStatus"` : Prisma.empty;
  const [[board], mine] = await Promise.all([
    readDb.$replica().$queryRaw<BoardRow[]>`
      WITH live AS NOT MATERIALIZED (SELECT i.* FROM "RoadmapItem" i WHERE i."mergedIntoId" IS NULL ${search})
      SELECT
        (SELECT json_agg(p) FROM (
          SELECT i."id", i."title", i."summary", i."status", i."targetQuarter", i."voteCount", i."weightedVotes",
                 i."createdAt" AT TIME ZONE 'UTC' AS "createdAt", i."statusChangedAt" AT TIME ZONE 'UTC' AS "statusChangedAt",
                 (SELECT count(*) FROM "RoadmapComment" c WHERE c."itemId" = i."id" AND c."deletedAt" IS NULL)::int AS "comments"
          FROM live i WHERE true ${status}
          ORDER BY ${ORDER[query.sort]}
          LIMIT ${BOARD_PAGE_SIZE} OFFSET ${(query.page - 1) * BOARD_PAGE_SIZE}) p) AS "items",
        (SELECT json_object_agg(s."status", s."n") FROM (SELECT i."status", count(*)::int AS "n" FROM live i GROUP BY i."status") s) AS "counts",
        (SELECT json_agg(t ORDER BY t."position") FROM (
          SELECT "nameEn", "nameRu", "voteWeight", "position" FROM "Tier" WHERE "canVote" AND "archivedAt" IS NULL) t) AS "tiers"`,
    // One row, the votes as one JSON object: a voter may hold hundreds of votes.
    db.$queryRaw<Array<{ votes: Record<string, number>; counting: boolean }>>`
      SELECT r."counting", (SELECT coalesce(json_object_agg(v."itemId", v."weight"), '{}') FROM "RoadmapVote" v WHERE v."userId" = r."userId") AS votes
      FROM "RoadmapVoter" r WHERE r."userId" = ${viewerId}`,
  ]);
  const counts = Object.fromEntries(ROADMAP_STATUSES.map((s) => [s, board.counts?.[s] ?? 0])) as Record<RoadmapStatus, number>;
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const myVotes = mine[0]?.votes ?? {};
  return {
    items: (board.items ?? []).map((item): BoardItem => ({ ...item, myVoteWeight: myVotes[item.id] ?? null })),
    counts,
    total,
    pages: Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE)),
    votingTiers: (board.tiers ?? []).map(({ nameEn, nameRu, voteWeight }) => ({ nameEn, nameRu, voteWeight })),
    /** Whether the viewer's own votes count now; null before their first vote. */
    viewerCounting: mine[0]?.counting ?? null,
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
