import { Prisma } from "~/generated/prisma/client";
import { EMAIL_RETRY, emailBodies } from "~/email/email.server";
import { LOCALES, type Locale } from "~/i18n/dictionary";
import { inTransaction, queue, QUEUES } from "~/jobs/queue.server";
import { emailFor } from "../messages.server";
import type { Channel } from "./channel.server";
import { recipientsWanting } from "./channel.server";

/**
 * Email: the same Email rows and delivery jobs as queueEmail, written for a whole batch in
 * two statements (one INSERT … SELECT of the messages, one insert of their jobs). A notice
 * is rendered once per language, not once per member.
 */
export const emailChannel: Channel = {
  name: "EMAIL",
  async deliver(tx, userIds, notice) {
    const byLocale = Object.fromEntries(
      LOCALES.map((locale) => {
        const email = emailFor(locale, notice);
        return [locale, { ...email, ...emailBodies({ ...email, locale }) }];
      }),
    ) as Record<Locale, ReturnType<typeof emailFor> & { html: string }>;
    const pick = (field: "template" | "subject" | "text" | "html") =>
      Prisma.sql`CASE r."locale" WHEN 'ru' THEN ${byLocale.ru[field]} ELSE ${byLocale.en[field]} END`;
    const rows = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`
      WITH ${recipientsWanting(userIds, notice, "EMAIL")}
      INSERT INTO "Email" ("id", "to", "userId", "template", "locale", "subject", "text", "html", "createdAt")
      SELECT gen_random_uuid()::text, r."email", r."id", ${pick("template")}, r."locale", ${pick("subject")}, ${pick("text")}, ${pick("html")}, clock_timestamp()
      FROM recipients r ORDER BY r.ord
      RETURNING "id"`);
    if (!rows.length) return 0;
    const boss = await queue();
    await boss.insert(
      rows.map((row) => ({ name: QUEUES.email, data: { emailId: row.id }, ...EMAIL_RETRY })),
      { db: inTransaction(tx) },
    );
    return rows.length;
  },
};
