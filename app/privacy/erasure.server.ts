import { randomUUID } from "node:crypto";
import { recordAudit } from "~/audit/audit.server";
import { verifyPassword } from "~/auth/password.server";
import { consumeRateLimit, type RateLimit } from "~/auth/rate-limit.server";
import { hashToken } from "~/auth/tokens.server";
import { callStripe, isMissingResource, PaymentServiceUnavailable } from "~/billing/stripe.server";
import { db, type Tx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { translator, type MessageKey } from "~/i18n/dictionary";
import { log } from "~/log.server";
import { leavePlaybooks } from "~/playbooks/scheduler.server";
import { settleMember } from "~/telegram/chats.server";
import { escapeHtml } from "~/ui/escape-html";
import { applicationIdsOf } from "./export.server";

/**
 * A member deletes their account (/account/data), proving their password. In order:
 * 1. Stripe cancels their open subscriptions (network, before any write: when Stripe cannot be
 *    reached nothing is erased, so nobody is erased while still being billed);
 * 2. Telegram takes them out of the club's gated chats while the link still says who they are;
 * 3. one transaction ends their sessions, drops their tokens, devices, second factor,
 *    notifications and Telegram link, erases their personal data everywhere it is written, and
 *    records `account.erase` in the audit log (ids only).
 * The User row stays, with an empty name (`memberName()` shows "Former member"), so that their
 * posts, roadmap items, votes and payments still point somewhere. Payments keep their amounts.
 */
export const ERASURE_ATTEMPTS: RateLimit = { bucket: "account-erase", limit: 10, windowMs: 60 * 60 * 1000 };

export type ErasureResult =
  | { ok: true }
  | { ok: false; field: "password" | "form"; message: MessageKey; values?: Record<string, number>; retryAfterSeconds?: number };

/** The address an erased account keeps: `User.email` is unique and required. */
export const erasedEmail = (id: string) => `erased-${id}@erased.invalid`;

class LastOwner extends Error {}

export async function eraseAccount(userId: string, input: { password: string }, now = new Date()): Promise<ErasureResult> {
  const state = await consumeRateLimit(ERASURE_ATTEMPTS, [`user:${userId}`]);
  if (state.limited) {
    return { ok: false, field: "form", message: "privacy.erase.rateLimited", values: { minutes: Math.ceil(state.retryAfterSeconds / 60) }, retryAfterSeconds: state.retryAfterSeconds };
  }
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) return { ok: false, field: "password", message: "privacy.erase.wrongPassword" };
  if (user.role === "OWNER" && (await otherOwners(db, userId)) === 0) return { ok: false, field: "password", message: "privacy.erase.lastOwner" };

  try {
    await cancelStripeSubscriptions(userId);
  } catch (error) {
    if (error instanceof PaymentServiceUnavailable) return { ok: false, field: "form", message: "privacy.erase.paymentUnavailable" };
    throw error;
  }

  // As "unlink" on /account does: a Telegram failure is logged and the member still leaves.
  if (await db.telegramLink.findUnique({ where: { userId } })) {
    await settleMember(userId, { unlinking: true }).catch((error: Error) => log.warn("telegram removal on erasure", { error: error.message }));
  }

  try {
    await db.$transaction((tx) => eraseInTransaction(tx, user, now), { timeout: 60_000, maxWait: 10_000 });
  } catch (error) {
    if (error instanceof LastOwner) return { ok: false, field: "password", message: "privacy.erase.lastOwner" };
    throw error;
  }
  return { ok: true };
}

/** Owners other than this one who can still act (not erased, not deactivated). */
async function otherOwners(client: Tx | typeof db, userId: string) {
  return client.user.count({ where: { role: "OWNER", id: { not: userId }, erasedAt: null, deactivatedAt: null } });
}

/** Stripe's DELETE /v1/subscriptions/:id for every open Stripe subscription (test mode has none). */
async function cancelStripeSubscriptions(userId: string) {
  if (!env().STRIPE_SECRET_KEY) return;
  const open = await db.subscription.findMany({ where: { userId, endedAt: null, stripeSubscriptionId: { not: null } }, select: { stripeSubscriptionId: true }, distinct: ["stripeSubscriptionId"] });
  for (const { stripeSubscriptionId: id } of open) {
    try {
      await callStripe("cancel subscription", (stripe) => stripe.subscriptions.cancel(id!, {}, { idempotencyKey: `erase-${id}` }));
    } catch (error) {
      // Already gone in Stripe (deleted in the dashboard): nothing left to bill.
      if (!isMissingResource(error)) throw error;
    }
  }
}

type Erased = { id: string; email: string; name: string; locale: "en" | "ru"; role: string };

