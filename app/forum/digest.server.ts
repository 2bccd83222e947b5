import type { User } from "~/generated/prisma/client";
import { getClubSettings } from "~/club.server";
import { db } from "~/db.server";
import { queue, QUEUES } from "~/jobs/queue.server";
import { log } from "~/log.server";
import { NOTIFICATION_CHANNELS } from "~/notifications/kinds";
import { emailFor, type Notice } from "~/notifications/messages.server";
import { notify } from "~/notifications/notify.server";
import { forumReaderOfUser, readableCategoryIds, type ForumReader } from "./access.server";

/**
 * The weekly digest (a pg-boss schedule, see app/jobs/workers.server.ts). It goes to
 * members who were quiet in the forum that week (no thread, no reply) and did not turn the
 * DIGEST kind off on every channel, through the notifications layer, listing the threads they missed: threads in categories they may
 * read with new posts that week that they have not read since. Nothing to list, no email.
 * One digest per member per week: ForumDigest's key (userId, periodEnd) makes a second
 * run of the same week send nothing.
 */
export const DIGEST_DAYS = 7;
export const DIGEST_MAX_THREADS = 10;

export type DigestPeriod = { since: Date; end: Date };

/** The seven whole UTC days before the day `now` falls in. */
export function digestPeriod(now = new Date()): DigestPeriod {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { since: new Date(end.getTime() - DIGEST_DAYS * 86_400_000), end };
}

export type MissedThread = {
  id: string;
  title: string;
  categoryNameEn: string;
  categoryNameRu: string;
  newPosts: number;
  latestAt: Date;
};

/** Members who want the digest somewhere, posted nothing in the period, and have not had this week's. */
export async function quietMembers(period: DigestPeriod): Promise<User[]> {
  return db.$queryRaw<User[]>`
    SELECT u.* FROM "User" u
    WHERE u."deactivatedAt" IS NULL
      AND u."createdAt" < ${period.end}
      -- A channel the member can be reached on (Telegram only once linked) where the digest is not off.
      AND EXISTS (
        SELECT 1 FROM unnest(${[...NOTIFICATION_CHANNELS]}::text[]) AS c(channel)
        WHERE (c.channel <> 'TELEGRAM' OR EXISTS (SELECT 1 FROM "TelegramLink" l WHERE l."userId" = u.id))
          AND NOT EXISTS (
            SELECT 1 FROM "NotificationPreference" np
            WHERE np."userId" = u.id AND np."kind" = 'DIGEST' AND np."channel"::text = c.channel AND NOT np."enabled"))
      AND NOT EXISTS (
        SELECT 1 FROM "ForumPost" p
        WHERE p."authorId" = u.id AND p."createdAt" >= ${period.since} AND p."createdAt" < ${period.end})
      AND NOT EXISTS (
        SELECT 1 FROM "ForumDigest" d WHERE d."userId" = u.id AND d."periodEnd" = ${period.end})
    ORDER BY u."createdAt", u.id`;
}

export async function missedThreads(reader: ForumReader, period: DigestPeriod): Promise<MissedThread[]> {
  const categoryIds = await readableCategoryIds(reader);
  if (!categoryIds.length) return [];
  const rows = await db.$queryRaw<Array<Omit<MissedThread, "newPosts"> & { newPosts: bigint }>>`
    SELECT t.id, t.title, c."nameEn" AS "categoryNameEn", c."nameRu" AS "categoryNameRu",
           count(p.id) AS "newPosts", max(p."createdAt") AS "latestAt"
    FROM "ForumThread" t
    JOIN "ForumCategory" c ON c.id = t."categoryId"
    LEFT JOIN "ForumThreadRead" r ON r."threadId" = t.id AND r."userId" = ${reader.userId}
    JOIN "ForumPost" p ON p."threadId" = t.id AND p."createdAt" >= ${period.since} AND p."createdAt" < ${period.end}
         AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND p."authorId" <> ${reader.userId}
         AND (r."lastReadAt" IS NULL OR p."createdAt" > r."lastReadAt")
    WHERE t."lastPostAt" >= ${period.since} AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL
      AND t."categoryId" = ANY(${categoryIds})
    GROUP BY t.id, t.title, c."nameEn", c."nameRu"
    ORDER BY count(p.id) DESC, max(p."createdAt") DESC, t.id
    LIMIT ${DIGEST_MAX_THREADS}`;
  return rows.map((row) => ({ ...row, newPosts: Number(row.newPosts) }));
}

