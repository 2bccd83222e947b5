import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { translator, type Locale } from "~/i18n/dictionary";
import { analyticQuery } from "~/metrics/analytics.server";
import { riskCte } from "~/metrics/at-risk.server";
import { toCsv } from "~/metrics/csv.server";
import { todayIn } from "~/metrics/period";
import { memberName } from "~/ui/member-name";
import { ANY_VOUCHER, readFilter, segmentFilterSchema, type NpsGroup, type SegmentFilter } from "./filter";

/**
 * Segments: saved filters over the club's current members, compiled to one SQL query.
 * The members are the at-risk list's (`riskCte`): role MEMBER, not deactivated (erasure
 * deactivates too), holding a membership now; with the tier held now (the highest), when they
 * first joined, their last activity and their latest answer with a score.
 */

const nullable = <T>(value: T | undefined) => (value === undefined ? null : value);

/**
 * The filter's conditions over the `risk` row `r`. The text is the same for every filter
 * (an absent condition is a NULL parameter), so PostgreSQL plans it once per connection.
 */
function conditions(filter: SegmentFilter, now: Date): Prisma.Sql {
  const at = now.toISOString();
  const tiers = nullable(filter.tierIds);
  const tenureMin = nullable(filter.tenureMonths?.min);
  const tenureMax = nullable(filter.tenureMonths?.max);
  const locale = nullable(filter.locale);
  const groups = nullable(filter.npsGroups);
  const quietMin = nullable(filter.inactiveDays?.min);
  const quietMax = nullable(filter.inactiveDays?.max);
  const vouchedBy = nullable(filter.vouchedBy);
  const telegram = nullable(filter.telegramLinked);
  return Prisma.sql`(${tiers}::text[] IS NULL OR r."tierId" = ANY(${tiers}::text[]))
    AND (${tenureMin}::int IS NULL OR r."joinedAt" + make_interval(months => ${tenureMin}::int) <= ${at}::timestamp)
    AND (${tenureMax}::int IS NULL OR r."joinedAt" + make_interval(months => ${tenureMax}::int + 1) > ${at}::timestamp)
    AND (${locale}::text IS NULL OR r.locale = ${locale}::text)
    AND (${groups}::text[] IS NULL OR ${NPS_GROUP_SQL} = ANY(${groups}::text[]))
    AND (${quietMin}::int IS NULL OR r."quietSince" <= ${at}::timestamp - make_interval(days => ${quietMin}::int))
    AND (${quietMax}::int IS NULL OR r."quietSince" > ${at}::timestamp - make_interval(days => ${quietMax}::int + 1))
    AND (${vouchedBy}::text IS NULL OR EXISTS (
      SELECT 1 FROM "Invite" i JOIN "Application" a ON a.id = i."applicationId" JOIN "Vouch" v ON v.id = a."vouchId"
      WHERE i."usedById" = r.id AND (${vouchedBy}::text = ${ANY_VOUCHER} OR v."voucherId" = ${vouchedBy}::text)))
    AND (${telegram}::boolean IS NULL OR EXISTS (SELECT 1 FROM "TelegramLink" tl WHERE tl."userId" = r.id) = ${telegram}::boolean)`;
}

/** The NPS group of the latest answer with a score; NONE when there is none. */
const NPS_GROUP_SQL = Prisma.sql`(CASE WHEN r.score IS NULL THEN 'NONE' WHEN r.score >= 9 THEN 'PROMOTER' WHEN r.score >= 7 THEN 'PASSIVE' ELSE 'DETRACTOR' END)`;

/**
 * ONE query (no trailing semicolon) selecting the single column "userId" of the current
 * members the filter matches at `now`. It works as a subquery:
 * `… WHERE u.id IN (${segmentMembersSql(filter, now)})`. A null filter (a stored filter that
 * no longer parses) matches nobody.
 */
