import { log } from "~/log.server";

export type ActivityKind = "SIGN_IN" | "POST" | "REPLY" | "VOTE" | "SURVEY";

/**
 * Records that a member did something, for the owner's engagement metrics.
 * It must cost the request path almost nothing: it is fire-and-forget and never throws.
 * The metrics area (app/metrics) stores these events; until then they are only logged.
 */
export function recordActivity(userId: string, kind: ActivityKind): void {
  log.debug("activity", { userId, kind });
}
