import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { PlaybookExit } from "~/generated/prisma/enums";
import { controlGroupFigures, RETURN_WINDOW_DAYS, type ControlGroupFigures } from "./outcomes";

export type Channel = "IN_APP" | "EMAIL" | "TELEGRAM";

export type PlaybookOutcome = {
  playbookId: string;
  name: string;
  pausedAt: Date | null;
  /** Runs ever entered, still open (no exit yet), and those that ran every step. */
  entered: number;
  active: number;
  completed: number;
  exits: Partial<Record<PlaybookExit, number>>;
  /** Messages that went out, per channel, summed over the runs' SEND steps. */
  sent: Record<Channel, number>;
  control: ControlGroupFigures;
};

type GroupRow = { playbookId: string; heldOut: boolean; runs: number; returned: number; young: number };
type CountRow = { playbookId: string; entered: number; active: number };
type ExitRow = { playbookId: string; reason: PlaybookExit; runs: number };
type SentRow = { playbookId: string; channel: string; messages: number };

/**
 * Every playbook's figures in four queries, whatever the number of playbooks (the dashboard
 * and /admin/playbooks show them all); `playbookId` narrows to one. A run counts towards the
 * control group once it entered at least RETURN_WINDOW_DAYS ago, and "came back" means any
 * ActivityEvent of its member in (enteredAt, enteredAt + 30 days], found through
 * ActivityEvent(userId, occurredAt). Applicants' runs (no member) have no activity to return
 * with and are left out of the rates.
 */
export async function playbookOutcomes({ playbookId = null, now = new Date() }: { playbookId?: string | null; now?: Date } = {}): Promise<PlaybookOutcome[]> {
  const cutoff = new Date(now.getTime() - RETURN_WINDOW_DAYS * 86_400_000);
  const window = `${RETURN_WINDOW_DAYS} days`;
  const [playbooks, groups, counts, exits, sent] = await Promise.all([
    db.playbook.findMany({ where: playbookId ? { id: playbookId } : {}, select: { id: true, name: true, pausedAt: true }, orderBy: { createdAt: "asc" } }),
    db.$queryRaw<GroupRow[]>(Prisma.sql`
      SELECT r."playbookId", r."heldOut",
        count(*) FILTER (WHERE r."enteredAt" <= ${cutoff})::int AS runs,
        count(*) FILTER (WHERE r."enteredAt" <= ${cutoff} AND EXISTS (
          SELECT 1 FROM "ActivityEvent" a
          WHERE a."userId" = r."userId" AND a."occurredAt" > r."enteredAt" AND a."occurredAt" <= r."enteredAt" + ${window}::interval
        ))::int AS returned,
        count(*) FILTER (WHERE r."enteredAt" > ${cutoff})::int AS young
      FROM "PlaybookRun" r
      WHERE r."userId" IS NOT NULL AND (${playbookId}::text IS NULL OR r."playbookId" = ${playbookId})
      GROUP BY r."playbookId", r."heldOut"`),
    db.$queryRaw<CountRow[]>(Prisma.sql`
      SELECT r."playbookId", count(*)::int AS entered, count(*) FILTER (WHERE r."exitedAt" IS NULL)::int AS active
      FROM "PlaybookRun" r
      WHERE (${playbookId}::text IS NULL OR r."playbookId" = ${playbookId})
      GROUP BY r."playbookId"`),
    db.$queryRaw<ExitRow[]>(Prisma.sql`
      SELECT r."playbookId", r."exitReason"::text AS reason, count(*)::int AS runs
      FROM "PlaybookRun" r
      WHERE r."exitReason" IS NOT NULL AND (${playbookId}::text IS NULL OR r."playbookId" = ${playbookId})
      GROUP BY r."playbookId", r."exitReason"`),
    db.$queryRaw<SentRow[]>(Prisma.sql`
      SELECT r."playbookId", c.key AS channel, sum(CASE WHEN jsonb_typeof(c.value) = 'number' THEN (c.value)::text::int ELSE 0 END)::int AS messages
      FROM "PlaybookRunStep" s
      JOIN "PlaybookRun" r ON r.id = s."runId"
      CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.channels::jsonb) = 'object' THEN s.channels::jsonb ELSE '{}'::jsonb END) c
      WHERE s.kind = 'SEND' AND s.channels IS NOT NULL AND (${playbookId}::text IS NULL OR r."playbookId" = ${playbookId})
      GROUP BY r."playbookId", c.key`),
  ]);
  return playbooks.map(({ id, name, pausedAt }) => {
    const followed = groups.find((g) => g.playbookId === id && !g.heldOut);
    const held = groups.find((g) => g.playbookId === id && g.heldOut);
    const count = counts.find((c) => c.playbookId === id);
    const exitCounts: Partial<Record<PlaybookExit, number>> = {};
    for (const row of exits) if (row.playbookId === id) exitCounts[row.reason] = row.runs;
    const messages: Record<Channel, number> = { IN_APP: 0, EMAIL: 0, TELEGRAM: 0 };
    for (const row of sent) if (row.playbookId === id && row.channel in messages) messages[row.channel as Channel] = row.messages;
    return {
      playbookId: id,
      name,
      pausedAt,
      entered: count?.entered ?? 0,
      active: count?.active ?? 0,
      completed: exitCounts.COMPLETED ?? 0,
      exits: exitCounts,
      sent: messages,
      control: controlGroupFigures(
        { runs: followed?.runs ?? 0, returned: followed?.returned ?? 0 },
        { runs: held?.runs ?? 0, returned: held?.returned ?? 0 },
        (followed?.young ?? 0) + (held?.young ?? 0),
      ),
    };
  });
}

/** One playbook's figures, or null when it does not exist. */
export async function playbookOutcome(playbookId: string, now = new Date()): Promise<PlaybookOutcome | null> {
  const [outcome] = await playbookOutcomes({ playbookId, now });
  return outcome ?? null;
}