export function segmentMembersSql(filter: SegmentFilter | null, now: Date): Prisma.Sql {
  if (!filter) return Prisma.sql`SELECT NULL::text AS "userId" WHERE false`;
  return Prisma.sql`WITH ${riskCte(now)} SELECT r.id AS "userId" FROM risk r WHERE ${conditions(filter, now)}`;
}

export async function countSegment(filter: SegmentFilter | null, now = new Date()): Promise<number> {
  const [row] = await analyticQuery<Array<{ count: number }>>(
    Prisma.sql`SELECT count(*)::int AS count FROM (${segmentMembersSql(filter, now)}) m`,
    { hashJoinsOnly: true, primary: true },
  );
  return row.count;
}

export async function segmentMemberIds(filter: SegmentFilter | null, now = new Date(), tx?: Tx): Promise<string[]> {
  const rows = await (tx ?? db).$queryRaw<Array<{ userId: string }>>(segmentMembersSql(filter, now));
  return rows.map((r) => r.userId);
}

export type SegmentMember = {
  id: string;
  name: string;
  email: string;
  locale: Locale;
  tierId: string | null;
  tierNameEn: string | null;
  tierNameRu: string | null;
  joinedAt: string;
  lastActiveAt: string | null;
  quietSince: string;
  score: number | null;
  npsGroup: NpsGroup;
  telegramLinked: boolean;
};

type MemberRow = Omit<SegmentMember, "joinedAt" | "lastActiveAt" | "quietSince"> & { joinedAt: Date; lastActiveAt: Date | null; quietSince: Date };

async function segmentMembers(filter: SegmentFilter | null, now: Date, limit: number | null): Promise<SegmentMember[]> {
  if (!filter) return [];
  const rows = await analyticQuery<MemberRow[]>(
    Prisma.sql`WITH ${riskCte(now)}
    SELECT r.id, r.name, r.email, r.locale, r."tierId", t."nameEn" AS "tierNameEn", t."nameRu" AS "tierNameRu",
           r."joinedAt", r."lastActiveAt", r."quietSince", r.score, ${NPS_GROUP_SQL} AS "npsGroup",
           EXISTS (SELECT 1 FROM "TelegramLink" tl WHERE tl."userId" = r.id) AS "telegramLinked"
    FROM risk r LEFT JOIN "Tier" t ON t.id = r."tierId"
    WHERE ${conditions(filter, now)}
    ORDER BY r.name, r.id
    LIMIT ${limit}::int`,
    { hashJoinsOnly: true, primary: true },
  );
  return rows.map((row) => ({
    ...row,
    joinedAt: row.joinedAt.toISOString(),
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    quietSince: row.quietSince.toISOString(),
  }));
}

/** Up to `limit` members of the segment, by name: what the segment page shows. */
export function sampleSegment(filter: SegmentFilter | null, now = new Date(), limit = 20): Promise<SegmentMember[]> {
  return segmentMembers(filter, now, limit);
}

export type SegmentRecord = { id: string; name: string; filter: SegmentFilter | null; createdAt: string; updatedAt: string };

function toRecord(row: { id: string; name: string; filter: unknown; createdAt: Date; updatedAt: Date }): SegmentRecord {
  return { id: row.id, name: row.name, filter: readFilter(row.filter), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Every saved segment, by name. */
export async function listSegments(): Promise<SegmentRecord[]> {
  const rows = await db.segment.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  return rows.map(toRecord);
}

export async function getSegment(id: string): Promise<SegmentRecord | null> {
  const row = await db.segment.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

/** What the form offers: the club's tiers, and the members who ever vouched for someone. */
export async function segmentChoices() {
  const [tiers, vouchers] = await Promise.all([
    db.tier.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, nameEn: true, nameRu: true } }),
    db.$queryRaw<Array<{ id: string; name: string }>>`
      SELECT u.id, u.name FROM "User" u WHERE EXISTS (SELECT 1 FROM "Vouch" v WHERE v."voucherId" = u.id)
      ORDER BY u."erasedAt" NULLS FIRST, u.name, u.id`,
  ]);
  return { tiers, vouchers };
}

