import { fake } from "./with-fake-stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { db } from "~/db.server";
import { action as joinAction } from "~/routes/billing.join";
import { loader as rootLoader } from "~/root";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { billingRowCounts, deliver, post, tiersWithPrices, type PRICES } from "./support";

afterAll(() => fake.close());

let tiers: Awaited<ReturnType<typeof tiersWithPrices>>;
beforeEach(async () => {
  tiers = await tiersWithPrices(fake);
});

const DAY = 86_400_000;

/** A member starts a checkout through /billing/join, then pays on (fake) Stripe's page. */
async function paidCheckout(slug: keyof typeof PRICES = "professional", interval: "MONTH" | "YEAR" = "MONTH") {
  const user = await createUser({ tier: null });
  const cookie = await sessionCookie(user.id);
  const attempt = `attempt-${user.id}`.slice(0, 60);
  const response = (await settle(
    joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId: tiers[slug].id, interval, attempt } }))),
  )) as Response;
  expect(response.status).toBe(302);
  const sessionId = new URL(response.headers.get("Location")!).pathname.split("/").pop()!;
  return { user, cookie, ...fake.completeCheckout(sessionId) };
}

describe("webhook signature", () => {
  it("refuses a forged signature, a flipped body byte, a missing header and an old timestamp with 400 and writes nothing", async () => {
    const { created } = await paidCheckout();
    const before = await billingRowCounts();
    const { payload, header } = fake.signed(created);

    const forged = fake.signed(created, { secret: "whsec_not_the_real_one" });
    const flipped = payload.replace('"active"', '"activf"');
    expect(flipped).not.toBe(payload);
    const old = fake.signed(created, { timestamp: Math.floor(Date.now() / 1000) - 301 });

    const responses = [
      await post(forged.payload, { "Stripe-Signature": forged.header }),
      await post(flipped, { "Stripe-Signature": header }),
      await post(payload, {}),
      await post(old.payload, { "Stripe-Signature": old.header }),
    ];
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(await billingRowCounts()).toEqual(before);
    expect(before.events).toBe(0);

    // The same event, correctly signed, is applied.
    expect((await post(payload, { "Stripe-Signature": header })).status).toBe(200);
    expect((await billingRowCounts()).events).toBe(1);
  });

  it("answers 400 to a correctly signed body that is not an event, and writes nothing", async () => {
    await paidCheckout();
    const before = await billingRowCounts();
    const bodies = [
      "null",
      "[]",
      '"invoice.paid"',
      "{}",
      '{"id":"evt_no_data","type":"invoice.paid","created":1}',
      '{"type":"invoice.paid","created":1,"data":{"object":{}}}',
      '{"id":"evt_bad_time","type":"invoice.paid","created":"soon","data":{"object":{}}}',
      '{"id":"evt_no_object","type":"charge.refunded","created":1,"data":{"object":null}}',
    ];
    for (const body of bodies) {
      const { payload, header } = fake.signed(body);
      const response = await post(payload, { "Stripe-Signature": header });
      expect(response.status, body).toBe(400);
      expect(await response.text()).toBe("Webhook payload could not be read.");
    }
    expect(await billingRowCounts()).toEqual(before);
  });

  it("answers 200 to an event type it does not handle, and changes nothing", async () => {
    await paidCheckout();
    const before = await billingRowCounts();
    const response = await deliver(fake, fake.event("customer.updated", { id: "cus_x", object: "customer" }));
    expect(response.status).toBe(200);
    expect(await billingRowCounts()).toEqual(before);
  });
});

