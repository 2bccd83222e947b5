import { z } from "zod";
import { isCalendarDate } from "~/metrics/period";
import type { MessageKey } from "~/i18n/dictionary";
import { AUDIT_ACTIONS } from "./actions";

/** Rows per page of /admin/audit; "older" continues below the last row's id. */
export const AUDIT_PAGE_SIZE = 50;

/** The person filter's value for rows no one signed: webhooks and jobs. */
export const SYSTEM_ACTOR = "system";

const dateField = z.string().trim().refine(isCalendarDate, "audit.filter.invalidDate");

/**
 * The filters of /admin/audit and /admin/audit.csv (a GET form). Dates are calendar days in
 * the club's time zone, both ends included. Messages are i18n keys.
 */
export const AuditFilterSchema = z
  .object({
    actor: z.string().trim().max(64, "audit.filter.unknownActor").optional(),
    action: z.enum(AUDIT_ACTIONS, { error: "audit.filter.unknownAction" }).optional(),
    from: dateField.optional(),
    to: dateField.optional(),
    before: z.string().regex(/^[1-9]\d{0,17}$/, "audit.filter.invalidCursor").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && isCalendarDate(value.from) && isCalendarDate(value.to) && value.to < value.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "audit.filter.endBeforeStart" });
    }
  });

export type AuditFilter = z.output<typeof AuditFilterSchema>;

/** The page a row's subject has, when it has one. */
export function subjectPath(subjectType: string, subjectId: string | null, after?: unknown): string | null {
  if (!subjectId) return null;
  const id = encodeURIComponent(subjectId);
  switch (subjectType) {
    case "Application":
      return `/admin/applications/${id}`;
    case "User":
      return `/admin/members/${id}`;
    case "Tier":
      return `/admin/tiers/${id}`;
    case "ForumThread":
      return `/forum/t/${id}`;
    case "ForumPost":
      return `/forum/p/${id}`;
    case "ForumCategory":
      return `/admin/forum/${id}`;
    case "ForumReport":
      return "/admin/reports?status=RESOLVED";
    case "RoadmapItem":
      return `/roadmap/${id}`;
    case "RoadmapComment": {
      const itemId = after && typeof after === "object" && "itemId" in after ? String((after as { itemId: unknown }).itemId) : null;
      return itemId ? `/roadmap/${encodeURIComponent(itemId)}` : null;
    }
    case "Invite":
    case "InviteBatch":
      return "/admin/invites?status=all";
    case "AdmissionCriterion":
      return "/admin/applications/criteria";
    case "TelegramChat":
      return "/admin/telegram";
    case "MetricsSettings":
      return "/admin/metrics/follow-up";
    case "Subscription":
      return null;
    default:
      return null;
  }
}

export type AuditChange = { key: string; before: string; after: string };

function shown(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `before` and `after` as "key: old → new" lines: every key of either, less those both hold with the same value. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const asObject = (value: unknown): Record<string, unknown> =>
    value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : value === null || value === undefined ? {} : { value };
  const b = asObject(before);
  const a = asObject(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !(key in b && key in a) || shown(b[key]) !== shown(a[key]))
    .map((key) => ({ key, before: shown(b[key]), after: shown(a[key]) }));
}

/** Who acted, in words: a name, "former member" once erased, "system" for webhooks and jobs. */
export function actorLabel(row: { actorId: string | null; actorName: string | null }, t: (key: MessageKey) => string): string {
  if (!row.actorId) return t("audit.actor.system");
  return row.actorName ?? t("audit.actor.former");
}
