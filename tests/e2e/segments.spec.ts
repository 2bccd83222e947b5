/**
 * Segments in a browser: an owner of our own builds a segment over members of our own (the two
 * who joined through our own voucher's vouches, so other specs cannot change the count), sees the
 * count and the sample, saves it and downloads its CSV; without JavaScript, "Preview" counts
 * and a bad number is refused next to its field. Axe finds nothing on the segment's page.
 */
import AxeBuilder from "@axe-core/playwright";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";

type Sql = <T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

/** An owner, a voucher and two members who joined through the voucher's vouches (one Professional, one Community). */
async function club(sql: Sql) {
  const id = `segments-e2e-${randomBytes(4).toString("hex")}`;
  const suffix = id.slice(-8);
  const user = (userId: string, name: string, role: string) =>
    sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, $3, $4::"Role", 'en', now())`, [userId, `${userId}@example.com`, name, role]);
  await user(`${id}-owner`, `Segment Owner ${suffix}`, "OWNER");
  await user(`${id}-voucher`, `Vera Voucher ${suffix}`, "MEMBER");
  const members = [
    { key: "a", name: `Alma Segment ${suffix}`, tier: "professional" },
    { key: "b", name: `Boris Segment ${suffix}`, tier: "community" },
  ];
  for (const m of members) {
    const userId = `${id}-${m.key}`;
    await user(userId, m.name, "MEMBER");
    await sql(
      `INSERT INTO "Subscription" (id, "userId", "tierId", status, interval, amount, "startedAt", "updatedAt")
       SELECT $1, $2, t.id, 'ACTIVE', 'MONTH', t."monthlyAmount", now() - interval '90 days', now() FROM "Tier" t WHERE t.slug = $3`,
      [`${userId}-sub`, userId, m.tier],
    );
    await sql(`INSERT INTO "Vouch" (id, "voucherId", email, name, "tokenHash") VALUES ($1, $2, $3, $4, $5)`, [
      `${userId}-vouch`,
      `${id}-voucher`,
      `${userId}@example.com`,
      m.name,
      createHash("sha256").update(`${userId}-vouch`).digest("hex"),
    ]);
    await sql(
      `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "vouchId", "updatedAt")
       VALUES ($1, $2, $3, 'Harbour Labs', 'CTO', 'en', 'APPROVED', $4, now(), now(), $5, now())`,
      [`${userId}-app`, `${userId}@example.com`, m.name, createHash("sha256").update(`${userId}-app`).digest("hex"), `${userId}-vouch`],
    );
    await sql(
      `INSERT INTO "Invite" (id, source, "tokenHash", "applicationId", "expiresAt", "usedAt", "usedById") VALUES ($1, 'APPROVAL', $2, $3, now() + interval '7 days', now() - interval '90 days', $4)`,
      [`${userId}-invite`, createHash("sha256").update(`${userId}-invite`).digest("hex"), `${userId}-app`, userId],
    );
  }
  return { id, suffix, owner: `${id}-owner@example.com`, voucher: `Vera Voucher ${suffix}`, members };
}

test("an owner builds a segment, sees its count and sample, saves it and downloads its CSV", async ({ page, sql, loginAs }) => {
  const { suffix, owner, voucher, members } = await club(sql);
  await loginAs(owner);
  await page.goto("/admin/segments/new");
  await expect(page.getByRole("heading", { level: 1, name: "New segment" })).toBeVisible();
  const name = `Vera's vouches ${suffix}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Joined through a vouch").selectOption({ label: voucher });
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("segment-count")).toHaveText("2 members");
  const sample = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Member" }) });
  await expect(sample.getByRole("link", { name: members[0].name })).toHaveAttribute("href", /^\/admin\/members\/segments-e2e-/);
  await expect(sample.getByRole("link", { name: members[1].name })).toBeVisible();
  expect(await sql(`SELECT 1 FROM "Segment" WHERE name = $1`, [name])).toHaveLength(0);

  // Narrowed to one tier: one member left.
  await page.getByLabel("Professional", { exact: true }).check();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("segment-count")).toHaveText("1 member");
  await page.getByRole("button", { name: "Save segment" }).click();
  await expect(page.getByText("Segment saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `Segment: ${name}` })).toBeVisible();
  await expect(page.getByText(`hold Professional; joined through ${voucher}'s vouch`)).toBeVisible();
  await expect(page.getByTestId("segment-count")).toHaveText("1 member");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  const [saved] = await sql<{ id: string; filter: unknown }>(`SELECT id, filter FROM "Segment" WHERE name = $1`, [name]);
  expect(saved.filter).toMatchObject({ vouchedBy: expect.stringMatching(/-voucher$/), tierIds: [expect.any(String)] });

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^coterie-segment-${saved.id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
  expect(lines[0]).toBe("Member,Email,Tier,Language,First joined,Last active,Days quiet,Latest NPS score,NPS group,Telegram linked");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(new RegExp(`^${members[0].name},segments-e2e-[0-9a-f]+-a@example\\.com,Professional,English,`));

  // On the list, with its count.
  await page.goto("/admin/segments");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name }) });
  await expect(row).toContainText("1 member");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Preview counts without saving, and a bad number is refused at its field", async ({ page, sql, loginAs }) => {
    const { suffix, owner, voucher, members } = await club(sql);
    await loginAs(owner);
    await page.goto("/admin/segments/new");
    const name = `No script ${suffix}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Joined through a vouch").selectOption({ label: voucher });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByText("Preview of the filter as it is in the form; nothing was saved.")).toBeVisible();
    await expect(page.getByTestId("segment-count")).toHaveText("2 members");
    await expect(page.getByRole("link", { name: members[1].name })).toBeVisible();
    // The form keeps what was typed.
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
    expect(await sql(`SELECT 1 FROM "Segment" WHERE name = $1`, [name])).toHaveLength(0);

    await page.getByRole("group", { name: "Months since first joining" }).getByLabel("At least").fill("-3");
    await page.getByRole("button", { name: "Save segment" }).click();
    await expect(page.getByText("Enter 0 or more.")).toBeVisible();
    expect(await sql(`SELECT 1 FROM "Segment" WHERE name = $1`, [name])).toHaveLength(0);

    await page.getByRole("group", { name: "Months since first joining" }).getByLabel("At least").fill("2");
    await page.getByRole("button", { name: "Save segment" }).click();
    await expect(page.getByText("Segment saved.")).toBeVisible();
    await expect(page.getByTestId("segment-count")).toHaveText("2 members");
  });
});
