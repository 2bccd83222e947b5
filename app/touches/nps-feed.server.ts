import { parseWithZod } from "@conform-to/zod/v4";
import { recordAudit } from "~/audit/audit.server";
import { consumeRateLimit, type RateLimit } from "~/auth/rate-limit.server";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { translator, type Locale } from "~/i18n/dictionary";
import { notify } from "~/notifications/notify.server";
import { segmentOptions, segmentRestriction } from "./segment-choice.server";
import { FEED_PAGE_SIZE, FeedFilterSchema, SCORE_GROUPS, type FeedFilter } from "./nps-feed";

/**
 * The NPS comment feed (/admin/metrics/comments): answers with a comment, newest first by
 * (createdAt, id), filtered in SQL, with the curators' replies. A reply is stored (NpsReply),
 * sent on the member's channels (FOLLOW_UP) and audited in one transaction, and shows on the
 * member's touch map.
 */

/** Replies a staff member may send: enough for a morning of answering, not a script. */
export const REPLY_LIMIT: RateLimit = { bucket: "nps-reply", limit: 20, windowMs: 10 * 60 * 1000 };

export type FeedReply = { id: string; body: string; createdAt: string; staffId: string | null; staffName: string | null };

export type FeedAnswer = {
  id: string;
  score: number;
  comment: string;
  createdAt: string;
  tierId: string | null;
  /** `deactivated`: they left or were removed; the channels deliver nothing to them. */
  member: { id: string; name: string; locale: Locale; erased: boolean; deactivated: boolean };
  replies: FeedReply[];
};

type AnswerRow = {
  id: string;
  score: number;
  comment: string;
  createdAt: Date;
  tierId: string | null;
  userId: string;
  name: string;
  locale: Locale;
  erased: boolean;
  deactivated: boolean;
};

export type FeedPage = { total: number; answers: FeedAnswer[]; older: string | null };

/** `members`: a segment's members (segmentMembersSql), or every member when null. */
export async function npsFeed(filter: FeedFilter, { timeZone, members = null, pageSize = FEED_PAGE_SIZE }: { timeZone: string; members?: Prisma.Sql | null; pageSize?: number }): Promise<FeedPage> {
  const range = filter.group ? SCORE_GROUPS[filter.group] : null;
  const [cursorMs, cursorId] = filter.before ? filter.before.split("~") : [null, null];
  const cursorAt = cursorMs ? new Date(Number(cursorMs)).toISOString() : null;
  const where = Prisma.sql`a.score IS NOT NULL AND a.comment IS NOT NULL AND a.comment <> ''
      AND (${range?.[0] ?? null}::int IS NULL OR a.score BETWEEN ${range?.[0] ?? null}::int AND ${range?.[1] ?? null}::int)
      AND (${filter.tier ?? null}::text IS NULL OR a."tierId" = ${filter.tier ?? null}::text)
      AND (${filter.answer ?? null}::text IS NULL OR a.id = ${filter.answer ?? null}::text)
      AND (${filter.from ?? null}::date IS NULL OR a."createdAt" >= (${filter.from ?? null}::date::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC')
      AND (${filter.to ?? null}::date IS NULL OR a."createdAt" < ((${filter.to ?? null}::date + 1)::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC')
      ${members ? Prisma.sql`AND a."userId" IN (${members})` : Prisma.empty}`;
  const [[count], rows] = await Promise.all([
    db.$queryRaw<Array<{ total: number }>>(Prisma.sql`SELECT count(*)::int AS total FROM "NpsResponse" a WHERE ${where}`),
    db.$queryRaw<AnswerRow[]>(Prisma.sql`
      SELECT a.id, a.score, a.comment, a."createdAt", a."tierId", u.id AS "userId", u.name, u.locale::text AS locale, u."erasedAt" IS NOT NULL AS erased,
             u."deactivatedAt" IS NOT NULL AS deactivated
      FROM "NpsResponse" a JOIN "User" u ON u.id = a."userId"
      WHERE ${where}
        AND (${cursorAt}::timestamp IS NULL OR a."createdAt" < ${cursorAt}::timestamp
             OR (a."createdAt" = ${cursorAt}::timestamp AND a.id COLLATE "C" < ${cursorId}::text COLLATE "C"))
      ORDER BY a."createdAt" DESC, a.id COLLATE "C" DESC
      LIMIT ${pageSize + 1}::int`),
  ]);
  const page = rows.slice(0, pageSize);
  const replies = page.length
    ? await db.$queryRaw<Array<FeedReply & { responseId: string; createdAt: Date }>>(Prisma.sql`
        SELECT y.id, y."responseId", y.body, y."createdAt", y."staffId", s.name AS "staffName"
        FROM "NpsReply" y LEFT JOIN "User" s ON s.id = y."staffId"
        WHERE y."responseId" = ANY(${page.map((row) => row.id)}::text[])
        ORDER BY y."createdAt", y.id`)
    : [];
  const last = page[page.length - 1];
  return {
    total: count.total,
    older: rows.length > pageSize && last ? `${last.createdAt.getTime()}~${last.id}` : null,
    answers: page.map((row) => ({
      id: row.id,
      score: row.score,
      comment: row.comment,
      createdAt: row.createdAt.toISOString(),
      tierId: row.tierId,
      member: { id: row.userId, name: row.name, locale: row.locale, erased: row.erased, deactivated: row.deactivated },
      replies: replies
        .filter((reply) => reply.responseId === row.id)
        .map((reply) => ({ id: reply.id, body: reply.body, createdAt: reply.createdAt.toISOString(), staffId: reply.staffId, staffName: reply.staffName })),
    })),
  };
}

