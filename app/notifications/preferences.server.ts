import { db, type Tx } from "~/db.server";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type MemberNotificationKind, type NotificationChannelName } from "./kinds";
import { defaultGrid, type PreferenceGrid } from "./preferences";

/** The member's grid: every cell on unless a NotificationPreference row turns it off. */
export async function preferenceGrid(userId: string, tx: Tx | typeof db = db): Promise<PreferenceGrid> {
  const grid = defaultGrid();
  const rows = await tx.notificationPreference.findMany({ where: { userId } });
  for (const row of rows) {
    const kind = row.kind as MemberNotificationKind;
    if (grid[kind]) grid[kind][row.channel as NotificationChannelName] = row.enabled;
  }
  return grid;
}

/** Stores every cell of the grid (one statement; a cell already stored is overwritten). */
export async function savePreferences(userId: string, grid: PreferenceGrid): Promise<void> {
  const kinds: string[] = [];
  const channels: string[] = [];
  const enabled: boolean[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    for (const channel of NOTIFICATION_CHANNELS) {
      kinds.push(kind);
      channels.push(channel);
      enabled.push(grid[kind][channel]);
    }
  }
  await db.$executeRaw`
    INSERT INTO "NotificationPreference" ("userId", "kind", "channel", "enabled")
    SELECT ${userId}, k::"NotificationKind", c::"NotificationChannel", e
    FROM unnest(${kinds}::text[], ${channels}::text[], ${enabled}::boolean[]) AS x(k, c, e)
    ON CONFLICT ("userId", "kind", "channel") DO UPDATE SET "enabled" = EXCLUDED."enabled"`;
}
