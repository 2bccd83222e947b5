import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { getClubSettings } from "~/club.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import type { FollowUpKind, User } from "~/generated/prisma/client";
import { translator, type Locale } from "~/i18n/dictionary";
import { analyticQuery } from "./analytics.server";
import { fillPlaceholders } from "~/i18n/placeholders";
import { followUpReason, templateFor, type FollowUpTemplate } from "./follow-up";
import { share } from "./formulas";
import { spansCte } from "./spans.server";

/**
 * The at-risk list: members (role MEMBER, holding a membership now) who are detractors by
 * their latest survey answer (0–6), or who have done nothing for 30 days or more (no sign-in,
 * visit, post, reply, vote or survey answer since max(last activity, first joined)). The last
 * activity comes from MemberActivity, which the ActivityEvent trigger keeps.
 * Staff act on each: a follow-up email from the owner's template, "contacted", or a note.
 * A contact "brought the member back" when the member was active within 30 days after it.
 */
export const INACTIVE_DAYS = 30;
export const RETURN_WINDOW_DAYS = 30;
export const FOLLOW_UP_EMAIL_TEMPLATE = "metrics-follow-up";
const PAGE_SIZE = 25;

export type AtRiskMember = {
  id: string;
  name: string;
  email: string;
  locale: Locale;
  tierId: string | null;
  joinedAt: string;
  lastActiveAt: string | null;
  /** Since when the member has been quiet: their last activity, or when they joined. */
  quietSince: string;
  score: number | null;
  answeredAt: string | null;
  detractor: boolean;
  inactive: boolean;
};

type RiskRow = {
  id: string;
  name: string;
  email: string;
  locale: Locale;
  tierId: string | null;
  joinedAt: Date;
  lastActiveAt: Date | null;
  quietSince: Date;
  score: number | null;
  answeredAt: Date | null;
  detractor: boolean;
  inactive: boolean;
};

/** Every current member with their risk signals, as a CTE named `risk` (also the base of segments, app/segments). */
export function riskCte(now: Date, memberId?: string) {
  const at = now.toISOString();
  return Prisma.sql`${spansCte(memberId, { materialized: false })},
  tr AS (SELECT id, row_number() OVER (ORDER BY position, id) AS rank FROM "Tier"),
  -- One pass over the memberships: when each person first joined, and the highest tier held now.
  held AS (
    SELECT s."userId", min(s.started) AS joined,
           max(tr.rank) FILTER (WHERE s.started < ${at}::timestamp AND (s.ended IS NULL OR s.ended >= ${at}::timestamp)) AS rank
    FROM spans s JOIN tr ON tr.id = s."tierId"
    GROUP BY s."userId"
  ),
  cur AS (SELECT h."userId", h.joined, tr.id AS "tierId" FROM held h JOIN tr ON tr.rank = h.rank),
  -- Each member's latest answer (not a dismissal): the latest instant, and the lowest score given then.
  ans AS (
    SELECT DISTINCT ON ("userId" COLLATE "C") "userId" COLLATE "C" AS "userId", score, "createdAt" FROM "NpsResponse"
    WHERE score IS NOT NULL AND "createdAt" < ${at}::timestamp ${memberId ? Prisma.sql`AND "userId" = ${memberId}` : Prisma.empty}
    ORDER BY "userId" COLLATE "C", "createdAt" DESC, score
  ),
  risk AS (
    SELECT u.id, u.name, u.email, u.locale::text AS locale, cur."tierId", cur.joined AS "joinedAt",
           la."lastActiveAt", GREATEST(la."lastActiveAt", cur.joined) AS "quietSince",
           ans.score, ans."createdAt" AS "answeredAt",
           COALESCE(ans.score <= 6, false) AS detractor,
           GREATEST(la."lastActiveAt", cur.joined) <= ${at}::timestamp - make_interval(days => ${INACTIVE_DAYS}) AS inactive
    FROM cur
    JOIN "User" u ON u.id = cur."userId" AND u.role = 'MEMBER' AND u."deactivatedAt" IS NULL
    LEFT JOIN "MemberActivity" la ON la."userId" = u.id
    LEFT JOIN ans ON ans."userId" = u.id
  )`;
}

