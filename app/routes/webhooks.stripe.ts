import { receiveStripeWebhook } from "~/billing/webhooks.server";
import { webhookRoute } from "~/webhook-route.server";

/** Stripe's webhooks. The signature is checked on the raw body, so nothing may parse it first. */
const route = webhookRoute("stripe-signature", receiveStripeWebhook);
export const loader = route.loader;
export const action = route.action;
