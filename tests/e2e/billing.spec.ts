import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import type { QueryResultRow } from "pg";
import Stripe from "stripe";
import { acceptClubTerms } from "./consent";
import { DEMO, expect, test } from "./fixtures";

// The e2e server runs without Stripe keys: billing is in test mode, and its webhooks are
// signed with the fixed test-mode secret (app/billing/stripe.server.ts).
const TEST_MODE_WEBHOOK_SECRET = "whsec_coterie_test_mode";
const PASSWORD = "a long walk by the Neva 2026";

type Sql = <T extends QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** An owner's invite code bound to an email, as /admin/invites issues it. */
async function invite(sql: Sql, email: string): Promise<string> {
  // Codes are lowercase base32, as app/auth/tokens.server.ts makes them.
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const code = Array.from(randomBytes(24), (b) => alphabet[b % 32]).join("");
  await sql(
    `INSERT INTO "Invite" (id, source, "tokenHash", code, email, "emailedAt", "expiresAt", "createdAt")
     VALUES ($1, 'OWNER', $2, $3, $4, now(), now() + interval '14 days', now())`,
    [`inv_e2e_${code}`, createHash("sha256").update(code).digest("hex"), code, email],
  );
  return code;
}

/** The invitee sets a password and is sent on to choose a tier. */
async function acceptInvite(page: Page, sql: Sql, name: string) {
  const email = `billing-e2e-${randomBytes(4).toString("hex")}@example.com`;
  await page.goto(`/invite/${await invite(sql, email)}`);
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await acceptClubTerms(page);
  await page.getByRole("button", { name: "Become a member" }).click();
  await expect(page).toHaveURL(/\/billing\/join$/);
  return email;
}

async function chooseTier(page: Page, tier: string, interval: "Monthly" | "Yearly") {
  await expect(page.getByRole("heading", { name: "Choose your membership" })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`^${tier}`) }).check();
  await page.getByRole("radio", { name: interval }).check();
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page).toHaveURL(/\/billing\/test-checkout\/cs_test_[0-9a-f]+$/);
  return page.url().split("/").pop()!;
}

test("an invitee chooses a tier, pays at the labelled test checkout, and holds the tier", async ({ page, sql }) => {
  const email = await acceptInvite(page, sql, "Vera Lindqvist");
  await expectAccessible(page);
  await chooseTier(page, "Professional", "Yearly");
  await expect(page.getByText("Test mode: no real payments")).toBeVisible();
  await expect(page.getByText("€990.00 / year")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Pay (test, no charge)" }).click();

  await expect(page).toHaveURL(/\/billing\?checkout=complete$/);
  await expect(page.getByText("You are a Professional member.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Vera Lindqvist/ }).getByText("Professional")).toBeVisible();
  await expect(page.getByRole("table").getByText("€990.00")).toBeVisible();
  await expectAccessible(page);
  const rows = await sql<{ status: string; interval: string; amount: number }>(
    `SELECT s.status, s.interval, s.amount FROM "Subscription" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`,
    [email],
  );
  expect(rows).toEqual([{ status: "ACTIVE", interval: "YEAR", amount: 99000 }]);
});

test("without JavaScript, a signed checkout.session.completed webhook makes the member's page show the tier", async ({ browser, sql, request, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  const email = await acceptInvite(page, sql, "Pavel Ignatiev");

  // A mistake first: the choice comes back with the error next to the field.
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.getByText("Choose a tier.")).toBeVisible();
  const sessionId = await chooseTier(page, "Private Client", "Monthly");

  // Stripe (here: the test) tells the club the checkout is paid.
  const [member] = await sql<{ id: string; stripeCustomerId: string }>(`SELECT id, "stripeCustomerId" FROM "User" WHERE email = $1`, [email]);
  const [tier] = await sql<{ id: string }>(`SELECT id FROM "Tier" WHERE slug = 'private-client'`);
  const event = {
    id: `evt_e2e_${randomBytes(8).toString("hex")}`,
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: sessionId,
        object: "checkout.session",
        mode: "subscription",
        status: "complete",
        payment_status: "paid",
        customer: member.stripeCustomerId,
        client_reference_id: member.id,
        subscription: `sub_e2e_${sessionId.slice(8)}`,
        metadata: { userId: member.id, tierId: tier.id, interval: "MONTH", priceId: "price_demo_private_month" },
      },
    },
  };
  const payload = JSON.stringify(event);
  const forged = await request.post("/webhooks/stripe", {
    data: payload,
    headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_wrong" }) },
  });
  expect(forged.status()).toBe(400);
  const signed = await request.post("/webhooks/stripe", {
    data: payload,
    headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_MODE_WEBHOOK_SECRET }) },
  });
  expect(signed.status()).toBe(200);

  await page.goto("/billing");
  await expect(page.getByText("You are a Private Client member.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Pavel Ignatiev/ }).getByText("Private Client")).toBeVisible();
  await context.close();
});

