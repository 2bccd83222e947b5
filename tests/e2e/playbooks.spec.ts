/**
 * Playbooks in a browser: an owner of our own writes a template and a playbook with two steps
 * and finds it listed; without JavaScript, steps are added through the server and the playbook
 * saves, and an every-member audience asks for confirmation. The demo's own playbooks are
 * never touched (other specs read them).
 */
import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

async function ownOwner(sql: (text: string, values?: unknown[]) => Promise<unknown[]>) {
  const id = `playbooks-e2e-${randomBytes(4).toString("hex")}`;
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Playbook Owner', 'OWNER', 'en', now())`, [id, `${id}@example.com`]);
  return { id, email: `${id}@example.com`, suffix: id.slice(-8) };
}

test("an owner writes a template and a playbook with two steps, and sees it listed", async ({ page, sql, loginAs }) => {
  const owner = await ownOwner(sql);
  await loginAs(owner.email);
  const templateName = `Sorry to hear ${owner.suffix}`;
  const playbookName = `Detractor care ${owner.suffix}`;

  await page.goto("/admin/playbooks/templates/new");
  await page.getByLabel("Name (for staff)").fill(templateName);
  await page.getByLabel("Reason").selectOption({ label: "Became a detractor" });
  await page.getByLabel("Subject in English").fill("Thank you for your honesty, {name}");
  await page.getByLabel("Message in English").fill("We read what you wrote and would like to fix it.");
  await page.getByLabel("Subject in Russian").fill("Спасибо за честность, {nmae}");
  await page.getByLabel("Message in Russian").fill("Мы прочитали ваш ответ и хотим всё исправить.");
  await page.getByRole("button", { name: "Save the template" }).click();
  // A misspelt placeholder is refused next to its field.
  await expect(page.getByText("{nmae} is not a placeholder")).toBeVisible();
  await page.getByLabel("Subject in Russian").fill("Спасибо за честность, {name}");
  await page.getByRole("button", { name: "Save the template" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  await page.goto("/admin/playbooks/new");
  await page.getByLabel("Name", { exact: false }).first().fill(playbookName);
  await page.getByLabel("Trigger").selectOption({ label: "Became a detractor" });
  await page.getByLabel("Days", { exact: false }).first().fill("");
  await page.getByRole("button", { name: "Add a wait" }).click();
  await page.getByLabel("Days to wait (1 to 90)").fill("2");
  await page.getByRole("button", { name: "Add a message" }).click();
  await page.getByLabel("Template").selectOption({ label: templateName });
  await expect(page.getByTestId("playbook-step")).toHaveCount(2);
  await page.getByRole("button", { name: "Save the playbook" }).click();
  await expect(page).toHaveURL(/\/admin\/playbooks\/[^/]+\?saved=1$/);
  await expect(page.getByRole("heading", { level: 1, name: playbookName })).toBeVisible();
  await expect(page.getByText("Not enough data yet: each group needs at least 30 runs")).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  const steps = await sql<{ kind: string; days: number | null; name: string }>(
    `SELECT s.kind::text AS kind, s.days, t.name FROM "PlaybookStep" s JOIN "Playbook" p ON p.id = s."playbookId" LEFT JOIN "FollowUpTemplate" t ON t.id = s."templateId"
     WHERE p.name = $1 ORDER BY s.position`,
    [playbookName],
  );
  expect(steps).toEqual([
    { kind: "WAIT", days: 2, name: null },
    { kind: "SEND", days: null, name: templateName },
  ]);

  await page.goto("/admin/playbooks");
  const row = page.getByTestId("playbooks").getByRole("row", { name: new RegExp(playbookName) });
  await expect(row).toContainText("Running");
  await expect(row).toContainText("Became a detractor");
  await expect(row).toContainText("Every member");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an owner adds steps through the server and saves the playbook", async ({ page, sql, loginAs }) => {
    const owner = await ownOwner(sql);
    await loginAs(owner.email);
    const playbookName = `Payment help ${owner.suffix}`;

    await page.goto("/admin/playbooks/new");
    await page.getByLabel("Name", { exact: false }).first().fill(playbookName);
    await page.getByLabel("Trigger").selectOption({ label: "Payment failed" });
    await page.getByLabel("Days", { exact: false }).first().fill("");
    await page.getByRole("button", { name: "Add a task" }).click();
    await expect(page.getByTestId("playbook-step")).toHaveCount(1);
    // What was typed survives the round trip.
    await expect(page.getByLabel("Name", { exact: false }).first()).toHaveValue(playbookName);
    await page.getByLabel("What the curator should do").fill("Call them about the card");
    await page.getByRole("button", { name: "Add a wait" }).click();
    await expect(page.getByTestId("playbook-step")).toHaveCount(2);
    await page.getByLabel("Days to wait (1 to 90)").fill("0");
    await page.getByRole("button", { name: "Save the playbook" }).click();
    await expect(page.getByText("Enter a number from 1 to 90.")).toBeVisible();
    await page.getByLabel("Days to wait (1 to 90)").fill("4");
    await page.getByRole("button", { name: "Save the playbook" }).click();
    await expect(page).toHaveURL(/\/admin\/playbooks\/[^/]+\?saved=1$/);
    await expect(page.getByRole("heading", { level: 1, name: playbookName })).toBeVisible();

    const steps = await sql<{ kind: string; days: number | null; note: string | null }>(
      `SELECT s.kind::text AS kind, s.days, s."taskNote" AS note FROM "PlaybookStep" s JOIN "Playbook" p ON p.id = s."playbookId" WHERE p.name = $1 ORDER BY s.position`,
      [playbookName],
    );
    expect(steps).toEqual([
      { kind: "TASK", days: null, note: "Call them about the card" },
      { kind: "WAIT", days: 4, note: null },
    ]);
  });

  test("a playbook for every member asks for confirmation before it is saved", async ({ page, sql, loginAs }) => {
    const owner = await ownOwner(sql);
    await loginAs(owner.email);
    const playbookName = `Everyone quiet ${owner.suffix}`;
    await page.goto("/admin/playbooks/new");
    await page.getByLabel("Name", { exact: false }).first().fill(playbookName);
    await page.getByLabel("Trigger").selectOption({ label: "No activity for a number of days" });
    await page.getByLabel("Days", { exact: false }).first().fill("400");
    await page.getByRole("button", { name: "Add a task" }).click();
    await page.getByLabel("What the curator should do").fill("Call them");
    await page.getByRole("button", { name: "Save the playbook" }).click();
    await expect(page.getByText("Enter a number from 1 to 365.")).toBeVisible();
    await page.getByLabel("Days", { exact: false }).first().fill("365");
    await page.getByRole("button", { name: "Save the playbook" }).click();
    await expect(page.getByRole("heading", { name: "This playbook is for every member" })).toBeVisible();
    await expect(page.getByText(/would enter it as soon as it is saved/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Save anyway" })).toBeVisible();
    // Not saved until confirmed; the demo club's members are not entered by this spec.
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Playbook" WHERE name = $1`, [playbookName]);
    expect(n).toBe(0);
  });
});

test("the demo's curator (in Russian) reads the inactivity playbook: its figures, its runs, and a form they cannot change", async ({ page, loginAs }) => {
  // The demo curator reads in Russian: the trigger in words takes its plural form.
  await loginAs("curator@coterie.club");
  await page.goto("/admin/playbooks");
  const row = page.getByTestId("playbooks").getByRole("row", { name: /21-day inactivity nudge/ });
  await expect(row).toContainText("Нет активности 21 день");
  await expect(page.getByRole("link", { name: "Новый сценарий" })).toHaveCount(0);
  await row.getByRole("link", { name: "21-day inactivity nudge" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "21-day inactivity nudge" })).toBeVisible();
  await expect(page.getByText("Менять сценарии могут только владельцы; вам доступен просмотр.")).toBeVisible();
  await expect(page.getByTestId("control-group")).toContainText("Получили касания");
  await expect(page.getByTestId("playbook-runs").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Сохранить сценарий" })).toHaveCount(0);
  await expect(page.getByLabel("Триггер", { exact: true })).toBeDisabled();
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