/** The feed's page from its URL. A filter no form sends, or an unknown tier or segment, is refused at its field. */
export async function readFeed(params: URLSearchParams, now = new Date()) {
  const [club, tiers, segments] = await Promise.all([
    getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS }),
    db.tier.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, slug: true, nameEn: true, nameRu: true, position: true } }),
    segmentOptions(),
  ]);
  const choices = { tiers, segments, timeZone: club.timeZone };
  const submission = parseWithZod(params, { schema: FeedFilterSchema });
  if (submission.status !== "success") return { ok: false as const, ...choices, result: submission.reply(), feed: null };
  const filter = submission.value;
  const fieldErrors: Record<string, string[]> = {};
  if (filter.tier && !tiers.some((tier) => tier.id === filter.tier)) fieldErrors.tier = ["touches.feed.filter.unknownTier"];
  const restriction = await segmentRestriction(filter.segment, now);
  if (!restriction.ok) fieldErrors.segment = ["touches.feed.filter.unknownSegment"];
  if (Object.keys(fieldErrors).length || !restriction.ok) return { ok: false as const, ...choices, result: submission.reply({ fieldErrors }), feed: null };
  const feed = await npsFeed(filter, { timeZone: club.timeZone, members: restriction.members });
  const keep = new URLSearchParams();
  for (const key of ["group", "tier", "segment", "from", "to", "answer"] as const) {
    const value = filter[key];
    if (value) keep.set(key, value);
  }
  const link = (before?: string) => {
    const search = new URLSearchParams(keep);
    if (before) search.set("before", before);
    return `/admin/metrics/comments${search.size ? `?${search}` : ""}`;
  };
  return {
    ok: true as const,
    ...choices,
    result: null,
    feed: { ...feed, older: feed.older ? link(feed.older) : null, newest: filter.before ? link() : null, search: keep.toString() },
  };
}

export type ReplyOutcome =
  | { ok: true; replyId: string; memberName: string }
  | { ok: false; status: 404 | 409 | 429; message: string; retryAfterSeconds?: number };

/**
 * A curator's reply to an answer: stored, sent to the member on their channels in their
 * language, and audited, in one transaction. Refused for an answer that is gone, a dismissal,
 * or an erased member (checked under a lock on their row, so an erasure cannot slip between),
 * and past REPLY_LIMIT per staff member.
 */
export async function replyToAnswer(staff: { id: string }, input: { responseId: string; body: string }, now = new Date()): Promise<ReplyOutcome> {
  const limit = await consumeRateLimit(REPLY_LIMIT, [staff.id]);
  if (limit.limited) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
    return { ok: false, status: 429, message: `touches.reply.tooMany|${JSON.stringify({ minutes })}`, retryAfterSeconds: limit.retryAfterSeconds };
  }
  const club = await getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS });
  return db.$transaction(async (tx): Promise<ReplyOutcome> => {
    const [answer] = await tx.$queryRaw<Array<{ userId: string; score: number | null; locale: Locale; erased: boolean; name: string }>>`
      SELECT a."userId", a.score, u.locale::text AS locale, u."erasedAt" IS NOT NULL AS erased, u.name
      FROM "NpsResponse" a JOIN "User" u ON u.id = a."userId" WHERE a.id = ${input.responseId}
      FOR SHARE OF u`;
    if (!answer || answer.score === null) return { ok: false, status: 404, message: "touches.reply.notFound" };
    if (answer.erased) return { ok: false, status: 409, message: "touches.reply.erased" };
    const reply = await tx.npsReply.create({ data: { responseId: input.responseId, staffId: staff.id, body: input.body, createdAt: now } });
    const t = translator(answer.locale);
    const delivered = await notify(tx, {
      userId: answer.userId,
      kind: "FOLLOW_UP",
      values: { club: club.name, template: "nps-reply", texts: { [answer.locale]: { subject: t("touches.reply.subject", { club: club.name }), body: input.body } } },
      url: "/notifications",
    });
    // The reply's words are about a person: the log keeps that one was sent, and where.
    await recordAudit(tx, {
      actorId: staff.id,
      action: "nps.reply",
      subjectType: "NpsResponse",
      subjectId: input.responseId,
      after: { replyId: reply.id, memberId: answer.userId, channels: delivered },
    });
    return { ok: true, replyId: reply.id, memberName: answer.name };
  });
}
