import type { Application, ApplicationStatus, Locale } from "~/generated/prisma/client";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { reserveRateLimit, type RateLimitCharge, type RateLimitState } from "~/auth/rate-limit.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { ConsentRefused, recordConsent } from "~/club/consent.server";
import { SKIP_SCORE, type ApplicationInput, type CriterionForForm } from "./application-form";
import { sendApplicationVerification, sendRejection, sendWaitlisted } from "./emails.server";
import { claimInvite, createApprovalInvite, inviteState, type InviteState } from "./invites.server";
import { APPLICATION_VERIFY_DAYS, QUEUE_FILTERS, QUEUE_PAGE_SIZE, type QueueFilter, type QueueSort } from "./lists";
import { APPLICATIONS_PER_EMAIL, APPLICATIONS_PER_IP, WRONG_INVITE_CODES } from "./rate-limits.server";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Applications that are in the queue and not finally decided: a second one from the same email is refused. */
const OPEN_OR_APPROVED: ApplicationStatus[] = ["NEW", "IN_REVIEW", "WAITLISTED", "APPROVED"];

export type SubmitResult =
  | { ok: true; ignored?: boolean }
  | { ok: false; field: "email" | "code" | "legalAccepted"; message: string }
  | { ok: false; rateLimited: RateLimitState };

type ResolvedCode =
  | { kind: "none" }
  | { kind: "invite"; inviteId: string }
  | { kind: "vouch"; vouchId: string }
  | { kind: "error"; message: string }
  | { kind: "rate-limited"; state: RateLimitState };

const CODE_PROBLEMS: Record<Exclude<InviteState, "valid">, string> = {
  expired: "admission.apply.codeExpired",
  used: "admission.apply.codeUsed",
  revoked: "admission.apply.codeRevoked",
};

/**
 * The optional code on /apply is either an owner's invite code or a vouch's token.
 * Unknown codes count against the address's allowance of wrong codes.
 */
async function resolveCode(code: string | undefined, email: string, ip: string): Promise<ResolvedCode> {
  const value = code?.trim().toLowerCase();
  if (!value) return { kind: "none" };
  // A slot is taken before the lookup, so a burst of guesses cannot outrun the count; a code
  // that exists gives it back.
  const limit = await reserveRateLimit([[WRONG_INVITE_CODES, [`ip:${ip}`]]]);
  if (limit.limited) return { kind: "rate-limited", state: limit };
  const found = await lookUpCode(value, email);
  if (found.kind !== "unknown") await limit.release();
  return found.kind === "unknown" ? { kind: "error", message: "admission.apply.codeUnknown" } : found;
}

async function lookUpCode(value: string, email: string): Promise<ResolvedCode | { kind: "unknown" }> {
  const tokenHash = /^[a-z2-7]{16,64}$/.test(value) ? hashToken(value) : null;
  const [invite, vouch] = tokenHash
    ? await Promise.all([
        db.invite.findUnique({ where: { tokenHash }, include: { appliedWith: { select: { status: true } } } }),
        db.vouch.findUnique({ where: { tokenHash }, include: { application: { select: { status: true } } } }),
      ])
    : [null, null];
  if (invite) {
    if (invite.source === "APPROVAL") return { kind: "error", message: "admission.apply.codeIsPersonalLink" };
    // A code spent on an application whose address was never verified (a mistyped email) is
    // not lost: the next application takes it over, as a vouch link is.
    const unclaimed = invite.appliedWith?.status === "UNVERIFIED" ? { ...invite, usedAt: null } : invite;
    const state = inviteState(unclaimed);
    if (state !== "valid") return { kind: "error", message: CODE_PROBLEMS[state] };
    if (invite.email && invite.email !== email) return { kind: "error", message: "admission.apply.codeOtherEmail" };
    return { kind: "invite", inviteId: invite.id };
  }
  if (vouch) {
    if (vouch.application && vouch.application.status !== "UNVERIFIED") return { kind: "error", message: "admission.apply.codeUsed" };
    return { kind: "vouch", vouchId: vouch.id };
  }
  return { kind: "unknown" };
}

class CodeRefused extends Error {}

function answerRows(input: ApplicationInput, criteria: CriterionForForm[]) {
  const answers = input.answers as Record<string, string | undefined>;
  return criteria
    .map((criterion) => ({ criterionId: criterion.id, value: answers[criterion.id]?.trim() ?? "" }))
    .filter((answer) => answer.value !== "");
}

/**
 * Stores an application and emails the link that verifies the address. It reaches
 * the review queue only once verified.
 */
