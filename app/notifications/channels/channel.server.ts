import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import type { NotificationChannelName } from "../kinds";
import type { Notice } from "../messages.server";

/**
 * A channel is a module that delivers a notice to a batch of members at once (one member
 * is a batch of one). Every channel hears only from members who want the kind there:
 * `recipientsWanting` is the one filter, so a member who turned a kind off on a channel
 * never gets it on that channel. Telegram joins as another module of this shape.
 */
export type Channel = {
  name: NotificationChannelName;
  /** Delivers `notice` to those of `userIds` (kept in this order) who want it here; returns how many. */
  deliver(tx: Tx, userIds: string[], notice: Notice): Promise<number>;
};

/** A CTE `recipients(id, email, locale, ord)`: active members of `userIds` who did not turn `kind` off on `channel`. */
export function recipientsWanting(userIds: string[], notice: Notice, channel: NotificationChannelName): Prisma.Sql {
  return Prisma.sql`recipients AS (
    SELECT u."id", u."email", u."locale", x.ord
    FROM unnest(${userIds}::text[]) WITH ORDINALITY AS x(id, ord)
    JOIN "User" u ON u."id" = x.id
    WHERE u."deactivatedAt" IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM "NotificationPreference" p
        WHERE p."userId" = u."id" AND p."kind" = ${notice.kind}::"NotificationKind"
          AND p."channel" = ${channel}::"NotificationChannel" AND NOT p."enabled"))`;
}
