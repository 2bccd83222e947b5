import { z } from "zod";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, preferenceField, type MemberNotificationKind, type NotificationChannelName } from "./kinds";

/** A member's kind × channel grid: true = they hear of this kind on this channel. */
export type PreferenceGrid = Record<MemberNotificationKind, Record<NotificationChannelName, boolean>>;

const cells = NOTIFICATION_KINDS.flatMap((kind) => NOTIFICATION_CHANNELS.map((channel) => ({ kind, channel, field: preferenceField(kind, channel) })));

/**
 * The grid's form: one checkbox per cell. A browser sends only the ticked ones, so a cell
 * that is absent is off (that is how the form works without JavaScript).
 */
export const PreferenceGridSchema = z
  .object(Object.fromEntries(cells.map((cell) => [cell.field, z.literal("on").optional()])) as Record<string, z.ZodOptional<z.ZodLiteral<"on">>>)
  .transform((form) => {
    const grid = {} as PreferenceGrid;
    for (const { kind, channel, field } of cells) (grid[kind] ??= {} as Record<NotificationChannelName, boolean>)[channel] = form[field] === "on";
    return grid;
  });

export function defaultGrid(): PreferenceGrid {
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, true]))])) as PreferenceGrid;
}
