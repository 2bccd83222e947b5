import { db } from "~/db.server";

export const OUTBOX_PAGE_SIZE = 30;

/** Every email the club has queued, newest first: the owner's outbox when no SMTP is set. */
export async function listOutbox({ page, to }: { page: number; to?: string | null }) {
  const where = to ? { to: { contains: to.trim().toLowerCase(), mode: "insensitive" as const } } : {};
  const [total, emails] = await Promise.all([
    db.email.count({ where }),
    db.email.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * OUTBOX_PAGE_SIZE,
      take: OUTBOX_PAGE_SIZE,
      select: { id: true, to: true, subject: true, text: true, template: true, locale: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true },
    }),
  ]);
  return {
    total,
    emails: emails.map((email) => ({ ...email, createdAt: email.createdAt.toISOString(), sentAt: email.sentAt?.toISOString() ?? null })),
  };
}
