/** Import this first in a test file about billing's test mode (no Stripe keys). */
delete process.env.STRIPE_SECRET_KEY;
delete process.env.STRIPE_WEBHOOK_SECRET;
delete process.env.STRIPE_API_BASE;
export {};