describe("exactly once", () => {
  it("a duplicate delivery gives one membership and one ledger row", async () => {
    const { user, created, completed, paid } = await paidCheckout("private-client");
    for (const event of [completed, created, paid, completed, paid, created, paid]) {
      expect((await deliver(fake, event)).status).toBe(200);
    }
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.stripeEvent.count({ where: { id: { in: [created.id, completed.id, paid.id] } } })).toBe(3);
    expect((await currentMembership(user.id))?.tier.slug).toBe("private-client");
  });

  it("five concurrent deliveries of each event give one membership and one ledger row", async () => {
    const { user, created, completed, paid } = await paidCheckout("community");
    const deliveries = [completed, created, paid].flatMap((event) => Array.from({ length: 5 }, () => fake.signed(event)));
    const statuses = await Promise.all(deliveries.map(({ payload, header }) => post(payload, { "Stripe-Signature": header }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const rows = await db.subscription.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "ACTIVE", tierId: tiers.community.id, amount: 2900, interval: "MONTH" });
    const ledger = await db.ledgerEntry.findMany({ where: { userId: user.id } });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: "INVOICE_PAID", amount: 2900, currency: "eur", subscriptionId: rows[0].id });
    expect(await db.stripeEvent.count({ where: { id: { in: [created.id, completed.id, paid.id] } } })).toBe(3);
  });
});