async function eraseInTransaction(tx: Tx, user: Erased, now: Date) {
  // A second request of the same member that waited on this lock finds the work done.
  const [locked] = await tx.$queryRaw<Array<{ erasedAt: Date | null }>>`SELECT "erasedAt" FROM "User" WHERE id = ${user.id} FOR UPDATE`;
  if (locked?.erasedAt) return;
  if (user.role === "OWNER") {
    // Two owners deleting themselves at once must not leave the club with none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('owner-erasure'))`;
    if ((await otherOwners(tx, user.id)) === 0) throw new LastOwner();
  }
  const formerMember = translator(user.locale)("privacy.formerMember");
  const applicationIds = await applicationIdsOf(user, tx);
  const applications = await tx.application.findMany({ where: { id: { in: applicationIds } }, select: { id: true, email: true, vouchId: true } });
  const emails = [...new Set([user.email, ...applications.map((a) => a.email)].map((e) => e.toLowerCase()))];
  const link = await tx.telegramLink.findUnique({ where: { userId: user.id }, select: { chatId: true } });

  // Signing in, tokens and everything kept only for the member themselves.
  await tx.session.deleteMany({ where: { userId: user.id } });
  await tx.accountToken.deleteMany({ where: { userId: user.id } });
  await tx.knownDevice.deleteMany({ where: { userId: user.id } });
  await tx.twoFactorCredential.deleteMany({ where: { userId: user.id } });
  await tx.twoFactorRecoveryCode.deleteMany({ where: { userId: user.id } });
  await tx.twoFactorChallenge.deleteMany({ where: { userId: user.id } });
  await tx.notification.deleteMany({ where: { userId: user.id } });
  await tx.notificationPreference.deleteMany({ where: { userId: user.id } });
  await tx.testPaymentMethod.deleteMany({ where: { userId: user.id } });
  await tx.telegramLinkToken.deleteMany({ where: { userId: user.id } });
  await tx.telegramMessage.deleteMany({ where: { OR: [{ userId: user.id }, ...(link ? [{ chatId: link.chatId }] : [])] } });
  await tx.telegramLink.deleteMany({ where: { userId: user.id } });
  await tx.$executeRaw`DELETE FROM "RateLimitHit" WHERE key = ANY(${emails.map((e) => `email:${e}`)})`;

  // Membership ends now (Stripe was told above); the Subscription trigger queues a Telegram check we no longer need.
  await tx.subscription.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: now, status: "CANCELED", cancelAtPeriodEnd: false } });
  await tx.telegramAccessCheck.deleteMany({ where: { userId: user.id } });
  await leavePlaybooks(tx, user.id, applicationIds, now);

  await tx.user.update({
    where: { id: user.id },
    data: { name: "", email: erasedEmail(user.id), company: null, jobTitle: null, passwordHash: null, emailVerifiedAt: null, erasedAt: now, deactivatedAt: now },
  });

  // Admission: their applications, the vouches and invites that name them.
  for (const application of applications) {
    await tx.application.update({
      where: { id: application.id },
      data: { name: "", email: erasedEmail(application.id), company: "", jobTitle: "", rejectionReason: null, accessTokenHash: hashToken(randomUUID()) },
    });
  }
  await tx.applicationAnswer.deleteMany({ where: { applicationId: { in: applicationIds } } });
  await tx.applicationReview.updateMany({ where: { applicationId: { in: applicationIds } }, data: { comment: "" } });
  await tx.applicationDecision.updateMany({ where: { applicationId: { in: applicationIds } }, data: { reason: null } });
  const vouchIds = [
    ...applications.map((a) => a.vouchId).filter((id): id is string => Boolean(id)),
    ...(await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Vouch" WHERE lower(email) = ANY(${emails})`).map((v) => v.id),
  ];
  for (const id of new Set(vouchIds)) await tx.vouch.update({ where: { id }, data: { name: "", email: erasedEmail(id), note: "" } });
  const bound = Prisma.sql`(lower(email) = ANY(${emails}) OR "applicationId" = ANY(${applicationIds}) OR "usedById" = ${user.id})`;
  // An unused invite bound to their address stops working rather than becoming anyone's.
  await tx.$executeRaw`UPDATE "Invite" SET "revokedAt" = ${now} WHERE ${bound} AND "usedAt" IS NULL AND "revokedAt" IS NULL`;
  await tx.$executeRaw`UPDATE "Invite" SET email = NULL, note = '' WHERE ${bound}`;

  // What they said in surveys and what staff wrote about them.
  await tx.npsResponse.updateMany({ where: { userId: user.id }, data: { comment: null } });
  await tx.memberFollowUp.updateMany({ where: { memberId: user.id }, data: { note: null } });
  await tx.curatorTask.updateMany({ where: { memberId: user.id }, data: { note: "" } });
  await tx.$executeRaw`UPDATE "NpsReply" SET "body" = '' WHERE "responseId" IN (SELECT id FROM "NpsResponse" WHERE "userId" = ${user.id})`;

  // The emails the club sent them (their bodies hold their name and address).
  await tx.$executeRaw`DELETE FROM "Email" WHERE "userId" = ${user.id} OR lower("to") = ANY(${emails})`;

  // Others' mentions of them: the link goes, the name becomes "Former member".
  const mentioned = await tx.forumMention.findMany({ where: { userId: user.id }, select: { postId: true } });
  if (mentioned.length) {
    const anchor = `<a href="/members/${encodeURIComponent(user.id)}"[^>]*>@[^<]*</a>`;
    await tx.$executeRaw`UPDATE "ForumPost" SET "bodyHtml" = regexp_replace("bodyHtml", ${anchor}, ${`@${escapeHtml(formerMember)}`}, 'g')
      WHERE id = ANY(${mentioned.map((m) => m.postId)})`;
  }
  await tx.forumMention.deleteMany({ where: { userId: user.id } });

  // Anything else that quotes their full name or their address (notices to others, emails
  // to staff, others' posts and notes). A one-word name is too common to replace in others' text.
  const texts = [...emails, ...(user.name.trim().includes(" ") ? [user.name.trim()] : [])];
  for (const text of texts) await replaceEverywhere(tx, text, formerMember);
  // A mention by a one-word name is still theirs: replaced in the posts that mention them.
  if (mentioned.length && !user.name.trim().includes(" ") && user.name.trim()) {
    await replaceIn(tx, "ForumPost", ["body", "bodyText", "bodyHtml"], wordPattern(`@${user.name.trim()}`), `@${formerMember}`, mentioned.map((m) => m.postId));
  }

  await recordAudit(tx, { actorId: null, action: "account.erase", subjectType: "User", subjectId: user.id });
}

