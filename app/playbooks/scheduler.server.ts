import { recordAudit } from "~/audit/audit.server";
import { getClubSettings } from "~/club.server";
import { db, type Tx } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { Prisma } from "~/generated/prisma/client";
import type { PlaybookExit, PlaybookStepKind } from "~/generated/prisma/client";
import { translator, type Locale } from "~/i18n/dictionary";
import { fillPlaceholders } from "~/i18n/placeholders";
import { log } from "~/log.server";
import type { FollowUpTexts } from "~/notifications/messages.server";
import { notify } from "~/notifications/notify.server";
import { firedSql, playbookForTrigger } from "./triggers.server";

/**
 * The playbook scheduler: one tick (`runPlaybooks(now)`), run every minute by the `playbooks`
 * queue (worker.server.ts) and by tests with a controlled clock.
 *  1. Enter: for each playbook not paused, one INSERT … SELECT of the occurrences its trigger
 *     fired (triggers.server.ts) with ON CONFLICT (playbookId, occurrence) DO NOTHING: the
 *     playbook's current version, `heldOut` drawn once (random() < holdOutPercent / 100),
 *     step 0 due at enteredAt.
 *  2. Exits, before any step: one UPDATE of the open runs whose exit holds, at the instant it
 *     happened (capped at `now`): LEFT (member deactivated or erased, or holding no membership
 *     any more: when the last one ended; applicant no longer on the waitlist), CAME_BACK (exitOnReturn: an ActivityEvent other than SURVEY after enteredAt;
 *     answering the survey is the survey's own exit), ANSWERED_SURVEY (exitOnSurvey: a scored
 *     NpsResponse after enteredAt), PAID (exitOnPayment: an INVOICE_PAID after enteredAt, or the
 *     run's past-due subscription row active again). The earliest wins. Paused playbooks' runs
 *     exit too, so nothing is sent on resume to a member who already came back. Held-out runs
 *     exit the same way.
 *  3. Steps: due runs of playbooks not paused, one per short transaction, claimed with
 *     FOR UPDATE SKIP LOCKED; the PlaybookRunStep row (primary key runId, position) is inserted
 *     first and a conflict means the step was done, so two schedulers never do a step twice.
 *     WAIT: next step due `days` after now. SEND: the template filled in both languages on the
 *     member's channels (notify, FOLLOW_UP), or one email to an applicant in their language.
 *     TASK: a CuratorTask. After the last step the run is COMPLETED. Held-out runs walk the same
 *     schedule without any effect and without PlaybookRunStep rows, so they complete when the
 *     others do and the control group is comparable. Steps without an effect (WAITs, held-out
 *     runs' steps) go first in a few set-wise statements with the same locks and rows.
 */
export const FOLLOW_UP_EMAIL_TEMPLATE = "playbook-follow-up";
/** Where a follow-up's in-app notification and email button lead. */
export const FOLLOW_UP_URL = "/notifications";
/** A tick does at most this many steps; the rest are done by the next one. */
export const MAX_STEPS_PER_TICK = 10_000;
/** How many due runs a tick steps at once (each in its own transaction). */
export const STEP_LANES = 4;

export type TickFigures = {
  playbooks: number;
  entered: number;
  heldOut: number;
  exited: Partial<Record<PlaybookExit, number>>;
  steps: Record<PlaybookStepKind, number>;
  completed: number;
  failed: number;
  ms: number;
};

