/**
 * Names the admission pages and their server modules share: the filters and sorts of
 * the review queue and of the invites list. (Values imported from a *.server.ts module
 * do not reach the browser, so they live here.)
 */
export const QUEUE_FILTERS = ["all", "new", "review", "waitlisted", "decided"] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];
export const QUEUE_SORTS = ["score", "newest", "oldest"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const QUEUE_PAGE_SIZE = 25;

export const INVITE_FILTERS = ["active", "used", "expired", "revoked", "all"] as const;
export type InviteFilter = (typeof INVITE_FILTERS)[number];
export const INVITE_SOURCES = ["codes", "approvals", "all"] as const;
export type InviteSourceFilter = (typeof INVITE_SOURCES)[number];
export const INVITES_PAGE_SIZE = 50;

/** How long an applicant has to confirm their email before the application lapses. */
export const APPLICATION_VERIFY_DAYS = 7;