function toMember(row: RiskRow): AtRiskMember {
  return {
    ...row,
    joinedAt: row.joinedAt.toISOString(),
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    quietSince: row.quietSince.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
  };
}

export type ContactOutcome = "returned" | "not-returned" | "pending";

export type FollowUpEntry = {
  id: string;
  kind: FollowUpKind;
  createdAt: string;
  staffName: string | null;
  note: string | null;
  wasDetractor: boolean;
  wasInactive: boolean;
  member: { id: string; name: string; email: string };
  /** For contacts (emails and "contacted"): did the member come back within 30 days? */
  outcome: ContactOutcome | null;
  returnedAt: string | null;
};

/** Whether each contact brought its member back: their first activity after it, within 30 days. */
async function withOutcomes(
  rows: Array<{ id: string; memberId: string; kind: FollowUpKind; createdAt: Date }>,
  now: Date,
): Promise<Map<string, { outcome: ContactOutcome | null; returnedAt: string | null }>> {
  const contacts = rows.filter((r) => r.kind !== "NOTE");
  const out = new Map<string, { outcome: ContactOutcome | null; returnedAt: string | null }>(
    rows.map((r) => [r.id, { outcome: null, returnedAt: null }]),
  );
  if (!contacts.length) return out;
  const firsts = await db.$queryRaw<Array<{ id: string; at: Date | null }>>(Prisma.sql`
    SELECT f.id, (
      SELECT min(e."occurredAt") FROM "ActivityEvent" e
      WHERE e."userId" = f."memberId" AND e."occurredAt" > f."createdAt"
        AND e."occurredAt" <= f."createdAt" + make_interval(days => ${RETURN_WINDOW_DAYS}) AND e."occurredAt" < ${now.toISOString()}::timestamp
    ) AS at
    FROM "MemberFollowUp" f WHERE f.id = ANY(${contacts.map((c) => c.id)}::text[])`);
  for (const contact of contacts) {
    const first = firsts.find((f) => f.id === contact.id)?.at ?? null;
    const windowOver = contact.createdAt.getTime() + RETURN_WINDOW_DAYS * 86_400_000 <= now.getTime();
    out.set(contact.id, {
      outcome: first ? "returned" : windowOver ? "not-returned" : "pending",
      returnedAt: first?.toISOString() ?? null,
    });
  }
  return out;
}

async function followUpEntries(where: Prisma.MemberFollowUpWhereInput, now: Date, take?: number, skip?: number): Promise<FollowUpEntry[]> {
  const rows = await db.memberFollowUp.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    skip,
    include: { staff: { select: { name: true } }, member: { select: { id: true, name: true, email: true } } },
  });
  const outcomes = await withOutcomes(rows, now);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    staffName: r.staff?.name ?? null,
    note: r.note,
    wasDetractor: r.wasDetractor,
    wasInactive: r.wasInactive,
    member: r.member,
    ...outcomes.get(r.id)!,
  }));
}

/** A detractor's latest comment (from any answer with a score), shown beside them. */
export type DetractorComment = { responseId: string; comment: string; score: number; createdAt: string };

export type AtRiskPage = {
  total: number;
  detractors: number;
  inactive: number;
  page: number;
  pageCount: number;
  members: Array<AtRiskMember & { followUps: FollowUpEntry[]; comment: DetractorComment | null }>;
};

/** Only the members of a segment (`segmentMembersSql`, a subquery of "userId"), or everyone at risk when null. */
const inSegment = (members: Prisma.Sql | null | undefined) => (members ? Prisma.sql`AND id IN (${members})` : Prisma.empty);

