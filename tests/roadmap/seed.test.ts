import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { seedFoundation } from "../../prisma/seed/foundation";
import { seedRoadmap } from "../../prisma/seed/roadmap";

describe("the demo roadmap", () => {
  it("is a believable board, with totals that match its votes, and seeding twice changes nothing", async () => {
    await seedFoundation();
    await seedRoadmap();

    const items = await db.roadmapItem.findMany({ where: { mergedIntoId: null } });
    expect(items.length).toBeGreaterThanOrEqual(38);
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(["UNDER_REVIEW", "PLANNED", "IN_PROGRESS", "SHIPPED", "DECLINED"]));
    expect(items.some((i) => /[а-я]/i.test(i.title))).toBe(true);
    expect(await db.roadmapItem.count({ where: { mergedIntoId: { not: null } } })).toBeGreaterThanOrEqual(1);

    // Only Private Clients voted, and their votes are spread over the year.
    const voters = await db.roadmapVote.findMany({ distinct: ["userId"], select: { user: { select: { email: true } } } });
    expect(voters.map((v) => v.user.email).sort()).toEqual(
      ["dmitry.orlov@example.com", "irina.petrova@example.com", "owner@coterie.club", "sarah.chen@example.com"].sort(),
    );
    const months = await db.$queryRaw<Array<{ months: number }>>`
      SELECT count(DISTINCT date_trunc('month', "createdAt"))::int AS months FROM "RoadmapVote"`;
    expect(months[0].months).toBeGreaterThanOrEqual(9);

    // Every counter equals what its votes add up to.
    const mismatched = await db.$queryRaw<Array<{ id: string }>>`
      SELECT i."id" FROM "RoadmapItem" i
      LEFT JOIN (SELECT v."itemId", count(*)::int AS n, sum(v."weight") FILTER (WHERE r."counting")::int AS w
                 FROM "RoadmapVote" v JOIN "RoadmapVoter" r ON r."userId" = v."userId" GROUP BY v."itemId") t ON t."itemId" = i."id"
      WHERE i."voteCount" <> COALESCE(t.n, 0) OR i."weightedVotes" <> COALESCE(t.w, 0)`;
    expect(mismatched).toEqual([]);

    // Shipped items went through the workflow, with dates in order.
    const shipped = await db.roadmapItem.findFirstOrThrow({
      where: { status: "SHIPPED", mergedIntoId: null },
      include: { statusChanges: { orderBy: { createdAt: "asc" } } },
    });
    expect(shipped.statusChanges.at(-1)?.toStatus).toBe("SHIPPED");
    expect(shipped.statusChanges.length).toBeGreaterThanOrEqual(3);

    const before = await Promise.all([db.roadmapItem.count(), db.roadmapVote.count(), db.roadmapStatusChange.count(), db.roadmapComment.count()]);
    const started = Date.now();
    await seedRoadmap();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await Promise.all([db.roadmapItem.count(), db.roadmapVote.count(), db.roadmapStatusChange.count(), db.roadmapComment.count()])).toEqual(before);
  });
});
