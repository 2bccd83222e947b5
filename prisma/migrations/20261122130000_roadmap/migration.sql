-- Roadmap board: items, one vote per member per item with the weight of the voter's tier,
-- voters' standing (whether their votes count now), status history and comments.

-- CreateEnum
CREATE TYPE "RoadmapStatus" AS ENUM ('UNDER_REVIEW', 'PLANNED', 'IN_PROGRESS', 'SHIPPED', 'DECLINED');

-- CreateTable
CREATE TABLE "RoadmapItem" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "descriptionMd" TEXT NOT NULL DEFAULT '',
    "descriptionHtml" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL DEFAULT '',
    "status" "RoadmapStatus" NOT NULL DEFAULT 'UNDER_REVIEW',
    "targetQuarter" TEXT,
    "authorId" TEXT,
    "mergedIntoId" TEXT,
    "mergedAt" TIMESTAMP(3),
    "mergedById" TEXT,
    "voteCount" INTEGER NOT NULL DEFAULT 0,
    "weightedVotes" INTEGER NOT NULL DEFAULT 0,
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoadmapItem_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RoadmapVote" (
    "itemId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "weight" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoadmapVote_pkey" PRIMARY KEY ("itemId","userId")
);

CREATE TABLE "RoadmapVoter" (
    "userId" TEXT NOT NULL,
    "counting" BOOLEAN NOT NULL DEFAULT true,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoadmapVoter_pkey" PRIMARY KEY ("userId")
);

CREATE TABLE "RoadmapStatusChange" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "fromStatus" "RoadmapStatus",
    "toStatus" "RoadmapStatus" NOT NULL,
    "note" TEXT,
    "changedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoadmapStatusChange_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RoadmapComment" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "authorId" TEXT,
    "bodyMd" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoadmapComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoadmapItem_status_weightedVotes_idx" ON "RoadmapItem"("status", "weightedVotes");
CREATE INDEX "RoadmapItem_status_voteCount_idx" ON "RoadmapItem"("status", "voteCount");
CREATE INDEX "RoadmapItem_status_createdAt_idx" ON "RoadmapItem"("status", "createdAt");
CREATE INDEX "RoadmapItem_status_statusChangedAt_idx" ON "RoadmapItem"("status", "statusChangedAt");
CREATE INDEX "RoadmapItem_weightedVotes_idx" ON "RoadmapItem"("weightedVotes");
CREATE INDEX "RoadmapItem_voteCount_idx" ON "RoadmapItem"("voteCount");
CREATE INDEX "RoadmapItem_createdAt_idx" ON "RoadmapItem"("createdAt");
CREATE INDEX "RoadmapItem_statusChangedAt_idx" ON "RoadmapItem"("statusChangedAt");
CREATE INDEX "RoadmapItem_mergedIntoId_idx" ON "RoadmapItem"("mergedIntoId");
CREATE INDEX "RoadmapVote_userId_itemId_idx" ON "RoadmapVote"("userId", "itemId");
CREATE INDEX "RoadmapVote_createdAt_idx" ON "RoadmapVote"("createdAt");
CREATE INDEX "RoadmapStatusChange_itemId_createdAt_idx" ON "RoadmapStatusChange"("itemId", "createdAt");
CREATE INDEX "RoadmapComment_itemId_createdAt_idx" ON "RoadmapComment"("itemId", "createdAt");

-- AddForeignKey
ALTER TABLE "RoadmapItem" ADD CONSTRAINT "RoadmapItem_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RoadmapItem" ADD CONSTRAINT "RoadmapItem_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "RoadmapItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RoadmapItem" ADD CONSTRAINT "RoadmapItem_mergedById_fkey" FOREIGN KEY ("mergedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RoadmapVote" ADD CONSTRAINT "RoadmapVote_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "RoadmapItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RoadmapVote" ADD CONSTRAINT "RoadmapVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RoadmapVoter" ADD CONSTRAINT "RoadmapVoter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RoadmapStatusChange" ADD CONSTRAINT "RoadmapStatusChange_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "RoadmapItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RoadmapStatusChange" ADD CONSTRAINT "RoadmapStatusChange_changedById_fkey" FOREIGN KEY ("changedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RoadmapComment" ADD CONSTRAINT "RoadmapComment_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "RoadmapItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RoadmapComment" ADD CONSTRAINT "RoadmapComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
