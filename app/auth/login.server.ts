import { db } from "~/db.server";
import { recordActivity } from "~/metrics/activity.server";
import { knownDeviceOf } from "./devices.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { clearRateLimit, LOGIN_FAILURES, LOGIN_FAILURES_PER_ADDRESS, reserveRateLimit, type RateLimitState } from "./rate-limit.server";
import { clientIp, createSession } from "./session.server";

export type LoginResult =
  | { ok: true; token: string; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; state: RateLimitState };

/**
 * Signs a member in. Each attempt takes a slot before the password is checked (so a burst
 * cannot outrun the count), and gives it back if the password was right. Failures count per
 * address, and per account, or, on a browser the member signed in from before, per device
 * instead: strangers cannot lock a member out of their own browser
 * (docs/decisions/007-login-lockouts.md). An unknown email and a wrong password look the
 * same, in message and in time.
 */
export async function logIn(request: Request, email: string, password: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email: normalized } });
  const device = user ? await knownDeviceOf(request, user.id) : null;
  const who = device ? `device:${device}` : `account:${normalized}`;
  const reservation = await reserveRateLimit([
    [LOGIN_FAILURES_PER_ADDRESS, [`ip:${clientIp(request)}`]],
    [LOGIN_FAILURES, [who]],
  ]);
  if (reservation.limited) return { ok: false, reason: "rate-limited", state: reservation };

  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await decoyPasswordHash(), password), false);
  if (!user || !valid || user.deactivatedAt) return { ok: false, reason: "invalid" };
  await reservation.release();
  await clearRateLimit(LOGIN_FAILURES, [who]);
  // A fresh session at every sign-in: an old cookie can never be carried into it.
  const { token } = await createSession(user.id, request);
  recordActivity(user.id, "SIGN_IN");
  return { ok: true, token, userId: user.id };
}
