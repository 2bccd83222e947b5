/**
 * A member of their own (not a demo member: the other specs rely on those) downloads their data,
 * deletes their account with their password, lands on the confirmation page, and cannot sign
 * in again.
 */
import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DEMO, expect, test } from "./fixtures";

const PASSWORD = DEMO.professional.password;

test("a member downloads their data, then deletes their account and cannot sign in again", async ({ page, sql }) => {
  const tag = randomBytes(5).toString("hex");
  const email = `leaving-${tag}@example.org`;
  const name = `Leonora Leaving ${tag}`;
  // Same password as the demo members: their hash is copied, nothing of theirs changes.
  const [user] = await sql<{ id: string }>(
    `INSERT INTO "User" (id, email, name, role, locale, "passwordHash", "emailVerifiedAt", "createdAt", "updatedAt")
     SELECT $1, $2, $3, 'MEMBER', 'en', "passwordHash", now(), now(), now() FROM "User" WHERE email = $4 RETURNING id`,
    [`e2e-privacy-${tag}`, email, name, DEMO.professional.email],
  );
  await sql(
    `INSERT INTO "Subscription" (id, "userId", "tierId", status, amount, currency, "startedAt", "createdAt", "updatedAt")
     SELECT $1, $2, id, 'COMPLIMENTARY', 0, currency, now(), now(), now() FROM "Tier" WHERE slug = 'community'`,
    [`e2e-privacy-sub-${tag}`, user.id],
  );

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);

  await page.goto("/account");
  await page.getByRole("link", { name: "Export or delete your data" }).click();
  await expect(page).toHaveURL(/\/account\/data$/);
  await expect(page.getByRole("heading", { name: "Your data", level: 1 })).toBeVisible();
  const axe = await new AxeBuilder({ page }).setLegacyMode(true).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data (JSON)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^coterie-data-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(exported.profile).toMatchObject({ id: user.id, email, name });
  expect(exported.billing.subscriptions).toHaveLength(1);

  // A wrong password first: refused next to the field, nothing deleted.
  await page.getByLabel("Your password").fill("not my password");
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("That password is not right.")).toBeVisible();
  expect((await sql(`SELECT 1 FROM "User" WHERE email = $1`, [email])).length).toBe(1);

  await page.getByLabel("Your password").fill(PASSWORD);
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/account\/deleted/);
  await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();
  const [erased] = await sql<{ name: string; email: string; erasedAt: Date | null }>(`SELECT name, email, "erasedAt" FROM "User" WHERE id = $1`, [user.id]);
  expect(erased).toMatchObject({ name: "", email: `erased-${user.id}@erased.invalid` });
  expect(erased.erasedAt).not.toBeNull();

  // Signed out, and the old email and password no longer open anything.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toHaveText("Email or password is incorrect.");
});

test("a Russian reader reads the deletion's explanation and its confirmation in Russian", async ({ page, sql, loginAs }) => {
  const tag = randomBytes(5).toString("hex");
  const email = `uhodyashchaya-${tag}@example.org`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "passwordHash", "emailVerifiedAt", "createdAt", "updatedAt")
     SELECT $1, $2, $3, 'MEMBER', 'ru', "passwordHash", now(), now(), now() FROM "User" WHERE email = $4`,
    [`e2e-privacy-ru-${tag}`, email, `Леонора ${tag}`, DEMO.professional.email],
  );
  await loginAs(email);
  await page.goto("/account/data");
  await expect(page.getByRole("heading", { name: "Удалить аккаунт" })).toBeVisible();
  await page.getByLabel("Ваш пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Удалить мой аккаунт" }).click();
  await expect(page.getByText("Отметьте флажок, чтобы подтвердить удаление аккаунта.")).toBeVisible();
  await page.getByLabel(/Я понимаю/).check();
  await page.getByRole("button", { name: "Удалить мой аккаунт" }).click();
  await expect(page.getByRole("heading", { name: "Ваш аккаунт удалён" })).toBeVisible();
});
