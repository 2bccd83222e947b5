-- CreateTable
CREATE TABLE "AcquisitionSpend" (
    "month" DATE NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AcquisitionSpend_pkey" PRIMARY KEY ("month")
);
