import type { AccountTokenPurpose, User } from "~/generated/prisma/client";
import { db, type Tx } from "~/db.server";
import { hashPassword } from "~/auth/password.server";
import { clearRateLimit, consumeRateLimit, LOGIN_FAILURES, type RateLimitState } from "~/auth/rate-limit.server";
import { clientIp, invalidateAllSessions } from "~/auth/session.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { sendEmailVerification, sendPasswordChanged, sendPasswordReset } from "./emails.server";
import { RESET_REQUESTS_PER_EMAIL, RESET_REQUESTS_PER_IP } from "./rate-limits.server";

/**
 * Account tokens sent by email: password resets (valid one hour) and email
 * verification (two days). 160 random bits, stored only as SHA-256, used once.
 */
export const PASSWORD_RESET_VALIDITY_MS = 60 * 60 * 1000;
export const EMAIL_VERIFICATION_VALIDITY_MS = 48 * 60 * 60 * 1000;

async function createAccountToken(tx: Tx, userId: string, purpose: AccountTokenPurpose, validityMs: number) {
  const token = generateToken();
  await tx.accountToken.create({
    data: { tokenHash: hashToken(token), purpose, userId, expiresAt: new Date(Date.now() + validityMs) },
  });
  return token;
}

type Recipient = Pick<User, "id" | "email" | "name" | "locale">;

export async function issueEmailVerification(user: Recipient, tx?: Tx) {
  const write = async (client: Tx) => {
    const token = await createAccountToken(client, user.id, "EMAIL_VERIFICATION", EMAIL_VERIFICATION_VALIDITY_MS);
    await sendEmailVerification(user, token, client);
    return token;
  };
  return tx ? write(tx) : db.$transaction(write);
}

export type ResetRequest = { ok: true } | { ok: false; rateLimited: RateLimitState };

/**
 * Emails a reset link when the address belongs to an active account. The answer is
 * the same either way, so the form does not tell who is a member.
 */
export async function requestPasswordReset(email: string, request: Request): Promise<ResetRequest> {
  const normalized = email.trim().toLowerCase();
  const byIp = await consumeRateLimit(RESET_REQUESTS_PER_IP, [`ip:${clientIp(request)}`]);
  if (byIp.limited) return { ok: false, rateLimited: byIp };
  const byEmail = await consumeRateLimit(RESET_REQUESTS_PER_EMAIL, [`email:${normalized}`]);
  if (byEmail.limited) return { ok: false, rateLimited: byEmail };

  const user = await db.user.findUnique({ where: { email: normalized } });
  if (!user || user.deactivatedAt) return { ok: true };
  await db.$transaction(async (tx) => {
    const token = await createAccountToken(tx, user.id, "PASSWORD_RESET", PASSWORD_RESET_VALIDITY_MS);
    await sendPasswordReset(user, token, tx);
  });
  return { ok: true };
}

export type TokenProblem = "unknown" | "expired" | "used";

/** What a token in a link is, without using it. */
export async function inspectAccountToken(token: string, purpose: AccountTokenPurpose) {
  if (!/^[a-z2-7]{32}$/.test(token)) return { ok: false as const, reason: "unknown" as TokenProblem };
  const row = await db.accountToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.purpose !== purpose || row.user.deactivatedAt) return { ok: false as const, reason: "unknown" as TokenProblem };
  if (row.usedAt) return { ok: false as const, reason: "used" as TokenProblem };
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false as const, reason: "expired" as TokenProblem };
  return { ok: true as const, user: row.user };
}

/** Uses the token if it is, at this instant, unused and unexpired; tells which problem it has otherwise. */
async function claimAccountToken(tx: Tx, token: string, purpose: AccountTokenPurpose, now: Date) {
  const tokenHash = hashToken(token);
  // A deactivated account's links stop working, as its sign-in does.
  const count = await tx.$executeRaw`
    UPDATE "AccountToken" t SET "usedAt" = ${now}
    FROM "User" u
    WHERE t."tokenHash" = ${tokenHash} AND t."purpose" = ${purpose}::"AccountTokenPurpose"
      AND t."usedAt" IS NULL AND t."expiresAt" > ${now}
      AND u.id = t."userId" AND u."deactivatedAt" IS NULL`;
  const row = await tx.accountToken.findUnique({ where: { tokenHash }, include: { user: { select: { deactivatedAt: true } } } });
  if (count === 1 && row) return { ok: true as const, userId: row.userId };
  if (!row || row.purpose !== purpose || row.user.deactivatedAt) return { ok: false as const, reason: "unknown" as TokenProblem };
  return { ok: false as const, reason: (row.usedAt ? "used" : "expired") as TokenProblem };
}

export type ResetResult = { ok: true; userId: string } | { ok: false; reason: TokenProblem };

/**
 * Sets the new password and ends every session of the account: whoever held the old
 * password, or a stolen cookie, is signed out. The reset also proves the mailbox.
 */
export async function resetPassword(token: string, password: string): Promise<ResetResult> {
  const checked = await inspectAccountToken(token, "PASSWORD_RESET");
  if (!checked.ok) return checked;
  const passwordHash = await hashPassword(password);
  const result = await db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await claimAccountToken(tx, token, "PASSWORD_RESET", now);
    if (!claimed.ok) return claimed;
    const user = await tx.user.update({
      where: { id: claimed.userId },
      data: { passwordHash, emailVerifiedAt: checked.user.emailVerifiedAt ?? now },
    });
    await sendPasswordChanged(user, now, tx);
    // Other reset links sent before this one stop working too.
    await tx.accountToken.updateMany({
      where: { userId: user.id, purpose: "PASSWORD_RESET", usedAt: null },
      data: { usedAt: now },
    });
    return { ok: true as const, userId: user.id, email: user.email };
  });
  if (!result.ok) return result;
  await invalidateAllSessions(result.userId);
  await clearRateLimit(LOGIN_FAILURES, [`account:${result.email}`]);
  return { ok: true, userId: result.userId };
}

export type VerifyEmailResult = { ok: true; userId: string } | { ok: false; reason: TokenProblem };

export async function verifyAccountEmail(token: string): Promise<VerifyEmailResult> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { ok: false, reason: "unknown" };
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await claimAccountToken(tx, token, "EMAIL_VERIFICATION", now);
    if (!claimed.ok) return claimed;
    await tx.user.updateMany({ where: { id: claimed.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
    return { ok: true as const, userId: claimed.userId };
  });
}
