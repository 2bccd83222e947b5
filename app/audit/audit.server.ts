import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { db, type Prisma, type Tx } from "~/db.server";
import { translator, type Locale, type MessageKey } from "~/i18n/dictionary";
import { localDateTime, toCsv } from "~/metrics/csv.server";
import type { AuditAction } from "./actions";
import { actorLabel, AuditFilterSchema, SYSTEM_ACTOR, type AuditFilter } from "./filters";

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

export type AuditRow = {
  id: string;
  at: string;
  actorId: string | null;
  /** The actor's name now; null for the system, and for a member whose account was erased. */
  actorName: string | null;
  actorErased: boolean;
  action: string;
  subjectType: string;
  subjectId: string | null;
  /** What the subject is called now (an applicant's or member's name, a title, a tier), read at display time; null when erased or gone. */
  subjectName: { en: string; ru: string } | null;
  before: unknown;
  after: unknown;
};

type Query = { actor?: string; action?: string; from?: string; to?: string; before?: string };

/**
 * Audit rows newest first (by id, which is the order they were written), filtered by person,
 * kind and calendar days in the club's time zone; `limit` null reads every match (the CSV).
 */
export async function auditEntries(filter: Query, { timeZone, limit }: { timeZone: string; limit: number | null }): Promise<AuditRow[]> {
  const system = filter.actor === SYSTEM_ACTOR;
  const actorId = filter.actor && !system ? filter.actor : null;
  const rows = await db.$queryRaw<
    Array<{ id: bigint; at: Date; actorId: string | null; actorName: string | null; erasedAt: Date | null; action: string; subjectType: string; subjectId: string | null; subjectEn: string | null; subjectRu: string | null; before: unknown; after: unknown }>
  >`
    SELECT e."id", e."at", e."actorId", u."name" AS "actorName", u."erasedAt", e."action", e."subjectType", e."subjectId", n.en AS "subjectEn", COALESCE(n.ru, n.en) AS "subjectRu", e."before", e."after"
    FROM "AuditEntry" e LEFT JOIN "User" u ON u."id" = e."actorId"
    -- Names are never stored in the log: they are read here, so an erased member's row shows none.
    LEFT JOIN LATERAL (
      SELECT NULLIF(a."name", '') AS en, NULL::text AS ru FROM "Application" a WHERE e."subjectType" = 'Application' AND a."id" = e."subjectId"
      UNION ALL SELECT NULLIF(s."name", ''), NULL FROM "User" s WHERE e."subjectType" = 'User' AND s."id" = e."subjectId" AND s."erasedAt" IS NULL
      UNION ALL SELECT t."nameEn", t."nameRu" FROM "Tier" t WHERE e."subjectType" = 'Tier' AND t."id" = e."subjectId"
      UNION ALL SELECT c."nameEn", c."nameRu" FROM "ForumCategory" c WHERE e."subjectType" = 'ForumCategory' AND c."id" = e."subjectId"
      UNION ALL SELECT th."title", NULL FROM "ForumThread" th WHERE e."subjectType" = 'ForumThread' AND th."id" = e."subjectId"
      UNION ALL SELECT th."title", NULL FROM "ForumPost" p JOIN "ForumThread" th ON th."id" = p."threadId" WHERE e."subjectType" = 'ForumPost' AND p."id" = e."subjectId"
      UNION ALL SELECT r."title", NULL FROM "RoadmapItem" r WHERE e."subjectType" = 'RoadmapItem' AND r."id" = e."subjectId"
      UNION ALL SELECT g."name", NULL FROM "Segment" g WHERE e."subjectType" = 'Segment' AND g."id" = e."subjectId"
      UNION ALL SELECT ft."name", NULL FROM "FollowUpTemplate" ft WHERE e."subjectType" = 'FollowUpTemplate' AND ft."id" = e."subjectId"
      UNION ALL SELECT pb."name", NULL FROM "Playbook" pb WHERE e."subjectType" = 'Playbook' AND pb."id" = e."subjectId"
      LIMIT 1
    ) n ON true
    WHERE (${filter.before ?? null}::bigint IS NULL OR e."id" < ${filter.before ?? null}::bigint)
      AND (NOT ${system}::boolean OR e."actorId" IS NULL)
      AND (${actorId}::text IS NULL OR e."actorId" = ${actorId}::text)
      AND (${filter.action ?? null}::text IS NULL OR e."action" = ${filter.action ?? null}::text)
      AND (${filter.from ?? null}::date IS NULL OR e."at" >= (${filter.from ?? null}::date::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC')
      AND (${filter.to ?? null}::date IS NULL OR e."at" < ((${filter.to ?? null}::date + 1)::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC')
    ORDER BY e."id" DESC
    LIMIT ${limit}::int`;
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorName: row.erasedAt ? null : row.actorName,
    actorErased: Boolean(row.actorId && (row.erasedAt || row.actorName === null)),
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    subjectName: row.subjectEn === null ? null : { en: row.subjectEn, ru: row.subjectRu ?? row.subjectEn },
    before: row.before,
    after: row.after,
  }));
}

