/**
 * Every kind of staff action the audit log records (section 9). Each has a label in
 * app/i18n/locales/audit.ts ("audit.action.<kind>"). Add the kind here when a new staff
 * action appears; the page's filter and the CSV list them from here.
 */
export const AUDIT_ACTIONS = [
  // admission
  "application.review",
  "application.decision",
  "criteria.update",
  "invite.create",
  "invite.revoke",
  // members and billing
  "member.role",
  "member.complimentary",
  "refund.recorded",
  // forum and roadmap moderation, categories
  "forum.moderation",
  "forum.report",
  "forum.category",
  "roadmap.moderation",
  // tiers and settings
  "tier.update",
  "club.settings",
  "legal.publish",
  "metrics.settings",
  "metrics.follow-up",
  "metrics.spend",
  "telegram.chat",
  // follow-ups (section 7)
  "segment.save",
  "segment.delete",
  "template.save",
  "template.archive",
  "playbook.save",
  "playbook.pause",
  "playbook.resume",
  "playbook.run-close",
  "task.done",
  "nps.reply",
  // staff security, members' own data
  "two-factor.enable",
  "two-factor.disable",
  "two-factor.recovery-codes",
  "account.erase",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && (AUDIT_ACTIONS as readonly string[]).includes(value);
}
