import { fake } from "./with-fake-stripe";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { saveTier } from "~/billing/tiers.server";
import { db } from "~/db.server";
import { log } from "~/log.server";
import { action as billingAction, loader as billingLoader } from "~/routes/billing._index";
import { action as joinAction, loader as joinLoader } from "~/routes/billing.join";
import { loader as testCheckoutLoader } from "~/routes/billing.test-checkout.$sessionId";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { billingRowCounts, deliver, tiersWithPrices } from "./support";

afterAll(() => fake.close());
afterEach(() => fake.restore());

let tiers: Awaited<ReturnType<typeof tiersWithPrices>>;
beforeEach(async () => {
  tiers = await tiersWithPrices(fake);
});

async function newcomer() {
  const user = await createUser({ tier: null });
  return { user, cookie: await sessionCookie(user.id) };
}

function join(cookie: string, form: Record<string, string>) {
  return settle(joinAction(routeArgs(appRequest("/billing/join", { cookie, form }))));
}

const attempt = () => `try-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

describe("joining through Stripe Checkout", () => {
  it("creates the member's customer and a subscription checkout that identifies them, with idempotency keys", async () => {
    const { user, cookie } = await newcomer();
    const tierId = tiers["private-client"].id;
    const response = (await join(cookie, { tierId, interval: "YEAR", attempt: attempt() })) as Response;
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location.startsWith(`${fake.url}/c/pay/cs_test_`)).toBe(true);

    const [customerCall] = fake.requestsTo(/^\/v1\/customers$/).filter((r) => (r.body.metadata as { userId: string }).userId === user.id);
    const [sessionCall] = fake.requestsTo(/^\/v1\/checkout\/sessions$/).filter((r) => r.body.client_reference_id === user.id);
    expect(customerCall.idempotencyKey).toBe(`customer:${user.id}`);
    expect(sessionCall.idempotencyKey).toMatch(new RegExp(`^checkout:${user.id}:${tierId}:YEAR:`));
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(sessionCall.body).toMatchObject({
      mode: "subscription",
      customer: stored.stripeCustomerId,
      client_reference_id: user.id,
      line_items: [{ price: "price_fake_private_year", quantity: "1" }],
      metadata: { userId: user.id, tierId, interval: "YEAR", priceId: "price_fake_private_year" },
      subscription_data: { metadata: { userId: user.id, tierId, interval: "YEAR", priceId: "price_fake_private_year" } },
    });
    expect(String(sessionCall.body.success_url)).toContain("/billing?checkout=complete");
    // Nothing is a membership until Stripe says it is paid.
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a member whose customer Stripe does not know (the demo's seeded cus_demo_*) gets a new one and reaches the checkout", async () => {
    const { user, cookie } = await newcomer();
    await db.user.update({ where: { id: user.id }, data: { stripeCustomerId: `cus_demo_${user.id}` } });
    const errors = vi.spyOn(log, "error");
    const response = (await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")!.startsWith(`${fake.url}/c/pay/cs_test_`)).toBe(true);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.stripeCustomerId).not.toBe(`cus_demo_${user.id}`);
    expect(fake.customers.has(stored.stripeCustomerId!)).toBe(true);
    const [session] = fake.requestsTo(/^\/v1\/checkout\/sessions$/).filter((r) => r.body.client_reference_id === user.id && r.body.customer === stored.stripeCustomerId);
    expect(session).toBeDefined();
    expect(errors).toHaveBeenCalledWith("stripe customer missing; the member gets a new one", { userId: user.id, customerId: `cus_demo_${user.id}` });
    errors.mockRestore();

    // The next attempt uses the new customer straight away.
    const again = (await join(cookie, { tierId: tiers.professional.id, interval: "YEAR", attempt: attempt() })) as Response;
    expect(again.status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).stripeCustomerId).toBe(stored.stripeCustomerId);
  });

  it("keeps one open checkout per member: starting another (a second tab) expires the first at Stripe", async () => {
    const { user, cookie } = await newcomer();
    const sessionOf = (response: Response) => response.headers.get("Location")!.split("/").pop()!;
    const first = sessionOf((await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() })) as Response);
    const second = sessionOf((await join(cookie, { tierId: tiers["private-client"].id, interval: "YEAR", attempt: attempt() })) as Response);
    expect(second).not.toBe(first);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(fake.requestsTo(new RegExp(`^/v1/checkout/sessions/${first}/expire$`))).toHaveLength(1);
    expect(fake.requestsTo(new RegExp(`^/v1/checkout/sessions/${second}/expire$`))).toHaveLength(0);
    expect(() => fake.completeCheckout(first)).toThrow(/expired/);
    expect(() => fake.completeCheckout(second)).not.toThrow();
    expect(stored.stripeCustomerId).toBeTruthy();
  });

  it("refuses a second membership paid in another tab before its webhook has arrived", async () => {
    const { user, cookie } = await newcomer();
    const first = ((await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() })) as Response).headers.get("Location")!.split("/").pop()!;
    fake.completeCheckout(first); // paid at Stripe; the webhook is still on its way
    const sessionsBefore = fake.requestsTo(/^\/v1\/checkout\/sessions$/).length;
    const refused = (await join(cookie, { tierId: tiers["private-client"].id, interval: "YEAR", attempt: attempt() })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(refused.init.status).toBe(409);
    expect(Object.values(refused.data.error).flat()).toContain("billing.join.alreadyMember");
    expect(fake.requestsTo(/^\/v1\/checkout\/sessions$/).length).toBe(sessionsBefore);
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);
  });

  it("still starts the checkout when Stripe fails to expire the earlier one", async () => {
    const { cookie } = await newcomer();
    await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() });
    fake.breakdown({ mode: "500", path: /^\/v1\/checkout\/sessions\/[^/]+\/expire$/ });
    const response = (await join(cookie, { tierId: tiers.professional.id, interval: "YEAR", attempt: attempt() })) as Response;
    expect(response.status).toBe(302);
  });

  it("shows the tiers with prices and what each includes, and refuses a tier that does not exist", async () => {
    const { cookie } = await newcomer();
    const page = (await joinLoader(routeArgs(appRequest("/billing/join", { cookie })))) as unknown as { data: Awaited<ReturnType<typeof joinLoader>>["data"] };
    const offers = page.data.offers;
    expect(offers.map((o) => o.slug)).toEqual(["community", "professional", "private-client"]);
    expect(offers[2]).toMatchObject({ prices: { MONTH: 49900, YEAR: 499000 }, canVote: true, voteWeight: 3 });
    const bad = (await join(cookie, { tierId: "no-such-tier", interval: "MONTH", attempt: attempt() })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(bad.init.status).toBe(409);
    expect(bad.data.error.tierId).toEqual(["billing.join.chooseTier"]);
    const invalid = (await join(cookie, { tierId: "", interval: "WEEK", attempt: "x" })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(invalid.init.status).toBe(400);
    expect(Object.keys(invalid.data.error).sort()).toEqual(["attempt", "interval", "tierId"]);
  });

  it("a Stripe 500 leaves no partial state, and the retry reuses the idempotency key", async () => {
    const { user, cookie } = await newcomer();
    const form = { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() };
    fake.breakdown({ mode: "500", path: /checkout\/sessions/ });
    const before = await billingRowCounts();
    const failed = (await join(cookie, form)) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(failed.init.status).toBe(503);
    expect(failed.data.error[""]).toEqual(["billing.unavailable"]);
    const mine = () => fake.requestsTo(/^\/v1\/checkout\/sessions$/).filter((r) => r.body.client_reference_id === user.id);
    const failedKeys = new Set(mine().map((r) => r.idempotencyKey));
    expect(failedKeys.size).toBe(1);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === user.id)).toHaveLength(0);
    const after = await billingRowCounts();
    expect(after.subscriptions).toBe(before.subscriptions);
    expect(after.ledger).toBe(before.ledger);
    expect(await db.testCheckoutSession.count()).toBe(0);

    fake.restore();
    const retried = (await join(cookie, form)) as Response;
    expect(retried.status).toBe(302);
    expect(new Set(mine().map((r) => r.idempotencyKey))).toEqual(failedKeys);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === user.id)).toHaveLength(1);
    // One customer, however many attempts.
    expect([...fake.customers.values()].filter((c) => (c.metadata as { userId: string }).userId === user.id)).toHaveLength(1);
  });

  it("a Stripe timeout tells the member to try again; a retry gets the session Stripe made, not a second one", async () => {
    const { user, cookie } = await newcomer();
    const form = { tierId: tiers.community.id, interval: "YEAR", attempt: attempt() };
    // Stripe creates the session but its answer never arrives.
    fake.breakdown({ mode: "hang-after", path: /checkout\/sessions/ });
    const started = Date.now();
    const failed = (await join(cookie, form)) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(failed.init.status).toBe(503);
    expect(failed.data.error[""]).toEqual(["billing.unavailable"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);

    fake.restore();
    const retried = (await join(cookie, form)) as Response;
    expect(retried.status).toBe(302);
    const sessions = [...fake.sessions.values()].filter((s) => s.client_reference_id === user.id);
    expect(sessions).toHaveLength(1);
    expect(retried.headers.get("Location")).toBe(sessions[0].url);
    const keys = new Set(fake.requestsTo(/^\/v1\/checkout\/sessions$/).filter((r) => r.body.client_reference_id === user.id).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
  });

  it("a member who already pays is sent to manage their subscription instead of buying a second one", async () => {
    const { user, cookie } = await newcomer();
    const first = (await join(cookie, { tierId: tiers.community.id, interval: "MONTH", attempt: attempt() })) as Response;
    const sessionId = new URL(first.headers.get("Location")!).pathname.split("/").pop()!;
    const { created } = fake.completeCheckout(sessionId);
    await deliver(fake, created);
    const again = (await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(again.init.status).toBe(409);
    expect(again.data.error[""]).toEqual(["billing.join.alreadyMember"]);
    const page = (await settle(joinLoader(routeArgs(appRequest("/billing/join", { cookie }))))) as Response;
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/billing");
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(1);
  });

  it("the test-mode checkout does not exist when Stripe is configured", async () => {
    const { cookie } = await newcomer();
    const response = (await settle(testCheckoutLoader(routeArgs(appRequest("/billing/test-checkout/cs_test_x", { cookie }), { sessionId: "cs_test_x" })))) as Response;
    expect(response.status).toBe(404);
  });
});

describe("the Billing Portal", () => {
  async function payingMember() {
    const { user, cookie } = await newcomer();
    const started = (await join(cookie, { tierId: tiers.professional.id, interval: "MONTH", attempt: attempt() })) as Response;
    const sessionId = new URL(started.headers.get("Location")!).pathname.split("/").pop()!;
    const { created, paid } = fake.completeCheckout(sessionId);
    await deliver(fake, created);
    await deliver(fake, paid);
    return { user: await db.user.findUniqueOrThrow({ where: { id: user.id } }), cookie };
  }

  it("opens a portal session for the member's own customer", async () => {
    const { user, cookie } = await payingMember();
    const response = (await settle(billingAction(routeArgs(appRequest("/billing", { cookie, form: { intent: "portal" } }))))) as Response;
    expect(response.status).toBe(302);
    const portal = [...fake.portalSessions.values()].find((s) => s.customer === user.stripeCustomerId)!;
    expect(response.headers.get("Location")).toBe(portal.url);
    expect(portal.return_url).toMatch(/\/billing$/);
    const call = fake.requestsTo(/billing_portal/).find((r) => r.body.customer === user.stripeCustomerId)!;
    expect(call.idempotencyKey).toMatch(new RegExp(`^portal:${user.id}:`));
  });

  it("a customer Stripe no longer knows is logged and replaced: the portal opens for the member's new customer", async () => {
    const { user, cookie } = await payingMember();
    const gone = user.stripeCustomerId!;
    fake.customers.delete(gone); // deleted in Stripe's dashboard
    const errors = vi.spyOn(log, "error");
    const response = (await settle(billingAction(routeArgs(appRequest("/billing", { cookie, form: { intent: "portal" } }))))) as Response;
    expect(response.status).toBe(302);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.stripeCustomerId).not.toBe(gone);
    expect(fake.customers.get(stored.stripeCustomerId!)).toMatchObject({ email: user.email, metadata: { userId: user.id } });
    const portal = [...fake.portalSessions.values()].find((s) => s.customer === stored.stripeCustomerId)!;
    expect(response.headers.get("Location")).toBe(portal.url);
    expect(errors).toHaveBeenCalledWith("stripe customer missing; the member gets a new one", { userId: user.id, customerId: gone });
    errors.mockRestore();
  });

  it("refuses a member who asks for another customer's portal, and creates nothing", async () => {
    const { cookie } = await payingMember();
    const other = await payingMember();
    const portalsBefore = fake.portalSessions.size;
    const response = (await settle(
      billingAction(routeArgs(appRequest("/billing", { cookie, form: { intent: "portal", customer: other.user.stripeCustomerId! } }))),
    )) as Response;
    expect(response.status).toBe(403);
    expect(fake.portalSessions.size).toBe(portalsBefore);
    expect([...fake.portalSessions.values()].some((s) => s.customer === other.user.stripeCustomerId)).toBe(false);
  });

  it("tells a member without a billing account to choose a tier, and says so when Stripe is down", async () => {
    const { cookie } = await newcomer();
    const none = (await settle(billingAction(routeArgs(appRequest("/billing", { cookie, form: { intent: "portal" } }))))) as { data: { error: string }; init: { status: number } };
    expect(none.init.status).toBe(409);
    expect(none.data.error).toBe("billing.portal.noCustomer");

    const member = await payingMember();
    fake.breakdown({ mode: "hang", path: /billing_portal/ });
    const down = (await settle(billingAction(routeArgs(appRequest("/billing", { cookie: member.cookie, form: { intent: "portal" } }))))) as { data: { error: string }; init: { status: number } };
    expect(down.init.status).toBe(503);
    expect(down.data.error).toBe("billing.unavailable");
  });

  it("shows the member their tier, renewal date and payment history", async () => {
    const { cookie } = await payingMember();
    const page = (await billingLoader(routeArgs(appRequest("/billing", { cookie })))) as unknown as { data: Awaited<ReturnType<typeof billingLoader>>["data"] };
    expect(page.data.holding?.tier.nameEn).toBe("Professional");
    expect(page.data.paid).toMatchObject({ status: "ACTIVE", amount: 9900, interval: "MONTH", cancelAtPeriodEnd: false });
    expect(page.data.paid?.currentPeriodEnd?.getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    expect(page.data.history).toHaveLength(1);
    expect(page.data.history[0]).toMatchObject({ kind: "INVOICE_PAID", amount: 9900, currency: "eur" });
    expect(page.data.offers).toEqual([]);
    expect(page.data.testMode).toBe(false);
  });
});

describe("tiers priced in Stripe", () => {
  it("reads each Price from Stripe when the owner saves a tier, and refuses ones that do not fit", async () => {
    fake.addPrice({ id: "price_fake_gold_month", unit_amount: 15000, currency: "usd", interval: "month" });
    fake.addPrice({ id: "price_fake_gold_year", unit_amount: 150000, currency: "usd", interval: "year" });
    fake.addPrice({ id: "price_fake_gold_eur_year", unit_amount: 150000, currency: "eur", interval: "year" });
    const input = {
      slug: "gold",
      nameEn: "Gold",
      nameRu: "Gold",
      position: 5,
      currency: "eur" as const,
      canVote: false,
      voteWeight: 1,
      referralQuota: 1,
    };
    const missing = await saveTier({ ...input, stripeMonthlyPriceId: "price_fake_nope" });
    expect(missing).toEqual({ ok: false, errors: { stripeMonthlyPriceId: ["billing.tier.priceNotFound"] } });
    const swapped = await saveTier({ ...input, stripeMonthlyPriceId: "price_fake_gold_year" });
    expect(swapped).toEqual({ ok: false, errors: { stripeMonthlyPriceId: ["billing.tier.priceNotMonthly"] } });
    // A Price in another currency than the tier's is refused at its field, not silently taken.
    const mixed = await saveTier({ ...input, stripeMonthlyPriceId: "price_fake_gold_month", stripeYearlyPriceId: "price_fake_gold_eur_year" });
    expect(mixed).toEqual({ ok: false, errors: { stripeMonthlyPriceId: ['billing.tier.priceCurrencyDiffers|{"price":"USD","tier":"EUR"}'] } });
    const typed = await saveTier({ ...input, currency: "usd", monthlyPrice: "20", stripeMonthlyPriceId: "price_fake_gold_month" });
    expect(typed).toEqual({ ok: false, errors: { stripeMonthlyPriceId: ['billing.tier.priceAmountDiffers|{"price":"150","tier":"20"}'] } });
    expect(await db.tier.count({ where: { slug: "gold" } })).toBe(0);
    fake.addPrice({ id: "price_fake_free_month", unit_amount: 0, currency: "eur", interval: "month" });
    const free = await saveTier({ ...input, stripeMonthlyPriceId: "price_fake_free_month" });
    expect(free).toEqual({ ok: false, errors: { stripeMonthlyPriceId: ["billing.tier.priceFree"] } });
    fake.breakdown({ mode: "500", path: /prices/ });
    expect(await saveTier({ ...input, currency: "usd", stripeMonthlyPriceId: "price_fake_gold_month" })).toEqual({ ok: false, errors: { "": ["billing.unavailable"] } });
    fake.restore();

    const saved = await saveTier({ ...input, currency: "usd", stripeMonthlyPriceId: "price_fake_gold_month", stripeYearlyPriceId: "price_fake_gold_year" });
    expect(saved.ok).toBe(true);
    expect(await db.tier.findUniqueOrThrow({ where: { slug: "gold" } })).toMatchObject({ monthlyAmount: 15000, yearlyAmount: 150000, currency: "usd" });
  });
});
