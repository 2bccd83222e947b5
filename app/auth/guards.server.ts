import { redirect } from "@remix-run/node";
import { Prisma, type Role, type User } from "~/generated/prisma/client";
import { GRACE_DAYS_SQL, membershipFrom, openSubscriptionsSql, type Membership } from "~/billing/access.server";
import { translator, type MessageKey } from "~/i18n/dictionary";
import { surveyFactsFrom, surveyFactsSql, type SurveyFacts } from "~/metrics/survey.server";
import { unreadNotificationsSql } from "~/notifications/centre.server";
import { withoutNul } from "~/ui/visible-text";
import { readSessionToken, validateSessionToken } from "./session.server";

export type Viewer = {
  user: User;
  sessionId: string;
  membership: Membership | null;
  /** For the layout's survey prompt; fetched with the session. */
  survey?: SurveyFacts;
  /** For the header's bell: unread in-app notifications, counted up to UNREAD_COUNT_CAP. */
  unreadNotifications?: number;
  /** Whether the member confirmed an authenticator, and whether the club requires one of its staff. */
  twoFactor: { enabled: boolean; requiredOfStaff: boolean };
};

/**
 * The loaders of one page share one lookup. Remix hands each loader its own copy of the
 * Request, so the copies are matched by a header the server sets on every request
 * (scripts/serve.ts, REQUEST_KEY_HEADER, overwriting anything the client sent). Only reads
 * share it: after an action the loaders look the viewer up again, since the action may
 * have changed them. Without the header (tests calling a loader directly), the Request
 * object itself is the key.
 */
export const REQUEST_KEY_HEADER = "X-Coterie-Request-Key";
const viewersByRequest = new WeakMap<Request, Promise<Viewer | null>>();
const viewersByKey = new Map<string, { at: number; viewer: Promise<Viewer | null> }>();
const SHARED_FOR_MS = 30_000;

/** The signed-in member, or null for a visitor. */
export function getViewer(request: Request): Promise<Viewer | null> {
  const requestKey = request.method === "GET" || request.method === "HEAD" ? request.headers.get(REQUEST_KEY_HEADER) : null;
  // Bound to the cookies too: a key alone never yields another person's viewer.
  const key = requestKey ? `${requestKey}\n${request.headers.get("Cookie") ?? ""}` : null;
  if (!key) {
    let viewer = viewersByRequest.get(request);
    if (!viewer) viewersByRequest.set(request, (viewer = lookUpViewer(request)));
    return viewer;
  }
  const now = Date.now();
  const found = viewersByKey.get(key);
  if (found) return found.viewer;
  // Entries are kept in the order they were made, so the expired ones are at the front.
  for (const [k, entry] of viewersByKey) {
    if (now - entry.at <= SHARED_FOR_MS) break;
    viewersByKey.delete(k);
  }
  const viewer = lookUpViewer(request);
  viewersByKey.set(key, { at: now, viewer });
  return viewer;
}

/** Everything a signed-in page needs to know about its viewer, in the session's round trip. */
const VIEWER_SQL = Prisma.sql`json_build_object(
  'open', ${openSubscriptionsSql(Prisma.raw(`u.id`))},
  'graceDays', ${GRACE_DAYS_SQL},
  'survey', ${surveyFactsSql(Prisma.raw(`u.id`))},
  'unread', ${unreadNotificationsSql(Prisma.raw(`u.id`))},
  'twoFactor', EXISTS (SELECT 1 FROM "TwoFactorCredential" c WHERE c."userId" = u.id AND c."confirmedAt" IS NOT NULL),
  'staffTwoFactor', COALESCE((SELECT "staffTwoFactorRequired" FROM "ClubSettings" WHERE id = 1), false))`;
type ViewerJson = {
  open: Parameters<typeof membershipFrom>[0];
  graceDays: number | null;
  survey: Parameters<typeof surveyFactsFrom>[0];
  unread: number;
  twoFactor: boolean;
  staffTwoFactor: boolean;
};

