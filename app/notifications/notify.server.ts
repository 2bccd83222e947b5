import type { Prisma } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { inTransaction, queue, QUEUES } from "~/jobs/queue.server";
import { log } from "~/log.server";
import type { Channel } from "./channels/channel.server";
import { emailChannel } from "./channels/email.server";
import { inAppChannel } from "./channels/in-app.server";
import { telegramChannel } from "~/telegram/channel.server";
import type { NotificationChannelName } from "./kinds";
import type { Notice } from "./messages.server";

/**
 * The one way a member hears about something (docs/architecture.md, "Notifications").
 *  - `notify(tx, { userId, kind, values, url })`: one member, delivered on every channel they
 *    want it on, inside the caller's transaction.
 *  - `notifyAudience(tx, audience, notice)`: many members. The request's transaction only
 *    inserts a NotificationFanout row and ONE job; the worker expands the audience in
 *    batches of FANOUT_BATCH (voters first, then whoever comes after them).
 * Transactional mail (verification, invites, resets, billing) stays on queueEmail.
 */
export const CHANNELS: readonly Channel[] = [inAppChannel, emailChannel, telegramChannel];

export const FANOUT_BATCH = 1000;

export type Delivered = Record<NotificationChannelName, number>;

/** Delivers one notice to `userIds` on every channel; each channel skips those who turned it off there. */
async function deliver(tx: Tx, userIds: string[], notice: Notice): Promise<Delivered> {
  const delivered = {} as Delivered;
  for (const channel of CHANNELS) delivered[channel.name] = await channel.deliver(tx, userIds, notice);
  return delivered;
}

export function notify(tx: Tx, { userId, ...notice }: Notice & { userId: string }): Promise<Delivered> {
  return deliver(tx, [userId], notice as Notice);
}

/** Who an audience notification goes to; `then` is told after the audience (the author after the voters). */
export type Audience = (
  | { type: "roadmap-voters"; itemId: string; votedBy: string }
  | { type: "members"; userIds: string[] }
) & { then?: { userId: string; values: Notice["values"] } };

type Cursor = { phase: "audience"; afterAt: string | null; afterId: string | null; offset: number } | { phase: "then" };

export async function notifyAudience(tx: Tx, audience: Audience, notice: Notice): Promise<string> {
  const fanout = await tx.notificationFanout.create({
    data: {
      kind: notice.kind,
      audience: audience as unknown as Prisma.InputJsonValue,
      values: notice.values as unknown as Prisma.InputJsonValue,
      url: notice.url,
    },
    select: { id: true },
  });
  const boss = await queue();
  await boss.send(
    QUEUES.notificationFanout,
    { fanoutId: fanout.id },
    { retryLimit: 12, retryDelay: 15, retryBackoff: true, db: inTransaction(tx) },
  );
  return fanout.id;
}

async function nextBatch(tx: Tx, audience: Audience, cursor: Extract<Cursor, { phase: "audience" }>) {
  if (audience.type === "members") {
    const userIds = audience.userIds.slice(cursor.offset, cursor.offset + FANOUT_BATCH);
    return { userIds, cursor: { ...cursor, offset: cursor.offset + userIds.length } };
  }
  // Keyset over (createdAt, userId): today's order, voters who voted first hear first.
  const rows = await tx.$queryRaw<Array<{ userId: string; at: Date }>>`
    SELECT v."userId", v."createdAt" AS "at" FROM "RoadmapVote" v
    WHERE v."itemId" = ${audience.itemId} AND v."createdAt" <= ${new Date(audience.votedBy)}
      AND (${cursor.afterAt}::timestamp IS NULL OR (v."createdAt", v."userId") > (${cursor.afterAt}::timestamp, ${cursor.afterId}))
    ORDER BY v."createdAt", v."userId"
    LIMIT ${FANOUT_BATCH}`;
  const last = rows.at(-1);
  return {
    userIds: rows.map((r) => r.userId),
    cursor: last ? { ...cursor, afterAt: last.at.toISOString().replace("Z", ""), afterId: last.userId } : cursor,
  };
}

/**
 * Expands one fan-out, one batch per transaction. The row is locked and its cursor moves
 * with each batch, so a retried or concurrent job resumes where the last batch committed
 * and no member is told twice.
 */
export async function expandFanout(fanoutId: string): Promise<void> {
  for (;;) {
    const finished = await db.$transaction(
      async (tx) => {
        const [fanout] = await tx.$queryRaw<
          Array<{ kind: Notice["kind"]; audience: Audience; values: Notice["values"]; url: string; cursor: Cursor | null; completedAt: Date | null }>
        >`SELECT "kind"::text AS "kind", "audience", "values", "url", "cursor", "completedAt" FROM "NotificationFanout" WHERE "id" = ${fanoutId} FOR UPDATE`;
        if (!fanout || fanout.completedAt) return true;
        const notice = { kind: fanout.kind, values: fanout.values, url: fanout.url } as Notice;
        const cursor: Cursor = fanout.cursor ?? { phase: "audience", afterAt: null, afterId: null, offset: 0 };
        if (cursor.phase === "audience") {
          const batch = await nextBatch(tx, fanout.audience, cursor);
          if (batch.userIds.length) {
            await deliver(tx, batch.userIds, notice);
            await tx.notificationFanout.update({
              where: { id: fanoutId },
              data: { cursor: batch.cursor as Prisma.InputJsonValue, recipients: { increment: batch.userIds.length } },
            });
            return false;
          }
        }
        const then = fanout.audience.then;
        if (then) await deliver(tx, [then.userId], { ...notice, values: then.values } as Notice);
        await tx.notificationFanout.update({
          where: { id: fanoutId },
          data: { cursor: { phase: "then" }, completedAt: new Date(), recipients: { increment: then ? 1 : 0 } },
        });
        return true;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    if (finished) return;
  }
}

/** Expands every fan-out not yet finished, oldest first (tests, and a worker catching up). */
export async function expandPendingFanouts(): Promise<number> {
  const pending = await db.notificationFanout.findMany({ where: { completedAt: null }, orderBy: { createdAt: "asc" }, select: { id: true } });
  for (const { id } of pending) await expandFanout(id);
  return pending.length;
}

/** Works the fan-out queue in this process (started by app/jobs/workers.server.ts). */
export async function workNotificationFanouts() {
  const boss = await queue();
  await boss.work<{ fanoutId: string }>(QUEUES.notificationFanout, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    const started = Date.now();
    await expandFanout(job.data.fanoutId);
    log.info("notification fan-out", { fanoutId: job.data.fanoutId, ms: Date.now() - started });
  });
}
