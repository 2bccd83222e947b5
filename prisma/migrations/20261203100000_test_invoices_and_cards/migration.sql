-- Billing's test mode keeps what Stripe would keep for it: the invoices it issued (listed on
-- the test billing portal) and each customer's default card (brand, last four digits, expiry).

-- CreateEnum
CREATE TYPE "TestInvoiceStatus" AS ENUM ('PAID', 'OPEN', 'UNCOLLECTIBLE');

-- CreateTable
CREATE TABLE "TestInvoice" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stripeSubscriptionId" TEXT NOT NULL,
    "status" "TestInvoiceStatus" NOT NULL,
    "billingReason" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "amountPaid" INTEGER NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "lines" JSONB NOT NULL,
    "attemptCount" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "TestInvoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TestPaymentMethod" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "expMonth" INTEGER NOT NULL,
    "expYear" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TestPaymentMethod_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TestInvoice_userId_createdAt_idx" ON "TestInvoice"("userId", "createdAt");
CREATE INDEX "TestInvoice_stripeSubscriptionId_status_idx" ON "TestInvoice"("stripeSubscriptionId", "status");
CREATE UNIQUE INDEX "TestPaymentMethod_userId_key" ON "TestPaymentMethod"("userId");

-- AddForeignKey
ALTER TABLE "TestInvoice" ADD CONSTRAINT "TestInvoice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TestPaymentMethod" ADD CONSTRAINT "TestPaymentMethod_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
