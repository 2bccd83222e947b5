import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { PlaybookTrigger } from "~/generated/prisma/client";
import { riskCte } from "~/metrics/at-risk.server";
import { readFilter, type SegmentFilter } from "~/segments/filter";
import { segmentMembersSql } from "~/segments/segments.server";

/**
 * When a playbook's trigger fires, and for whom (docs/architecture.md, "Playbooks").
 * For each trigger ONE query selects the occurrences that have fired by `now` and have no run
 * of this playbook yet, as rows ("userId", "applicationId", occurrence, "enteredAt"). The
 * occurrence keys are those of PlaybookRun.occurrence (prisma/schema/follow-ups.prisma), so a
 * member enters once per occurrence, and the unique (playbookId, occurrence) index refuses a
 * second run even when two schedulers enter at once.
 *
 * Who can enter: members (role MEMBER) who are neither deactivated nor erased; staff never.
 * BECAME_DETRACTOR, INACTIVE and JOINED also need a membership held now (the at-risk list's
 * `risk` CTE, the one definition of a current member). With a segment, only the segment's
 * current members (helper A's `segmentMembersSql`). An applicant (APPLICATION_WAITLISTED) has
 * no account, so a segment does not apply to them.
 *
 * `enteredAt` is when the trigger fired (the answer, quiet-since + N days, the start + N days,
 * pastDueSince, the row's last update for a cancellation, the application's last update), but
 * never before the playbook existed: a new playbook does not pretend it ran in the past.
 */
export type PlaybookForTrigger = {
  id: string;
  trigger: PlaybookTrigger;
  triggerDays: number | null;
  createdAt: Date;
  /** The segment's filter when the playbook has one; `null` = every member. */
  segment: SegmentFilter | null;
};

export type FiredOccurrence = { userId: string | null; applicationId: string | null; occurrence: string; enteredAt: Date };

/** How many days back a JOINED playbook still takes members in, beyond its N days. */
export const JOINED_LOOKBACK_DAYS = 7;

/** An instant as JavaScript's toISOString() writes it ("2026-12-03T16:00:00.000Z"), from a UTC timestamp column. */
function iso(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const ts = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp`;

function inSegment(userColumn: Prisma.Sql, segment: SegmentFilter | null, now: Date): Prisma.Sql {
  return segment ? Prisma.sql`AND ${userColumn} IN (${segmentMembersSql(segment, now)})` : Prisma.empty;
}

/** A member who may enter: role MEMBER, not deactivated, not erased. */
const memberJoin = (userColumn: Prisma.Sql) =>
  Prisma.sql`JOIN "User" u ON u.id = ${userColumn} AND u.role = 'MEMBER' AND u."deactivatedAt" IS NULL AND u."erasedAt" IS NULL`;

function noRunYet(playbookId: string, occurrence: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "PlaybookRun" pr WHERE pr."playbookId" = ${playbookId} AND pr.occurrence = ${occurrence})`;
}

