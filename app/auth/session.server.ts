import { createCookie } from "@remix-run/node";
import { db } from "~/db.server";
import { Prisma, type User } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { SESSION_COOKIE } from "./session-cookie";
import { generateToken, hashToken } from "./tokens.server";

/**
 * Database sessions, the way the Lucia project teaches them now
 * (docs/decisions/003-sessions-without-lucia.md): the cookie holds a random token,
 * the Session table holds only its SHA-256, and a session expires after
 * SESSION_IDLE_DAYS without use, sliding forward when it is used.
 */
export { SESSION_COOKIE };

function sessionCookie() {
  return createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: env().SESSION_IDLE_DAYS * 24 * 60 * 60,
  });
}

function idleMs() {
  return env().SESSION_IDLE_DAYS * 24 * 60 * 60 * 1000;
}

export async function createSession(userId: string, request?: Request) {
  const token = generateToken();
  const session = await db.session.create({
    data: {
      id: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + idleMs()),
      userAgent: request?.headers.get("User-Agent")?.slice(0, 300) ?? null,
      ip: request ? clientIp(request) : null,
    },
  });
  return { token, session };
}

export async function commitSessionCookie(token: string) {
  return sessionCookie().serialize(token);
}

export async function clearSessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[a-z2-7]{32}$/.test(value) ? value : null;
}

/**
 * The session and its user for a token, or null when the token is unknown, expired or
 * its user is deactivated. Slides the expiry forward once half the idle window has passed,
 * so an active member is not written to on every request.
 * Every signed-in request runs this, so it is one SQL round trip, not a Prisma model query,
 * and a caller may ask for more in the same trip: `also` is an SQL expression over the user
 * (`u`), returned as `also` (the page's viewer asks for the membership this way).
 */
export async function validateSessionToken<Also = null>(token: string, also: Prisma.Sql = Prisma.sql`NULL`) {
  const id = hashToken(token);
  const [row] = await db.$queryRaw<Array<User & { sessionExpiresAt: Date; sessionAlso: Also }>>`
    SELECT s."expiresAt" AS "sessionExpiresAt", ${also} AS "sessionAlso", u.*
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s.id = ${id}`;
  if (!row) return null;
  const { sessionExpiresAt, sessionAlso, ...user } = row;
  const session = { id, userId: user.id, expiresAt: sessionExpiresAt, user, also: sessionAlso };
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || user.deactivatedAt) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (session.expiresAt.getTime() - now < idleMs() / 2) {
    session.expiresAt = new Date(now + idleMs());
    await db.session.update({ where: { id }, data: { expiresAt: session.expiresAt, lastUsedAt: new Date(now) } });
  }
  return session;
}

export async function invalidateSession(token: string) {
  await db.session.deleteMany({ where: { id: hashToken(token) } });
}

/** "Sign out everywhere", and what a password reset does. */
export async function invalidateAllSessions(userId: string) {
  await db.session.deleteMany({ where: { userId } });
}

export function clientIp(request: Request): string {
  // Set by scripts/serve.ts from the socket (or X-Forwarded-For behind a trusted proxy).
  return request.headers.get("X-Coterie-Client-Ip") ?? "unknown";
}
