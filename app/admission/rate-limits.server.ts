import type { RateLimit } from "~/auth/rate-limit.server";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** Applications submitted from one address, and for one email. */
// The address allowance is for what a real event needs (dozens applying on one Wi-Fi within
// the hour); the per-email one stops one person flooding the queue.
export const APPLICATIONS_PER_IP: RateLimit = { bucket: "apply-ip", limit: 60, windowMs: HOUR };
export const APPLICATIONS_PER_EMAIL: RateLimit = { bucket: "apply-email", limit: 3, windowMs: HOUR };

/** Unknown invite or referral codes tried from one address: the 11th in ten minutes is refused. */
export const WRONG_INVITE_CODES: RateLimit = { bucket: "invite-wrong-code", limit: 10, windowMs: 10 * MINUTE };

/** Password reset requests, from one address and for one account. */
export const RESET_REQUESTS_PER_IP: RateLimit = { bucket: "reset-ip", limit: 10, windowMs: HOUR };
export const RESET_REQUESTS_PER_EMAIL: RateLimit = { bucket: "reset-email", limit: 3, windowMs: HOUR };