async function lookUpViewer(request: Request): Promise<Viewer | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const session = await validateSessionToken<ViewerJson>(token, VIEWER_SQL);
  if (!session) return null;
  const { open, graceDays, survey, unread, twoFactor, staffTwoFactor } = session.also;
  return {
    user: session.user,
    sessionId: session.id,
    membership: membershipFrom(open, graceDays),
    survey: surveyFactsFrom(survey),
    unreadNotifications: unread,
    twoFactor: { enabled: twoFactor, requiredOfStaff: staffTwoFactor },
  };
}


const OWN_ORIGIN = "http://coterie.invalid";
// Control characters (a browser drops tab and newline from a URL, so "/\t/evil" becomes
// "//evil"), the backslash (read as "/" in http URLs) and the percent-encoded forms of both.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_REDIRECT = /[\u0000-\u001f\u007f\\]|%(?:[01][0-9a-f]|7f|5c)/i;

/**
 * Where to send a visitor back to after signing in: only a path on this site. The value is
 * read the way a browser reads a Location header (resolved against our own origin), and
 * anything that could leave the origin once a browser or proxy decodes it is refused.
 */
export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2048) return fallback;
  let decoded = value;
  for (let round = 0; round < 3; round++) {
    if (UNSAFE_IN_REDIRECT.test(decoded) || /^\/\//.test(decoded) || /^\/%2f/i.test(decoded)) return fallback;
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return fallback;
    }
  }
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
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

/** Staff, or someone holding a membership now: who may use the members' areas. */
export function isMember(viewer: Pick<Viewer, "user" | "membership">): boolean {
  return isStaff(viewer.user) || viewer.membership !== null;
}

/**
 * A signed-in member or staff. An account without a membership (one that lapsed, or an
 * approved applicant who has not paid yet) gets 403 with `reason`, in their language.
 */
export async function requireMember(request: Request, reason: MessageKey): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!isMember(viewer)) throw forbidden(translator(viewer.user.locale)(reason));
  return viewer;
}

export function forbidden(message = "Forbidden"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** A request no page of ours sends (an intent that does not exist); the error page explains. */
export function badRequest(message = ""): Response {
  return new Response(message, { status: 400, statusText: "Bad Request" });
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The submitted form. request.formData() throws a TypeError on a body that is not a form
 * (none, JSON, text, a broken multipart body), which would be a 500: it is a 415 when the
 * body is of another type, and a 400 when a form cannot be read. PostgreSQL text cannot hold
 * NUL (U+0000), which shows nothing and means nothing in what a person types: it is dropped
 * from every field here, so no form fails its write over one.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) throw new Response("", { status: 415, statusText: "Unsupported Media Type" });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest();
  }
  if (![...form.values()].some((value) => typeof value === "string" && value.includes("\0"))) return form;
  const cleaned = new FormData();
  for (const [name, value] of form) cleaned.append(name, typeof value === "string" ? withoutNul(value) : value);
  return cleaned;
}

/** Where a staff member without two-factor sign-in is sent when the club requires it. */
export const TWO_FACTOR_SETUP = "/account/two-factor";

/**
 * Requires one of the roles; a signed-in member without it gets 403. Staff pages (every
 * /admin loader and action) are also closed to staff without two-factor sign-in when the
 * owner requires it (ClubSettings.staffTwoFactorRequired): they are sent to set it up. It is
 * here, not in the /admin layout, because an action does not run its parent's loader.
 */
export async function requireRole(request: Request, ...roles: Role[]): Promise<Viewer> {
  const viewer = await requireUser(request);
  if (!roles.includes(viewer.user.role)) throw forbidden();
  if (isStaff(viewer.user) && viewer.twoFactor.requiredOfStaff && !viewer.twoFactor.enabled) throw redirect(TWO_FACTOR_SETUP);
  return viewer;
}

/** Curators and owners: the staff who moderate and review. */
export function requireStaff(request: Request): Promise<Viewer> {
  return requireRole(request, "OWNER", "CURATOR");
}

export function isStaff(user: Pick<User, "role">): boolean {
  return user.role === "OWNER" || user.role === "CURATOR";
}