const ts = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp`;

/** One tick of the scheduler at `now`. Safe to run concurrently with itself. */
export async function runPlaybooks(now = new Date()): Promise<TickFigures> {
  const started = Date.now();
  const figures: TickFigures = { playbooks: 0, entered: 0, heldOut: 0, exited: {}, steps: { WAIT: 0, SEND: 0, TASK: 0 }, completed: 0, failed: 0, ms: 0 };
  const playbooks = await db.playbook.findMany({
    where: { pausedAt: null, createdAt: { lte: now } },
    select: { id: true, trigger: true, triggerDays: true, createdAt: true, segmentId: true, version: true, holdOutPercent: true },
    orderBy: { createdAt: "asc" },
  });
  figures.playbooks = playbooks.length;
  for (const playbook of playbooks) {
    const entered = await enterPlaybook(playbook, now);
    figures.entered += entered.entered;
    figures.heldOut += entered.heldOut;
  }
  for (const row of await recordExits(now)) figures.exited[row.reason] = (figures.exited[row.reason] ?? 0) + row.count;

  // Steps without an effect (waits, and every step of a held-out run) in a few set-wise statements.
  for (let pass = 0; pass < MAX_QUIET_PASSES; pass++) {
    const moved = await quietSteps(now);
    if (!moved.length) break;
    for (const row of moved) {
      if (row.kind === "WAIT" && !row.heldOut) figures.steps.WAIT += row.count;
      if (row.completed) figures.completed += row.count;
    }
  }

  const { name: club } = await getClubSettings();
  const failed: string[] = [];
  // A few lanes take due runs side by side (each claims its own with SKIP LOCKED), so a tick
  // with thousands of messages is not one transaction after another.
  let taken = 0;
  const lane = async () => {
    while (taken < MAX_STEPS_PER_TICK) {
      taken++;
      let outcome: StepOutcome | null;
      try {
        outcome = await doNextStep(now, club, failed);
      } catch (error) {
        // The run's id comes back on the error, so this tick leaves it alone and the next retries it.
        if (!(error instanceof StepFailed)) throw error;
        failed.push(error.runId);
        figures.failed++;
        log.error("playbook step failed", { runId: error.runId, error: error.reason instanceof Error ? error.reason.message : String(error.reason) });
        continue;
      }
      if (!outcome) return;
      if (outcome.kind && outcome.done) figures.steps[outcome.kind]++;
      if (outcome.completed) figures.completed++;
    }
  };
  await Promise.all(Array.from({ length: STEP_LANES }, lane));
  figures.ms = Date.now() - started;
  return figures;
}

type PlaybookRow = {
  id: string;
  trigger: import("~/generated/prisma/client").PlaybookTrigger;
  triggerDays: number | null;
  createdAt: Date;
  segmentId: string | null;
  version: number;
  holdOutPercent: number;
};

async function enterPlaybook(playbook: PlaybookRow, now: Date): Promise<{ entered: number; heldOut: number }> {
  const forTrigger = await playbookForTrigger(playbook);
  if (!forTrigger) {
    log.warn("playbook segment missing or unreadable: nobody enters", { playbookId: playbook.id, segmentId: playbook.segmentId });
    return { entered: 0, heldOut: 0 };
  }
  const share = Math.min(50, Math.max(0, playbook.holdOutPercent)) / 100;
  const rows = await db.$queryRaw<Array<{ heldOut: boolean }>>(Prisma.sql`
    INSERT INTO "PlaybookRun" ("id", "playbookId", "version", "userId", "applicationId", "occurrence", "heldOut", "enteredAt", "nextStep", "nextAt")
    SELECT gen_random_uuid()::text, ${playbook.id}, ${playbook.version}::int, f."userId", f."applicationId", f.occurrence,
           random() < ${share}::float8, f."enteredAt", 0, f."enteredAt"
    FROM (${firedSql(forTrigger, now)}) f
    ON CONFLICT ("playbookId", "occurrence") DO NOTHING
    RETURNING "heldOut"`);
  return { entered: rows.length, heldOut: rows.filter((row) => row.heldOut).length };
}

/** Ends every open run whose exit holds at `now`; runs being stepped right now are left for the next tick. */
async function recordExits(now: Date): Promise<Array<{ reason: PlaybookExit; count: number }>> {
  const at = ts(now);
  return db.$queryRaw<Array<{ reason: PlaybookExit; count: number }>>(Prisma.sql`
    WITH open AS (
      SELECT r.id, r."enteredAt", r."userId", r."applicationId", r.occurrence, p."exitOnReturn", p."exitOnSurvey", p."exitOnPayment"
      FROM "PlaybookRun" r JOIN "Playbook" p ON p.id = r."playbookId"
      -- An open run always has its next step's time (PlaybookRun_nextAt_idx); an ended one has none.
      WHERE r."nextAt" IS NOT NULL AND r."exitedAt" IS NULL AND r."enteredAt" <= ${at}
      ORDER BY r.id
      FOR UPDATE OF r SKIP LOCKED
    ),
    signals AS (
      SELECT o.id, o."enteredAt",
        CASE WHEN o."userId" IS NOT NULL THEN COALESCE((
          SELECT LEAST(COALESCE(u."deactivatedAt", u."erasedAt"), ${at}) FROM "User" u
          WHERE u.id = o."userId" AND (u."deactivatedAt" IS NOT NULL OR u."erasedAt" IS NOT NULL)), (
          -- No membership held now (the spans' definition, app/metrics/spans.server.ts): left when the last one ended.
          SELECT LEAST(max(m.ended), ${at}) FROM (
            SELECT s."startedAt" AS started, COALESCE(s."endedAt", CASE WHEN s.status IN ('CANCELED', 'UNPAID') THEN s."updatedAt" END) AS ended
            FROM "Subscription" s WHERE s."userId" = o."userId" AND s.status <> 'INCOMPLETE') m
          HAVING NOT bool_or(m.started <= ${at} AND (m.ended IS NULL OR m.ended >= ${at}))))
        ELSE COALESCE((
          SELECT LEAST(a."updatedAt", ${at}) FROM "Application" a
          WHERE a.id = o."applicationId" AND (a.status <> 'WAITLISTED' OR a.name = '')),
          CASE WHEN NOT EXISTS (SELECT 1 FROM "Application" a WHERE a.id = o."applicationId") THEN ${at} END)
        END AS "leftAt",
        CASE WHEN o."exitOnReturn" AND o."userId" IS NOT NULL THEN (
          SELECT min(e."occurredAt") FROM "ActivityEvent" e
          WHERE e."userId" = o."userId" AND e."occurredAt" > o."enteredAt" AND e."occurredAt" <= ${at} AND e.kind <> 'SURVEY')
        END AS "returnedAt",
        CASE WHEN o."exitOnSurvey" AND o."userId" IS NOT NULL THEN (
          SELECT min(n."createdAt") FROM "NpsResponse" n
          WHERE n."userId" = o."userId" AND n.score IS NOT NULL AND n."createdAt" > o."enteredAt" AND n."createdAt" <= ${at})
        END AS "answeredAt",
        CASE WHEN o."exitOnPayment" AND o."userId" IS NOT NULL THEN LEAST(
          (SELECT min(l."occurredAt") FROM "LedgerEntry" l
           WHERE l."userId" = o."userId" AND l.kind = 'INVOICE_PAID' AND l."occurredAt" > o."enteredAt" AND l."occurredAt" <= ${at}),
          (SELECT LEAST(s."updatedAt", ${at}) FROM "Subscription" s
           WHERE o.occurrence LIKE 'past-due:%' AND s.id = split_part(o.occurrence, ':', 2) AND s.status IN ('ACTIVE', 'TRIALING')))
        END AS "paidAt"
      FROM open o
    ),
    decided AS (
      SELECT id, GREATEST("enteredAt", LEAST("leftAt", "returnedAt", "answeredAt", "paidAt")) AS at,
        CASE LEAST("leftAt", "returnedAt", "answeredAt", "paidAt")
          WHEN "leftAt" THEN 'LEFT' WHEN "paidAt" THEN 'PAID' WHEN "answeredAt" THEN 'ANSWERED_SURVEY' WHEN "returnedAt" THEN 'CAME_BACK'
        END AS reason
      FROM signals
    ),
    ended AS (
      UPDATE "PlaybookRun" r SET "exitedAt" = d.at, "exitReason" = d.reason::"PlaybookExit", "nextAt" = NULL
      FROM decided d WHERE r.id = d.id AND d.reason IS NOT NULL
      RETURNING d.reason
    )
    SELECT reason, count(*)::int AS count FROM ended GROUP BY reason`);
}

/** A held-out run walks at most this many steps in one tick through the set-wise pass; the rest go one by one. */
const MAX_QUIET_PASSES = 20;

/**
 * One set-wise pass over the due steps that have no effect: a WAIT of any run (its PlaybookRunStep
 * row for a followed run, then the next step `days` from now) and any step of a held-out run (no row;
 * after its last step it is COMPLETED). Same locks and step rows as one step at a time.
 */
async function quietSteps(now: Date): Promise<Array<{ kind: PlaybookStepKind; heldOut: boolean; completed: boolean; count: number }>> {
  const at = ts(now);
  return db.$queryRaw(Prisma.sql`
    WITH due AS (
      SELECT r.id, r."heldOut", st.position, st.kind, st.days, last.position AS "lastPosition"
      FROM "PlaybookRun" r
      JOIN "Playbook" p ON p.id = r."playbookId" AND p."pausedAt" IS NULL
      JOIN "PlaybookStep" st ON st."playbookId" = r."playbookId" AND st.version = r.version AND st.position = r."nextStep"
      JOIN LATERAL (
        SELECT x.position FROM "PlaybookStep" x WHERE x."playbookId" = r."playbookId" AND x.version = r.version ORDER BY x.position DESC LIMIT 1
      ) last ON true
      WHERE r."nextAt" <= ${at} AND r."exitedAt" IS NULL AND (st.kind = 'WAIT' OR r."heldOut")
      ORDER BY r.id
      FOR UPDATE OF r SKIP LOCKED
    ),
    waits AS (
      INSERT INTO "PlaybookRunStep" ("runId", "position", "kind", "doneAt")
      SELECT d.id, d.position, 'WAIT', ${at} FROM due d WHERE d.kind = 'WAIT' AND NOT d."heldOut"
      ON CONFLICT ("runId", "position") DO NOTHING
    ),
    moved AS (
      UPDATE "PlaybookRun" r SET
        "nextStep" = d.position + 1,
        "nextAt" = CASE WHEN d.kind = 'WAIT' THEN ${at} + make_interval(days => GREATEST(COALESCE(d.days, 0), 0))
                        WHEN d.position >= d."lastPosition" THEN NULL ELSE ${at} END,
        "exitedAt" = CASE WHEN d.kind <> 'WAIT' AND d.position >= d."lastPosition" THEN ${at} END,
        "exitReason" = CASE WHEN d.kind <> 'WAIT' AND d.position >= d."lastPosition" THEN 'COMPLETED'::"PlaybookExit" END
      FROM due d WHERE r.id = d.id
      RETURNING d.kind, d."heldOut", (d.kind <> 'WAIT' AND d.position >= d."lastPosition") AS completed
    )
    SELECT kind, "heldOut", completed, count(*)::int AS count FROM moved GROUP BY 1, 2, 3`);
}

type ClaimedRun = {
  id: string;
  playbookId: string;
  version: number;
  userId: string | null;
  applicationId: string | null;
  heldOut: boolean;
  nextStep: number;
};

type StepRow = { position: number; kind: PlaybookStepKind; days: number | null; templateId: string | null; taskNote: string | null };

type StepOutcome = { kind: PlaybookStepKind | null; done: boolean; completed: boolean };

class StepFailed extends Error {
  constructor(
    readonly runId: string,
    readonly reason: unknown,
  ) {
    super(`playbook step failed for run ${runId}`);
  }
}

/** Claims one due run and does its next step, in one short transaction; null when nothing is due. */
async function doNextStep(now: Date, club: string, failed: string[]): Promise<StepOutcome | null> {
  let claimed: string | undefined;
  try {
    return await db.$transaction(
      async (tx) => {
        const [run] = await tx.$queryRaw<ClaimedRun[]>(Prisma.sql`
          SELECT r.id, r."playbookId", r.version, r."userId", r."applicationId", r."heldOut", r."nextStep"
          FROM "PlaybookRun" r
          WHERE r."nextAt" <= ${ts(now)} AND r."exitedAt" IS NULL
            AND r.id <> ALL(${failed}::text[])
            AND EXISTS (SELECT 1 FROM "Playbook" p WHERE p.id = r."playbookId" AND p."pausedAt" IS NULL)
          ORDER BY r."nextAt", r.id
          LIMIT 1
          FOR UPDATE OF r SKIP LOCKED`);
        if (!run) return null;
        claimed = run.id;
        const steps = await tx.playbookStep.findMany({
          where: { playbookId: run.playbookId, version: run.version },
          select: { position: true, kind: true, days: true, templateId: true, taskNote: true },
          orderBy: { position: "asc" },
        });
        const step = steps.find((s) => s.position >= run.nextStep);
        if (!step) {
          await finishRun(tx, run.id, run.nextStep, now);
          return { kind: null, done: false, completed: true };
        }
        const done = run.heldOut ? false : await doStep(tx, run, step, now, club);
        const last = step.position >= steps[steps.length - 1].position;
        if (last && step.kind !== "WAIT") {
          await finishRun(tx, run.id, step.position + 1, now);
          return { kind: step.kind, done, completed: true };
        }
        const nextAt = step.kind === "WAIT" ? new Date(now.getTime() + Math.max(0, step.days ?? 0) * 86_400_000) : now;
        await tx.playbookRun.update({ where: { id: run.id }, data: { nextStep: step.position + 1, nextAt } });
        return { kind: step.kind, done, completed: false };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (claimed) throw new StepFailed(claimed, error);
    throw error;
  }
}

async function finishRun(tx: Tx, runId: string, nextStep: number, now: Date) {
  await tx.playbookRun.update({ where: { id: runId }, data: { nextStep, nextAt: null, exitedAt: now, exitReason: "COMPLETED" } });
}

/** Does one step of a run (not held out). False when its PlaybookRunStep row already existed: done before, nothing again. */
async function doStep(tx: Tx, run: ClaimedRun, step: StepRow, now: Date, club: string): Promise<boolean> {
  const inserted = await tx.$executeRaw(Prisma.sql`
    INSERT INTO "PlaybookRunStep" ("runId", "position", "kind", "doneAt", "templateId")
    VALUES (${run.id}, ${step.position}::int, ${step.kind}::"PlaybookStepKind", ${ts(now)}, ${step.kind === "SEND" ? step.templateId : null})
    ON CONFLICT ("runId", "position") DO NOTHING`);
  if (inserted === 0) return false;
  if (step.kind === "SEND" && step.templateId) {
    const channels = await send(tx, run, step.templateId, club);
    await tx.playbookRunStep.update({ where: { runId_position: { runId: run.id, position: step.position } }, data: { channels } });
  } else if (step.kind === "TASK" && run.userId) {
    const task = await tx.curatorTask.create({ data: { memberId: run.userId, runId: run.id, note: step.taskNote ?? "", createdAt: now }, select: { id: true } });
    await tx.playbookRunStep.update({ where: { runId_position: { runId: run.id, position: step.position } }, data: { taskId: task.id } });
  }
  // An applicant's TASK has no member to attach a CuratorTask to (CuratorTask.memberId is required): the step is recorded, nothing else.
  return true;
}

async function send(tx: Tx, run: ClaimedRun, templateId: string, club: string): Promise<Record<string, number>> {
  const template = await tx.followUpTemplate.findUniqueOrThrow({ where: { id: templateId } });
  const texts = (names: { name: string; tierEn: string; tierRu: string }): FollowUpTexts => ({
    en: {
      subject: fillPlaceholders(template.subjectEn, { name: names.name, tier: names.tierEn, club }),
      body: fillPlaceholders(template.bodyEn, { name: names.name, tier: names.tierEn, club }),
    },
    ru: {
      subject: fillPlaceholders(template.subjectRu, { name: names.name, tier: names.tierRu, club }),
      body: fillPlaceholders(template.bodyRu, { name: names.name, tier: names.tierRu, club }),
    },
  });
  if (run.userId) {
    const user = await tx.user.findUniqueOrThrow({ where: { id: run.userId }, select: { name: true } });
    const tier = await currentTier(tx, run.userId);
    const values = { club, template: FOLLOW_UP_EMAIL_TEMPLATE, texts: texts({ name: user.name, tierEn: tier?.nameEn ?? "", tierRu: tier?.nameRu ?? "" }) };
    return notify(tx, { userId: run.userId, kind: "FOLLOW_UP", values, url: FOLLOW_UP_URL });
  }
  // An applicant has no account: one email to the application's address, in its language.
  const application = await tx.application.findUniqueOrThrow({ where: { id: run.applicationId! }, select: { email: true, name: true, locale: true } });
  const locale: Locale = application.locale;
  const text = texts({ name: application.name, tierEn: "", tierRu: "" })[locale]!;
  const t = translator(locale);
  await queueEmail(
    {
      to: application.email,
      locale,
      template: FOLLOW_UP_EMAIL_TEMPLATE,
      subject: text.subject,
      text: [text.body, t("playbooks.engine.applicantNote", { club })].join("\n\n"),
    },
    tx,
  );
  return { EMAIL: 1 };
}

/** The highest tier the member holds now (open rows), for {tier}. */
async function currentTier(tx: Tx, userId: string) {
  const row = await tx.subscription.findFirst({
    where: { userId, endedAt: null, status: { notIn: ["INCOMPLETE", "CANCELED", "UNPAID"] } },
    select: { tier: { select: { nameEn: true, nameRu: true } } },
    orderBy: { tier: { position: "desc" } },
  });
  return row?.tier ?? null;
}

/** The member left the club (erased, removed): every open run of theirs ends with LEFT, and so do the runs of their applications. */
export async function leavePlaybooks(tx: Tx, userId: string, applicationIds: string[] = [], now = new Date()): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    UPDATE "PlaybookRun" SET "exitedAt" = GREATEST("enteredAt", ${ts(now)}), "exitReason" = 'LEFT', "nextAt" = NULL
    WHERE "exitedAt" IS NULL AND ("userId" = ${userId} OR "applicationId" = ANY(${applicationIds}::text[]))`);
}

/** Staff close one run (CLOSED_BY_STAFF), audited `playbook.run-close`; false when it had already ended or does not exist. */
export async function closeRun(tx: Tx, runId: string, actorId: string, now = new Date()): Promise<boolean> {
  const [run] = await tx.$queryRaw<Array<{ playbookId: string; exitedAt: Date | null; nextStep: number }>>(
    Prisma.sql`SELECT "playbookId", "exitedAt", "nextStep" FROM "PlaybookRun" WHERE id = ${runId} FOR UPDATE`,
  );
  if (!run || run.exitedAt) return false;
  await tx.playbookRun.update({ where: { id: runId }, data: { exitedAt: now, exitReason: "CLOSED_BY_STAFF", nextAt: null, closedById: actorId } });
  await recordAudit(tx, {
    actorId,
    action: "playbook.run-close",
    subjectType: "PlaybookRun",
    subjectId: runId,
    before: { playbookId: run.playbookId, nextStep: run.nextStep },
    after: { exitReason: "CLOSED_BY_STAFF" },
  });
  return true;
}