export async function submitApplication(
  input: ApplicationInput,
  criteria: CriterionForForm[],
  { locale, ip }: { locale: Locale; ip: string },
): Promise<SubmitResult> {
  // The honeypot was filled in: a bot. It is told all went well, and nothing is stored.
  if (input.website) return { ok: true, ignored: true };
  const email = input.email;

  // A mistyped code is not an application: unknown codes have their own limit
  // (WRONG_INVITE_CODES), and the applicant who corrects one is not locked out.
  const code = await resolveCode(input.code, email, ip);
  if (code.kind === "rate-limited") return { ok: false, rateLimited: code.state };
  if (code.kind === "error") return { ok: false, field: "code", message: code.message };

  // Many applicants share one address (an office, an event's Wi-Fi): the address has a wide
  // allowance, and an invited or vouched applicant is counted only against their own email.
  const charges: RateLimitCharge =
    code.kind === "none"
      ? [
          [APPLICATIONS_PER_IP, [`ip:${ip}`]],
          [APPLICATIONS_PER_EMAIL, [`email:${email}`]],
        ]
      : [[APPLICATIONS_PER_EMAIL, [`email:${email}`]]];
  const limit = await reserveRateLimit(charges);
  if (limit.limited) return { ok: false, rateLimited: limit };

  // Asking about an address counts, so that the form cannot be used to list members.
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    return { ok: false, field: "email", message: "admission.apply.alreadyMember" };
  }
  if (await db.application.findFirst({ where: { email, status: { in: OPEN_OR_APPROVED } }, select: { id: true } })) {
    return { ok: false, field: "email", message: "admission.apply.duplicate" };
  }

  const token = generateToken();
  try {
    await db.$transaction(async (tx) => {
      if (code.kind === "invite") {
        // An earlier, never verified application with this code gives it up, and the code is
        // claimed again (still only while unrevoked and unexpired).
        const released = await tx.application.updateMany({
          where: { inviteCodeId: code.inviteId, status: "UNVERIFIED" },
          data: { inviteCodeId: null },
        });
        if (released.count) await tx.invite.update({ where: { id: code.inviteId }, data: { usedAt: null } });
        if (!(await claimInvite(tx, code.inviteId))) throw new CodeRefused();
      }
      if (code.kind === "vouch") {
        // An earlier, never verified application from the same link gives the vouch up.
        await tx.application.updateMany({ where: { vouchId: code.vouchId, status: "UNVERIFIED" }, data: { vouchId: null } });
      }
      const application = await tx.application.create({
        data: {
          email,
          name: input.name,
          company: input.company,
          jobTitle: input.jobTitle,
          locale,
          accessTokenHash: hashToken(token),
          consentedAt: new Date(),
          vouchId: code.kind === "vouch" ? code.vouchId : null,
          inviteCodeId: code.kind === "invite" ? code.inviteId : null,
          answers: { create: answerRows(input, criteria) },
        },
      });
      // The rules and privacy notice accepted, with the versions the form showed.
      await recordConsent(tx, input, { applicationId: application.id }, application.createdAt);
      await sendApplicationVerification(application, token, tx);
    });
  } catch (error) {
    if (error instanceof ConsentRefused) return { ok: false, field: "legalAccepted", message: `club.consent.${error.reason}` };
    const lostRace = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
    if (error instanceof CodeRefused || lostRace) return { ok: false, field: "code", message: "admission.apply.codeUsed" };
    throw error;
  }
  return { ok: true };
}

function findByToken(token: string) {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  return db.application.findUnique({ where: { accessTokenHash: hashToken(token) } });
}

export type VerifyApplicationResult = "verified" | "already-verified" | "expired" | "duplicate" | "unknown";

/** What the verification link would do if confirmed now: "pending" waits for the applicant's confirmation. */
export type VerificationLinkState = "pending" | Exclude<VerifyApplicationResult, "verified">;

function verificationLapsed(application: Application, now: Date) {
  return application.status === "UNVERIFIED" && application.createdAt.getTime() + APPLICATION_VERIFY_DAYS * DAY_MS <= now.getTime();
}

/** The application behind a verification link while it can still be confirmed, or why it cannot. */
async function unverifiedApplication(token: string, now: Date) {
  const application = await findByToken(token);
  if (!application) return "unknown" as const;
  if (application.status !== "UNVERIFIED") return "already-verified" as const;
  if (verificationLapsed(application, now)) return "expired" as const;
  return application;
}

/** Another application from the same address that is in the queue or approved. */
function otherOpenApplication(client: Tx, application: Pick<Application, "id" | "email">) {
  return client.application.findFirst({
    where: { email: application.email, status: { in: OPEN_OR_APPROVED }, id: { not: application.id } },
    select: { id: true },
  });
}

