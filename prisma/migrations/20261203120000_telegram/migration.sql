-- AlterEnum
ALTER TYPE "NotificationChannel" ADD VALUE 'TELEGRAM';

-- CreateEnum
CREATE TYPE "TelegramMessageStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "TelegramChatMemberStatus" AS ENUM ('INVITED', 'JOINED', 'REMOVED');

-- CreateTable
CREATE TABLE "TelegramLink" (
    "userId" TEXT NOT NULL,
    "telegramUserId" BIGINT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "username" TEXT,
    "firstName" TEXT,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramLink_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "TelegramLinkToken" (
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramLinkToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "TelegramUpdate" (
    "updateId" BIGINT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramUpdate_pkey" PRIMARY KEY ("updateId")
);

-- CreateTable
CREATE TABLE "TelegramMessage" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "chatId" BIGINT NOT NULL,
    "purpose" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "replyMarkup" JSONB,
    "status" "TelegramMessageStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "telegramMessageId" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelegramChat" (
    "id" TEXT NOT NULL,
    "telegramChatId" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "linkedById" TEXT,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramChat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelegramChatTier" (
    "chatId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,

    CONSTRAINT "TelegramChatTier_pkey" PRIMARY KEY ("chatId","tierId")
);

-- CreateTable
CREATE TABLE "TelegramChatMember" (
    "chatId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "TelegramChatMemberStatus" NOT NULL,
    "inviteLink" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TelegramChatMember_pkey" PRIMARY KEY ("chatId","userId")
);

-- CreateTable
CREATE TABLE "TelegramChatLog" (
    "id" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "userId" TEXT,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramChatLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelegramAccessCheck" (
    "userId" TEXT NOT NULL,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelegramAccessCheck_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "TelegramLink_telegramUserId_key" ON "TelegramLink"("telegramUserId");

-- CreateIndex
CREATE INDEX "TelegramLinkToken_userId_idx" ON "TelegramLinkToken"("userId");

-- CreateIndex
CREATE INDEX "TelegramMessage_status_nextAttemptAt_idx" ON "TelegramMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TelegramMessage_createdAt_idx" ON "TelegramMessage"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TelegramChat_telegramChatId_key" ON "TelegramChat"("telegramChatId");

-- CreateIndex
CREATE INDEX "TelegramChatLog_chatId_createdAt_idx" ON "TelegramChatLog"("chatId", "createdAt");

-- AddForeignKey
ALTER TABLE "TelegramChatTier" ADD CONSTRAINT "TelegramChatTier_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "TelegramChat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelegramChatMember" ADD CONSTRAINT "TelegramChatMember_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "TelegramChat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelegramChatLog" ADD CONSTRAINT "TelegramChatLog_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "TelegramChat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Billing's changes to a linked member's subscriptions (webhooks, test mode, comps) queue
-- a check of their gated chats, in the same transaction; the telegram-access job works it off.
CREATE FUNCTION "telegram_queue_access_check"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TelegramAccessCheck" ("userId")
  SELECT NEW."userId" WHERE EXISTS (SELECT 1 FROM "TelegramLink" l WHERE l."userId" = NEW."userId")
  ON CONFLICT ("userId") DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "Subscription_telegram_access_check"
AFTER INSERT OR UPDATE ON "Subscription"
FOR EACH ROW EXECUTE FUNCTION "telegram_queue_access_check"();
