-- Admission: selection criteria, applications, reviews and decisions, invites, vouching.

-- CreateEnum
CREATE TYPE "CriterionKind" AS ENUM ('TEXT', 'CHOICE', 'SCALE');
CREATE TYPE "ApplicationStatus" AS ENUM ('UNVERIFIED', 'NEW', 'IN_REVIEW', 'WAITLISTED', 'APPROVED', 'REJECTED');
CREATE TYPE "ApplicationDecisionKind" AS ENUM ('APPROVE', 'REJECT', 'WAITLIST');
CREATE TYPE "InviteSource" AS ENUM ('APPROVAL', 'OWNER');

-- CreateTable
CREATE TABLE "AdmissionCriterion" (
    "id" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "titleRu" TEXT NOT NULL,
    "descriptionEn" TEXT NOT NULL DEFAULT '',
    "descriptionRu" TEXT NOT NULL DEFAULT '',
    "kind" "CriterionKind" NOT NULL,
    "optionsEn" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "optionsRu" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "required" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdmissionCriterion_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "jobTitle" TEXT NOT NULL,
    "locale" "Locale" NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'UNVERIFIED',
    "accessTokenHash" TEXT NOT NULL,
    "consentedAt" TIMESTAMP(3) NOT NULL,
    "emailVerifiedAt" TIMESTAMP(3),
    "vouchId" TEXT,
    "inviteCodeId" TEXT,
    "rejectionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ApplicationAnswer" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "ApplicationAnswer_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ApplicationReview" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApplicationReview_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ReviewScore" (
    "reviewId" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,

    CONSTRAINT "ReviewScore_pkey" PRIMARY KEY ("reviewId","criterionId")
);

CREATE TABLE "ApplicationDecision" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "kind" "ApplicationDecisionKind" NOT NULL,
    "reason" TEXT,
    "decidedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicationDecision_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Invite" (
    "id" TEXT NOT NULL,
    "source" "InviteSource" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "code" TEXT,
    "email" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "batch" TEXT,
    "applicationId" TEXT,
    "createdById" TEXT,
    "emailedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Vouch" (
    "id" TEXT NOT NULL,
    "voucherId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vouch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdmissionCriterion_position_idx" ON "AdmissionCriterion"("position");
CREATE UNIQUE INDEX "Application_accessTokenHash_key" ON "Application"("accessTokenHash");
CREATE UNIQUE INDEX "Application_vouchId_key" ON "Application"("vouchId");
CREATE UNIQUE INDEX "Application_inviteCodeId_key" ON "Application"("inviteCodeId");
CREATE INDEX "Application_status_createdAt_idx" ON "Application"("status", "createdAt");
CREATE INDEX "Application_email_idx" ON "Application"("email");
CREATE UNIQUE INDEX "ApplicationAnswer_applicationId_criterionId_key" ON "ApplicationAnswer"("applicationId", "criterionId");
CREATE INDEX "ApplicationAnswer_criterionId_idx" ON "ApplicationAnswer"("criterionId");
CREATE UNIQUE INDEX "ApplicationReview_applicationId_reviewerId_key" ON "ApplicationReview"("applicationId", "reviewerId");
CREATE INDEX "ApplicationReview_reviewerId_idx" ON "ApplicationReview"("reviewerId");
CREATE INDEX "ReviewScore_criterionId_idx" ON "ReviewScore"("criterionId");
CREATE INDEX "ApplicationDecision_applicationId_createdAt_idx" ON "ApplicationDecision"("applicationId", "createdAt");
CREATE INDEX "ApplicationDecision_decidedById_idx" ON "ApplicationDecision"("decidedById");
CREATE UNIQUE INDEX "Invite_tokenHash_key" ON "Invite"("tokenHash");
CREATE UNIQUE INDEX "Invite_code_key" ON "Invite"("code");
CREATE UNIQUE INDEX "Invite_usedById_key" ON "Invite"("usedById");
CREATE INDEX "Invite_source_createdAt_idx" ON "Invite"("source", "createdAt");
CREATE INDEX "Invite_batch_idx" ON "Invite"("batch");
CREATE INDEX "Invite_applicationId_idx" ON "Invite"("applicationId");
CREATE UNIQUE INDEX "Vouch_tokenHash_key" ON "Vouch"("tokenHash");
CREATE INDEX "Vouch_email_idx" ON "Vouch"("email");
CREATE UNIQUE INDEX "Vouch_voucherId_email_key" ON "Vouch"("voucherId", "email");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_vouchId_fkey" FOREIGN KEY ("vouchId") REFERENCES "Vouch"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Application" ADD CONSTRAINT "Application_inviteCodeId_fkey" FOREIGN KEY ("inviteCodeId") REFERENCES "Invite"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ApplicationAnswer" ADD CONSTRAINT "ApplicationAnswer_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationAnswer" ADD CONSTRAINT "ApplicationAnswer_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "AdmissionCriterion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ApplicationReview" ADD CONSTRAINT "ApplicationReview_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationReview" ADD CONSTRAINT "ApplicationReview_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ReviewScore" ADD CONSTRAINT "ReviewScore_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "ApplicationReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ReviewScore" ADD CONSTRAINT "ReviewScore_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "AdmissionCriterion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ApplicationDecision" ADD CONSTRAINT "ApplicationDecision_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationDecision" ADD CONSTRAINT "ApplicationDecision_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_usedById_fkey" FOREIGN KEY ("usedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Vouch" ADD CONSTRAINT "Vouch_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
