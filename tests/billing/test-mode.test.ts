import "./without-stripe-keys";
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { TEST_MODE_WEBHOOK_SECRET } from "~/billing/stripe.server";
import { db } from "~/db.server";
import { loader as rootLoader } from "~/root";
import { action as joinAction } from "~/routes/billing.join";
import { action as payAction, loader as checkoutLoader } from "~/routes/billing.test-checkout.$sessionId";
import { action as portalAction, loader as portalLoader } from "~/routes/billing.test-portal";
import { addMembership, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { post } from "./support";

let tiers: Awaited<ReturnType<typeof ensureTiers>>;
beforeEach(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
});

async function newcomer() {
  const user = await createUser({ tier: null });
  return { user, cookie: await sessionCookie(user.id) };
}

async function startTestCheckout(cookie: string, tierId: string, interval = "MONTH", attempt = `a-${Math.random().toString(36).slice(2)}-attempt`) {
  const response = (await settle(joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId, interval, attempt } }))))) as Response;
  expect(response.status).toBe(302);
  const location = response.headers.get("Location")!;
  expect(location).toMatch(/^\/billing\/test-checkout\/cs_test_[0-9a-f]+$/);
  return location.split("/").pop()!;
}

const pay = (cookie: string, sessionId: string, intent = "pay") =>
  settle(payAction(routeArgs(appRequest(`/billing/test-checkout/${sessionId}`, { cookie, form: { intent } }), { sessionId })));

const portal = (cookie: string, form: Record<string, string>) =>
  settle(portalAction(routeArgs(appRequest("/billing/test-portal", { cookie, form }))));

describe("the built-in test checkout", () => {
  it("stands in for Stripe: paying sends Stripe's events through the webhook handler, once", async () => {
    const { user, cookie } = await newcomer();
    const sessionId = await startTestCheckout(cookie, tiers["private-client"].id, "YEAR");
    const page = (await checkoutLoader(routeArgs(appRequest(`/billing/test-checkout/${sessionId}`, { cookie }), { sessionId }))) as Awaited<ReturnType<typeof checkoutLoader>>;
    expect(page).toMatchObject({ amount: 499000, currency: "eur", interval: "YEAR", tier: { nameEn: "Private Client" } });

    const paid = (await pay(cookie, sessionId)) as Response;
    expect(paid.status).toBe(302);
    expect(paid.headers.get("Location")).toBe("/billing?checkout=complete");
    expect((await currentMembership(user.id))?.tier.slug).toBe("private-client");
    const suffix = sessionId.replace("cs_test_", "");
    const events = await db.stripeEvent.findMany({ where: { id: { startsWith: `evt_test_${suffix}` } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type).sort()).toEqual(["checkout.session.completed", "customer.subscription.created", "invoice.paid"]);
    const [row] = await db.subscription.findMany({ where: { userId: user.id } });
    expect(row).toMatchObject({ status: "ACTIVE", interval: "YEAR", amount: 499000, stripeSubscriptionId: `sub_test_${suffix}` });
    expect(await db.ledgerEntry.count({ where: { userId: user.id, kind: "INVOICE_PAID", amount: 499000 } })).toBe(1);

    // A double click, or the back button: nothing is paid twice.
    expect(((await pay(cookie, sessionId)) as Response).status).toBe(302);
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(1);
  });

  it("reuses one checkout for one attempt, and hides a member's checkout from everyone else", async () => {
    const { cookie } = await newcomer();
    const attempt = "same-attempt-0123456789";
    const first = await startTestCheckout(cookie, tiers.community.id, "MONTH", attempt);
    const second = await startTestCheckout(cookie, tiers.community.id, "MONTH", attempt);
    expect(second).toBe(first);
    expect(await db.testCheckoutSession.count({ where: { id: first } })).toBe(1);

    const stranger = await newcomer();
    const seen = (await settle(checkoutLoader(routeArgs(appRequest(`/billing/test-checkout/${first}`, { cookie: stranger.cookie }), { sessionId: first })))) as Response;
    expect(seen.status).toBe(404);
    expect(((await pay(stranger.cookie, first)) as Response).status).toBe(404);
    expect(await db.subscription.count({ where: { userId: stranger.user.id } })).toBe(0);
  });

  it("keeps one open checkout per member: a second tab's checkout replaces the first, which can no longer be paid", async () => {
    const { user, cookie } = await newcomer();
    const first = await startTestCheckout(cookie, tiers.professional.id);
    const second = await startTestCheckout(cookie, tiers["private-client"].id, "YEAR");
    expect(second).not.toBe(first);

    const stale = (await settle(checkoutLoader(routeArgs(appRequest(`/billing/test-checkout/${first}`, { cookie }), { sessionId: first })))) as Response;
    expect(stale.headers.get("Location")).toBe("/billing/join?checkout=replaced");
    const refused = (await pay(cookie, first)) as Response;
    expect(refused.headers.get("Location")).toBe("/billing/join?checkout=replaced");
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);

    expect(((await pay(cookie, second)) as Response).headers.get("Location")).toBe("/billing?checkout=complete");
    expect((await db.subscription.findMany({ where: { userId: user.id } })).map((s) => s.amount)).toEqual([499000]);
  });

  it("cancelling goes back to the tier choice and charges nothing", async () => {
    const { user, cookie } = await newcomer();
    const sessionId = await startTestCheckout(cookie, tiers.community.id);
    const response = (await pay(cookie, sessionId, "cancel")) as Response;
    expect(response.headers.get("Location")).toBe("/billing/join?checkout=canceled");
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(0);
  });

  it("accepts webhooks signed with the test-mode secret, and only those", async () => {
    const { user } = await newcomer();
    await db.user.update({ where: { id: user.id }, data: { stripeCustomerId: "cus_test_signed" } });
    const event = {
      id: "evt_test_signed_1",
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: "cs_test_signed",
          object: "checkout.session",
          mode: "subscription",
          status: "complete",
          payment_status: "paid",
          customer: "cus_test_signed",
          client_reference_id: user.id,
          subscription: "sub_test_signed",
          metadata: { userId: user.id, tierId: tiers.professional.id, interval: "MONTH", priceId: "price_test_professional_month" },
        },
      },
    };
    const payload = JSON.stringify(event);
    const wrong = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_guess" });
    expect((await post(payload, { "Stripe-Signature": wrong })).status).toBe(400);
    expect(await currentMembership(user.id)).toBeNull();
    const right = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_MODE_WEBHOOK_SECRET });
    expect((await post(payload, { "Stripe-Signature": right })).status).toBe(200);
    expect((await currentMembership(user.id))?.tier.slug).toBe("professional");
  });
});

