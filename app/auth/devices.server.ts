import { createCookie } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { generateToken, hashToken } from "./tokens.server";

/**
 * Known devices: a browser a member signed in from before keeps a random token in a
 * long-lived cookie; the KnownDevice table keeps its SHA-256. Wrong passwords typed on a
 * known device count against that device, not against the account, so a stranger typing
 * wrong passwords for the member's email cannot lock the member out of their own browser
 * (docs/decisions/007-login-lockouts.md).
 */
export const DEVICE_COOKIE = "coterie_device";
const DEVICE_DAYS = 365;

function deviceCookie() {
  return createCookie(DEVICE_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: DEVICE_DAYS * 24 * 60 * 60,
  });
}

async function deviceToken(request: Request): Promise<string | null> {
  const value = await deviceCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[a-z2-7]{32}$/.test(value) ? value : null;
}

/** The id of this browser's known device for the member, or null. */
export async function knownDeviceOf(request: Request, userId: string): Promise<string | null> {
  const token = await deviceToken(request);
  if (!token) return null;
  const id = hashToken(token);
  const device = await db.knownDevice.findFirst({
    where: { id, userId, lastUsedAt: { gt: new Date(Date.now() - DEVICE_DAYS * 86_400_000) } },
    select: { id: true },
  });
  return device?.id ?? null;
}

/** After a right password: remembers this browser for the member, returns its Set-Cookie. */
export async function rememberDevice(request: Request, userId: string): Promise<string> {
  const current = await knownDeviceOf(request, userId);
  if (current) {
    await db.knownDevice.update({ where: { id: current }, data: { lastUsedAt: new Date() } });
    return deviceCookie().serialize(await deviceToken(request));
  }
  const token = generateToken();
  await db.knownDevice.create({ data: { id: hashToken(token), userId } });
  return deviceCookie().serialize(token);
}

/** A changed password forgets every browser but the one it was changed from. */
export async function forgetDevices(userId: string, except?: string | null) {
  await db.knownDevice.deleteMany({ where: { userId, ...(except ? { id: { not: except } } : {}) } });
}