/** Free text written by others that may name the member. The audit log holds no names (and cannot be changed). */
const FREE_TEXT: Array<[table: string, columns: string[]]> = [
  ["Email", ["subject", "text", "html"]],
  ["TelegramMessage", ["text"]],
  ["ForumPost", ["title", "body", "bodyText", "bodyHtml"]],
  ["ForumThread", ["title"]],
  ["ForumReport", ["reason", "resolutionNote"]],
  ["RoadmapItem", ["title", "descriptionMd", "descriptionHtml", "summary"]],
  ["RoadmapComment", ["bodyMd", "bodyHtml"]],
  ["RoadmapStatusChange", ["note", "mergedFromTitle"]],
  ["ApplicationReview", ["comment"]],
  ["ApplicationDecision", ["reason"]],
  ["Application", ["rejectionReason"]],
  ["ApplicationAnswer", ["value"]],
  ["Vouch", ["name", "note"]],
  ["Invite", ["note"]],
  ["MemberFollowUp", ["note"]],
  ["CuratorTask", ["note"]],
  ["NpsReply", ["body"]],
  ["NpsResponse", ["comment"]],
  ["TelegramChatLog", ["reason"]],
];
const JSON_VALUES = ["Notification", "NotificationFanout"];

function escapeRegex(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Case-insensitive (by the flag), and not inside a longer word ("Ann Lee" is not in "Joann Leeds"). */
function wordPattern(text: string) {
  return `(?<![[:alnum:]_])${escapeRegex(text)}(?![[:alnum:]_])`;
}

async function replaceEverywhere(tx: Tx, text: string, replacement: string) {
  const variants = [...new Set([text, escapeHtml(text)])];
  for (const variant of variants) {
    const pattern = wordPattern(variant);
    const by = variant === text ? replacement : escapeHtml(replacement);
    for (const [table, columns] of FREE_TEXT) await replaceIn(tx, table, columns, pattern, by);
    for (const table of JSON_VALUES) {
      // Notices store their values (names, titles); every string value is rewritten.
      await tx.$executeRaw`UPDATE ${Prisma.raw(`"${table}"`)} SET "values" = (
          SELECT jsonb_object_agg(k, CASE WHEN jsonb_typeof(v) = 'string' THEN to_jsonb(regexp_replace(v #>> '{}', ${pattern}, ${by}, 'gi')) ELSE v END)
          FROM jsonb_each("values") AS e(k, v))
        WHERE jsonb_typeof("values") = 'object' AND "values"::text ~* ${pattern}`;
    }
  }
}

async function replaceIn(tx: Tx, table: string, columns: string[], pattern: string, by: string, ids?: string[]) {
  const sets = Prisma.join(columns.map((c) => Prisma.sql`${Prisma.raw(`"${c}"`)} = regexp_replace(${Prisma.raw(`"${c}"`)}, ${pattern}, ${by}, 'gi')`));
  const matches = Prisma.join(columns.map((c) => Prisma.sql`${Prisma.raw(`"${c}"`)} ~* ${pattern}`), " OR ");
  const only = ids ? Prisma.sql`AND id = ANY(${ids})` : Prisma.empty;
  await tx.$executeRaw`UPDATE ${Prisma.raw(`"${table}"`)} SET ${sets} WHERE (${matches}) ${only}`;
}
