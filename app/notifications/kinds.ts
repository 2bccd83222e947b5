/**
 * The kinds of member notification and the channels they go out on. Shared by the server
 * and the preferences grid, so it imports nothing server-only. FOLLOW_UP is a message from the
 * club's staff: a playbook step (app/playbooks/) or a curator's reply to an NPS answer. Event
 * reminders are a kind in the database already; they join this list with their messages.
 */
export const NOTIFICATION_KINDS = ["FORUM_REPLY", "FORUM_MENTION", "ROADMAP_STATUS", "ROADMAP_MERGE", "DIGEST", "FOLLOW_UP"] as const;
export type MemberNotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ["IN_APP", "EMAIL", "TELEGRAM"] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** The form field for one cell of the grid, e.g. "FORUM_REPLY:EMAIL". */
export const preferenceField = (kind: MemberNotificationKind, channel: NotificationChannelName) => `${kind}:${channel}`;
