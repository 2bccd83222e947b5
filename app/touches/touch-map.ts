import { z } from "zod";

/** The kinds of touch the member page's timeline shows, in the order its filter lists them. */
export const TOUCH_KINDS = [
  "email",
  "telegram",
  "notification",
  "playbook",
  "task",
  "follow-up",
  "survey",
  "reply",
  "vote",
  "post",
  "payment",
  "subscription",
] as const;

export type TouchKind = (typeof TOUCH_KINDS)[number];

/** Entries per page of the touch map; "older" continues after the last one (a keyset). */
export const TOUCH_PAGE_SIZE = 50;

export type TouchCursor = { at: string; kind: string; id: string };

/** The cursor of the "older" link: the last entry's instant (ms), kind and id. */
export function encodeTouchCursor(cursor: TouchCursor): string {
  return `${new Date(cursor.at).getTime()}~${cursor.kind}~${cursor.id}`;
}

export function decodeTouchCursor(value: string): TouchCursor | null {
  const match = /^(\d{1,15})~([a-z-]{1,20})~([^~]{1,200})$/.exec(value);
  if (!match || !(TOUCH_KINDS as readonly string[]).includes(match[2])) return null;
  const at = new Date(Number(match[1]));
  if (Number.isNaN(at.getTime())) return null;
  return { at: at.toISOString(), kind: match[2], id: match[3] };
}

/**
 * The touch map's filter (a GET form on /admin/members/:userId): the kinds ticked (none ticked =
 * every kind), and the cursor of the "older" link. Messages are i18n keys.
 */
export const TouchFilterSchema = z.object({
  kind: z.array(z.enum(TOUCH_KINDS, { error: "touches.filter.unknownKind" })).optional(),
  before: z
    .string()
    .refine((value) => decodeTouchCursor(value) !== null, "touches.filter.invalidCursor")
    .optional(),
});
