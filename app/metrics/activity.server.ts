import { db } from "~/db.server";
import { log } from "~/log.server";

export type ActivityKind = "SIGN_IN" | "VISIT" | "POST" | "REPLY" | "VOTE" | "SURVEY";

/**
 * Activity events for the engagement figures and the at-risk list.
 *
 * Recording must cost a request almost nothing, so `recordActivity` only appends to an
 * in-memory buffer; a timer writes the buffer to ActivityEvent with one INSERT every
 * FLUSH_INTERVAL_MS (sooner when MAX_BATCH events are waiting). It never throws and never
 * waits for the database. The price: events of the last second can be lost if the process
 * dies hard; engagement figures count members and days, so that loss does not move them.
 * Events of members deleted before the flush are skipped, not retried.
 */
const FLUSH_INTERVAL_MS = 1_000;
const MAX_BATCH = 500;
/** Beyond this many unwritten events (the database is down), new events are dropped and counted. */
const MAX_PENDING = 50_000;

type Pending = { userId: string; kind: ActivityKind; at: Date };

const state = {
  pending: [] as Pending[],
  timer: null as NodeJS.Timeout | null,
  writing: Promise.resolve() as Promise<void>,
  dropped: 0,
  exitHook: false,
};

export function recordActivity(userId: string, kind: ActivityKind): void {
  try {
    if (state.pending.length >= MAX_PENDING) {
      state.dropped += 1;
      return;
    }
    state.pending.push({ userId, kind, at: new Date() });
    if (state.pending.length >= MAX_BATCH) {
      void flushActivity();
    } else if (!state.timer) {
      state.timer = setTimeout(() => void flushActivity(), FLUSH_INTERVAL_MS);
      state.timer.unref();
    }
    if (!state.exitHook) {
      state.exitHook = true;
      process.once("beforeExit", () => void flushActivity());
    }
  } catch {
    // Metrics must never break what the member was doing.
  }
}

async function write(batch: Pending[]): Promise<void> {
  try {
    await db.$executeRaw`
      INSERT INTO "ActivityEvent" ("userId", "kind", "occurredAt")
      SELECT x."userId", x.kind::"ActivityKind", x.at
      FROM unnest(${batch.map((e) => e.userId)}::text[], ${batch.map((e) => e.kind)}::text[], ${batch.map((e) => e.at.toISOString())}::timestamp[])
        WITH ORDINALITY AS x("userId", kind, at, n)
      WHERE EXISTS (SELECT 1 FROM "User" u WHERE u.id = x."userId")
      ORDER BY x.n`;
  } catch (error) {
    // Put the batch back for the next attempt, within the cap.
    const room = Math.max(0, MAX_PENDING - state.pending.length);
    state.pending.unshift(...batch.slice(0, room));
    state.dropped += batch.length - Math.min(batch.length, room);
    log.warn("activity events not written, will retry", { error: (error as Error).message, waiting: state.pending.length });
    if (!state.timer) {
      state.timer = setTimeout(() => void flushActivity(), FLUSH_INTERVAL_MS * 5);
      state.timer.unref();
    }
  }
}

/**
 * Writes every buffered event now. Resolves when they are stored (or put back after a failed
 * write); used by the timer, on exit, and by tests that read the table.
 */
export function flushActivity(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  state.writing = state.writing.then(async () => {
    while (state.pending.length) {
      const batch = state.pending.splice(0, MAX_BATCH);
      await write(batch);
      if (state.timer) break;
    }
  });
  return state.writing;
}

/** Events waiting to be written and events dropped, for the health of the recorder. */
export function activityBacklog() {
  return { pending: state.pending.length, dropped: state.dropped };
}

const presence = { day: "", seen: new Set<string>() };

/**
 * Notes that a signed-in member used the portal today (a VISIT), at most once a day per member
 * and process. Members stay signed in for weeks, so sign-ins alone would make regular readers
 * look inactive.
 */
export function recordPresence(userId: string, now = new Date()): void {
  const day = now.toISOString().slice(0, 10);
  if (presence.day !== day) {
    presence.day = day;
    presence.seen.clear();
  }
  if (presence.seen.has(userId)) return;
  presence.seen.add(userId);
  recordActivity(userId, "VISIT");
}

/**
 * Makes sure ActivityMonth is built for the club's time zone. The trigger on ActivityEvent
 * keeps it up to date once built; a change of time zone moves month edges, so the rollup is
 * rebuilt from the events (once, by whichever request first sees the new zone). Inserts of
 * events wait for the rebuild (SHARE lock), so none is counted twice or missed.
 */
export async function ensureActivityRollup(timeZone: string): Promise<void> {
  const current = await db.activityRollup.findUnique({ where: { id: 1 }, select: { timeZone: true } });
  if (current?.timeZone === timeZone) return;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('activity-rollup'))`;
      const again = await tx.activityRollup.findUnique({ where: { id: 1 }, select: { timeZone: true } });
      if (again?.timeZone === timeZone) return;
      await tx.$executeRawUnsafe(`LOCK TABLE "ActivityEvent" IN SHARE MODE`);
      await tx.$executeRaw`DELETE FROM "ActivityMonth"`;
      await tx.$executeRaw`
        INSERT INTO "ActivityMonth" ("userId", "month", "events", "posts", "contributions")
        SELECT e."userId",
               date_trunc('month', (e."occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date,
               count(*),
               count(*) FILTER (WHERE e."kind" IN ('POST', 'REPLY')),
               count(*) FILTER (WHERE e."kind" IN ('POST', 'REPLY', 'VOTE'))
        FROM "ActivityEvent" e
        GROUP BY 1, 2`;
      // Fresh statistics, so the planner knows the rebuilt table's size.
      await tx.$executeRawUnsafe(`ANALYZE "ActivityMonth"`);
      await tx.activityRollup.upsert({
        where: { id: 1 },
        update: { timeZone, builtAt: new Date() },
        create: { id: 1, timeZone },
      });
    },
    { timeout: 120_000 },
  );
  log.info("activity rollup built", { timeZone });
}
