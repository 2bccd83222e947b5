/**
 * A follow-up from start to end, without JavaScript: an owner of our own builds a segment (the
 * member our own voucher brought in) and a template, then a playbook for members who joined a
 * day ago in that segment. The server's job worker runs the playbook (its schedule ticks every
 * minute): the member gets the message by email (the outbox) and in the bell, and the owner finds
 * the step on the member's touch map.
 */
import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

type Sql = <T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;
const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** An owner, a voucher, and a member who joined two days ago through the voucher's vouch. */
async function club(sql: Sql) {
  const id = `follow-ups-e2e-${randomBytes(4).toString("hex")}`;
  const suffix = id.slice(-8);
  const user = (userId: string, name: string, role: string) =>
    sql(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, $3, $4::"Role", 'en', now())`, [userId, `${userId}@example.com`, name, role]);
  const owner = { id: `${id}-owner`, email: `${id}-owner@example.com` };
  const voucher = { id: `${id}-voucher`, name: `Vlad Voucher ${suffix}` };
  const member = { id: `${id}-member`, email: `${id}-member@example.com`, name: `Nina Newcomer ${suffix}` };
  await user(owner.id, `Follow-up Owner ${suffix}`, "OWNER");
  await user(voucher.id, voucher.name, "MEMBER");
  await user(member.id, member.name, "MEMBER");
  await sql(
    `INSERT INTO "Subscription" (id, "userId", "tierId", status, interval, amount, "startedAt", "updatedAt")
     SELECT $1, $2, t.id, 'ACTIVE', 'MONTH', t."monthlyAmount", now() - interval '2 days', now() FROM "Tier" t WHERE t.slug = 'community'`,
    [`${member.id}-sub`, member.id],
  );
  await sql(`INSERT INTO "Vouch" (id, "voucherId", email, name, "tokenHash") VALUES ($1, $2, $3, $4, $5)`, [`${id}-vouch`, voucher.id, member.email, member.name, hash(`${id}-vouch`)]);
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "vouchId", "updatedAt")
     VALUES ($1, $2, $3, 'Harbour Labs', 'CTO', 'en', 'APPROVED', $4, now(), now(), $5, now())`,
    [`${id}-app`, member.email, member.name, hash(`${id}-app`), `${id}-vouch`],
  );
  await sql(
    `INSERT INTO "Invite" (id, source, "tokenHash", "applicationId", "expiresAt", "usedAt", "usedById") VALUES ($1, 'APPROVAL', $2, $3, now() + interval '7 days', now() - interval '2 days', $4)`,
    [`${id}-invite`, hash(`${id}-invite`), `${id}-app`, member.id],
  );
  return { suffix, owner, voucher, member };
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an owner builds a segment and a playbook; the member it is for gets the message in the outbox and the bell, and it is on their touch map", async ({ page, browser, sql, loginAs }) => {
    // The playbook's first step waits for the worker's next tick (every minute).
    test.setTimeout(240_000);
    const { suffix, owner, voucher, member } = await club(sql);
    await loginAs(owner.email);

    // 1. A segment: the members who joined through our voucher's vouch (only ours).
    const segmentName = `Vlad's newcomers ${suffix}`;
    await page.goto("/admin/segments/new");
    await page.getByLabel("Name", { exact: true }).fill(segmentName);
    await page.getByLabel("Joined through a vouch").selectOption({ label: voucher.name });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByTestId("segment-count")).toHaveText("1 member");
    await page.getByRole("button", { name: "Save segment" }).click();
    await expect(page.getByText("Segment saved.")).toBeVisible();

    // 2. A template for new members, in both languages.
    const templateName = `First day ${suffix}`;
    const subject = `Welcome to the club, {name} (${suffix})`;
    await page.goto("/admin/playbooks/templates/new");
    await page.getByLabel("Name (for staff)").fill(templateName);
    await page.getByLabel("Reason").selectOption({ label: "Joined a number of days ago" });
    await page.getByLabel("Subject in English").fill(subject);
    await page.getByLabel("Message in English").fill("Your {tier} membership has started. Say hello in the forum: people will answer.");
    await page.getByLabel("Subject in Russian").fill(`Добро пожаловать в клуб, {name} (${suffix})`);
    await page.getByLabel("Message in Russian").fill("Ваше членство {tier} началось. Поздоровайтесь на форуме: вам ответят.");
    await page.getByRole("button", { name: "Save the template" }).click();
    await expect(page.getByRole("status")).toHaveText("Saved.");

    // 3. The playbook: joined a day ago, our segment, one message.
    const playbookName = `Newcomers of Vlad ${suffix}`;
    await page.goto("/admin/playbooks/new");
    await page.getByLabel("Name", { exact: false }).first().fill(playbookName);
    await page.getByLabel("Trigger").selectOption({ label: "Joined a number of days ago" });
    await page.getByLabel("Days", { exact: false }).first().fill("1");
    await page.getByLabel("Segment", { exact: true }).selectOption({ label: segmentName });
    await page.getByLabel("Held out (%)").fill("0");
    await page.getByRole("button", { name: "Add a message" }).click();
    await expect(page.getByTestId("playbook-step")).toHaveCount(1);
    await page.getByLabel("Template").selectOption({ label: templateName });
    await page.getByRole("button", { name: "Save the playbook" }).click();
    await expect(page).toHaveURL(/\/admin\/playbooks\/[^/]+\?saved=1$/);
    await expect(page.getByRole("heading", { level: 1, name: playbookName })).toBeVisible();

    // 4. The worker enters the member and sends the step: the email is in the outbox.
    const sentSubject = `Welcome to the club, ${member.name} (${suffix})`;
    await expect
      .poll(async () => (await sql(`SELECT 1 FROM "Email" WHERE "userId" = $1 AND subject = $2 AND template = 'playbook-follow-up'`, [member.id, sentSubject])).length, {
        timeout: 200_000,
        intervals: [2_000],
      })
      .toBe(1);
    const [email] = await sql<{ text: string }>(`SELECT text FROM "Email" WHERE "userId" = $1 AND subject = $2`, [member.id, sentSubject]);
    expect(email.text).toContain("Your Community membership has started.");
    await page.goto("/admin/outbox");
    await expect(page.getByText(sentSubject).first()).toBeVisible();

    // 5. The member reads it in the bell (in another browser, without JavaScript too).
    const memberContext = await browser.newContext({ javaScriptEnabled: false });
    const memberPage = await memberContext.newPage();
    await loginAs(member.email, memberPage);
    await memberPage.goto("/notifications");
    await expect(memberPage.getByTestId("notification-bell")).toHaveAccessibleName(/^Notifications, \d+ unread$/);
    await expect(memberPage.getByText(sentSubject)).toBeVisible();
    await memberContext.close();

    // 6. The owner finds the step on the member's touch map.
    await page.goto(`/admin/members/${member.id}`);
    await expect(page.getByText(`Playbook ${playbookName}: sent the template ${templateName} on`)).toBeVisible();
    await expect(page.getByText(`Entered the playbook ${playbookName}`)).toBeVisible();
  });
});
