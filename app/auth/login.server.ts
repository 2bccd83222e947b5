import { db } from "~/db.server";
import { recordActivity } from "~/metrics/activity.server";
import { knownDeviceOf, rememberDevice } from "./devices.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { clearRateLimit, LOGIN_FAILURES, LOGIN_FAILURES_PER_ADDRESS, reserveRateLimit, type RateLimitState } from "./rate-limit.server";
import { clientIp, commitSessionCookie, createSession } from "./session.server";
import { createTwoFactorChallenge, hasTwoFactor } from "./two-factor.server";

export type LoginResult =
  | { ok: true; token: string; userId: string }
  /** The password was right and the member uses two-factor sign-in: no session yet, a challenge. */
  | { ok: "two-factor"; challengeCookie: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; state: RateLimitState };

/**
 * Signs a member in. Each attempt takes a slot before the password is checked (so a burst
 * cannot outrun the count), and gives it back if the password was right. Failures count per
 * address, and per account, or, on a browser the member signed in from before, per device
 * instead: strangers cannot lock a member out of their own browser
 * (docs/decisions/007-login-lockouts.md). An unknown email and a wrong password look the
 * same, in message and in time. A member with two-factor sign-in gets no session here but a
 * challenge, answered with a code on /login/two-factor (app/auth/two-factor.server.ts).
 */
export async function logIn(request: Request, email: string, password: string, redirectTo = "/forum"): Promise<LoginResult> {
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
  if (await hasTwoFactor(user.id)) return { ok: "two-factor", challengeCookie: await createTwoFactorChallenge(user.id, redirectTo) };
  return { ok: true, token: await startSession(request, user.id), userId: user.id };
}

/** The end of every sign-in (the password, or the password and then the code): a fresh session. */
export async function startSession(request: Request, userId: string): Promise<string> {
  // A fresh session at every sign-in: an old cookie can never be carried into it.
  const { token } = await createSession(userId, request);
  recordActivity(userId, "SIGN_IN");
  return token;
}

/** The cookies of a signed-in browser: the session, and this browser remembered for the member. */
export async function signedInHeaders(request: Request, token: string, userId: string): Promise<Headers> {
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionCookie(token));
  headers.append("Set-Cookie", await rememberDevice(request, userId));
  return headers;
}
