-- CreateEnum
CREATE TYPE "PlaybookTrigger" AS ENUM ('BECAME_DETRACTOR', 'INACTIVE', 'JOINED', 'PAYMENT_FAILED', 'CANCELLATION_SCHEDULED', 'APPLICATION_WAITLISTED');

-- CreateEnum
CREATE TYPE "PlaybookStepKind" AS ENUM ('WAIT', 'SEND', 'TASK');

-- CreateEnum
CREATE TYPE "PlaybookExit" AS ENUM ('CAME_BACK', 'ANSWERED_SURVEY', 'PAID', 'CLOSED_BY_STAFF', 'COMPLETED', 'LEFT');

-- CreateTable
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUpTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "reason" "PlaybookTrigger" NOT NULL,
    "subjectEn" TEXT NOT NULL,
    "bodyEn" TEXT NOT NULL,
    "subjectRu" TEXT NOT NULL,
    "bodyRu" TEXT NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUpTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Playbook" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "trigger" "PlaybookTrigger" NOT NULL,
    "triggerDays" INTEGER,
    "segmentId" TEXT,
    "holdOutPercent" INTEGER NOT NULL DEFAULT 0,
    "exitOnReturn" BOOLEAN NOT NULL DEFAULT true,
    "exitOnSurvey" BOOLEAN NOT NULL DEFAULT false,
    "exitOnPayment" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "pausedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Playbook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaybookStep" (
    "id" TEXT NOT NULL,
    "playbookId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "PlaybookStepKind" NOT NULL,
    "days" INTEGER,
    "templateId" TEXT,
    "taskNote" TEXT,

    CONSTRAINT "PlaybookStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaybookRun" (
    "id" TEXT NOT NULL,
    "playbookId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "userId" TEXT,
    "applicationId" TEXT,
    "occurrence" TEXT NOT NULL,
    "heldOut" BOOLEAN NOT NULL DEFAULT false,
    "enteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nextStep" INTEGER NOT NULL DEFAULT 0,
    "nextAt" TIMESTAMP(3),
    "exitedAt" TIMESTAMP(3),
    "exitReason" "PlaybookExit",
    "closedById" TEXT,

    CONSTRAINT "PlaybookRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaybookRunStep" (
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "PlaybookStepKind" NOT NULL,
    "doneAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "templateId" TEXT,
    "channels" JSONB,
    "taskId" TEXT,

    CONSTRAINT "PlaybookRunStep_pkey" PRIMARY KEY ("runId","position")
);

-- CreateTable
CREATE TABLE "CuratorTask" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "runId" TEXT,
    "note" TEXT NOT NULL,
    "assigneeId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),
    "doneById" TEXT,

    CONSTRAINT "CuratorTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NpsReply" (
    "id" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "staffId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NpsReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Segment_name_key" ON "Segment"("name");

-- CreateIndex
CREATE INDEX "FollowUpTemplate_archivedAt_name_idx" ON "FollowUpTemplate"("archivedAt", "name");

-- CreateIndex
CREATE INDEX "Playbook_pausedAt_idx" ON "Playbook"("pausedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlaybookStep_playbookId_version_position_key" ON "PlaybookStep"("playbookId", "version", "position");

-- CreateIndex
CREATE INDEX "PlaybookStep_templateId_idx" ON "PlaybookStep"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "PlaybookRun_playbookId_occurrence_key" ON "PlaybookRun"("playbookId", "occurrence");

-- CreateIndex
CREATE INDEX "PlaybookRun_nextAt_idx" ON "PlaybookRun"("nextAt");

-- CreateIndex
CREATE INDEX "PlaybookRun_userId_enteredAt_idx" ON "PlaybookRun"("userId", "enteredAt");

-- CreateIndex
CREATE INDEX "PlaybookRun_applicationId_idx" ON "PlaybookRun"("applicationId");

-- CreateIndex
CREATE INDEX "PlaybookRun_playbookId_enteredAt_idx" ON "PlaybookRun"("playbookId", "enteredAt");

-- CreateIndex
CREATE INDEX "PlaybookRunStep_doneAt_idx" ON "PlaybookRunStep"("doneAt");

-- CreateIndex
CREATE INDEX "CuratorTask_doneAt_createdAt_idx" ON "CuratorTask"("doneAt", "createdAt");

-- CreateIndex
CREATE INDEX "CuratorTask_memberId_createdAt_idx" ON "CuratorTask"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "CuratorTask_runId_idx" ON "CuratorTask"("runId");

-- CreateIndex
CREATE INDEX "NpsReply_responseId_createdAt_idx" ON "NpsReply"("responseId", "createdAt");

-- AddForeignKey
ALTER TABLE "PlaybookStep" ADD CONSTRAINT "PlaybookStep_playbookId_fkey" FOREIGN KEY ("playbookId") REFERENCES "Playbook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybookStep" ADD CONSTRAINT "PlaybookStep_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "FollowUpTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybookRun" ADD CONSTRAINT "PlaybookRun_playbookId_fkey" FOREIGN KEY ("playbookId") REFERENCES "Playbook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybookRunStep" ADD CONSTRAINT "PlaybookRunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "PlaybookRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