describe("the member's state follows Stripe", () => {
  it("checkout completion alone gives the member the tier on their very next request", async () => {
    const { user, cookie, completed, subscription } = await paidCheckout("professional", "YEAR");
    expect(await currentMembership(user.id)).toBeNull();
    await deliver(fake, completed);
    const root = (await rootLoader(routeArgs(appRequest("/", { cookie })))) as Awaited<ReturnType<typeof rootLoader>>;
    expect(root.viewer?.tier).toEqual({ slug: "professional", name: "Professional" });
    const user2 = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(user2.stripeCustomerId).toBe(subscription.customer);
    const row = await db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ interval: "YEAR", amount: 99000, stripeSubscriptionId: subscription.id, endedAt: null });
  });

  it("records the paid invoice with its amount, currency, service period and Stripe ids", async () => {
    const { user, paid, subscription } = await paidCheckout("professional");
    await deliver(fake, paid); // before any other event: the membership starts from the invoice
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { userId: user.id } });
    const item = (subscription.items as { data: Array<{ current_period_start: number; current_period_end: number }> }).data[0];
    expect(entry).toMatchObject({
      kind: "INVOICE_PAID",
      amount: 9900,
      currency: "eur",
      stripeInvoiceId: (paid.data.object as { id: string }).id,
      periodStart: new Date(item.current_period_start * 1000),
      periodEnd: new Date(item.current_period_end * 1000),
    });
    expect((await currentMembership(user.id))?.tier.slug).toBe("professional");
  });

  it("subscription.deleted arriving before a stale updated(active) ends canceled", async () => {
    const { user, created, subscription } = await paidCheckout("professional");
    const t0 = Math.floor(Date.now() / 1000);
    await deliver(fake, created);
    const staleActive = fake.changeSubscription(subscription.id as string, { cancelAtPeriodEnd: false }, { created: t0 + 10 });
    const deleted = fake.changeSubscription(subscription.id as string, { status: "canceled" }, { created: t0 + 20, type: "customer.subscription.deleted" });
    await deliver(fake, deleted);
    await deliver(fake, staleActive);
    const rows = await db.subscription.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("CANCELED");
    expect(rows[0].endedAt).not.toBeNull();
    expect(await currentMembership(user.id)).toBeNull();
  });

  it("a deleted subscription is not revived by its own created event arriving last", async () => {
    const { user, created, subscription } = await paidCheckout("community");
    const deleted = fake.changeSubscription(subscription.id as string, { status: "canceled" }, { type: "customer.subscription.deleted" });
    await deliver(fake, deleted);
    await deliver(fake, created);
    expect(await currentMembership(user.id)).toBeNull();
    expect(await db.subscription.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
  });

  it("payment_failed gives a grace period, then loss of access; invoice.paid restores it", async () => {
    const { user, cookie, created, paid, subscription } = await paidCheckout("private-client");
    await deliver(fake, created);
    await deliver(fake, paid);
    const t = Math.floor(Date.now() / 1000) + 60;
    await deliver(fake, fake.invoiceEvent(subscription.id as string, "failed", { created: t }));
    await deliver(fake, fake.changeSubscription(subscription.id as string, { status: "past_due" }, { created: t }));

    const failedAt = new Date(t * 1000);
    const during = await currentMembership(user.id, new Date(failedAt.getTime() + 6 * DAY));
    expect(during?.tier.slug).toBe("private-client");
    expect(during?.graceEndsAt).toEqual(new Date(failedAt.getTime() + 7 * DAY));
    const root = (await rootLoader(routeArgs(appRequest("/", { cookie })))) as Awaited<ReturnType<typeof rootLoader>>;
    expect(root.viewer?.graceEndsAt).toEqual(new Date(failedAt.getTime() + 7 * DAY));
    expect(await currentMembership(user.id, new Date(failedAt.getTime() + 7 * DAY + 1000))).toBeNull();
    const email = await db.email.findFirstOrThrow({ where: { userId: user.id, template: "billing-payment-failed" } });
    expect(email.subject).toBe("Your membership payment failed");
    expect(await db.email.count({ where: { userId: user.id, template: "billing-payment-failed" } })).toBe(1);

    // The grace period is the club's setting.
    await db.clubSettings.update({ where: { id: 1 }, data: { pastDueGraceDays: 3 } });
    expect(await currentMembership(user.id, new Date(failedAt.getTime() + 4 * DAY))).toBeNull();

    await deliver(fake, fake.invoiceEvent(subscription.id as string, "paid", { created: t + 60 }));
    const restored = await currentMembership(user.id, new Date(failedAt.getTime() + 30 * DAY));
    expect(restored?.tier.slug).toBe("private-client");
    expect(restored?.graceEndsAt).toBeNull();
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(2);

    // Stripe's own "past_due" update, delivered late, does not undo the payment.
    await deliver(fake, fake.changeSubscription(subscription.id as string, { status: "past_due" }, { created: t + 30 }));
    expect((await currentMembership(user.id))?.subscription.status).toBe("ACTIVE");
  });

  it("an endpoint on an API version before 2025-03-31 keeps dunning, the invoice's subscription and the renewal date", async () => {
    /** The same event as Stripe sends it to an endpoint set to 2024-06-20. */
    const older = (event: ReturnType<typeof fake.invoiceEvent>) => {
      const copy = structuredClone(event) as unknown as { api_version: string; data: { object: Record<string, unknown> } };
      copy.api_version = "2024-06-20";
      const object = copy.data.object;
      if (object.object === "subscription") {
        const item = (object.items as { data: Array<Record<string, unknown>> }).data[0];
        object.current_period_start = item.current_period_start;
        object.current_period_end = item.current_period_end;
        delete item.current_period_start;
        delete item.current_period_end;
      }
      if (object.object === "invoice") {
        const parent = object.parent as { subscription_details: { subscription: string; metadata: unknown } };
        object.subscription = parent.subscription_details.subscription;
        object.subscription_details = { metadata: parent.subscription_details.metadata };
        delete object.parent;
      }
      return copy as unknown as typeof event;
    };
    const { user, created, paid, subscription } = await paidCheckout("professional");
    await deliver(fake, older(created));
    await deliver(fake, older(paid));
    const [row] = await db.subscription.findMany({ where: { userId: user.id } });
    const item = (subscription.items as { data: Array<{ current_period_end: number }> }).data[0];
    expect(row.currentPeriodEnd).toEqual(new Date(item.current_period_end * 1000));
    const payment = await db.ledgerEntry.findFirstOrThrow({ where: { userId: user.id } });
    expect(payment.subscriptionId).toBe(row.id);

    const t = Math.floor(Date.now() / 1000) + 60;
    await deliver(fake, older(fake.invoiceEvent(subscription.id as string, "failed", { created: t })));
    expect((await currentMembership(user.id))?.subscription.status).toBe("PAST_DUE");
    expect(await db.email.count({ where: { userId: user.id, template: "billing-payment-failed" } })).toBe(1);
  });

  it("a cancellation at period end keeps access until Stripe ends the subscription", async () => {
    const { user, created, subscription } = await paidCheckout("professional");
    await deliver(fake, created);
    const t = Math.floor(Date.now() / 1000) + 5;
    await deliver(fake, fake.changeSubscription(subscription.id as string, { cancelAtPeriodEnd: true }, { created: t }));
    const membership = await currentMembership(user.id);
    expect(membership?.subscription).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
    await deliver(fake, fake.changeSubscription(subscription.id as string, { status: "canceled" }, { created: t + 5, type: "customer.subscription.deleted" }));
    expect(await currentMembership(user.id)).toBeNull();
    const row = await db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.endedAt).toEqual(new Date((t + 5) * 1000));
  });

  it("a change of tier ends one row and starts the next at the same instant", async () => {
    const { user, created, subscription } = await paidCheckout("community");
    await deliver(fake, created);
    const t = Math.floor(Date.now() / 1000) + 5;
    await deliver(fake, fake.changeSubscription(subscription.id as string, { priceId: "price_fake_private_month" }, { created: t }));
    const rows = await db.subscription.findMany({ where: { userId: user.id }, orderBy: { startedAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ tierId: tiers.community.id, status: "CANCELED", amount: 2900, endedAt: new Date(t * 1000) });
    expect(rows[1]).toMatchObject({ tierId: tiers["private-client"].id, status: "ACTIVE", amount: 49900, startedAt: new Date(t * 1000), endedAt: null });
    expect((await currentMembership(user.id))?.tier.slug).toBe("private-client");
  });

  it("a plan change right after checkout (the open row has no subscription event yet) keeps the months already paid for", async () => {
    // checkout.session.completed (Professional) starts the row from our metadata; the next
    // event Stripe sends is the update to Private Client. The Professional months stay so.
    const { user, completed, subscription } = await paidCheckout("professional");
    await deliver(fake, completed);
    const opened = await db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(opened.stripeUpdatedAt).toBeNull();
    const t = Math.floor(Date.now() / 1000) + 100;
    await deliver(fake, fake.changeSubscription(subscription.id as string, { priceId: "price_fake_private_month" }, { created: t }));
    const rows = await db.subscription.findMany({ where: { userId: user.id }, orderBy: { startedAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: opened.id, tierId: tiers.professional.id, startedAt: opened.startedAt, endedAt: new Date(t * 1000) });
    expect(rows[1]).toMatchObject({ tierId: tiers["private-client"].id, startedAt: new Date(t * 1000), endedAt: null });
  });

  it("the subscription's first event for the plan bought at checkout does not split the row", async () => {
    const { user, completed, created } = await paidCheckout("professional");
    await deliver(fake, completed);
    await deliver(fake, created);
    const rows = await db.subscription.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tierId: tiers.professional.id, endedAt: null });
    expect(rows[0].stripeUpdatedAt).not.toBeNull();
  });

  it("records refunds as negative ledger rows, counting each refunded amount once", async () => {
    const { user, paid, subscription } = await paidCheckout("professional");
    await deliver(fake, paid);
    const charge = { id: "ch_fake_1", object: "charge", customer: subscription.customer, currency: "eur", amount: 9900, amount_refunded: 2000, refunded: false };
    await deliver(fake, fake.event("charge.refunded", charge));
    await deliver(fake, fake.event("charge.refunded", { ...charge, amount_refunded: 9900, refunded: true }));
    const refunds = await db.ledgerEntry.findMany({ where: { userId: user.id, kind: "REFUND" }, orderBy: { createdAt: "asc" } });
    expect(refunds.map((r) => r.amount)).toEqual([-2000, -7900]);
    const total = await db.ledgerEntry.aggregate({ where: { userId: user.id }, _sum: { amount: true } });
    expect(total._sum.amount).toBe(0);
  });
});
