/**
 * Import this first in a test file that runs billing against "Stripe": it starts the fake
 * Stripe server and points the app's configuration at it before any app module reads it.
 */
import { startFakeStripe } from "../support/fake-stripe";

export const fake = await startFakeStripe();
process.env.STRIPE_SECRET_KEY = fake.secretKey;
process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
process.env.STRIPE_API_BASE = fake.url;
// Short, so the "Stripe hangs" tests do not wait ten seconds.
process.env.STRIPE_TIMEOUT_MS = "700";