/** The people the filter offers: staff now, and anyone who ever acted (a former curator, an erased account). */
export async function auditActors(): Promise<Array<{ id: string; name: string | null; erased: boolean }>> {
  const rows = await db.$queryRaw<Array<{ id: string; name: string; erasedAt: Date | null }>>`
    SELECT u."id", u."name", u."erasedAt" FROM "User" u
    WHERE u."role" IN ('OWNER', 'CURATOR') OR u."id" IN (SELECT DISTINCT "actorId" FROM "AuditEntry" WHERE "actorId" IS NOT NULL)
    ORDER BY u."erasedAt" NULLS FIRST, u."name", u."id"`;
  return rows.map((row) => ({ id: row.id, name: row.erasedAt ? null : row.name, erased: Boolean(row.erasedAt) }));
}

type ClubSettings = Awaited<ReturnType<typeof getClubSettings>>;

export type AuditFilterRead =
  | { ok: true; value: AuditFilter; club: ClubSettings; actors: Awaited<ReturnType<typeof auditActors>> }
  | { ok: false; errors: Record<string, string[]>; reply: SubmissionResult<string[]>; club: ClubSettings; actors: Awaited<ReturnType<typeof auditActors>> };

/** Reads the page's (or the CSV's) filters from the query string; a person the filter does not offer is a field error. */
export async function readAuditFilter(params: URLSearchParams): Promise<AuditFilterRead> {
  const [club, actors] = await Promise.all([getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS }), auditActors()]);
  const submission = parseWithZod(params, { schema: AuditFilterSchema });
  if (submission.status !== "success") {
    return { ok: false, errors: clean(submission.error), reply: submission.reply(), club, actors };
  }
  const actor = submission.value.actor;
  if (actor && actor !== SYSTEM_ACTOR && !actors.some((a) => a.id === actor)) {
    const errors = { actor: ["audit.filter.unknownActor"] };
    return { ok: false, errors, reply: submission.reply({ fieldErrors: errors }), club, actors };
  }
  return { ok: true, value: submission.value, club, actors };
}

function clean(error: Record<string, string[] | null> | null | undefined): Record<string, string[]> {
  return Object.fromEntries(Object.entries(error ?? {}).filter((entry): entry is [string, string[]] => Boolean(entry[1]?.length)));
}

/** The CSV of /admin/audit.csv: every row the filters match, times in the club's time zone. */
export function auditCsv(rows: AuditRow[], { locale, timeZone }: { locale: Locale; timeZone: string }): string {
  const t = translator(locale);
  const header = ["at", "actor", "actorId", "action", "kind", "subjectType", "subjectId", "before", "after"].map((key) => t(`audit.csv.${key}` as MessageKey));
  return toCsv(
    header,
    rows.map((row) => [
      localDateTime(row.at, timeZone),
      actorLabel(row, t),
      row.actorId,
      t(`audit.action.${row.action}` as MessageKey),
      row.action,
      row.subjectType,
      row.subjectId,
      row.before === null || row.before === undefined ? null : JSON.stringify(row.before),
      row.after === null || row.after === undefined ? null : JSON.stringify(row.after),
    ]),
    { locale },
  );
}
