import { db } from "~/db.server";
import type { Locale } from "~/i18n/dictionary";
import { applicationForReview } from "./applications.server";
import { activeCriteria } from "./criteria.server";
import { inviteState } from "./invites.server";

/**
 * The criteria a reviewer scores on this application (those on the form now), each marked
 * with whether the applicant answered it: unanswered ones may be skipped.
 */
export async function criteriaToScore(applicationId: string) {
  const [criteria, answers] = await Promise.all([
    activeCriteria(),
    db.applicationAnswer.findMany({ where: { applicationId }, select: { criterionId: true } }),
  ]);
  const answered = new Set(answers.map((a) => a.criterionId));
  return criteria.map((criterion) => ({ id: criterion.id, answered: answered.has(criterion.id) }));
}

/**
 * Everything the review page shows, in the reviewer's language: the applicant, their
 * answers, every reviewer's scores with the averages, the decisions and the invite.
 */
export async function reviewPage(applicationId: string, viewerId: string, locale: Locale) {
  const found = await applicationForReview(applicationId);
  if (!found) return null;
  const { application, averages } = found;
  const referred = new Set([
    ...application.answers.map((a) => a.criterionId),
    ...application.reviews.flatMap((r) => r.scores.map((s) => s.criterionId)),
  ]);
  const criteria = await db.admissionCriterion.findMany({
    where: { OR: [{ archivedAt: null }, { id: { in: [...referred] } }] },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  const ru = locale === "ru";
  const answers = new Map(application.answers.map((a) => [a.criterionId, a.value]));
  const averageBy = new Map(averages.map((a) => [a.criterionId, a.average]));
  const allScores = application.reviews.flatMap((r) => r.scores.map((s) => s.score));
  const mine = application.reviews.find((r) => r.reviewerId === viewerId);
  const latestInvite = application.invites[0];

  return {
    id: application.id,
    name: application.name,
    email: application.email,
    company: application.company,
    jobTitle: application.jobTitle,
    locale: application.locale,
    status: application.status,
    submittedAt: application.createdAt.toISOString(),
    vouchedBy: application.vouch?.voucher.name ?? null,
    invitedWithCode: application.inviteCode ? { note: application.inviteCode.note } : null,
    rejectionReason: application.rejectionReason,
    criteria: criteria.map((criterion) => {
      const value = answers.get(criterion.id);
      const options = ru ? criterion.optionsRu : criterion.optionsEn;
      const answer =
        value === undefined
          ? null
          : criterion.kind === "CHOICE"
            ? (options[Number(value)] ?? value)
            : criterion.kind === "SCALE"
              ? `${value} / 5`
              : value;
      return {
        id: criterion.id,
        title: ru ? criterion.titleRu : criterion.titleEn,
        archived: Boolean(criterion.archivedAt),
        answered: value !== undefined,
        answer,
        average: averageBy.get(criterion.id) ?? null,
      };
    }),
    overall: allScores.length ? allScores.reduce((sum, s) => sum + s, 0) / allScores.length : null,
    reviews: application.reviews.map((review) => ({
      id: review.id,
      reviewer: review.reviewer.name,
      isMine: review.reviewerId === viewerId,
      comment: review.comment,
      updatedAt: review.updatedAt.toISOString(),
      scores: Object.fromEntries(review.scores.map((s) => [s.criterionId, s.score])) as Record<string, number>,
    })),
    myScores: mine ? (Object.fromEntries(mine.scores.map((s) => [s.criterionId, String(s.score)])) as Record<string, string>) : {},
    myComment: mine?.comment ?? "",
    decisions: application.decisions.map((decision) => ({
      id: decision.id,
      kind: decision.kind,
      reason: decision.reason,
      by: decision.decidedBy.name,
      at: decision.createdAt.toISOString(),
    })),
    invite: latestInvite
      ? { state: inviteState(latestInvite), expiresAt: latestInvite.expiresAt.toISOString() }
      : null,
  };
}
