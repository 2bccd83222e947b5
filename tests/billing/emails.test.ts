import { fake } from "./with-fake-stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { formatDate, formatMoney } from "~/i18n/format";
import { action as joinAction } from "~/routes/billing.join";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { deliver, PRICES, tiersWithPrices } from "./support";

/**
 * Billing's emails to the member (issue 15, item 32): a welcome with the receipt after the
 * first payment, a receipt for each paid renewal, a plan-change confirmation, a cancellation
 * confirmation that says when access ends, and a notice when a membership ends. Each is
 * written in the member's language and sent once per Stripe event: Stripe's retries, and a
 * second event about the same invoice, send nothing more.
 */

afterAll(() => fake.close());

let tiers: Awaited<ReturnType<typeof tiersWithPrices>>;
beforeEach(async () => {
  tiers = await tiersWithPrices(fake);
});

const DAY = 86_400;

async function paidCheckout(locale: "en" | "ru", slug: keyof typeof PRICES = "professional", interval: "MONTH" | "YEAR" = "MONTH") {
  const user = await createUser({ tier: null, locale, name: locale === "ru" ? "Анна Смирнова" : "Anna Smith" });
  const cookie = await sessionCookie(user.id);
  const response = (await settle(
    joinAction(routeArgs(appRequest("/billing/join", { cookie, form: { tierId: tiers[slug].id, interval, attempt: `attempt-${user.id}`.slice(0, 60) } }))),
  )) as Response;
  expect(response.status).toBe(302);
  const sessionId = new URL(response.headers.get("Location")!).pathname.split("/").pop()!;
  return { user, ...fake.completeCheckout(sessionId) };
}

const emailsOf = (userId: string) => db.email.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
const templatesOf = async (userId: string) => (await emailsOf(userId)).map((e) => e.template);
const periodEnd = (subscription: Record<string, unknown>) =>
  (subscription.items as { data: Array<{ current_period_end: number }> }).data[0].current_period_end;

describe("welcome and receipt after paying", () => {
  it("sends one welcome with the receipt, in Russian for a Russian reader, however often Stripe delivers the events", async () => {
    const { user, created, completed, paid, subscription } = await paidCheckout("ru", "professional");
    for (const event of [created, completed, paid, completed, paid, created, paid]) expect((await deliver(fake, event)).status).toBe(200);
    const emails = await emailsOf(user.id);
    expect(emails.map((e) => e.template)).toEqual(["billing-welcome"]);
    const [welcome] = emails;
    expect(welcome).toMatchObject({ to: user.email, locale: "ru", subject: "Добро пожаловать в клуб: ваше членство и чек" });
    const start = new Date((subscription.items as { data: Array<{ current_period_start: number }> }).data[0].current_period_start * 1000);
    const end = new Date(periodEnd(subscription) * 1000);
    const invoiceId = (paid.data.object as { id: string }).id;
    expect(welcome.text).toContain("Здравствуйте, Анна Смирнова!");
    expect(welcome.text).toContain("«Professional»");
    expect(welcome.text).toContain(`Оплачено: ${formatMoney("ru", 9900, "eur")}`);
    expect(welcome.text).toContain(`Период: ${formatDate("ru", start, { dateStyle: "long" }, "UTC")} – ${formatDate("ru", end, { dateStyle: "long" }, "UTC")}`);
    expect(welcome.text).toContain(`Счёт: ${invoiceId}`);
    expect(welcome.text).not.toMatch(/Welcome|Hello/);
    // The club's sign-off closes it, in the same language.
    expect(welcome.text).toMatch(/команда Test Club$/);
    expect(welcome.html).toContain("Оплачено");
  });

  it("a checkout completed without its invoice sends nothing yet: the welcome waits for the payment", async () => {
    const { user, completed, created } = await paidCheckout("en");
    await deliver(fake, completed);
    await deliver(fake, created);
    expect(await templatesOf(user.id)).toEqual([]);
  });

  it("another event about an invoice already receipted (a new event id, the same invoice) sends nothing more", async () => {
    const { user, paid } = await paidCheckout("en", "community");
    await deliver(fake, paid);
    const again = fake.event("invoice.paid", paid.data.object as unknown as Record<string, unknown>);
    expect(again.id).not.toBe(paid.id);
    await deliver(fake, again);
    expect(await templatesOf(user.id)).toEqual(["billing-welcome"]);
  });
});

describe("renewals", () => {
  it("sends a receipt for each paid renewal, once each, and none for a failed one", async () => {
    const { user, created, paid, subscription } = await paidCheckout("en", "community");
    await deliver(fake, created);
    await deliver(fake, paid);
    const id = subscription.id as string;
    const t0 = Math.floor(Date.now() / 1000);

    const renewal1 = fake.changeSubscription(id, { renew: true }, { created: t0 + 1 });
    const invoice1 = fake.invoiceEvent(id, "paid", { created: t0 + 1 });
    for (const event of [invoice1, renewal1, invoice1]) await deliver(fake, event);
    const failed = fake.invoiceEvent(id, "failed", { created: t0 + 2 });
    await deliver(fake, failed);
    const renewal2 = fake.changeSubscription(id, { renew: true, status: "active" }, { created: t0 + 3 });
    const invoice2 = fake.invoiceEvent(id, "paid", { created: t0 + 3 });
    for (const event of [invoice2, renewal2, invoice2]) await deliver(fake, event);

    expect(await templatesOf(user.id)).toEqual(["billing-welcome", "billing-renewal-receipt", "billing-payment-failed", "billing-renewal-receipt"]);
    const receipts = (await emailsOf(user.id)).filter((e) => e.template === "billing-renewal-receipt");
    expect(receipts[0]).toMatchObject({ locale: "en", subject: "Your membership is renewed: receipt" });
    expect(receipts[0].text).toContain("Amount paid: €29.00");
    expect(receipts[0].text).toContain("For: Community membership");
    expect(receipts[0].text).toContain(`Invoice: ${(invoice1.data.object as { id: string }).id}`);
    expect(receipts[1].text).toContain(`Invoice: ${(invoice2.data.object as { id: string }).id}`);
  });
});

