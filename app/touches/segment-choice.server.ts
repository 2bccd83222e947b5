import type { Prisma } from "~/generated/prisma/client";
import { getSegment, listSegments, segmentMembersSql } from "~/segments/segments.server";

/** The segment select of the NPS comment feed and of the at-risk list (and its CSV): helper A's segments, app/segments. */

/**
 * A saved segment's members now, as a subquery for `… IN (…)`, or null for every member; `ok`
 * false when there is no such segment.
 */
export async function segmentRestriction(segmentId: string | undefined, now: Date): Promise<{ ok: true; members: Prisma.Sql | null } | { ok: false }> {
  if (!segmentId) return { ok: true, members: null };
  const segment = await getSegment(segmentId);
  if (!segment) return { ok: false };
  return { ok: true, members: segmentMembersSql(segment.filter, now) };
}

/** The choices of the feed's and the at-risk list's segment select. */
export async function segmentOptions() {
  return (await listSegments()).map((segment) => ({ id: segment.id, name: segment.name }));
}
