/**
 * What a shared cache (a proxy, a CDN, the browser's back-forward and disk caches) may keep.
 * A page for a signed-in person, or any page under /account, /billing or /admin, shows that
 * person's data: it is `private, no-store`, set by the server (scripts/serve.ts) on every
 * response Remix makes for such a request, whatever the route sent. Static files (/build,
 * public/) are not pages and keep their own caching.
 */
import { SESSION_COOKIE } from "../auth/session-cookie";

export const PRIVATE_NO_STORE = "private, no-store";

const PRIVATE_PATH = /^\/(account|billing|admin)(\/|$|\.)/;
const SESSION_IN_COOKIE = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=[^;\\s]`);

/** True when the answer to this request must not be kept by any cache but the person's own, and not even there. */
export function isPrivateRequest(path: string, cookieHeader: string | null | undefined): boolean {
  return PRIVATE_PATH.test(path) || SESSION_IN_COOKIE.test(cookieHeader ?? "");
}
