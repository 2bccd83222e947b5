import { db } from "~/db.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { checkRateLimit, clearRateLimit, LOGIN_FAILURES, recordHit, type RateLimitState } from "./rate-limit.server";
import { clientIp, createSession } from "./session.server";
import { recordActivity } from "~/metrics/activity.server";

export type LoginResult =
  | { ok: true; token: string; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; state: RateLimitState };

/**
 * Signs a member in. Failures are limited per IP and per account (LOGIN_FAILURES);
 * an unknown email and a wrong password look the same, in message and in time.
 */
export async function logIn(request: Request, email: string, password: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  const keys = [`ip:${clientIp(request)}`, `account:${normalized}`];
  const limit = await checkRateLimit(LOGIN_FAILURES, keys);
  if (limit.limited) return { ok: false, reason: "rate-limited", state: limit };

  const user = await db.user.findUnique({ where: { email: normalized } });
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await decoyPasswordHash(), password), false);
  if (!user || !valid || user.deactivatedAt) {
    await recordHit(LOGIN_FAILURES, keys);
    return { ok: false, reason: "invalid" };
  }
  await clearRateLimit(LOGIN_FAILURES, [`account:${normalized}`]);
  // A fresh session at every sign-in: an old cookie can never be carried into it.
  const { token } = await createSession(user.id, request);
  recordActivity(user.id, "SIGN_IN");
  return { ok: true, token, userId: user.id };
}
