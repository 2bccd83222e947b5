-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('FORUM_REPLY', 'FORUM_MENTION', 'ROADMAP_STATUS', 'ROADMAP_MERGE', 'DIGEST', 'EVENT_REMINDER', 'FOLLOW_UP');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('IN_APP', 'EMAIL');

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "values" JSONB NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "userId" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId","kind","channel")
);

-- CreateTable
CREATE TABLE "NotificationFanout" (
    "id" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "audience" JSONB NOT NULL,
    "values" JSONB NOT NULL,
    "url" TEXT NOT NULL,
    "cursor" JSONB,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "NotificationFanout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_id_idx" ON "Notification"("userId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- Backfill: the email switches members set on /account before the grid existed.
INSERT INTO "NotificationPreference" ("userId", "kind", "channel", "enabled")
SELECT "id", 'FORUM_REPLY'::"NotificationKind", 'EMAIL'::"NotificationChannel", false FROM "User" WHERE NOT "notifyReplies"
UNION ALL
SELECT "id", 'FORUM_MENTION'::"NotificationKind", 'EMAIL'::"NotificationChannel", false FROM "User" WHERE NOT "notifyMentions"
UNION ALL
SELECT "id", 'DIGEST'::"NotificationKind", 'EMAIL'::"NotificationChannel", false FROM "User" WHERE NOT "weeklyDigest";
