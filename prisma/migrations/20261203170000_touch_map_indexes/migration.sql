-- CreateIndex
CREATE INDEX "Email_userId_createdAt_idx" ON "Email"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "TelegramMessage_userId_createdAt_idx" ON "TelegramMessage"("userId", "createdAt");
