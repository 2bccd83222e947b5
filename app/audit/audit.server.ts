import type { Prisma, Tx } from "~/db.server";
import type { AuditAction } from "./actions";

/** A value an audit row may hold: ids, states, settings. Never a member's name or email. */
export type AuditValue = Prisma.InputJsonValue | null;

export type AuditRecord = {
  /** The staff member who acted; null for the system (a Stripe webhook, a job). */
  actorId: string | null;
  action: AuditAction;
  /** What was acted on: "Application", "User", "Tier", "ForumPost", "ClubSettings"… */
  subjectType: string;
  subjectId?: string | null;
  before?: AuditValue;
  after?: AuditValue;
};

/**
 * Writes one audit row inside the action's own transaction, so that a failing action leaves
 * no row and a row always means the action happened. The table is append-only (a trigger
 * refuses UPDATE and DELETE), and no route may offer either.
 */
export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: record.actorId,
      action: record.action,
      subjectType: record.subjectType,
      subjectId: record.subjectId ?? null,
      before: record.before ?? undefined,
      after: record.after ?? undefined,
    },
  });
}
