import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

/**
 * Curators' tasks (CuratorTask, given by a playbook's TASK step), shown open in the at-risk
 * list. Completing one is ONE conditional UPDATE (`… WHERE "doneAt" IS NULL`), so when two
 * curators click "Done" at once exactly one completes it and is audited; the other is told.
 */
export const OPEN_TASKS_SHOWN = 50;

export type OpenTask = {
  id: string;
  note: string;
  createdAt: string;
  member: { id: string; name: string };
  playbook: { id: string; name: string } | null;
  assignee: { id: string; name: string } | null;
};

type TaskRow = {
  id: string;
  note: string;
  createdAt: Date;
  memberId: string;
  memberName: string;
  playbookId: string | null;
  playbookName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
};

/** The open tasks, newest first (the newest `limit`), and how many are open in all. */
export async function openTasks({ limit = OPEN_TASKS_SHOWN }: { limit?: number } = {}): Promise<{ total: number; tasks: OpenTask[] }> {
  const [[count], rows] = await Promise.all([
    db.$queryRaw<Array<{ total: number }>>`SELECT count(*)::int AS total FROM "CuratorTask" WHERE "doneAt" IS NULL`,
    db.$queryRaw<TaskRow[]>(Prisma.sql`
      SELECT k.id, k.note, k."createdAt", k."memberId", m.name AS "memberName", p.id AS "playbookId", p.name AS "playbookName",
             k."assigneeId", a.name AS "assigneeName"
      FROM "CuratorTask" k
      JOIN "User" m ON m.id = k."memberId"
      LEFT JOIN "PlaybookRun" r ON r.id = k."runId"
      LEFT JOIN "Playbook" p ON p.id = r."playbookId"
      LEFT JOIN "User" a ON a.id = k."assigneeId"
      WHERE k."doneAt" IS NULL
      ORDER BY k."createdAt" DESC, k.id DESC
      LIMIT ${limit}::int`),
  ]);
  return {
    total: count.total,
    tasks: rows.map((row) => ({
      id: row.id,
      note: row.note,
      createdAt: row.createdAt.toISOString(),
      member: { id: row.memberId, name: row.memberName },
      playbook: row.playbookId ? { id: row.playbookId, name: row.playbookName ?? "" } : null,
      assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? "" } : null,
    })),
  };
}

export type CompleteTaskOutcome =
  | { ok: true; memberId: string }
  | { ok: false; status: 404 | 409; message: "touches.tasks.alreadyDone" | "touches.tasks.notFound" };

/** Marks the task done by `actorId`, once: a task already done (by anyone) is refused with 409. */
export async function completeTask(actorId: string, taskId: string, now = new Date()): Promise<CompleteTaskOutcome> {
  return db.$transaction(async (tx): Promise<CompleteTaskOutcome> => {
    const [done] = await tx.$queryRaw<Array<{ memberId: string; runId: string | null }>>`
      UPDATE "CuratorTask" SET "doneAt" = ${now}, "doneById" = ${actorId}
      WHERE id = ${taskId} AND "doneAt" IS NULL
      RETURNING "memberId", "runId"`;
    if (!done) {
      const exists = await tx.curatorTask.count({ where: { id: taskId } });
      return exists ? { ok: false, status: 409, message: "touches.tasks.alreadyDone" } : { ok: false, status: 404, message: "touches.tasks.notFound" };
    }
    await recordAudit(tx, {
      actorId,
      action: "task.done",
      subjectType: "CuratorTask",
      subjectId: taskId,
      after: { memberId: done.memberId, runId: done.runId },
    });
    return { ok: true, memberId: done.memberId };
  });
}
