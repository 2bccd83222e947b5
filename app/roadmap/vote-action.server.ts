import { data } from "@remix-run/node";
import type { Viewer } from "~/auth/guards.server";
import { badRequest, notFound } from "~/auth/guards.server";
import { castVote, withdrawVote, type VoteRefusal } from "./votes.server";
import { votingTiers } from "./board.server";
import type { VoteReply } from "./ui";

const REFUSAL_STATUS: Record<Exclude<VoteRefusal, "not-found">, number> = {
  "not-entitled": 403,
  declined: 409,
  merged: 409,
};

/**
 * The vote and unvote intents, shared by the board and the item page. A refusal is an
 * answer with its status (403 for a tier that does not vote, 409 for a closed item) and
 * a message, so a fetcher shows it beside the button and a page without JavaScript above
 * the board.
 */
export async function voteAction(viewer: Viewer, formData: FormData) {
  const intent = formData.get("intent");
  const itemId = formData.get("itemId");
  if ((intent !== "vote" && intent !== "unvote") || typeof itemId !== "string" || !itemId || itemId.length > 100) {
    throw badRequest();
  }
  const result =
    intent === "vote"
      ? await castVote({ userId: viewer.user.id, tier: viewer.membership?.tier }, itemId)
      : await withdrawVote(viewer.user.id, itemId);
  if (!result.ok) {
    if (result.reason === "not-found") throw notFound();
    if (result.reason === "not-entitled") {
      const tiers = await votingTiers();
      const names = tiers.map((tier) => (viewer.user.locale === "ru" ? tier.nameRu : tier.nameEn)).join(", ");
      return data<VoteReply>(
        { vote: { itemId, ok: false, error: tiers.length ? "roadmap.vote.notEntitled" : "roadmap.vote.noVotingTier", values: { tiers: names } } },
        { status: REFUSAL_STATUS[result.reason] },
      );
    }
    return data<VoteReply>(
      { vote: { itemId, ok: false, error: result.reason === "merged" ? "roadmap.vote.mergedItem" : "roadmap.vote.declinedItem" } },
      { status: REFUSAL_STATUS[result.reason] },
    );
  }
  return data<VoteReply>({
    vote: { itemId, ok: true, voted: result.voted, voteCount: result.voteCount, weightedVotes: result.weightedVotes },
  });
}
