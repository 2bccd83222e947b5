-- The built-in test checkout keeps one open checkout per member, as Stripe mode does: starting
-- a newer one expires the others.
ALTER TABLE "TestCheckoutSession" ADD COLUMN "expiredAt" TIMESTAMP(3);
