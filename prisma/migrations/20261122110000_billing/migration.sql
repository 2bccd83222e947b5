-- Billing: a Stripe subscription may span several Subscription rows (a change of tier or
-- price ends one row and starts the next), and the built-in test checkout keeps its sessions.

-- DropIndex
DROP INDEX "Subscription_stripeSubscriptionId_key";

-- CreateTable
CREATE TABLE "TestCheckoutSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,
    "interval" "BillingInterval" NOT NULL,
    "priceId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TestCheckoutSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Subscription_stripeSubscriptionId_idx" ON "Subscription"("stripeSubscriptionId");
CREATE UNIQUE INDEX "TestCheckoutSession_idempotencyKey_key" ON "TestCheckoutSession"("idempotencyKey");
CREATE INDEX "TestCheckoutSession_userId_idx" ON "TestCheckoutSession"("userId");

-- AddForeignKey
ALTER TABLE "TestCheckoutSession" ADD CONSTRAINT "TestCheckoutSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TestCheckoutSession" ADD CONSTRAINT "TestCheckoutSession_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier"("id") ON DELETE CASCADE ON UPDATE CASCADE;