/**
 * The verification link's state, read only. Mail scanners open every link in a message,
 * so opening the link must not confirm anything: the page shows this state and a button.
 */
export async function inspectApplicationVerification(token: string, now = new Date()): Promise<VerificationLinkState> {
  const application = await unverifiedApplication(token, now);
  if (typeof application === "string") return application;
  return (await otherOpenApplication(db, application)) ? "duplicate" : "pending";
}

/** The applicant's confirmation (the button behind the emailed link): puts the application in the queue. */
export async function verifyApplication(token: string, now = new Date()): Promise<VerifyApplicationResult> {
  const application = await unverifiedApplication(token, now);
  if (typeof application === "string") return application;
  return db.$transaction(async (tx) => {
    // Two applications from one address verified at the same moment: one waits for the other.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`application:${application.email}`}))`;
    if (await otherOpenApplication(tx, application)) return "duplicate";
    const { count } = await tx.application.updateMany({
      where: { id: application.id, status: "UNVERIFIED" },
      data: { status: "NEW", emailVerifiedAt: now },
    });
    return count === 1 ? "verified" : "already-verified";
  });
}

/** What the applicant may see of their own application, through the link in their email. */
export async function applicantStatus(token: string) {
  const application = await findByToken(token);
  if (!application) return null;
  const [decision, invite] = await Promise.all([
    db.applicationDecision.findFirst({ where: { applicationId: application.id }, orderBy: { createdAt: "desc" } }),
    db.invite.findFirst({ where: { applicationId: application.id }, orderBy: { createdAt: "desc" } }),
  ]);
  const lapsed = verificationLapsed(application, new Date());
  return {
    name: application.name,
    email: application.email,
    status: application.status,
    lapsed,
    submittedAt: application.createdAt.toISOString(),
    decidedAt: decision?.createdAt.toISOString() ?? null,
    rejectionReason: application.status === "REJECTED" ? application.rejectionReason : null,
    invite: invite ? { state: inviteState(invite), expiresAt: invite.expiresAt.toISOString() } : null,
  };
}

/* ---------- The review queue ---------- */

const FILTER_STATUSES: Record<QueueFilter, ApplicationStatus[]> = {
  all: ["NEW", "IN_REVIEW", "WAITLISTED", "APPROVED", "REJECTED"],
  new: ["NEW"],
  review: ["IN_REVIEW"],
  waitlisted: ["WAITLISTED"],
  decided: ["APPROVED", "REJECTED"],
};

type QueueRow = {
  id: string;
  name: string;
  company: string;
  jobTitle: string;
  status: ApplicationStatus;
  createdAt: Date;
  vouchedBy: string | null;
  invited: boolean;
  reviewers: number;
  overall: number | null;
  reviewedByMe: boolean;
};

/** The queue for curators and owners, averaged in SQL: per criterion, overall, and how many reviewed. */
export async function reviewQueue({
  filter,
  sort,
  page,
  viewerId,
}: {
  filter: QueueFilter;
  sort: QueueSort;
  page: number;
  viewerId: string;
}) {
  const statuses = FILTER_STATUSES[filter];
  const statusList = Prisma.join(statuses.map((s) => Prisma.sql`${s}::"ApplicationStatus"`));
  const order =
    sort === "score"
      ? Prisma.sql`"overall" DESC NULLS LAST, a."createdAt" DESC`
      : sort === "oldest"
        ? Prisma.sql`a."createdAt" ASC`
        : Prisma.sql`a."createdAt" DESC`;
  const rows = await db.$queryRaw<QueueRow[]>`
    SELECT a."id", a."name", a."company", a."jobTitle", a."status", a."createdAt",
           voucher."name" AS "vouchedBy",
           a."inviteCodeId" IS NOT NULL AS "invited",
           COALESCE(stats."reviewers", 0)::int AS "reviewers",
           stats."overall"::float8 AS "overall",
           EXISTS (SELECT 1 FROM "ApplicationReview" mine
                   WHERE mine."applicationId" = a."id" AND mine."reviewerId" = ${viewerId}) AS "reviewedByMe"
    FROM "Application" a
    LEFT JOIN "Vouch" v ON v."id" = a."vouchId"
    LEFT JOIN "User" voucher ON voucher."id" = v."voucherId"
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT r."id") AS "reviewers", avg(s."score") AS "overall"
      FROM "ApplicationReview" r LEFT JOIN "ReviewScore" s ON s."reviewId" = r."id"
      WHERE r."applicationId" = a."id"
    ) stats ON true
    WHERE a."status" IN (${statusList})
    ORDER BY ${order}
    LIMIT ${QUEUE_PAGE_SIZE} OFFSET ${(page - 1) * QUEUE_PAGE_SIZE}`;

  const ids = rows.map((row) => row.id);
  const averages = ids.length
    ? await db.$queryRaw<Array<{ applicationId: string; criterionId: string; average: number }>>`
        SELECT r."applicationId", s."criterionId", avg(s."score")::float8 AS "average"
        FROM "ReviewScore" s JOIN "ApplicationReview" r ON r."id" = s."reviewId"
        WHERE r."applicationId" = ANY(${ids})
        GROUP BY r."applicationId", s."criterionId"`
    : [];
  const counts = await db.application.groupBy({ by: ["status"], where: { status: { not: "UNVERIFIED" } }, _count: true });
  const byStatus = Object.fromEntries(counts.map((c) => [c.status, c._count])) as Partial<Record<ApplicationStatus, number>>;
  const totals = Object.fromEntries(
    QUEUE_FILTERS.map((f) => [f, FILTER_STATUSES[f].reduce((sum, s) => sum + (byStatus[s] ?? 0), 0)]),
  ) as Record<QueueFilter, number>;

  return {
    totals,
    applications: rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      perCriterion: Object.fromEntries(
        averages.filter((a) => a.applicationId === row.id).map((a) => [a.criterionId, a.average]),
      ) as Record<string, number>,
    })),
  };
}

