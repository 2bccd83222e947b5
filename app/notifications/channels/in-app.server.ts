import { Prisma } from "~/generated/prisma/client";
import type { Channel } from "./channel.server";
import { recipientsWanting } from "./channel.server";

/** The in-app centre: one Notification row per member, rendered when it is read. */
export const inAppChannel: Channel = {
  name: "IN_APP",
  async deliver(tx, userIds, notice) {
    return tx.$executeRaw(Prisma.sql`
      WITH ${recipientsWanting(userIds, notice, "IN_APP")}
      INSERT INTO "Notification" ("id", "userId", "kind", "values", "url", "createdAt")
      SELECT gen_random_uuid()::text, r."id", ${notice.kind}::"NotificationKind", ${JSON.stringify(notice.values)}::jsonb, ${notice.url}, clock_timestamp()
      FROM recipients r ORDER BY r.ord`);
  },
};
