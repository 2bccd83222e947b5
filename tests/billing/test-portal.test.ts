import "./without-stripe-keys";
import { beforeEach, describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { db } from "~/db.server";
import { loader as rootLoader } from "~/root";
import { action as clockAction, loader as clockLoader } from "~/routes/admin.members.$userId_.test-clock";
import { loader as memberPageLoader } from "~/routes/admin.members.$userId";
import { action as joinAction } from "~/routes/billing.join";
import { action as payAction } from "~/routes/billing.test-checkout.$sessionId";
import { action as portalAction, loader as portalLoader } from "~/routes/billing.test-portal";
import { loader as invoiceLoader } from "~/routes/billing.test-portal_.invoices.$invoiceId";
import { addLedgerEntry, addMembership, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

// Issue 15, item 26: the test billing portal lists invoices (paid, open, uncollectible) with a
// page of lines each, updates the card, and the owner's test clock walks the dunning path.

let tiers: Awaited<ReturnType<typeof ensureTiers>>;
beforeEach(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
});

type Reply = { data: { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }; init: { status: number } };

/** A member who joined through the test checkout (as in the demo), with their session. */
async function member(slug: "community" | "professional" | "private-client" = "community", options: { locale?: "en" | "ru" } = {}) {
  const user = await createUser({ tier: null, ...options });
  const cookie = await sessionCookie(user.id);
  const joined = (await settle(
    joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId: tiers[slug].id, interval: "MONTH", attempt: `attempt-${user.id}` } }))),
  )) as Response;
  const sessionId = joined.headers.get("Location")!.split("/").pop()!;
  const paid = (await settle(payAction(routeArgs(appRequest(`/billing/test-checkout/${sessionId}`, { cookie, form: { intent: "pay" } }), { sessionId })))) as Response;
  expect(paid.headers.get("Location")).toBe("/billing?checkout=complete");
  return { user, cookie };
}

const portal = (cookie: string, form: Record<string, string>) => settle(portalAction(routeArgs(appRequest("/billing/test-portal", { cookie, form }))));

async function portalPage(cookie: string) {
  return (await portalLoader(routeArgs(appRequest("/billing/test-portal", { cookie })))) as Exclude<Awaited<ReturnType<typeof portalLoader>>, Response>;
}

async function invoicePage(cookie: string, invoiceId: string) {
  const result = await settle(invoiceLoader(routeArgs(appRequest(`/billing/test-portal/invoices/${invoiceId}`, { cookie }), { invoiceId })));
  return result as Response | { data: { invoice: Awaited<ReturnType<typeof import("~/billing/test-mode.server").testPortalInvoice>> & object }; init: { headers: Record<string, string> } };
}

async function owner() {
  const user = await createUser({ role: "OWNER", tier: null });
  return { user, cookie: await sessionCookie(user.id) };
}

const clock = (cookie: string, memberId: string, form: Record<string, string>) =>
  settle(clockAction(routeArgs(appRequest(`/admin/members/${memberId}/test-clock`, { cookie, form }), { userId: memberId })));