/** One application with everything a reviewer needs; null when it is not in the queue. */
export async function applicationForReview(id: string) {
  const application = await db.application.findUnique({
    where: { id },
    include: {
      answers: true,
      reviews: {
        orderBy: { createdAt: "asc" },
        include: { reviewer: { select: { id: true, name: true, role: true } }, scores: true },
      },
      decisions: { orderBy: { createdAt: "asc" }, include: { decidedBy: { select: { name: true } } } },
      vouch: { include: { voucher: { select: { name: true } } } },
      inviteCode: { select: { note: true, createdAt: true } },
      invites: { orderBy: { createdAt: "desc" }, include: { usedBy: { select: { id: true } } } },
    },
  });
  if (!application || application.status === "UNVERIFIED") return null;
  const averages = await db.$queryRaw<Array<{ criterionId: string; average: number; count: number }>>`
    SELECT s."criterionId", avg(s."score")::float8 AS "average", count(*)::int AS "count"
    FROM "ReviewScore" s JOIN "ApplicationReview" r ON r."id" = s."reviewId"
    WHERE r."applicationId" = ${id}
    GROUP BY s."criterionId"`;
  return { application, averages };
}

export type ReviewResult = { ok: true } | { ok: false; reason: "not-found" | "decided" };

/** A reviewer's scores (1–5 per criterion) and comment; reviewing again replaces their earlier review. */
export async function saveReview(
  applicationId: string,
  reviewerId: string,
  { scores, comment }: { scores: Record<string, string | undefined>; comment?: string },
): Promise<ReviewResult> {
  return db.$transaction(async (tx) => {
    const [application] = await tx.$queryRaw<Array<{ status: ApplicationStatus }>>`
      SELECT "status" FROM "Application" WHERE "id" = ${applicationId} FOR UPDATE`;
    if (!application || application.status === "UNVERIFIED") return { ok: false, reason: "not-found" } as const;
    if (application.status === "APPROVED" || application.status === "REJECTED") return { ok: false, reason: "decided" } as const;
    const review = await tx.applicationReview.upsert({
      where: { applicationId_reviewerId: { applicationId, reviewerId } },
      create: { applicationId, reviewerId, comment: comment ?? "" },
      update: { comment: comment ?? "" },
    });
    await tx.reviewScore.deleteMany({ where: { reviewId: review.id } });
    const scored = Object.entries(scores)
      .filter(([, score]) => score !== undefined && score !== SKIP_SCORE)
      .map(([criterionId, score]) => ({ reviewId: review.id, criterionId, score: Number(score) }));
    // A skipped criterion (never answered by the applicant) gets no score at all.
    await tx.reviewScore.createMany({ data: scored });
    if (application.status === "NEW") {
      await tx.application.update({ where: { id: applicationId }, data: { status: "IN_REVIEW" } });
    }
    // The scores, not the comment: a reviewer's words about a person stay with the application.
    await recordAudit(tx, {
      actorId: reviewerId,
      action: "application.review",
      subjectType: "Application",
      subjectId: applicationId,
      before: { status: application.status },
      after: {
        status: application.status === "NEW" ? "IN_REVIEW" : application.status,
        reviewId: review.id,
        scores: Object.fromEntries(scored.map((s) => [s.criterionId, s.score])),
      },
    });
    return { ok: true } as const;
  });
}