/** The SELECT of the occurrences of `playbook`'s trigger that fired by `now` and have no run yet. */
export function firedSql(playbook: PlaybookForTrigger, now: Date): Prisma.Sql {
  const created = ts(playbook.createdAt);
  const at = ts(now);
  const days = Math.max(0, playbook.triggerDays ?? 0);
  switch (playbook.trigger) {
    case "BECAME_DETRACTOR": {
      // An answer of 0–6 given after the playbook was created that is still the member's latest scored answer.
      const occurrence = Prisma.sql`'nps:' || n.id`;
      return Prisma.sql`WITH ${riskCte(now)}
        SELECT n."userId", NULL::text AS "applicationId", ${occurrence} AS occurrence, n."createdAt" AS "enteredAt"
        FROM "NpsResponse" n
        JOIN risk ON risk.id = n."userId"
        ${memberJoin(Prisma.sql`n."userId"`)}
        WHERE n.score BETWEEN 0 AND 6 AND n."createdAt" > ${created} AND n."createdAt" <= ${at}
          AND NOT EXISTS (
            SELECT 1 FROM "NpsResponse" l
            WHERE l."userId" = n."userId" AND l.score IS NOT NULL AND l."createdAt" > n."createdAt" AND l."createdAt" <= ${at})
          AND ${noRunYet(playbook.id, occurrence)}
          ${inSegment(Prisma.sql`n."userId"`, playbook.segment, now)}`;
    }
    case "INACTIVE": {
      // Quiet since greatest(last activity, first joined) for N days or more.
      const occurrence = Prisma.sql`'inactive:' || risk.id || ':' || ${iso(Prisma.sql`risk."quietSince"`)}`;
      return Prisma.sql`WITH ${riskCte(now)}
        SELECT risk.id AS "userId", NULL::text AS "applicationId", ${occurrence} AS occurrence,
               GREATEST(risk."quietSince" + make_interval(days => ${days}), ${created}) AS "enteredAt"
        FROM risk
        ${memberJoin(Prisma.sql`risk.id`)}
        WHERE risk."quietSince" <= ${at} - make_interval(days => ${days})
          AND ${noRunYet(playbook.id, occurrence)}
          ${inSegment(Prisma.sql`risk.id`, playbook.segment, now)}`;
    }
    case "JOINED": {
      // First membership started N days ago, but not more than N + 7 days ago.
      const occurrence = Prisma.sql`'joined:' || risk.id || ':' || ${iso(Prisma.sql`risk."joinedAt"`)}`;
      return Prisma.sql`WITH ${riskCte(now)}
        SELECT risk.id AS "userId", NULL::text AS "applicationId", ${occurrence} AS occurrence,
               GREATEST(risk."joinedAt" + make_interval(days => ${days}), ${created}) AS "enteredAt"
        FROM risk
        ${memberJoin(Prisma.sql`risk.id`)}
        WHERE risk."joinedAt" <= ${at} - make_interval(days => ${days})
          AND risk."joinedAt" >= ${at} - make_interval(days => ${days + JOINED_LOOKBACK_DAYS})
          AND ${noRunYet(playbook.id, occurrence)}
          ${inSegment(Prisma.sql`risk.id`, playbook.segment, now)}`;
    }
    case "PAYMENT_FAILED": {
      const occurrence = Prisma.sql`'past-due:' || s.id || ':' || ${iso(Prisma.sql`s."pastDueSince"`)}`;
      return Prisma.sql`SELECT s."userId", NULL::text AS "applicationId", ${occurrence} AS occurrence,
               GREATEST(s."pastDueSince", ${created}) AS "enteredAt"
        FROM "Subscription" s
        ${memberJoin(Prisma.sql`s."userId"`)}
        WHERE s.status = 'PAST_DUE' AND s."endedAt" IS NULL AND s."pastDueSince" IS NOT NULL AND s."pastDueSince" <= ${at}
          AND ${noRunYet(playbook.id, occurrence)}
          ${inSegment(Prisma.sql`s."userId"`, playbook.segment, now)}`;
    }
    case "CANCELLATION_SCHEDULED": {
      // An open row that will not renew; the period has not ended yet.
      const occurrence = Prisma.sql`'cancel:' || s.id || ':' || ${iso(Prisma.sql`s."currentPeriodEnd"`)}`;
      return Prisma.sql`SELECT s."userId", NULL::text AS "applicationId", ${occurrence} AS occurrence,
               GREATEST(LEAST(s."updatedAt", ${at}), ${created}) AS "enteredAt"
        FROM "Subscription" s
        ${memberJoin(Prisma.sql`s."userId"`)}
        WHERE s."cancelAtPeriodEnd" AND s."endedAt" IS NULL AND s.status IN ('ACTIVE', 'TRIALING', 'PAST_DUE', 'COMPLIMENTARY')
          AND s."currentPeriodEnd" IS NOT NULL AND s."currentPeriodEnd" > ${at}
          AND ${noRunYet(playbook.id, occurrence)}
          ${inSegment(Prisma.sql`s."userId"`, playbook.segment, now)}`;
    }
    case "APPLICATION_WAITLISTED": {
      // Put on the waitlist after the playbook was created (its last update); an erased application has no name.
      const occurrence = Prisma.sql`'application:' || a.id`;
      return Prisma.sql`SELECT NULL::text AS "userId", a.id AS "applicationId", ${occurrence} AS occurrence,
               GREATEST(LEAST(a."updatedAt", ${at}), ${created}) AS "enteredAt"
        FROM "Application" a
        WHERE a.status = 'WAITLISTED' AND a."updatedAt" > ${created} AND a.name <> ''
          AND ${noRunYet(playbook.id, occurrence)}`;
    }
  }
}

/** The playbook's trigger settings with its segment's filter read (a segment that is gone or unreadable: `undefined`, nobody enters). */
export async function playbookForTrigger(playbook: {
  id: string;
  trigger: PlaybookTrigger;
  triggerDays: number | null;
  createdAt: Date;
  segmentId: string | null;
}): Promise<PlaybookForTrigger | undefined> {
  if (!playbook.segmentId) return { ...playbook, segment: null };
  const segment = await db.segment.findUnique({ where: { id: playbook.segmentId }, select: { filter: true } });
  const filter = segment ? readFilter(segment.filter) : null;
  return filter ? { ...playbook, segment: filter } : undefined;
}

/** The occurrences that fired by `now` and have no run yet (what the scheduler would enter), for pages and tests. */
export async function firedOccurrences(playbook: PlaybookForTrigger, now = new Date()): Promise<FiredOccurrence[]> {
  return db.$queryRaw<FiredOccurrence[]>(Prisma.sql`SELECT f.* FROM (${firedSql(playbook, now)}) f ORDER BY f.occurrence`);
}
