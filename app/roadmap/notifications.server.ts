import type { RoadmapStatus } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { getClubSettings } from "~/club.server";
import { notifyAudience } from "~/notifications/notify.server";

type ItemRef = { id: string; title: string };

const itemPath = (itemId: string) => `/roadmap/${itemId}`;

/**
 * Tells each voter of an item (in the order they voted) that it changed status, then the
 * member who suggested it when they neither voted for it nor made the change. Inside the
 * change's transaction this only queues ONE fan-out job; the worker tells the members,
 * so a popular item changes status as fast as any other.
 */
export async function notifyOfStatusChange(
  tx: Tx,
  item: ItemRef,
  change: { from: RoadmapStatus; to: RoadmapStatus; note: string | null; at: Date },
  author: { userId: string } | null,
) {
  const club = await getClubSettings({ tx });
  const values = { title: item.title, club: club.name, from: change.from, to: change.to, note: change.note };
  await notifyAudience(
    tx,
    {
      type: "roadmap-voters",
      itemId: item.id,
      votedBy: change.at.toISOString(),
      ...(author ? { then: { userId: author.userId, values: { ...values, audience: "author" as const } } } : {}),
    },
    { kind: "ROADMAP_STATUS", values: { ...values, audience: "voter" }, url: itemPath(item.id) },
  );
}

/** Tells the voters of a duplicate (listed before their votes moved) where their vote went. */
export async function notifyVotersOfMerge(tx: Tx, from: ItemRef, into: ItemRef, voterIds: string[]) {
  if (!voterIds.length) return;
  await notifyAudience(
    tx,
    { type: "members", userIds: voterIds },
    { kind: "ROADMAP_MERGE", values: { from: from.title, into: into.title }, url: itemPath(into.id) },
  );
}