describe("plan changes", () => {
  it("confirms a change of tier once, naming both tiers, the new price and the next renewal", async () => {
    const { user, created, paid, subscription } = await paidCheckout("en", "professional");
    await deliver(fake, created);
    await deliver(fake, paid);
    const change = fake.changeSubscription(subscription.id as string, { priceId: PRICES["private-client"].MONTH }, { created: Math.floor(Date.now() / 1000) + 5 });
    for (let i = 0; i < 3; i++) await deliver(fake, change);
    const emails = (await emailsOf(user.id)).filter((e) => e.template === "billing-plan-changed");
    expect(emails).toHaveLength(1);
    expect(emails[0].subject).toBe("Your plan is now Private Client");
    expect(emails[0].text).toContain("from Professional to Private Client, at €499.00 / month");
    expect(emails[0].text).toContain(`Your next renewal is on ${formatDate("en", new Date(periodEnd(subscription) * 1000), { dateStyle: "long" }, "UTC")}.`);
  });

  it("a renewal or a cancellation is not a plan change", async () => {
    const { user, created, paid, subscription } = await paidCheckout("en", "community");
    await deliver(fake, created);
    await deliver(fake, paid);
    await deliver(fake, fake.changeSubscription(subscription.id as string, { renew: true }, { created: Math.floor(Date.now() / 1000) + 5 }));
    expect(await templatesOf(user.id)).toEqual(["billing-welcome"]);
  });
});

describe("cancellation", () => {
  it("confirms a cancellation at period end once, with the day access ends, and says nothing more when it ends", async () => {
    const { user, created, paid, subscription } = await paidCheckout("ru", "community");
    await deliver(fake, created);
    await deliver(fake, paid);
    const id = subscription.id as string;
    const t0 = Math.floor(Date.now() / 1000);
    const cancel = fake.changeSubscription(id, { cancelAtPeriodEnd: true }, { created: t0 + 1 });
    for (let i = 0; i < 3; i++) await deliver(fake, cancel);
    const emails = (await emailsOf(user.id)).filter((e) => e.template === "billing-canceled");
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ locale: "ru", subject: "Ваше членство отменено" });
    const ends = formatDate("ru", new Date(periodEnd(subscription) * 1000), { dateStyle: "long" }, "UTC");
    expect(emails[0].text).toContain(`Доступ сохраняется до ${ends};`);

    // The period ends: the member knows already.
    await deliver(fake, fake.changeSubscription(id, { status: "canceled" }, { created: t0 + 2, type: "customer.subscription.deleted" }));
    expect(await templatesOf(user.id)).toEqual(["billing-welcome", "billing-canceled"]);

    // Cancelled, resumed, cancelled again: two confirmations for two cancellations.
    const other = await paidCheckout("en", "community");
    await deliver(fake, other.created);
    const otherId = other.subscription.id as string;
    await deliver(fake, fake.changeSubscription(otherId, { cancelAtPeriodEnd: true }, { created: t0 + 1 }));
    await deliver(fake, fake.changeSubscription(otherId, { cancelAtPeriodEnd: false }, { created: t0 + 2 }));
    await deliver(fake, fake.changeSubscription(otherId, { cancelAtPeriodEnd: true }, { created: t0 + 3 }));
    expect(await templatesOf(other.user.id)).toEqual(["billing-canceled", "billing-canceled"]);
    const [english] = await emailsOf(other.user.id);
    expect(english.text).toContain(`You keep access until ${formatDate("en", new Date(periodEnd(other.subscription) * 1000), { dateStyle: "long" }, "UTC")};`);
  });

  it("a subscription cancelled at once, or ended for non-payment, tells the member it has ended", async () => {
    const first = await paidCheckout("en", "professional");
    await deliver(fake, first.created);
    const t0 = Math.floor(Date.now() / 1000);
    const deleted = fake.changeSubscription(first.subscription.id as string, { status: "canceled" }, { created: t0 + 1, type: "customer.subscription.deleted" });
    await deliver(fake, deleted);
    await deliver(fake, deleted);
    const [ended] = await emailsOf(first.user.id);
    expect(await templatesOf(first.user.id)).toEqual(["billing-ended"]);
    expect(ended.text).toContain(`Your Professional membership was cancelled and ended on ${formatDate("en", new Date((t0 + 1) * 1000), { dateStyle: "long" }, "UTC")}.`);

    const second = await paidCheckout("ru", "community");
    await deliver(fake, second.created);
    const id = second.subscription.id as string;
    await deliver(fake, fake.invoiceEvent(id, "failed", { created: t0 + 1 }));
    await deliver(fake, fake.changeSubscription(id, { status: "past_due" }, { created: t0 + 1 }));
    await deliver(fake, fake.changeSubscription(id, { status: "unpaid" }, { created: t0 + 8 * DAY }));
    expect(await templatesOf(second.user.id)).toEqual(["billing-payment-failed", "billing-ended-unpaid"]);
    const unpaid = (await emailsOf(second.user.id))[1];
    expect(unpaid.subject).toBe("Ваше членство закончилось");
    expect(unpaid.text).toContain("льготный период закончился");
    expect(unpaid.text).not.toContain("г..");
  });
});
