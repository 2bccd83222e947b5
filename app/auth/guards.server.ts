import { redirect } from "@remix-run/node";
import type { Role, User } from "~/generated/prisma/client";
import { currentMembership, type Membership } from "~/billing/access.server";
import { readSessionToken, validateSessionToken } from "./session.server";

export type Viewer = {
  user: User;
  sessionId: string;
  membership: Membership | null;
};

// Loaders of one request share the lookup.
const viewers = new WeakMap<Request, Promise<Viewer | null>>();

async function lookUpViewer(request: Request): Promise<Viewer | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const session = await validateSessionToken(token);
  if (!session) return null;
  return { user: session.user, sessionId: session.id, membership: await currentMembership(session.userId) };
}

/** The signed-in member, or null for a visitor. */
export function getViewer(request: Request): Promise<Viewer | null> {
  let viewer = viewers.get(request);
  if (!viewer) {
    viewer = lookUpViewer(request);
    viewers.set(request, viewer);
  }
  return viewer;
}

/** Where to send a visitor back to after signing in: only paths on this site. */
export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  return value;
}

export async function requireUser(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return viewer;
}

export function forbidden(message = "Forbidden"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** Requires one of the roles; a signed-in member without it gets 403. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!roles.includes(viewer.user.role)) throw forbidden();
  return viewer;
}

/** Curators and owners: the staff who moderate and review. */
export function requireStaff(request: Request): Promise<Viewer> {
  return requireRole(request, "OWNER", "CURATOR");
}

export function isStaff(user: Pick<User, "role">): boolean {
  return user.role === "OWNER" || user.role === "CURATOR";
}
