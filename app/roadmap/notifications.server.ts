import type { Locale, RoadmapStatus } from "~/generated/prisma/client";
import type { Tx } from "~/db.server";
import { getClubSettings } from "~/club.server";
import { queueEmail } from "~/email/email.server";
import { env } from "~/env.server";
import { translator, type MessageKey } from "~/i18n/dictionary";

/** Everyone an email goes to: the member, in their own language. */
export type Recipient = { id: string; email: string; locale: Locale };

type ItemRef = { id: string; title: string };

function itemUrl(itemId: string) {
  return new URL(`/roadmap/${itemId}`, env().APP_URL).toString();
}

const statusKey = (status: RoadmapStatus) => `roadmap.status.${status}` as MessageKey;

/**
 * Tells each voter, in their language, that an item they voted for changed status.
 * Called inside the status change's transaction, before anything else is sent about it,
 * so that when an item ships its voters are the first to hear.
 */
export async function notifyVotersOfStatus(
  tx: Tx,
  item: ItemRef,
  change: { from: RoadmapStatus; to: RoadmapStatus; note: string | null },
  voters: Recipient[],
) {
  const club = await getClubSettings({ tx });
  for (const voter of voters) {
    const t = translator(voter.locale);
    const values = { title: item.title, club: club.name, from: t(statusKey(change.from)), to: t(statusKey(change.to)) };
    const shipped = change.to === "SHIPPED";
    const paragraphs = [
      t(shipped ? "roadmap.email.shipped.body" : "roadmap.email.status.body", values),
      change.note ? t("roadmap.email.note", { note: change.note }) : null,
      t("roadmap.email.why"),
    ].filter(Boolean);
    await queueEmail(
      {
        to: voter.email,
        userId: voter.id,
        locale: voter.locale,
        template: shipped ? "roadmap-shipped" : "roadmap-status",
        subject: t(shipped ? "roadmap.email.shipped.subject" : "roadmap.email.status.subject", values),
        text: paragraphs.join("\n\n"),
        action: { label: t("roadmap.email.open"), url: itemUrl(item.id) },
      },
      tx,
    );
  }
}

/** Tells the member who suggested an item what became of it (when they did not vote for it). */
export async function notifyAuthorOfStatus(item: ItemRef, change: { to: RoadmapStatus; note: string | null }, author: Recipient) {
  const t = translator(author.locale);
  const values = { title: item.title, to: t(statusKey(change.to)) };
  await queueEmail({
    to: author.email,
    userId: author.id,
    locale: author.locale,
    template: "roadmap-suggestion-status",
    subject: t("roadmap.email.author.subject", values),
    text: [t("roadmap.email.author.body", values), change.note ? t("roadmap.email.note", { note: change.note }) : null]
      .filter(Boolean)
      .join("\n\n"),
    action: { label: t("roadmap.email.open"), url: itemUrl(item.id) },
  });
}

/** Tells the voters of a duplicate that their vote moved to the item it was merged into. */
export async function notifyVotersOfMerge(tx: Tx, from: ItemRef, into: ItemRef, voters: Recipient[]) {
  for (const voter of voters) {
    const t = translator(voter.locale);
    const values = { from: from.title, into: into.title };
    await queueEmail(
      {
        to: voter.email,
        userId: voter.id,
        locale: voter.locale,
        template: "roadmap-merged",
        subject: t("roadmap.email.merged.subject", values),
        text: t("roadmap.email.merged.body", values),
        action: { label: t("roadmap.email.open"), url: itemUrl(into.id) },
      },
      tx,
    );
  }
}
