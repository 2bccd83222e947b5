/** Helpers for billing's tests: tiers with Stripe prices, webhook deliveries, table counts. */
import { db } from "~/db.server";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { ensureClubSettings, ensureTiers } from "../factories";
import type { FakeStripe } from "../support/fake-stripe";
import { ORIGIN, routeArgs } from "../support/requests";

export const PRICES = {
  community: { MONTH: "price_fake_community_month", YEAR: "price_fake_community_year" },
  professional: { MONTH: "price_fake_professional_month", YEAR: "price_fake_professional_year" },
  "private-client": { MONTH: "price_fake_private_month", YEAR: "price_fake_private_year" },
} as const;

/** The three demo tiers, sold at Stripe Prices that the fake Stripe knows. */
export async function tiersWithPrices(fake?: FakeStripe) {
  await ensureClubSettings();
  const tiers = await ensureTiers();
  for (const [slug, ids] of Object.entries(PRICES) as Array<[keyof typeof PRICES, (typeof PRICES)[keyof typeof PRICES]]>) {
    const tier = tiers[slug];
    await db.tier.update({ where: { id: tier.id }, data: { stripeMonthlyPriceId: ids.MONTH, stripeYearlyPriceId: ids.YEAR } });
    fake?.addPrice({ id: ids.MONTH, unit_amount: tier.monthlyAmount, currency: tier.currency, interval: "month" });
    fake?.addPrice({ id: ids.YEAR, unit_amount: tier.yearlyAmount, currency: tier.currency, interval: "year" });
  }
  return tiers;
}

export function webhookRequest(payload: string, headers: Record<string, string>) {
  return new Request(`${ORIGIN}/webhooks/stripe`, {
    method: "POST",
    body: payload,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** Delivers a payload to /webhooks/stripe as Stripe does (no browser Origin, raw JSON body). */
export async function post(payload: string, headers: Record<string, string>): Promise<Response> {
  return (await webhookAction(routeArgs(webhookRequest(payload, headers)))) as Response;
}

/** Signs an event with the fake's secret and delivers it. */
export function deliver(fake: FakeStripe, event: Parameters<FakeStripe["signed"]>[0], options?: Parameters<FakeStripe["signed"]>[1]) {
  const { payload, header } = fake.signed(event, options);
  return post(payload, { "Stripe-Signature": header });
}

/** Rows that any billing write would touch. */
export async function billingRowCounts() {
  const [events, subscriptions, ledger, linkedCustomers, emails] = await Promise.all([
    db.stripeEvent.count(),
    db.subscription.count(),
    db.ledgerEntry.count(),
    db.user.count({ where: { stripeCustomerId: { not: null } } }),
    db.email.count(),
  ]);
  return { events, subscriptions, ledger, linkedCustomers, emails };
}
