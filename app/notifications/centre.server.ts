import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";
import type { Locale } from "~/i18n/dictionary";
import type { MemberNotificationKind } from "./kinds";
import { inAppLine, type Notice } from "./messages.server";

/**
 * The in-app centre: the bell's count and the list at /notifications. The count rides in
 * the viewer's query (app/auth/guards.server.ts), so the bell costs no query of its own.
 */
export const UNREAD_COUNT_CAP = 100;
export const NOTIFICATIONS_PAGE_SIZE = 20;

/** Unread entries of `userId`, counted up to the cap (the bell shows "99+" beyond), from Notification_userId_readAt_idx. */
export function unreadNotificationsSql(userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT count(*)::int FROM (
    SELECT 1 FROM "Notification" n WHERE n."userId" = ${userId} AND n."readAt" IS NULL LIMIT ${UNREAD_COUNT_CAP}) AS unread)`;
}

export type CentreEntry = { id: string; line: string; url: string; createdAt: Date; read: boolean };

/** One page of the member's entries, newest first, each rendered in the reader's language. */
export async function listNotifications(userId: string, locale: Locale, page: number) {
  const rows = await db.notification.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * NOTIFICATIONS_PAGE_SIZE,
    take: NOTIFICATIONS_PAGE_SIZE + 1,
  });
  const entries: CentreEntry[] = rows.slice(0, NOTIFICATIONS_PAGE_SIZE).map((row) => ({
    id: row.id,
    line: inAppLine(locale, { kind: row.kind as MemberNotificationKind, values: row.values, url: row.url } as Notice),
    url: row.url,
    createdAt: row.createdAt,
    read: row.readAt !== null,
  }));
  return { entries, hasOlder: rows.length > NOTIFICATIONS_PAGE_SIZE };
}

/** Marks one of the member's own entries read (another member's id changes nothing). */
export async function markNotificationRead(userId: string, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: now } });
  return count > 0;
}

export async function markAllNotificationsRead(userId: string, now = new Date()): Promise<number> {
  const { count } = await db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: now } });
  return count;
}
