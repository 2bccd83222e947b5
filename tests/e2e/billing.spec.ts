import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import type { QueryResultRow } from "pg";
import Stripe from "stripe";
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
