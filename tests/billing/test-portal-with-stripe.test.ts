import { fake } from "./with-fake-stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as clockAction, loader as clockLoader } from "~/routes/admin.members.$userId_.test-clock";
import { loader as memberPageLoader } from "~/routes/admin.members.$userId";
import { action as portalAction, loader as portalLoader } from "~/routes/billing.test-portal";
import { loader as invoiceLoader } from "~/routes/billing.test-portal_.invoices.$invoiceId";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { tiersWithPrices } from "./support";

// Issue 15, item 26: the test portal's invoices, card form and the owner's test clock exist
// only in test mode. With a Stripe key configured they are not found, even for the owner.

afterAll(() => fake.close());
beforeEach(async () => {
  await tiersWithPrices(fake);
});

describe("with a Stripe key configured", () => {
  it("the test portal, its invoices, its card form and the test clock are not found", async () => {
    const member = await createUser({ tier: "professional" });
    const subscription = await db.subscription.findFirstOrThrow({ where: { userId: member.id } });
    await db.subscription.update({ where: { id: subscription.id }, data: { stripeSubscriptionId: "sub_live_like" } });
    await db.testInvoice.create({
      data: {
        id: "in_test_left_over",
        userId: member.id,
        stripeSubscriptionId: "sub_live_like",
        status: "OPEN",
        billingReason: "subscription_cycle",
        currency: "eur",
        total: 9900,
        amountPaid: 0,
        periodStart: new Date(),
        periodEnd: new Date(Date.now() + 30 * 86_400_000),
        lines: [],
        createdAt: new Date(),
      },
    });
    const cookie = await sessionCookie(member.id);
    const owner = await createUser({ role: "OWNER", tier: null });
    const ownerCookie = await sessionCookie(owner.id);

    const answers = [
      await settle(portalLoader(routeArgs(appRequest("/billing/test-portal", { cookie })))),
      await settle(portalAction(routeArgs(appRequest("/billing/test-portal", { cookie, form: { intent: "update-card", number: "4242424242424242", expiry: "12/30", cvc: "123" } })))),
      await settle(portalAction(routeArgs(appRequest("/billing/test-portal", { cookie, form: { intent: "pay-invoice", invoiceId: "in_test_left_over" } })))),
      await settle(invoiceLoader(routeArgs(appRequest("/billing/test-portal/invoices/in_test_left_over", { cookie }), { invoiceId: "in_test_left_over" }))),
      await settle(clockLoader(routeArgs(appRequest(`/admin/members/${member.id}/test-clock`, { cookie: ownerCookie }), { userId: member.id }))),
      await settle(clockAction(routeArgs(appRequest(`/admin/members/${member.id}/test-clock`, { cookie: ownerCookie, form: { intent: "clock-fail-payment" } }), { userId: member.id }))),
    ];
    expect(answers.map((answer) => (answer as Response).status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(await db.testPaymentMethod.count()).toBe(0);
    expect(await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({ status: "ACTIVE" });
    expect(await db.testInvoice.findUniqueOrThrow({ where: { id: "in_test_left_over" } })).toMatchObject({ status: "OPEN" });
    expect(await db.stripeEvent.count()).toBe(0);

    // The member's page offers no test clock.
    const page = (await memberPageLoader(routeArgs(appRequest(`/admin/members/${member.id}`, { cookie: ownerCookie }), { userId: member.id }))) as { testMode: boolean };
    expect(page.testMode).toBe(false);
  });
});