export type Decision = { kind: "APPROVE" } | { kind: "REJECT"; reason: string } | { kind: "WAITLIST" };

export type DecisionResult =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "already-decided"; status: ApplicationStatus; decidedBy: string | null; decidedAt: string | null };

const DECIDABLE_FROM: Record<Decision["kind"], ApplicationStatus[]> = {
  APPROVE: ["NEW", "IN_REVIEW", "WAITLISTED"],
  REJECT: ["NEW", "IN_REVIEW", "WAITLISTED"],
  WAITLIST: ["NEW", "IN_REVIEW"],
};

const DECIDED_STATUS: Record<Decision["kind"], ApplicationStatus> = {
  APPROVE: "APPROVED",
  REJECT: "REJECTED",
  WAITLIST: "WAITLISTED",
};

/**
 * Approve (the invite is created and emailed), reject (the reason is emailed) or
 * waitlist. The status changes only from a state that allows the decision, in one
 * conditional UPDATE, so of two decisions made at once exactly one is recorded.
 */
export async function decideApplication(applicationId: string, deciderId: string, decision: Decision): Promise<DecisionResult> {
  return db.$transaction(async (tx) => {
    const reason = decision.kind === "REJECT" ? decision.reason : null;
    const [previous] = await tx.$queryRaw<Array<{ status: ApplicationStatus }>>`
      SELECT "status" FROM "Application" WHERE "id" = ${applicationId} FOR UPDATE`;
    const { count } = await tx.application.updateMany({
      where: { id: applicationId, status: { in: DECIDABLE_FROM[decision.kind] } },
      data: { status: DECIDED_STATUS[decision.kind], ...(reason ? { rejectionReason: reason } : {}) },
    });
    if (count === 0) {
      const current = await tx.application.findUnique({
        where: { id: applicationId },
        include: { decisions: { orderBy: { createdAt: "desc" }, take: 1, include: { decidedBy: { select: { name: true } } } } },
      });
      if (!current || current.status === "UNVERIFIED") return { ok: false, reason: "not-found" } as const;
      const last = current.decisions[0];
      return {
        ok: false,
        reason: "already-decided",
        status: current.status,
        decidedBy: last?.decidedBy.name ?? null,
        decidedAt: last?.createdAt.toISOString() ?? null,
      } as const;
    }
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId } });
    const recorded = await tx.applicationDecision.create({ data: { applicationId, kind: decision.kind, reason, decidedById: deciderId } });
    await recordAudit(tx, {
      actorId: deciderId,
      action: "application.decision",
      subjectType: "Application",
      subjectId: applicationId,
      before: { status: previous.status },
      after: { status: application.status, decision: decision.kind, decisionId: recorded.id },
    });
    if (decision.kind === "APPROVE") await createApprovalInvite(tx, application, deciderId);
    if (decision.kind === "REJECT") await sendRejection(application, decision.reason, tx);
    if (decision.kind === "WAITLIST") await sendWaitlisted(application, tx);
    return { ok: true } as const;
  });
}

export type ReissueResult = { ok: true } | { ok: false; reason: "not-found" | "not-approved" | "already-member" | "still-valid" };

/** A fresh invite for an approved applicant whose link expired or was revoked. */
export async function reissueApprovalInvite(applicationId: string, staffId: string): Promise<ReissueResult> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Application" WHERE "id" = ${applicationId} FOR UPDATE`;
    if (!row) return { ok: false, reason: "not-found" } as const;
    const application = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, include: { invites: true } });
    if (application.status !== "APPROVED") return { ok: false, reason: "not-approved" } as const;
    if (application.invites.some((invite) => invite.usedAt)) return { ok: false, reason: "already-member" } as const;
    if (await tx.user.findUnique({ where: { email: application.email }, select: { id: true } })) {
      return { ok: false, reason: "already-member" } as const;
    }
    if (application.invites.some((invite) => inviteState(invite) === "valid")) return { ok: false, reason: "still-valid" } as const;
    const { invite } = await createApprovalInvite(tx, application, staffId);
    await recordAudit(tx, {
      actorId: staffId,
      action: "invite.create",
      subjectType: "Application",
      subjectId: applicationId,
      after: { source: "APPROVAL", reissued: true, inviteId: invite.id, expiresAt: invite.expiresAt.toISOString() },
    });
    return { ok: true } as const;
  });
}
