import { randomBytes } from "node:crypto";
import type { RateLimit } from "~/auth/rate-limit.server";

/** Starting checkouts and opening the portal call Stripe; a member gets this many a quarter hour. */
export const BILLING_REDIRECTS: RateLimit = { bucket: "billing-redirect", limit: 20, windowMs: 15 * 60 * 1000 };

/** A fresh value for the join form's `attempt` field (see checkout.server.ts). */
export function newAttempt(): string {
  return randomBytes(18).toString("base64url");
}
