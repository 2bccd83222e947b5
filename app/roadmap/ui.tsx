import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { formatDate, formatNumber, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import type { RoadmapStatusName } from "./forms";

/** What a vote action answers, to a fetcher or to the page when JavaScript is off. */
export type VoteReply = {
  vote:
    | { itemId: string; ok: true; voted: boolean; voteCount: number; weightedVotes: number }
    | { itemId: string; ok: false; error: MessageKey; values?: Record<string, string> };
};

const STATUS_STYLES: Record<RoadmapStatusName, string> = {
  UNDER_REVIEW: "bg-stone-100 text-stone-800",
  PLANNED: "bg-sky-100 text-sky-900",
  IN_PROGRESS: "bg-amber-100 text-amber-900",
  SHIPPED: "bg-emerald-100 text-emerald-900",
  DECLINED: "bg-rose-100 text-rose-900",
};

export function StatusBadge({ status }: { status: RoadmapStatusName }) {
  const t = useT();
  return <span className={`roadmap-status ${STATUS_STYLES[status]}`}>{t(`roadmap.status.${status}`)}</span>;
}

/** Dates are shown in the club's time zone, as the rest of the portal does. */
export function useFormatDate() {
  const locale = useLocale();
  const root = useRouteLoaderData<{ timeZone: string }>("root");
  return (value: Date | string) => formatDate(locale, value, { dateStyle: "medium" }, root?.timeZone ?? "UTC");
}

export type VoteTarget = {
  id: string;
  title: string;
  status: RoadmapStatusName;
  voteCount: number;
  weightedVotes: number;
  /** The weight of the viewer's vote on this item, or null when they have not voted. */
  myVoteWeight: number | null;
};

export type VoteViewer = {
  canVote: boolean;
  weight: number;
  /** Whether the viewer's votes count in weighted totals now. */
  counting: boolean;
};

/**
 * The vote button and the item's totals. It is a plain form, so voting works without
 * JavaScript; with it, a fetcher submits and the totals change at once (optimistic UI),
 * settling on the server's numbers when the board reloads.
 */
export function VoteControl({ item, viewer, compact = false }: { item: VoteTarget; viewer: VoteViewer; compact?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<VoteReply>({ key: `roadmap-vote-${item.id}` });
  const pending = fetcher.formData?.get("intent");
  let voted = item.myVoteWeight !== null;
  let voteCount = item.voteCount;
  let weightedVotes = item.weightedVotes;
  if (pending === "vote" && !voted) {
    voted = true;
    voteCount += 1;
    weightedVotes += viewer.weight;
  } else if (pending === "unvote" && voted) {
    voted = false;
    voteCount -= 1;
    weightedVotes -= viewer.counting ? (item.myVoteWeight ?? 0) : 0;
  }
  const reply = fetcher.state === "idle" ? fetcher.data?.vote : undefined;
  const error = reply && !reply.ok ? reply : null;
  const closed = item.status === "DECLINED";
  const canCast = viewer.canVote && !closed && !voted;
  return (
    <div className={compact ? "flex flex-wrap items-center gap-3" : "space-y-3"}>
      <p className="text-sm text-slate-800" aria-live="polite">
        <span>
          {t("roadmap.votes.raw")} <strong data-testid="vote-count">{formatNumber(locale, voteCount)}</strong>
        </span>
        <span aria-hidden="true"> · </span>
        <span>
          {t("roadmap.votes.weighted")} <strong data-testid="weighted-votes">{formatNumber(locale, weightedVotes)}</strong>
        </span>
        {voted ? (
          <>
            <span aria-hidden="true"> · </span>
            <span className="roadmap-voted">{t("roadmap.vote.youVoted")}</span>
          </>
        ) : null}
      </p>
      {canCast || voted ? (
        <fetcher.Form method="post">
          <input type="hidden" name="itemId" value={item.id} />
          {voted ? (
            <button type="submit" name="intent" value="unvote" className="btn btn-secondary">
              {t("roadmap.vote.withdraw")}
              <span className="sr-only"> {t("roadmap.vote.forItem", { title: item.title })}</span>
            </button>
          ) : (
            <button type="submit" name="intent" value="vote" className="btn btn-primary">
              {t("roadmap.vote.cast")}
              <span className="sr-only"> {t("roadmap.vote.forItem", { title: item.title })}</span>
            </button>
          )}
        </fetcher.Form>
      ) : closed && viewer.canVote ? (
        <p className="text-sm text-slate-700">{t("roadmap.vote.closed")}</p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {t(error.error, error.values)}
        </p>
      ) : null}
    </div>
  );
}

/** The answer of a vote posted without JavaScript, shown at the top of the page. */
export function VoteNotice({ reply }: { reply: VoteReply | undefined }) {
  const t = useT();
  if (!reply || reply.vote.ok) return null;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {t(reply.vote.error, reply.vote.values)}
    </div>
  );
}