test("a member manages their plan in the test portal: a failed payment shows the banner, a renewal clears it", async ({ page, loginAs, sql }) => {
  // A seeded Community member no other test relies on (signing in makes a member active,
  // and the metrics test needs Tom Becker to stay quiet), reading in English here.
  await sql(`UPDATE "User" SET locale = 'en' WHERE email = 'ksenia.lebedeva@example.com'`);
  await loginAs("ksenia.lebedeva@example.com");
  await page.goto("/billing");
  await expect(page.getByText("You are a Community member.")).toBeVisible();
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page).toHaveURL(/\/billing\/test-portal$/);
  await expectAccessible(page);

  await page.getByRole("button", { name: "Simulate a failed payment" }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByTestId("past-due-banner")).toContainText("Your last payment failed");
  await page.goto("/account");
  await expect(page.getByTestId("past-due-banner")).toBeVisible();

  await page.goto("/billing/test-portal");
  await page.getByRole("button", { name: "Simulate the end of the billing period" }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByTestId("past-due-banner")).toHaveCount(0);

  await page.goto("/billing/test-portal");
  await page.getByLabel("Tier").selectOption({ label: "Professional · €99.00" });
  await page.getByRole("button", { name: "Switch plan" }).click();
  await expect(page.getByText("You are a Professional member.")).toBeVisible();
});

test("the owner sees tiers and members, and grants a complimentary membership", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/tiers");
  await expect(page.getByRole("heading", { name: "Tiers" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Private Client/ }).getByText("Yes, weight 3")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Edit Community" }).click();
  await expect(page.getByLabel("Referral quota")).toHaveValue("0");
  await expectAccessible(page);

  const [newcomer] = await sql<{ id: string }>(
    `INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt") VALUES ($1, $2, 'Guest Speaker', 'MEMBER', 'en', now(), now()) RETURNING id`,
    [`usr_e2e_${randomBytes(6).toString("hex")}`, `guest-${randomBytes(4).toString("hex")}@example.com`],
  );
  await page.goto("/admin/members?q=Guest+Speaker");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Guest Speaker" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/admin/members/${newcomer.id}$`));
  await page.getByLabel("Tier").selectOption({ label: "Private Client" });
  await page.getByRole("button", { name: "Grant complimentary membership" }).click();
  await expect(page.getByText("Holds a complimentary Private Client membership.")).toBeVisible();
  await expectAccessible(page);
  const rows = await sql<{ status: string }>(`SELECT status FROM "Subscription" WHERE "userId" = $1`, [newcomer.id]);
  expect(rows).toEqual([{ status: "COMPLIMENTARY" }]);
});

test("a member gets 403 on the owner's billing pages, and the test checkout of someone else is not found", async ({ page, loginAs }) => {
  await loginAs(DEMO.professional.email);
  expect((await page.goto("/admin/tiers"))?.status()).toBe(403);
  expect((await page.goto("/admin/members"))?.status()).toBe(403);
  expect((await page.goto("/billing/test-checkout/cs_test_not_yours"))?.status()).toBe(404);
  // Olga reads the club in Russian.
  await expect(page.getByRole("heading", { name: "Страница не найдена" })).toBeVisible();
});

