import AxeBuilder from "@axe-core/playwright";
import { generateTOTP } from "@epic-web/totp";
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

/** What an authenticator app shows now for the key the page printed (groups of four). */
async function codeFor(key: string): Promise<string> {
  return (await generateTOTP({ secret: key.replace(/\s/g, ""), algorithm: "SHA-1", digits: 6, period: 30 })).otp;
}

/** A code works once per 30-second step: wait for the next step after `since` (at most 30 s). */
async function nextStepAfter(since: number) {
  const next = (Math.floor(since / 30_000) + 1) * 30_000;
  const wait = next - Date.now() + 200;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).setLegacyMode(true).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("an owner turns on two-factor sign-in, saves the recovery codes, and signs in with password and code to reach /admin", async ({ page, sql }) => {
  test.setTimeout(120_000);
  // An owner of their own (with the demo owner's password hash), so the shared demo owner is untouched.
  const id = `e2e-2fa-${randomBytes(6).toString("hex")}`;
  const email = `${id}@example.com`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "passwordHash", "emailVerifiedAt", "updatedAt")
     SELECT $1, $2, 'Ada Keyholder', 'OWNER', 'en', "passwordHash", now(), now() FROM "User" WHERE email = $3`,
    [id, email, DEMO.owner.email],
  );

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/forum/);

  await page.goto("/account");
  await page.getByRole("link", { name: "Manage two-factor authentication" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is off." })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();

  await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
  const key = (await page.getByTestId("two-factor-key").textContent())!.trim();
  expect(key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  await expectNoAxeViolations(page);

  // A wrong code is refused next to the field.
  await page.getByLabel("Code from the app").fill("000000" === (await codeFor(key)) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("That code did not work.", { exact: false })).toBeVisible();

  await page.getByLabel("Code from the app").fill(await codeFor(key));
  const confirmedAt = Date.now();
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  await expect(page.getByRole("link", { name: "Download as a text file" })).toHaveAttribute("download", "recovery-codes.txt");
  await expectNoAxeViolations(page);
  expect(await sql(`SELECT count(*)::int AS n FROM "TwoFactorRecoveryCode" WHERE "userId" = $1`, [id])).toEqual([{ n: 10 }]);

  await page.getByRole("link", { name: "I have saved them" }).click();
  await expect(page.getByRole("heading", { name: /^Two-factor authentication is on since / })).toBeVisible();
  await expect(page.getByText("Recovery codes left: 10 of 10.")).toBeVisible();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();

  await page.goto("/login?redirectTo=%2Fadmin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  // The right password alone made no session.
  expect(await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1`, [id])).toEqual([{ n: 0 }]);
  await expectNoAxeViolations(page);

  // The code that turned it on cannot be used again: wait for the app's next code.
  await nextStepAfter(confirmedAt);
  await page.getByLabel("Code from the app").fill(await codeFor(key));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1`, [id])).toEqual([{ n: 1 }]);
});

test("without JavaScript, a member with two-factor sign-in gets in with a recovery code, once", async ({ browser, sql }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const id = `e2e-2fa-${randomBytes(6).toString("hex")}`;
  const email = `${id}@example.com`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "passwordHash", "emailVerifiedAt", "updatedAt")
     SELECT $1, $2, 'Boris Keyholder', 'MEMBER', 'en', "passwordHash", now(), now() FROM "User" WHERE email = $3`,
    [id, email, DEMO.owner.email],
  );
  // Two-factor turned on earlier, with one recovery code left (the table keeps its SHA-256).
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  await sql(`INSERT INTO "TwoFactorCredential" ("userId", secret, "confirmedAt") VALUES ($1, $2, now())`, [id, secret]);
  await sql(`INSERT INTO "TwoFactorRecoveryCode" (id, "userId", "codeHash") VALUES ($1, $2, encode(sha256('abcdefghij'), 'hex'))`, [`${id}-rc`, id]);

  const signIn = async () => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login\/two-factor$/);
    await page.getByText("Use a recovery code instead").click();
    await page.getByLabel("Recovery code").fill("ABCDE-FGHIJ");
    await page.getByRole("button", { name: "Sign in with the recovery code" }).click();
  };
  await signIn();
  await expect(page).toHaveURL(/\/forum/);
  expect(await sql(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1`, [id])).toEqual([{ n: 1 }]);

  await context.clearCookies();
  await signIn();
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  // The refusal is next to the field, and the recovery form stays open to try again.
  await expect(page.getByLabel("Recovery code")).toBeVisible();
  await expect(page.getByText("That code did not work.", { exact: false })).toBeVisible();
  await context.close();
});
