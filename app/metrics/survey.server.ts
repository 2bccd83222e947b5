import type { Viewer } from "~/auth/guards.server";
import { db, fromJsonTimestamp, type Tx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { recordActivity, recordPresence } from "./activity.server";

/**
 * The in-app NPS survey. A member (role MEMBER, holding a membership) is asked first once
 * they have been a member for 30 days, then at most once every 90 days after their last
 * answer or dismissal. A dismissal is stored without a score: it counts as no answer.
 */
export const SURVEY_FIRST_AFTER_DAYS = 30;
export const SURVEY_EVERY_DAYS = 90;
const DAY_MS = 86_400_000;

type SurveyViewer = Pick<Viewer, "user" | "membership">;

/** When the member first held a membership, and when they last answered or dismissed the survey. */
export type SurveyFacts = { memberSince: Date | null; lastAnsweredAt: Date | null };

/**
 * SQL for a member's survey facts as one JSON object; `userId` is a value or a column (`u.id`).
 * The session lookup asks for it in the same round trip (app/auth/guards.server.ts).
 */
export function surveyFactsSql(userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'memberSince', (SELECT min("startedAt") FROM "Subscription" WHERE "userId" = ${userId} AND status <> 'INCOMPLETE'),
    'lastAnsweredAt', (SELECT max("createdAt") FROM "NpsResponse" WHERE "userId" = ${userId}))`;
}

export function surveyFactsFrom(json: { memberSince: string | null; lastAnsweredAt: string | null }): SurveyFacts {
  return { memberSince: fromJsonTimestamp(json.memberSince), lastAnsweredAt: fromJsonTimestamp(json.lastAnsweredAt) };
}

function surveyDue(viewer: SurveyViewer | null, facts: SurveyFacts, now: Date): boolean {
  if (!viewer || viewer.user.role !== "MEMBER" || !viewer.membership) return false;
  if (!facts.memberSince || facts.memberSince.getTime() > now.getTime() - SURVEY_FIRST_AFTER_DAYS * DAY_MS) return false;
  return !facts.lastAnsweredAt || facts.lastAnsweredAt.getTime() <= now.getTime() - SURVEY_EVERY_DAYS * DAY_MS;
}

/** Whether the survey waits for this member, read fresh from the database. */
export async function isSurveyDue(viewer: SurveyViewer | null, now = new Date(), tx?: Tx): Promise<boolean> {
  if (!viewer || viewer.user.role !== "MEMBER" || !viewer.membership) return false;
  const [row] = await (tx ?? db).$queryRaw<Array<{ facts: Parameters<typeof surveyFactsFrom>[0] }>>`
    SELECT ${surveyFactsSql(Prisma.sql`${viewer.user.id}`)} AS facts`;
  return surveyDue(viewer, surveyFactsFrom(row.facts), now);
}

/**
 * What the layout needs from the metrics area, in one call from the root loader: whether the
 * survey prompt is due (from the facts the session lookup brought, when it did). It also notes
 * the member's visit today, for the engagement figures.
 */
export async function layoutMetrics(viewer: (SurveyViewer & { survey?: SurveyFacts }) | null, now = new Date()): Promise<{ surveyDue: boolean }> {
  if (!viewer) return { surveyDue: false };
  recordPresence(viewer.user.id, now);
  return { surveyDue: viewer.survey ? surveyDue(viewer, viewer.survey, now) : await isSurveyDue(viewer, now) };
}

export class SurveyNotDue extends Error {
  constructor() {
    super("No survey is waiting for this member.");
  }
}

async function store(viewer: SurveyViewer, answer: { score: number; comment?: string } | null, now: Date) {
  await db.$transaction(async (tx) => {
    // One answer per prompt, even when two tabs submit at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`nps:${viewer.user.id}`}))`;
    if (!(await isSurveyDue(viewer, now, tx))) throw new SurveyNotDue();
    await tx.npsResponse.create({
      data: {
        userId: viewer.user.id,
        tierId: viewer.membership?.tier.id ?? null,
        score: answer?.score ?? null,
        comment: answer?.comment || null,
        createdAt: now,
      },
    });
  });
}

/** Stores an answer with the member's current tier. Throws SurveyNotDue when none is waiting. */
export async function answerSurvey(viewer: SurveyViewer, answer: { score: number; comment?: string }, now = new Date()) {
  await store(viewer, answer, now);
  recordActivity(viewer.user.id, "SURVEY");
}

/** "Not now": no answer, and no prompt for another 90 days. */
export async function dismissSurvey(viewer: SurveyViewer, now = new Date()) {
  await store(viewer, null, now);
}