test("on a phone, a tier whose description holds a long link still fits the screen", async ({ page, loginAs, sql }) => {
  const id = `e2e-${randomBytes(6).toString("hex")}`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Pat Phone', 'MEMBER', 'en', now())`, [id, `${id}@example.com`]);
  const link = "https://northwind.example/club/benefits/privateclient/workinggroup?withthecto=2026&from=tierpage";
  await sql(
    `INSERT INTO "Tier" (id, slug, "nameEn", "nameRu", "descriptionEn", "descriptionRu", position, currency, "monthlyAmount", "updatedAt")
     VALUES ($1, $1, 'Long Link', 'Long Link', $2, $2, 9, 'eur', 1000, now())`,
    [id, `Details: ${link}`],
  );
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await loginAs(`${id}@example.com`);
    await page.goto("/billing/join");
    await expect(page.getByText(link)).toBeVisible();
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  } finally {
    await sql(`DELETE FROM "Tier" WHERE id = $1`, [id]);
  }
});

/** A new member who joined through the test checkout, in English (no other test uses them). */
async function payingMember(page: Page, sql: Sql, name: string, tier: string) {
  const email = await acceptInvite(page, sql, name);
  await chooseTier(page, tier, "Monthly");
  await page.getByRole("button", { name: "Pay (test, no charge)" }).click();
  await expect(page).toHaveURL(/\/billing\?checkout=complete$/);
  const [member] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  return { email, id: member.id };
}

test("a member sees their invoices in the test portal, opens one, and updates the card: a mistyped number is refused at the field, a test card is saved", async ({ page, sql }) => {
  await payingMember(page, sql, "Ines Moreau", "Professional");
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page).toHaveURL(/\/billing\/test-portal$/);

  const invoices = page.getByRole("region", { name: "Invoices" });
  const paid = invoices.getByRole("row").filter({ hasText: "Professional membership" });
  await expect(paid).toHaveCount(1);
  await expect(paid).toContainText("€99.00");
  await expect(paid).toContainText("Paid");
  await paid.getByRole("link", { name: /^View invoice in_test_/ }).click();
  await expect(page).toHaveURL(/\/billing\/test-portal\/invoices\/in_test_[0-9a-f]+$/);
  await expect(page.getByRole("heading", { name: /^Invoice in_test_/ })).toBeVisible();
  const lines = page.getByRole("region", { name: "Lines" });
  await expect(lines.getByRole("row").filter({ hasText: "Professional membership" })).toContainText("€99.00");
  await expect(lines.getByRole("row", { name: /Total/ })).toContainText("€99.00");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Back to the billing portal" }).click();

  // The checkout took Stripe's test Visa.
  await expect(page.getByTestId("default-card")).toContainText("Visa ending in 4242");
  const expiry = `08/${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, "0")}`;
  await page.getByLabel(/^Card number/).fill("4242 4242 4242 4241");
  await page.getByLabel(/^Expiry date/).fill(expiry);
  await page.getByLabel(/^Security code/).fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("This card number is not valid. Check the digits.")).toBeVisible();
  await expect(page.getByLabel(/^Card number/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("default-card")).toContainText("Visa ending in 4242");
  await expectAccessible(page);

  await page.getByLabel(/^Card number/).fill("5555 5555 5555 4444");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page).toHaveURL(/\/billing\/test-portal\?card=saved$/);
  await expect(page.getByRole("status").filter({ hasText: "Your card is saved." })).toBeVisible();
  await expect(page.getByTestId("default-card")).toHaveText(`Mastercard ending in 4444, expires ${expiry.replace("/", "/20")}`);
});

test("without JavaScript, a card the server refuses comes back with the message at its field", async ({ browser, sql, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await payingMember(page, sql, "Jonas Berg", "Community");
  await page.goto("/billing/test-portal");
  await page.getByLabel(/^Card number/).fill("4242 4242 4242 4242");
  await page.getByLabel(/^Expiry date/).fill("01/21");
  await page.getByLabel(/^Security code/).fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("This expiry date has passed.")).toBeVisible();
  // Neither the number nor the code is sent back into the page.
  await expect(page.getByLabel(/^Card number/)).toHaveValue("");
  await page.getByLabel(/^Card number/).fill("4000 0000 0000 0002");
  await page.getByLabel(/^Expiry date/).fill("12/40");
  await page.getByLabel(/^Security code/).fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByText("Your card was declined. Try another card.")).toBeVisible();
  await expect(page.getByTestId("default-card")).toContainText("Visa ending in 4242");
  await context.close();
});

