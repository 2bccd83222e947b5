import PgBoss from "pg-boss";
import type { Tx } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";

/**
 * The persistent job queue: pg-boss on the club's own PostgreSQL, so jobs survive
 * restarts and every app instance shares one queue (docs/decisions/004-job-queue.md).
 */
export const QUEUES = { email: "email", forumDigest: "forum-digest", notificationFanout: "notification-fanout", playbooks: "playbooks" } as const;

const globalForQueue = globalThis as unknown as { __coterieQueue?: Promise<PgBoss> };

async function startQueue(): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: env().DATABASE_URL,
    max: 4,
    // Only processes that run workers need maintenance and cron; web processes just send.
    supervise: process.env.COTERIE_WORKER !== "0",
    schedule: process.env.COTERIE_WORKER !== "0",
  });
  boss.on("error", (error) => log.error("queue error", { error: error.message }));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    await boss.createQueue(name);
  }
  return boss;
}

export function queue(): Promise<PgBoss> {
  globalForQueue.__coterieQueue ??= startQueue().catch((error) => {
    globalForQueue.__coterieQueue = undefined;
    throw error;
  });
  return globalForQueue.__coterieQueue;
}

/** Lets pg-boss insert a job inside a Prisma transaction, so the job exists only if the transaction commits. */
export function inTransaction(tx: Tx) {
  return {
    executeSql: async (text: string, values: unknown[]) => ({
      rows: (await tx.$queryRawUnsafe(text, ...values)) as unknown[],
    }),
  };
}

export async function stopQueue() {
  const running = globalForQueue.__coterieQueue;
  globalForQueue.__coterieQueue = undefined;
  if (running) await (await running).stop({ graceful: true, wait: true, timeout: 5_000 }).catch(() => {});
}