/** What the digest tells one member: the threads they missed, in the notifications layer's terms. */
function digestNotice(member: Pick<User, "name">, clubName: string, threads: MissedThread[]): Notice {
  return {
    kind: "DIGEST",
    values: {
      name: member.name,
      club: clubName,
      threads: threads.map((thread) => ({
        id: thread.id,
        title: thread.title,
        categoryEn: thread.categoryNameEn,
        categoryRu: thread.categoryNameRu,
        newPosts: thread.newPosts,
      })),
    },
    url: "/forum",
  };
}

export type DigestPreview = {
  period: DigestPeriod;
  /** Members the next run writes to (quiet this week, digest wanted, not sent yet). */
  quietCount: number;
  /** Digests already sent for this period. */
  sentCount: number;
  member: { email: string; name: string; locale: string } | null;
  /** null: this member has nothing to catch up on, so they would get no digest. */
  email: { subject: string; text: string } | null;
};

/**
 * For staff at /admin/digest: this week's digest as one member would get it (the member
 * given, else the first who would get one), and how many it goes to. Reads only.
 */
export async function previewDigest(email: string | null, now = new Date()): Promise<DigestPreview> {
  const period = digestPeriod(now);
  const [club, quiet, sentCount] = await Promise.all([
    getClubSettings(),
    quietMembers(period),
    db.forumDigest.count({ where: { periodEnd: period.end } }),
  ]);
  const candidates = email ? await db.user.findMany({ where: { email: email.trim().toLowerCase() } }) : quiet;
  let chosen: { member: User; threads: MissedThread[] } | null = null;
  for (const member of candidates.slice(0, 50)) {
    const reader = await forumReaderOfUser(member);
    const threads = reader ? await missedThreads(reader, period) : [];
    if (threads.length || email) {
      chosen = { member, threads };
      break;
    }
  }
  const rendered = chosen?.threads.length ? emailFor(chosen.member.locale, digestNotice(chosen.member, club.name, chosen.threads)) : null;
  return {
    period,
    quietCount: quiet.length,
    sentCount,
    member: chosen ? { email: chosen.member.email, name: chosen.member.name, locale: chosen.member.locale } : null,
    email: rendered ? { subject: rendered.subject, text: rendered.text } : null,
  };
}

/** Staff's "send now": this week's digest goes out through the job queue, not in the request. */
export async function queueDigestNow(): Promise<string | null> {
  const boss = await queue();
  return boss.send(QUEUES.forumDigest, { requestedAt: new Date().toISOString() });
}

export async function sendWeeklyDigests(now = new Date()): Promise<{ sent: number; quiet: number }> {
  const period = digestPeriod(now);
  const club = await getClubSettings();
  const members = await quietMembers(period);
  let sent = 0;
  for (const member of members) {
    const reader = await forumReaderOfUser(member);
    if (!reader) continue;
    const threads = await missedThreads(reader, period);
    if (!threads.length) continue;
    const queued = await db.$transaction(async (tx) => {
      const { count } = await tx.forumDigest.createMany({
        data: [{ userId: member.id, periodEnd: period.end, threadCount: threads.length }],
        skipDuplicates: true,
      });
      if (!count) return false;
      await notify(tx, { userId: member.id, ...digestNotice(member, club.name, threads) });
      return true;
    });
    if (queued) sent += 1;
  }
  log.info("forum digest", { periodEnd: period.end.toISOString(), quiet: members.length, sent });
  return { sent, quiet: members.length };
}

/** Mondays at 07:00 in the club's time zone, for the seven days before. */
export const DIGEST_CRON = "0 7 * * 1";

/** Schedules the weekly digest and works its queue (started by app/jobs/workers.server.ts). */
export async function workForumDigest() {
  const boss = await queue();
  const club = await getClubSettings();
  await boss.schedule(QUEUES.forumDigest, DIGEST_CRON, {}, { tz: club.timeZone });
  await boss.work(QUEUES.forumDigest, async () => {
    await sendWeeklyDigests();
  });
}
