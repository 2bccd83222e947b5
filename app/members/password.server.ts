import { db } from "~/db.server";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { consumeRateLimit, type RateLimit, type RateLimitState } from "~/auth/rate-limit.server";
import { readSessionToken } from "~/auth/session.server";
import { hashToken } from "~/auth/tokens.server";
import { sendPasswordChanged } from "~/admission/emails.server";

/** Tries at the current password on /account: a stolen session cannot guess it for long. */
export const PASSWORD_CHANGES_PER_ACCOUNT: RateLimit = { bucket: "password-change", limit: 10, windowMs: 60 * 60 * 1000 };

export type PasswordChange = { ok: true } | { ok: false; reason: "wrong-password" } | { ok: false; reason: "rate-limited"; state: RateLimitState };

/**
 * A member changes their password, proving the current one. Every other session of the
 * account ends (whoever knew the old password is signed out); this browser stays signed in.
 * The member is emailed that the password changed.
 */
export async function changePassword(request: Request, userId: string, input: { currentPassword: string; password: string }): Promise<PasswordChange> {
  const state = await consumeRateLimit(PASSWORD_CHANGES_PER_ACCOUNT, [`user:${userId}`]);
  if (state.limited) return { ok: false, reason: "rate-limited", state };
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, name: true, locale: true, passwordHash: true } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) return { ok: false, reason: "wrong-password" };
  const passwordHash = await hashPassword(input.password);
  const token = await readSessionToken(request);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId, ...(token ? { NOT: { id: hashToken(token) } } : {}) } });
    await sendPasswordChanged(user, new Date(), tx);
  });
  return { ok: true };
}