describe("the test portal's invoices", () => {
  it("lists the invoice the checkout paid, then an open one after a failed renewal, which paying from the list settles", async () => {
    const { user, cookie } = await member("professional");
    let page = await portalPage(cookie);
    expect(page.invoices).toHaveLength(1);
    expect(page.invoices[0]).toMatchObject({ status: "PAID", amount: 9900, currency: "eur", tier: { nameEn: "Professional" }, detailed: true });
    const first = page.invoices[0].id;
    expect(first).toMatch(/^in_test_/);

    await portal(cookie, { intent: "simulate-failed-payment" });
    page = await portalPage(cookie);
    expect(page.invoices.map((invoice) => invoice.status)).toEqual(["OPEN", "PAID"]);
    const open = page.invoices[0];
    expect(open).toMatchObject({ amount: 9900, tier: { nameEn: "Professional" } });
    expect((await currentMembership(user.id))?.subscription.status).toBe("PAST_DUE");

    // Only the open invoice can be paid, and only by its member.
    const wrong = (await portal(cookie, { intent: "pay-invoice", invoiceId: first })) as Reply;
    expect(wrong.init.status).toBe(409);
    expect(wrong.data.error?.invoiceId).toEqual(["billing.invoices.notOpen"]);
    const stranger = await member("community");
    const theirs = (await portal(stranger.cookie, { intent: "pay-invoice", invoiceId: open.id })) as Reply;
    expect(theirs.init.status).toBe(409);
    expect(await db.testInvoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: "OPEN", userId: user.id });

    const paid = (await portal(cookie, { intent: "pay-invoice", invoiceId: open.id })) as Response;
    expect(paid.status).toBe(302);
    page = await portalPage(cookie);
    // The retry paid the same invoice: still two invoices, both paid, and the member is active again.
    expect(page.invoices.map((invoice) => [invoice.id, invoice.status])).toEqual([
      [open.id, "PAID"],
      [first, "PAID"],
    ]);
    expect(await db.testInvoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ attemptCount: 2, amountPaid: 9900 });
    const membership = await currentMembership(user.id);
    expect(membership?.subscription.status).toBe("ACTIVE");
    expect(membership?.graceEndsAt).toBeNull();
    const ledger = await db.ledgerEntry.findMany({ where: { userId: user.id }, orderBy: [{ occurredAt: "asc" }, { periodStart: "asc" }] });
    expect(ledger.map((entry) => [entry.stripeInvoiceId, entry.amount])).toEqual([
      [first, 9900],
      [open.id, 9900],
    ]);
  });

  it("shows an invoice's lines: a plan change's credit for unused time and the rest of the period at the new price", async () => {
    const { user, cookie } = await member("community");
    const day = 86_400_000;
    const now = Math.floor(Date.now() / 1000) * 1000;
    await db.subscription.updateMany({
      where: { userId: user.id, endedAt: null },
      data: { currentPeriodStart: new Date(now - 15 * day), currentPeriodEnd: new Date(now + 15 * day) },
    });
    await portal(cookie, { intent: "change-plan", tierId: tiers.professional.id, interval: "MONTH" });
    const change = await db.testInvoice.findFirstOrThrow({ where: { userId: user.id, billingReason: "subscription_update" } });

    const page = await invoicePage(cookie, change.id);
    if (page instanceof Response) throw new Error(`invoice page answered ${page.status}`);
    expect(page.init.headers["Cache-Control"]).toBe("private, no-store");
    const { invoice } = page.data;
    expect(invoice).toMatchObject({ id: change.id, status: "PAID", currency: "eur", tier: { nameEn: "Professional" } });
    expect(invoice.lines.map((line) => [line.kind, line.tier?.nameEn])).toEqual([
      ["remaining", "Professional"],
      ["credit", "Community"],
    ]);
    const [remaining, credit] = invoice.lines;
    expect(Math.abs(remaining.amount - 4950)).toBeLessThanOrEqual(2);
    expect(Math.abs(credit.amount + 1450)).toBeLessThanOrEqual(2);
    // The total is what the ledger recorded for it.
    expect(invoice.amount).toBe(remaining.amount + credit.amount);
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { stripeInvoiceId: change.id } });
    expect(entry.amount).toBe(invoice.amount);
  });

  it("also lists payments recorded before the portal kept invoices (the demo's history), with their period", async () => {
    const { user, cookie } = await member("community");
    const day = 86_400_000;
    const seeded = await addMembership(user.id, { tier: "community", startedAt: new Date(Date.now() - 90 * day), endedAt: new Date(Date.now() - 40 * day) });
    const old = await addLedgerEntry(user.id, { amount: 2900, occurredAt: new Date(Date.now() - 60 * day), subscriptionId: seeded.id });
    const period = { periodStart: new Date(Date.now() - 60 * day), periodEnd: new Date(Date.now() - 30 * day) };
    await db.ledgerEntry.update({ where: { id: old.id }, data: period });
    const page = await portalPage(cookie);
    expect(page.invoices.map((invoice) => invoice.detailed)).toEqual([true, false]);
    expect(page.invoices[1]).toMatchObject({ status: "PAID", amount: 2900, tier: { nameEn: "Community" } });
    const shown = await invoicePage(cookie, page.invoices[1].id);
    if (shown instanceof Response) throw new Error(`invoice page answered ${shown.status}`);
    expect(shown.data.invoice).toMatchObject({ amount: 2900, detailed: false });
    expect(shown.data.invoice.lines).toEqual([{ amount: 2900, ...period, tier: { nameEn: "Community", nameRu: tiers.community.nameRu }, kind: "period" }]);
  });

  it("shows a member only their own invoices: another member's invoice is not found (IDOR)", async () => {
    const owner = await member("private-client");
    const theirInvoice = await db.testInvoice.findFirstOrThrow({ where: { userId: owner.user.id } });
    const theirPayment = await addLedgerEntry(owner.user.id, { amount: 1234, occurredAt: new Date(Date.now() - 86_400_000) });
    const other = await member("community");
    for (const id of [theirInvoice.id, theirPayment.id, "in_test_does_not_exist"]) {
      const response = await invoicePage(other.cookie, id);
      expect(response instanceof Response && response.status).toBe(404);
    }
    expect((await portalPage(other.cookie)).invoices.map((invoice) => invoice.id)).not.toContain(theirInvoice.id);
    // The owner of the invoice sees it.
    expect(await invoicePage(owner.cookie, theirInvoice.id)).not.toBeInstanceOf(Response);
    // Signed out: sent to sign in.
    const signedOut = (await settle(invoiceLoader(routeArgs(appRequest(`/billing/test-portal/invoices/${theirInvoice.id}`), { invoiceId: theirInvoice.id })))) as Response;
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("the test portal's card", () => {
  const thisYear = new Date().getUTCFullYear();
  const nextYear = String(thisYear + 1).slice(2);

  it("keeps the card the checkout took, and saves a new one with only brand, last four and expiry", async () => {
    const { user, cookie } = await member();
    expect((await portalPage(cookie)).card).toMatchObject({ brand: "visa", last4: "4242" });
    const saved = (await portal(cookie, { intent: "update-card", number: "5555 5555 5555 4444", expiry: `07/${nextYear}`, cvc: "123" })) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/billing/test-portal?card=saved");
    expect((await portalPage(cookie)).card).toMatchObject({ brand: "mastercard", last4: "4444", expMonth: 7, expYear: thisYear + 1 });
    const stored = await db.testPaymentMethod.findUniqueOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(stored)).not.toContain("5555555555554444");
  });

  it.each([
    ["a typo (fails the Luhn check)", { number: "4242 4242 4242 4241", expiry: "12/30", cvc: "123" }, 400, "number", "billing.card.numberInvalid"],
    ["letters in the number", { number: "4242 abcd 4242 4242", expiry: "12/30", cvc: "123" }, 400, "number", "billing.card.numberInvalid"],
    ["an expiry that is no date", { number: "4242424242424242", expiry: "13/30", cvc: "123" }, 400, "expiry", "billing.card.expiryInvalid"],
    ["an expiry in the past", { number: "4242424242424242", expiry: "01/20", cvc: "123" }, 409, "expiry", "billing.card.expiryPast"],
    ["a two-digit code", { number: "4242424242424242", expiry: "12/30", cvc: "12" }, 400, "cvc", "billing.card.cvcInvalid"],
    ["a three-digit code on American Express", { number: "3782 822463 10005", expiry: "12/30", cvc: "123" }, 409, "cvc", "billing.card.cvcInvalid"],
    ["a card Stripe declines", { number: "4000 0000 0000 0002", expiry: "12/30", cvc: "123" }, 409, "number", "billing.card.declined"],
    ["a real card number", { number: "4111 1111 1111 1111", expiry: "12/30", cvc: "123" }, 409, "number", "billing.card.notTestCard"],
  ])("refuses %s, with the message at its field, and keeps the old card", async (_, card, status, field, message) => {
    const { user, cookie } = await member();
    const before = await db.testPaymentMethod.findUniqueOrThrow({ where: { userId: user.id } });
    const reply = (await portal(cookie, { intent: "update-card", ...card })) as Reply;
    expect(reply.init.status).toBe(status);
    expect(reply.data.error?.[field]).toEqual([message]);
    // The number and the code are never sent back to the page.
    expect(reply.data.initialValue?.number).toBeUndefined();
    expect(reply.data.initialValue?.cvc).toBeUndefined();
    expect(await db.testPaymentMethod.findUniqueOrThrow({ where: { userId: user.id } })).toEqual(before);
  });

  it("refuses an empty form with a message at each field", async () => {
    const { cookie } = await member();
    const reply = (await portal(cookie, { intent: "update-card" })) as Reply;
    expect(reply.init.status).toBe(400);
    expect(reply.data.error).toMatchObject({
      number: ["billing.card.numberRequired"],
      expiry: ["billing.card.expiryRequired"],
      cvc: ["billing.card.cvcRequired"],
    });
  });

  it("accepts this month as the expiry", async () => {
    const { cookie } = await member();
    const now = new Date();
    const expiry = `${String(now.getUTCMonth() + 1).padStart(2, "0")}/${now.getUTCFullYear()}`;
    expect(((await portal(cookie, { intent: "update-card", number: "4242424242424242", expiry, cvc: "321" })) as Response).status).toBe(302);
  });
});

describe("the owner's test clock", () => {
  it("a failed renewal makes the member past due (banner, email); when the grace period runs out the membership ends and the invoice is uncollectible", async () => {
    const { user, cookie } = await member("professional", { locale: "ru" });
    const staff = await owner();
    const page = (await clockLoader(routeArgs(appRequest(`/admin/members/${user.id}/test-clock`, { cookie: staff.cookie }), { userId: user.id }))) as {
      data: { subscription: { status: string } | null };
    };
    expect(page.data.subscription).toMatchObject({ status: "ACTIVE", tier: { nameEn: "Professional" }, openInvoice: null });

    const failed = (await clock(staff.cookie, user.id, { intent: "clock-fail-payment" })) as { data: { done: string | null } };
    expect(failed.data.done).toBe("clock-fail-payment");
    const pastDue = await currentMembership(user.id);
    expect(pastDue?.subscription.status).toBe("PAST_DUE");
    const root = (await rootLoader(routeArgs(appRequest("/", { cookie })))) as Awaited<ReturnType<typeof rootLoader>>;
    expect(root.viewer?.graceEndsAt).toEqual(pastDue?.graceEndsAt);
    expect(root.viewer?.graceEndsAt).not.toBeNull();
    expect(await db.email.count({ where: { userId: user.id, template: "billing-payment-failed" } })).toBe(1);
    const open = await db.testInvoice.findFirstOrThrow({ where: { userId: user.id, status: "OPEN" } });

    // The grace period cannot run out twice, nor before a payment failed.
    const ended = (await clock(staff.cookie, user.id, { intent: "clock-end-grace", outcome: "cancel" })) as { data: { done: string | null } };
    expect(ended.data.done).toBe("clock-end-grace");
    expect(await currentMembership(user.id)).toBeNull();
    const row = await db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ status: "CANCELED", pastDueSince: null });
    expect(row.endedAt).not.toBeNull();
    expect(await db.testInvoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: "UNCOLLECTIBLE", attemptCount: 2, amountPaid: 0 });
    expect(await db.email.count({ where: { userId: user.id, template: "billing-ended-unpaid" } })).toBe(1);
    // It went through the webhook handling: each event is recorded once.
    expect(await db.stripeEvent.count({ where: { type: "customer.subscription.deleted" } })).toBeGreaterThanOrEqual(1);
    // Nothing was paid for the failed renewal.
    expect(await db.ledgerEntry.count({ where: { userId: user.id } })).toBe(1);

    const renew = (await clock(staff.cookie, user.id, { intent: "clock-renew" })) as Reply & { data: { reply: Reply["data"] } };
    expect(renew.init.status).toBe(409);
    expect(renew.data.reply.error?.[""]).toEqual(["billing.clock.ended"]);
    const invoices = await portalPage(cookie).catch((error: unknown) => error);
    // The portal is for an open subscription; the member is sent back to /billing.
    expect(invoices instanceof Response && invoices.headers.get("Location")).toBe("/billing");
  });

  it("with Stripe's 'mark unpaid' setting the membership lapses, and paying the open invoice brings it back", async () => {
    const { user } = await member("community");
    const staff = await owner();
    await clock(staff.cookie, user.id, { intent: "clock-fail-payment" });
    await clock(staff.cookie, user.id, { intent: "clock-end-grace", outcome: "unpaid" });
    expect(await currentMembership(user.id)).toBeNull();
    const lapsed = await db.subscription.findFirstOrThrow({ where: { userId: user.id } });
    expect(lapsed.status).toBe("UNPAID");
    const open = await db.testInvoice.findFirstOrThrow({ where: { userId: user.id, status: "OPEN" } });

    const renewed = (await clock(staff.cookie, user.id, { intent: "clock-renew" })) as { data: { done: string | null } };
    expect(renewed.data.done).toBe("clock-renew");
    const membership = await currentMembership(user.id);
    expect(membership?.subscription.status).toBe("ACTIVE");
    expect(membership?.tier.slug).toBe("community");
    // A new period of membership after the gap, and the overdue invoice is now paid.
    expect(await db.subscription.count({ where: { userId: user.id } })).toBe(2);
    expect(await db.testInvoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: "PAID", amountPaid: 2900 });
    expect(await db.ledgerEntry.count({ where: { userId: user.id, stripeInvoiceId: open.id } })).toBe(1);
  });

  it("renews an active subscription: the next period is billed, paid and recorded", async () => {
    const { user } = await member("professional");
    const before = await db.subscription.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    const staff = await owner();
    await clock(staff.cookie, user.id, { intent: "clock-renew" });
    const after = await db.subscription.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    expect(after.id).toBe(before.id);
    expect(after.currentPeriodStart).toEqual(before.currentPeriodEnd);
    expect(after.currentPeriodEnd!.getTime()).toBeGreaterThan(before.currentPeriodEnd!.getTime() + 27 * 86_400_000);
    const ledger = await db.ledgerEntry.findMany({ where: { userId: user.id }, orderBy: { occurredAt: "asc" } });
    expect(ledger.map((entry) => entry.amount)).toEqual([9900, 9900]);
    expect(ledger[1].periodStart).toEqual(before.currentPeriodEnd);
    expect(await db.email.count({ where: { userId: user.id, template: "billing-renewal-receipt" } })).toBe(1);
    expect(await db.testInvoice.count({ where: { userId: user.id, status: "PAID" } })).toBe(2);
  });

  it("refuses steps that cannot happen, with a message, and a grace period's end needs an outcome", async () => {
    const { user } = await member("community");
    const staff = await owner();
    const early = (await clock(staff.cookie, user.id, { intent: "clock-end-grace", outcome: "cancel" })) as Reply & { data: { reply: Reply["data"] } };
    expect(early.init.status).toBe(409);
    expect(early.data.reply.error?.[""]).toEqual(["billing.clock.notPastDue"]);
    const noOutcome = (await clock(staff.cookie, user.id, { intent: "clock-end-grace" })) as Reply & { data: { reply: Reply["data"] } };
    expect(noOutcome.init.status).toBe(400);
    expect(noOutcome.data.reply.error?.outcome).toEqual(["billing.clock.chooseOutcome"]);
    await clock(staff.cookie, user.id, { intent: "clock-fail-payment" });
    const twice = (await clock(staff.cookie, user.id, { intent: "clock-fail-payment" })) as Reply & { data: { reply: Reply["data"] } };
    expect(twice.data.reply.error?.[""]).toEqual(["billing.clock.notActive"]);
    expect(await db.testInvoice.count({ where: { userId: user.id, status: "OPEN" } })).toBe(1);

    const nobody = await createUser({ tier: "community" });
    const none = (await clock(staff.cookie, nobody.id, { intent: "clock-renew" })) as Reply & { data: { reply: Reply["data"] } };
    expect(none.data.reply.error?.[""]).toEqual(["billing.clock.noSubscription"]);
    const missing = (await clock(staff.cookie, "no-such-member", { intent: "clock-renew" })) as Response;
    expect(missing.status).toBe(404);
  });

  it("is for the owner only: curators and members get 403 and nothing changes", async () => {
    const { user } = await member("community");
    const curator = await createUser({ role: "CURATOR", tier: "professional" });
    const peer = await member("professional");
    for (const cookie of [await sessionCookie(curator.id), peer.cookie]) {
      const page = (await settle(clockLoader(routeArgs(appRequest(`/admin/members/${user.id}/test-clock`, { cookie }), { userId: user.id })))) as Response;
      expect(page.status).toBe(403);
      expect(((await clock(cookie, user.id, { intent: "clock-fail-payment" })) as Response).status).toBe(403);
    }
    expect((await currentMembership(user.id))?.subscription.status).toBe("ACTIVE");
    expect(await db.testInvoice.count({ where: { userId: user.id } })).toBe(1);
  });

  it("is linked from the member's page for the owner, in test mode", async () => {
    const { user } = await member("community");
    const staff = await owner();
    const page = (await memberPageLoader(routeArgs(appRequest(`/admin/members/${user.id}`, { cookie: staff.cookie }), { userId: user.id }))) as { testMode: boolean; isOwner: boolean };
    expect(page).toMatchObject({ testMode: true, isOwner: true });
  });
});