export type SaveSegmentResult = { ok: true; id: string } | { ok: false; field: "name"; message: "segments.form.nameTaken" } | { ok: false; notFound: true };

/** Creates or updates a segment (owners), audited in the same transaction. */
export async function saveSegment(actorId: string, input: { name: string; filter: SegmentFilter }, id?: string): Promise<SaveSegmentResult> {
  const filter = segmentFilterSchema.parse(input.filter);
  const name = input.name.trim();
  try {
    return await db.$transaction(async (tx) => {
      const taken = await tx.segment.findFirst({ where: { name, ...(id ? { id: { not: id } } : {}) }, select: { id: true } });
      if (taken) return { ok: false, field: "name", message: "segments.form.nameTaken" } as const;
      const before = id ? await tx.segment.findUnique({ where: { id } }) : null;
      if (id && !before) return { ok: false, notFound: true } as const;
      const saved = before
        ? await tx.segment.update({ where: { id: before.id }, data: { name, filter } })
        : await tx.segment.create({ data: { name, filter, createdById: actorId } });
      // Names are the owner's words about a group, not a person's: the filter's settings are kept, not the name.
      await recordAudit(tx, {
        actorId,
        action: "segment.save",
        subjectType: "Segment",
        subjectId: saved.id,
        before: before ? { filter: before.filter as Prisma.JsonObject } : null,
        after: { filter },
      });
      return { ok: true, id: saved.id } as const;
    });
  } catch (error) {
    // Two owners saving the same name at once: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, field: "name", message: "segments.form.nameTaken" };
    throw error;
  }
}

export type DeleteSegmentResult = { ok: true } | { ok: false; notFound: true } | { ok: false; playbooks: string[] };

/** Deletes a segment no playbook uses; otherwise names the playbooks that use it. */
export async function deleteSegment(actorId: string, id: string): Promise<DeleteSegmentResult> {
  return db.$transaction(async (tx) => {
    // Locks the row, so a playbook saved meanwhile with this segment waits for the answer.
    const [segment] = await tx.$queryRaw<Array<{ id: string; filter: unknown }>>`SELECT id, filter FROM "Segment" WHERE id = ${id} FOR UPDATE`;
    if (!segment) return { ok: false, notFound: true } as const;
    const playbooks = await tx.playbook.findMany({ where: { segmentId: id }, select: { name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    if (playbooks.length) return { ok: false, playbooks: playbooks.map((p) => p.name) } as const;
    await tx.segment.delete({ where: { id } });
    await recordAudit(tx, { actorId, action: "segment.delete", subjectType: "Segment", subjectId: id, before: { filter: segment.filter as Prisma.JsonObject } });
    return { ok: true } as const;
  });
}

/** The segment's members as CSV in the reader's language (semicolons and decimal commas in Russian), dates in the club's time zone. */
export async function segmentCsv(filter: SegmentFilter | null, now: Date, locale: Locale, timeZone: string): Promise<string> {
  const t = translator(locale);
  const members = await segmentMembers(filter, now, null);
  const day = (iso: string | null) => (iso ? todayIn(timeZone, new Date(iso)) : null);
  return toCsv(
    [
      t("segments.col.member"),
      t("segments.col.email"),
      t("segments.col.tier"),
      t("segments.col.language"),
      t("segments.col.joinedAt"),
      t("segments.col.lastActive"),
      t("segments.col.quietDays"),
      t("segments.col.score"),
      t("segments.col.npsGroup"),
      t("segments.col.telegram"),
    ],
    members.map((m) => [
      memberName(m.name, t),
      m.email,
      (locale === "ru" ? m.tierNameRu : m.tierNameEn) ?? null,
      t(`segments.language.${m.locale}`),
      day(m.joinedAt),
      day(m.lastActiveAt),
      Math.floor((now.getTime() - new Date(m.quietSince).getTime()) / 86_400_000),
      m.score,
      t(`segments.nps.${m.npsGroup}`),
      m.telegramLinked ? t("segments.yes") : t("segments.no"),
    ]),
    { locale },
  );
}