test("the owner makes time pass for a member: a failed renewal shows the banner, a renewal clears it, and when the grace period runs out the membership ends", async ({ browser, sql, loginAs, baseURL }) => {
  test.setTimeout(150_000);
  // The owner's page works without JavaScript.
  const memberContext = await browser.newContext({ baseURL });
  const member = await memberContext.newPage();
  const { id } = await payingMember(member, sql, "Lena Aalto", "Community");
  const ownerContext = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const owner = await ownerContext.newPage();
  await sql(`UPDATE "User" SET locale = 'en' WHERE email = $1`, [DEMO.owner.email]);
  await loginAs(DEMO.owner.email, owner);

  await owner.goto(`/admin/members/${id}`);
  await owner.getByRole("link", { name: "Make time pass for this membership (test mode)" }).click();
  await expect(owner.getByRole("heading", { name: "Test clock: Lena Aalto" })).toBeVisible();
  await expect(owner.getByTestId("clock-status")).toHaveText("Active");

  // The renewal payment fails: past due, the banner, an open invoice.
  await owner.getByRole("button", { name: "Fail the renewal payment" }).click();
  await expect(owner.getByRole("status")).toHaveText("Done. The membership now reads: Payment overdue.");
  await member.goto("/billing");
  await expect(member.getByTestId("past-due-banner")).toContainText("Your last payment failed");
  await member.goto("/billing/test-portal");
  await expect(member.getByRole("region", { name: "Invoices" }).getByRole("row").filter({ hasText: "Open" })).toContainText("€29.00");

  // The retry succeeds: the same invoice is paid and the banner goes.
  await owner.getByRole("button", { name: "Renew now" }).click();
  await expect(owner.getByRole("status")).toHaveText("Done. The membership now reads: Active.");
  await member.goto("/billing");
  await expect(member.getByText("You are a Community member.")).toBeVisible();
  await expect(member.getByTestId("past-due-banner")).toHaveCount(0);

  // It fails again, and this time the grace period runs out: the membership ends.
  await owner.getByRole("button", { name: "Fail the renewal payment" }).click();
  await expect(owner.getByTestId("clock-status")).toHaveText("Payment overdue");
  await owner.getByRole("radio", { name: /^Cancel the subscription/ }).check();
  await owner.getByRole("button", { name: "Let the grace period run out" }).click();
  await expect(owner.getByRole("status")).toHaveText("Done. The membership now reads: Ended.");
  await expect(owner.getByTestId("clock-status")).toHaveText("Ended");
  await member.goto("/billing");
  await expect(member.getByText("You do not hold a membership tier at the moment.")).toBeVisible();
  await expect(member.getByText(/^Your Community membership ended on/)).toBeVisible();
  await expect(member.getByTestId("past-due-banner")).toHaveCount(0);
  const invoices = await sql<{ status: string }>(`SELECT status FROM "TestInvoice" WHERE "userId" = $1 ORDER BY "createdAt"`, [id]);
  expect(invoices.map((invoice) => invoice.status)).toEqual(["PAID", "PAID", "UNCOLLECTIBLE"]);

  // Nothing more can happen to an ended subscription.
  await owner.getByRole("button", { name: "Renew now" }).click();
  await expect(owner.getByText("This subscription has ended; it can no longer be renewed.")).toBeVisible();
  await memberContext.close();
  await ownerContext.close();
});

test("the test clock is the owner's: a curator gets 403", async ({ page, loginAs, sql }) => {
  const [member] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [DEMO.community.email]);
  await loginAs(DEMO.curator.email);
  expect((await page.goto(`/admin/members/${member.id}/test-clock`))?.status()).toBe(403);
});