/** One page of the at-risk list: detractors first (lowest score first), then the longest quiet. */
export async function atRiskPage({ page = 1, now = new Date(), members = null }: { page?: number; now?: Date; members?: Prisma.Sql | null } = {}): Promise<AtRiskPage> {
  const [counts] = await analyticQuery<Array<{ total: number; detractors: number; inactive: number }>>(
    Prisma.sql`
    WITH ${riskCte(now)}
    SELECT count(*)::int AS total, count(*) FILTER (WHERE detractor)::int AS detractors, count(*) FILTER (WHERE inactive)::int AS inactive
    FROM risk WHERE (detractor OR inactive) ${inSegment(members)}`,
    { hashJoinsOnly: true, primary: true },
  );
  const pageCount = Math.max(1, Math.ceil(counts.total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await analyticQuery<RiskRow[]>(
    Prisma.sql`
    WITH ${riskCte(now)}
    SELECT * FROM risk WHERE (detractor OR inactive) ${inSegment(members)}
    ORDER BY detractor DESC, CASE WHEN detractor THEN score END ASC, "quietSince" ASC, id
    LIMIT ${PAGE_SIZE} OFFSET ${(current - 1) * PAGE_SIZE}`,
    { hashJoinsOnly: true, primary: true },
  );
  const detractorIds = rows.filter((r) => r.detractor).map((r) => r.id);
  const [followUps, comments] = await Promise.all([
    followUpEntries({ memberId: { in: rows.map((r) => r.id) } }, now),
    detractorIds.length
      ? db.$queryRaw<Array<{ userId: string; responseId: string; comment: string; score: number; createdAt: Date }>>(Prisma.sql`
          SELECT DISTINCT ON ("userId" COLLATE "C") "userId", id AS "responseId", comment, score, "createdAt" FROM "NpsResponse"
          WHERE "userId" = ANY(${detractorIds}::text[]) AND score IS NOT NULL AND comment IS NOT NULL AND comment <> ''
            AND "createdAt" < ${now.toISOString()}::timestamp
          ORDER BY "userId" COLLATE "C", "createdAt" DESC, id DESC`)
      : [],
  ]);
  return {
    ...counts,
    page: current,
    pageCount,
    members: rows.map((row) => {
      const comment = comments.find((c) => c.userId === row.id);
      return {
        ...toMember(row),
        followUps: followUps.filter((f) => f.member.id === row.id),
        comment: comment ? { responseId: comment.responseId, comment: comment.comment, score: comment.score, createdAt: comment.createdAt.toISOString() } : null,
      };
    }),
  };
}

/** Every at-risk member (of the segment, when one is given), for the CSV export. */
export async function allAtRisk(now = new Date(), members: Prisma.Sql | null = null): Promise<AtRiskMember[]> {
  const rows = await analyticQuery<RiskRow[]>(
    Prisma.sql`
    WITH ${riskCte(now)}
    SELECT * FROM risk WHERE (detractor OR inactive) ${inSegment(members)}
    ORDER BY detractor DESC, CASE WHEN detractor THEN score END ASC, "quietSince" ASC, id`,
    { hashJoinsOnly: true },
  );
  return rows.map(toMember);
}

export type FollowUpStats = { contacts: number; returned: number; notReturned: number; pending: number; returnRate: number | null };

export type AtRiskSummary = { total: number; detractors: number; inactive: number; followUps: FollowUpStats };

/** Counts for the dashboard: who is at risk now, and how the period's contacts turned out. */
export async function atRiskSummary({ startsAt, endsAt, now = new Date() }: { startsAt: Date; endsAt: Date; now?: Date }): Promise<AtRiskSummary> {
  const at = now.toISOString();
  // Read from the replica when there is one (a dashboard read); the at-risk page itself reads the primary.
  const [[counts], [contacts]] = await Promise.all([
    analyticQuery<Array<{ total: number; detractors: number; inactive: number }>>(
      Prisma.sql`
      WITH ${riskCte(now)}
      SELECT count(*)::int AS total, count(*) FILTER (WHERE detractor)::int AS detractors, count(*) FILTER (WHERE inactive)::int AS inactive
      FROM risk WHERE detractor OR inactive`,
      { hashJoinsOnly: true },
    ),
    analyticQuery<Array<{ contacts: number; returned: number; notReturned: number; pending: number }>>(Prisma.sql`
      WITH c AS (
        SELECT f."createdAt", EXISTS (
          SELECT 1 FROM "ActivityEvent" e
          WHERE e."userId" = f."memberId" AND e."occurredAt" > f."createdAt"
            AND e."occurredAt" <= f."createdAt" + make_interval(days => ${RETURN_WINDOW_DAYS}) AND e."occurredAt" < ${at}::timestamp
        ) AS back
        FROM "MemberFollowUp" f
        WHERE f.kind IN ('EMAIL', 'CONTACTED') AND f."createdAt" >= ${startsAt.toISOString()}::timestamp
          AND f."createdAt" < ${endsAt.toISOString()}::timestamp AND f."createdAt" < ${at}::timestamp
      )
      SELECT count(*)::int AS contacts,
             count(*) FILTER (WHERE back)::int AS returned,
             count(*) FILTER (WHERE NOT back AND "createdAt" + make_interval(days => ${RETURN_WINDOW_DAYS}) <= ${at}::timestamp)::int AS "notReturned",
             count(*) FILTER (WHERE NOT back AND "createdAt" + make_interval(days => ${RETURN_WINDOW_DAYS}) > ${at}::timestamp)::int AS pending
      FROM c`),
  ]);
  return { ...counts, followUps: { ...contacts, returnRate: share(contacts.returned, contacts.returned + contacts.notReturned) } };
}

/** Follow-ups made in a period (all of them when no period), newest first, with their outcomes. */
export async function followUpHistory({
  startsAt,
  endsAt,
  page = 1,
  pageSize = PAGE_SIZE,
  now = new Date(),
}: { startsAt?: Date; endsAt?: Date; page?: number; pageSize?: number | null; now?: Date } = {}) {
  const where: Prisma.MemberFollowUpWhereInput = startsAt && endsAt ? { createdAt: { gte: startsAt, lt: endsAt } } : {};
  const total = await db.memberFollowUp.count({ where });
  const pageCount = pageSize ? Math.max(1, Math.ceil(total / pageSize)) : 1;
  const current = Math.min(Math.max(1, page), pageCount);
  const entries = await followUpEntries(where, now, pageSize ?? undefined, pageSize ? (current - 1) * pageSize : undefined);
  return { total, page: current, pageCount, entries };
}

/** The member's risk right now, or null when they are not a current member the list could show. */
export async function memberRisk(memberId: string, now = new Date(), tx?: Tx): Promise<AtRiskMember | null> {
  const [row] = await (tx ?? db).$queryRaw<RiskRow[]>(Prisma.sql`WITH ${riskCte(now, memberId)} SELECT * FROM risk`);
  return row ? toMember(row) : null;
}

export class FollowUpRefused extends Error {
  constructor(
    readonly status: 404 | 409,
    readonly messageKey: "metrics.atRisk.notMember" | "metrics.atRisk.alreadySent",
  ) {
    super(messageKey);
  }
}

/** The follow-up emails the owner saved, or the default wording, for both reasons in both languages. */
export async function followUpTemplate(): Promise<FollowUpTemplate & { updatedAt: string | null; updatedBy: string | null }> {
  const saved = await db.metricsSettings.findUnique({ where: { id: 1 }, include: { updatedBy: { select: { name: true } } } });
  const en = translator("en");
  const ru = translator("ru");
  return {
    followUpSubjectEn: saved?.followUpSubjectEn ?? en("metrics.template.defaultSubject"),
    followUpBodyEn: saved?.followUpBodyEn ?? en("metrics.template.defaultBody"),
    followUpSubjectRu: saved?.followUpSubjectRu ?? ru("metrics.template.defaultSubject"),
    followUpBodyRu: saved?.followUpBodyRu ?? ru("metrics.template.defaultBody"),
    detractorSubjectEn: saved?.detractorSubjectEn ?? en("metrics.template.detractorDefaultSubject"),
    detractorBodyEn: saved?.detractorBodyEn ?? en("metrics.template.detractorDefaultBody"),
    detractorSubjectRu: saved?.detractorSubjectRu ?? ru("metrics.template.detractorDefaultSubject"),
    detractorBodyRu: saved?.detractorBodyRu ?? ru("metrics.template.detractorDefaultBody"),
    updatedAt: saved?.updatedAt.toISOString() ?? null,
    updatedBy: saved?.updatedBy?.name ?? null,
  };
}

export async function saveFollowUpTemplate(template: FollowUpTemplate, ownerId: string) {
  await db.$transaction(async (tx) => {
    const before = await tx.metricsSettings.findUnique({ where: { id: 1 } });
    await tx.metricsSettings.upsert({
      where: { id: 1 },
      update: { ...template, updatedById: ownerId },
      create: { id: 1, ...template, updatedById: ownerId },
    });
    const previous = before ? Object.fromEntries(Object.keys(template).map((key) => [key, (before as Record<string, unknown>)[key] as string | null])) : null;
    await recordAudit(tx, { actorId: ownerId, action: "metrics.settings", subjectType: "MetricsSettings", subjectId: "1", before: previous, after: { ...template } });
  });
}

type Staff = Pick<User, "id">;

/**
 * Records a contact or note about a current member, with why they were at risk at that
 * moment. Serialised per member, so two staff clicking at once cannot send two emails.
 */
async function recordFollowUp(
  memberId: string,
  staff: Staff,
  kind: FollowUpKind,
  now: Date,
  extra: (tx: Tx, member: AtRiskMember) => Promise<{ note?: string; emailId?: string }>,
) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`follow-up:${memberId}`}))`;
    const member = await memberRisk(memberId, now, tx);
    if (!member) throw new FollowUpRefused(404, "metrics.atRisk.notMember");
    if (kind === "EMAIL") {
      const recent = await tx.memberFollowUp.count({
        where: { memberId, kind: "EMAIL", createdAt: { gt: new Date(now.getTime() - 86_400_000) } },
      });
      if (recent) throw new FollowUpRefused(409, "metrics.atRisk.alreadySent");
    }
    const { note, emailId } = await extra(tx, member);
    const followUp = await tx.memberFollowUp.create({
      data: {
        memberId,
        staffId: staff.id,
        kind,
        wasDetractor: member.detractor,
        wasInactive: member.inactive,
        note: note ?? null,
        emailId: emailId ?? null,
        createdAt: now,
      },
    });
    // A note's words are about a person; the log keeps that one was written.
    await recordAudit(tx, {
      actorId: staff.id,
      action: "metrics.follow-up",
      subjectType: "User",
      subjectId: memberId,
      after: { kind, followUpId: followUp.id, wasDetractor: member.detractor, wasInactive: member.inactive, emailId: emailId ?? null },
    });
    return followUp;
  });
}

/** Sends the follow-up email for the member's reason (a detractor is asked what went wrong), in their language, through the email queue. */
export async function sendFollowUp(memberId: string, staff: Staff, now = new Date()) {
  const [template, club] = await Promise.all([followUpTemplate(), getClubSettings()]);
  return recordFollowUp(memberId, staff, "EMAIL", now, async (tx, member) => {
    const t = translator(member.locale);
    const values = { name: member.name, club: club.name };
    const wording = templateFor(template, followUpReason(member), member.locale);
    const subject = fillPlaceholders(wording.subject, values);
    const text = fillPlaceholders(wording.body, values);
    const emailId = await queueEmail(
      {
        to: member.email,
        locale: member.locale,
        template: FOLLOW_UP_EMAIL_TEMPLATE,
        subject,
        text,
        action: { label: t("metrics.template.emailAction"), url: new URL("/forum", env().APP_URL).toString() },
        userId: member.id,
      },
      tx,
    );
    return { emailId };
  });
}

export function markContacted(memberId: string, staff: Staff, now = new Date()) {
  return recordFollowUp(memberId, staff, "CONTACTED", now, async () => ({}));
}

export function addNote(memberId: string, staff: Staff, note: string, now = new Date()) {
  return recordFollowUp(memberId, staff, "NOTE", now, async () => ({ note }));
}