describe("the built-in test billing portal", () => {
  async function member(slug: "community" | "professional" | "private-client" = "community") {
    const { user, cookie } = await newcomer();
    await pay(cookie, await startTestCheckout(cookie, tiers[slug].id));
    return { user, cookie };
  }

  it("switches tier: the old period ends and a new one starts, and the member holds the new tier", async () => {
    const { user, cookie } = await member("community");
    const response = (await portal(cookie, { intent: "change-plan", tierId: tiers.professional.id, interval: "MONTH" })) as Response;
    expect(response.status).toBe(302);
    const rows = await db.subscription.findMany({ where: { userId: user.id }, orderBy: [{ startedAt: "asc" }, { createdAt: "asc" }] });
    expect(rows.map((r) => [r.tierId, r.status, r.endedAt === null])).toEqual([
      [tiers.community.id, "CANCELED", false],
      [tiers.professional.id, "ACTIVE", true],
    ]);
    expect(rows[0].endedAt).toEqual(rows[1].startedAt);
    expect((await currentMembership(user.id))?.tier.slug).toBe("professional");

    const same = (await portal(cookie, { intent: "change-plan", tierId: tiers.professional.id, interval: "MONTH" })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(same.init.status).toBe(409);
    expect(same.data.error.tierId).toEqual(["billing.portal.samePlan"]);
  });

  it("a plan change on a row no subscription event has touched (as the demo seeds them) keeps the months on the old tier", async () => {
    const { user, cookie } = await newcomer();
    const eightMonthsAgo = new Date(Date.now() - 240 * 86_400_000);
    const seeded = await addMembership(user.id, { tier: "community", startedAt: eightMonthsAgo });
    await db.subscription.update({ where: { id: seeded.id }, data: { stripeSubscriptionId: `sub_demo_${user.id}`, stripeUpdatedAt: null } });
    await db.user.update({ where: { id: user.id }, data: { stripeCustomerId: `cus_demo_${user.id}` } });
    const response = (await portal(cookie, { intent: "change-plan", tierId: tiers["private-client"].id, interval: "MONTH" })) as Response;
    expect(response.status).toBe(302);
    const rows = await db.subscription.findMany({ where: { userId: user.id }, orderBy: { startedAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: seeded.id, tierId: tiers.community.id, startedAt: eightMonthsAgo, amount: seeded.amount });
    expect(rows[0].endedAt).not.toBeNull();
    expect(rows[1]).toMatchObject({ tierId: tiers["private-client"].id, endedAt: null, startedAt: rows[0].endedAt });
  });

  it("charges a plan change as Stripe does: a new interval is billed at once and starts a new period", async () => {
    const { user, cookie } = await member("professional");
    const before = Date.now();
    const response = (await portal(cookie, { intent: "change-plan", tierId: tiers["private-client"].id, interval: "YEAR" })) as Response;
    expect(response.status).toBe(302);
    const open = await db.subscription.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    expect(open).toMatchObject({ tierId: tiers["private-client"].id, interval: "YEAR", amount: 499000 });
    // The year starts now, not at the end of the month already paid.
    expect(open.currentPeriodStart!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const yearOut = new Date(open.currentPeriodStart!);
    yearOut.setUTCFullYear(yearOut.getUTCFullYear() + 1);
    expect(open.currentPeriodEnd).toEqual(yearOut);
    // The year, less what is left of the month paid for Professional (all of it, just paid).
    const payments = await db.ledgerEntry.findMany({ where: { userId: user.id, kind: "INVOICE_PAID" }, orderBy: { occurredAt: "asc" } });
    expect(payments.map((p) => p.amount)).toEqual([9900, 499000 - 9900]);
    expect(payments[1]).toMatchObject({ subscriptionId: open.id, periodStart: open.currentPeriodStart, periodEnd: open.currentPeriodEnd });
  });

  it("prorates an upgrade within the interval for the time left, and charges nothing for a downgrade", async () => {
    const { user, cookie } = await member("community");
    const day = 86_400_000;
    const now = Math.floor(Date.now() / 1000) * 1000;
    // Halfway through a 30-day month.
    await db.subscription.updateMany({
      where: { userId: user.id, endedAt: null },
      data: { currentPeriodStart: new Date(now - 15 * day), currentPeriodEnd: new Date(now + 15 * day) },
    });
    await portal(cookie, { intent: "change-plan", tierId: tiers.professional.id, interval: "MONTH" });
    const open = await db.subscription.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    expect(open).toMatchObject({ tierId: tiers.professional.id, amount: 9900, currentPeriodEnd: new Date(now + 15 * day) });
    const upgrade = await db.ledgerEntry.findFirstOrThrow({ where: { userId: user.id, subscriptionId: open.id } });
    // Half a month of Professional less half a month of Community: (9900 - 2900) / 2.
    expect(Math.abs(upgrade.amount - 3500)).toBeLessThanOrEqual(2);
    expect(upgrade.periodEnd).toEqual(new Date(now + 15 * day));

    await portal(cookie, { intent: "change-plan", tierId: tiers.community.id, interval: "MONTH" });
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(2);
    const paid = await db.ledgerEntry.aggregate({ where: { userId: user.id }, _sum: { amount: true } });
    expect(paid._sum.amount).toBe(2900 + upgrade.amount);
  });

  it("cancels at period end, keeping access until the period ends", async () => {
    const { user, cookie } = await member("professional");
    await portal(cookie, { intent: "cancel-at-period-end" });
    expect((await currentMembership(user.id))?.subscription.cancelAtPeriodEnd).toBe(true);
    await portal(cookie, { intent: "simulate-period-end" });
    expect(await currentMembership(user.id)).toBeNull();
    const page = (await settle(portalLoader(routeArgs(appRequest("/billing/test-portal", { cookie }))))) as Response;
    expect(page.headers.get("Location")).toBe("/billing");
  });

  it("a failed payment shows the banner during the grace period; the next renewal restores the membership", async () => {
    const { user, cookie } = await member("private-client");
    await portal(cookie, { intent: "simulate-failed-payment" });
    const membership = await currentMembership(user.id);
    expect(membership?.subscription.status).toBe("PAST_DUE");
    const root = (await rootLoader(routeArgs(appRequest("/", { cookie })))) as Awaited<ReturnType<typeof rootLoader>>;
    expect(root.viewer?.graceEndsAt).toEqual(membership?.graceEndsAt);
    expect(await db.email.count({ where: { userId: user.id, template: "billing-payment-failed" } })).toBe(1);

    await portal(cookie, { intent: "simulate-period-end" });
    const renewed = await currentMembership(user.id);
    expect(renewed?.subscription.status).toBe("ACTIVE");
    expect(renewed?.graceEndsAt).toBeNull();
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(2);
  });

  it("is only for members with a subscription", async () => {
    const { cookie } = await newcomer();
    const page = (await settle(portalLoader(routeArgs(appRequest("/billing/test-portal", { cookie }))))) as Response;
    expect(page.status).toBe(302);
    const action = (await portal(cookie, { intent: "cancel-at-period-end" })) as { data: { error: Record<string, string[]> }; init: { status: number } };
    expect(action.init.status).toBe(409);
    expect(action.data.error[""]).toEqual(["billing.portal.noSubscription"]);
  });
});
