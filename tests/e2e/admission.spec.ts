import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { acceptClubTerms } from "./consent";
import { DEMO, expect, test } from "./fixtures";

/**
 * The door of the club, walked in a real browser: apply, verify the email from the
 * outbox, a curator scores, the owner approves, the invite link is followed, a password
 * set, and the new member is signed in. Once in English, once in Russian.
 */
const PASSWORD = "a quiet harbour at dawn 2026";

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const TEXT = {
  en: {
    browserLocale: "en-GB",
    name: "Full name",
    email: "Email",
    company: "Company",
    jobTitle: "Role",
    coInnovation: "Readiness to co-innovate",
    expertise: "Expertise in security and cloud",
    growth: "Growth potential",
    growthOption: "Up to 50 %",
    community: "What you bring to the community",
    consent: /I agree that the club stores/,
    submit: "Send my application",
    sent: "Check your email",
    confirmTitle: "Confirm your application",
    confirm: "Confirm my application",
    verified: "Thank you: your email is confirmed",
    verifySubject: /Confirm your application/,
    inviteTitle: "Accept your invitation",
    password: "Password",
    confirmPassword: "Repeat the password",
    become: "Become a member",
    account: "Your account",
    required: "This field is required.",
  },
  ru: {
    browserLocale: "ru-RU",
    name: "Имя и фамилия",
    email: "Электронная почта",
    company: "Компания",
    jobTitle: "Должность",
    coInnovation: "Готовность к совместным инновациям",
    expertise: "Экспертиза в безопасности и облаках",
    growth: "Потенциал роста",
    growthOption: "До 50 %",
    community: "Что вы принесёте сообществу",
    consent: /Я согласен/,
    submit: "Отправить заявку",
    sent: "Проверьте почту",
    confirmTitle: "Подтвердите заявку",
    confirm: "Подтвердить заявку",
    verified: "Спасибо: адрес подтверждён",
    verifySubject: /Подтвердите заявку/,
    inviteTitle: "Примите приглашение",
    password: "Пароль",
    confirmPassword: "Повторите пароль",
    become: "Стать участником",
    account: "Ваш профиль",
    required: "Обязательное поле.",
  },
} as const;

/** The seeded criteria, as the curator (whose language is Russian) scores them. */
const CRITERIA_RU = [
  "Готовность к совместным инновациям",
  "Экспертиза в безопасности и облаках",
  "Потенциал роста",
  "Что вы принесёте сообществу",
];

async function contextFor(browser: Browser, baseURL: string, locale: string) {
  const context = await browser.newContext({ baseURL, locale });
  return { context, page: await context.newPage() };
}

/** The path of the link in the newest email of this kind to this address. */
async function linkFromOutbox(
  sql: <T extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>,
  to: string,
  template: string,
) {
  const [email] = await sql<{ text: string; subject: string }>(
    `SELECT text, subject FROM "Email" WHERE "to" = $1 AND template = $2 ORDER BY "createdAt" DESC LIMIT 1`,
    [to, template],
  );
  expect(email, `an ${template} email to ${to}`).toBeTruthy();
  const path = /https?:\/\/[^/\s]+(\/[^\s]+)/.exec(email.text)?.[1];
  expect(path).toBeTruthy();
  return { path: path!, subject: email.subject };
}

for (const lang of ["en", "ru"] as const) {
  test(`an applicant becomes a member: apply, verify, review, approve, accept (${lang})`, async ({ browser, baseURL, sql, loginAs }) => {
    const t = TEXT[lang];
    const applicantEmail = `applicant-${lang}-${randomBytes(4).toString("hex")}@example.com`;
    const applicantName = lang === "en" ? `Hedy Lamarr ${randomBytes(2).toString("hex")}` : `Софья Ковалевская ${randomBytes(2).toString("hex")}`;

    // 1. Apply, in the browser's language.
    const applicant = await contextFor(browser, baseURL!, t.browserLocale);
    const page = applicant.page;
    await page.goto("/apply");
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expectAccessible(page);
    await page.getByLabel(t.name).fill(applicantName);
    await page.getByLabel(t.email).fill(applicantEmail);
    await page.getByLabel(t.company).fill("Frequency Hopping Ltd");
    await page.getByRole("textbox", { name: t.jobTitle, exact: true }).fill("Inventor");
    await page.getByRole("group", { name: t.coInnovation }).getByRole("radio", { name: "4", exact: true }).check();
    await page.getByLabel(t.expertise).fill("Spread-spectrum radio, secure communications.");
    await page.getByRole("group", { name: t.growth }).getByRole("radio", { name: t.growthOption }).check();
    await page.getByLabel(t.community).fill("Talks on radio security.");
    await page.getByLabel(t.consent).check();
    await acceptClubTerms(page, lang);
    await page.getByRole("button", { name: t.submit }).click();
    await expect(page.getByRole("heading", { name: t.sent })).toBeVisible();
    await expectAccessible(page);

    // 2. Verify the email with the link from the outbox: opening it (as a mail scanner does)
    // changes nothing; the button confirms, and the status page follows.
    const verification = await linkFromOutbox(sql, applicantEmail, "application-verify");
    expect(verification.subject).toMatch(t.verifySubject);
    await page.goto(verification.path);
    await expect(page.getByRole("heading", { name: t.confirmTitle })).toBeVisible();
    await expectAccessible(page);
    const [opened] = await sql<{ status: string }>(`SELECT status FROM "Application" WHERE email = $1`, [applicantEmail]);
    expect(opened.status).toBe("UNVERIFIED");
    await page.getByRole("button", { name: t.confirm }).click();
    await expect(page).toHaveURL(/\/apply\/status\/[a-z2-7]{32}\?verified=1(&lang=(en|ru))?$/);
    await expect(page.getByText(t.verified)).toBeVisible();
    await expectAccessible(page);

    // 3. A curator scores every criterion (her interface is Russian).
    const curator = await contextFor(browser, baseURL!, "ru-RU");
    await loginAs(DEMO.curator.email, curator.page);
    await curator.page.goto("/admin/applications?status=new");
    await curator.page.getByRole("link", { name: applicantName }).click();
    await expect(curator.page.getByRole("heading", { name: applicantName })).toBeVisible();
    await expectAccessible(curator.page);
    for (const title of CRITERIA_RU) {
      await curator.page.getByRole("group", { name: `${title}: оценка от 1 до 5` }).getByRole("radio", { name: "4", exact: true }).check();
    }
    await curator.page.getByLabel("Комментарий для других кураторов").fill("Сильная кандидатура.");
    await curator.page.getByRole("button", { name: "Сохранить оценку" }).click();
    await expect(curator.page.getByText("Ваша оценка сохранена.")).toBeVisible();
    await curator.context.close();

    // 4. The owner sees the average in the queue and approves.
    const owner = await contextFor(browser, baseURL!, "en-GB");
    await loginAs(DEMO.owner.email, owner.page);
    await owner.page.goto("/admin/applications?status=review&sort=score");
    const row = owner.page.getByRole("row").filter({ hasText: applicantName });
    await expect(row).toContainText("4.0");
    await expect(row).toContainText("In review");
    await row.getByRole("link", { name: applicantName }).click();
    await owner.page.getByRole("button", { name: "Approve and send the invitation" }).click();
    await expect(owner.page.getByText("Approved. The invitation is on its way to the applicant.")).toBeVisible();
    // A second decision is refused, clearly.
    const again = await owner.page.request.post(owner.page.url(), {
      form: { intent: "waitlist" },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(409);
    await owner.context.close();

    // 5. The invite link is followed and a password set.
    const invitation = await linkFromOutbox(sql, applicantEmail, "application-approved");
    expect(invitation.path).toMatch(/^\/invite\/[a-z2-7]{32}(\?lang=(en|ru))?$/);
    await page.goto(invitation.path);
    await expect(page.getByRole("heading", { name: t.inviteTitle })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel(new RegExp(`^${t.password}`)).fill(PASSWORD);
    await page.getByLabel(t.confirmPassword).fill(PASSWORD);
    await acceptClubTerms(page, lang);
    await page.getByRole("button", { name: t.become }).click();
    await expect(page).toHaveURL(/\/billing\/join/);

    // 6. The new member is signed in.
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: t.account })).toBeVisible();
    await expect(page.getByText(applicantEmail)).toBeVisible();
    await expect(page.getByRole("link", { name: applicantName })).toBeVisible();
    const [member] = await sql<{ role: string; locale: string }>(`SELECT role, locale FROM "User" WHERE email = $1`, [applicantEmail]);
    expect(member).toEqual({ role: "MEMBER", locale: lang });

    // The link worked once.
    const reused = await page.goto(invitation.path);
    expect(reused?.status()).toBe(410);
    await applicant.context.close();
  });
}

test("the application form shows its errors next to the fields with JavaScript off", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/apply");
  await page.getByLabel("Email").fill("not an email");
  await page.getByRole("button", { name: "Send my application" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Please agree to the storage of your data")).toBeVisible();
  await expect(page.getByRole("group", { name: "Readiness to co-innovate" }).getByText("Choose one of the options.")).toBeVisible();
  await context.close();
});

test("an unknown or used invite says so, in the visitor's language, with a way forward", async ({ browser, baseURL }) => {
  const { context, page } = await contextFor(browser, baseURL!, "ru-RU");
  const response = await page.goto(`/invite/${"a".repeat(32)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Такое приглашение нам неизвестно" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Подать заявку" }).last()).toBeVisible();
  await expectAccessible(page);
  await context.close();
});

test("owners issue invite codes, export them, and read the outbox", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/invites");
  await expectAccessible(page);
  await page.getByRole("spinbutton", { name: "How many codes" }).fill("3");
  await page.getByLabel("Note for yourself (optional)").fill("E2E batch");
  await page.getByRole("button", { name: "Issue", exact: true }).click();
  await expect(page.getByText("Codes issued: 3.")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download these codes as CSV" }).click();
  const csv = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of csv) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString("utf8").trim().split("\r\n");
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain("E2E batch");

  await page.goto("/admin/outbox");
  await expect(page.getByRole("heading", { name: "Email outbox" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/admin/applications/criteria");
  await expect(page.getByRole("heading", { name: "Selection criteria" })).toBeVisible();
  await expectAccessible(page);
});

test("a member vouches for a friend from the vouching page", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.professional.email);
  await page.goto("/account");
  await page.getByRole("link", { name: "Поручиться за знакомого" }).click();
  await expect(page.getByRole("heading", { name: "Поручиться за человека" })).toBeVisible();
  await expectAccessible(page);
  const friend = `friend-${randomBytes(4).toString("hex")}@example.com`;
  await page.getByLabel("Имя").fill("Ada Friend");
  await page.getByLabel("Электронная почта").fill(friend);
  await page.getByLabel("Язык приглашения").selectOption("en");
  await page.getByRole("button", { name: "Отправить приглашение" }).click();
  await expect(page.getByText("Приглашение отправлено: Ada Friend.")).toBeVisible();
  const [email] = await sql<{ text: string; locale: string }>(`SELECT text, locale FROM "Email" WHERE "to" = $1`, [friend]);
  expect(email.locale).toBe("en");
  expect(email.text).toMatch(/\/apply\?vouch=[a-z2-7]{32}/);
});

test("the password reset pages are accessible and answer alike for anyone", async ({ page }) => {
  await page.goto("/forgot-password");
  await expectAccessible(page);
  await page.getByLabel("Email").fill("nobody-at-all@example.com");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText("If this email belongs to a member, a link is on its way.")).toBeVisible();
  const response = await page.goto(`/reset-password/${"b".repeat(32)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Request a new link" })).toBeVisible();
});

test("the 11th wrong invite code from one address in ten minutes gets 429 with Retry-After", async ({ request }) => {
  // The e2e server trusts X-Forwarded-For from loopback, so this test has an address of its own.
  const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const statuses: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const response = await request.get(`/invite/${randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32)}`, {
      headers: { "X-Forwarded-For": ip },
    });
    statuses.push(response.status());
  }
  expect(statuses).toEqual(Array(10).fill(404));
  const eleventh = await request.get(`/invite/${"z".repeat(32)}`, { headers: { "X-Forwarded-For": ip } });
  expect(eleventh.status()).toBe(429);
  expect(Number(eleventh.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await eleventh.text()).toContain("Too many wrong codes");
});

test("an account's email is confirmed by the button, not by opening the link, with JavaScript off", async ({ browser, baseURL, sql }) => {
  const id = `verify-${randomBytes(6).toString("hex")}`;
  const token = randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt") VALUES ($1, $2, 'Nina Verify', 'MEMBER', 'ru', now(), now())`,
    [id, `${id}@example.com`],
  );
  await sql(
    `INSERT INTO "AccountToken" (id, "tokenHash", purpose, "userId", "expiresAt") VALUES ($1, $2, 'EMAIL_VERIFICATION', $3, now() + interval '1 day')`,
    [`${id}-token`, createHash("sha256").update(token).digest("hex"), id],
  );
  const verifiedAt = async () =>
    (await sql<{ emailVerifiedAt: Date | null }>(`SELECT "emailVerifiedAt" FROM "User" WHERE id = $1`, [id]))[0].emailVerifiedAt;

  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "ru-RU" });
  const page = await context.newPage();
  const opened = await page.goto(`/verify-email/${token}`);
  expect(opened?.status()).toBe(200);
  expect(opened?.headers()["cache-control"]).toBe("no-store");
  await expect(page.getByRole("heading", { name: "Подтвердите адрес почты" })).toBeVisible();
  expect(await verifiedAt()).toBeNull();

  const [confirmed] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "Подтвердить адрес почты" }).click(),
  ]);
  expect(confirmed.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Адрес подтверждён" })).toBeVisible();
  expect(await verifiedAt()).not.toBeNull();

  // The link worked once.
  const reopened = await page.goto(`/verify-email/${token}`);
  expect(reopened?.status()).toBe(410);
  await expect(page.getByText("Эта ссылка уже использована")).toBeVisible();
  await context.close();
});

/** An application of its own for a test, in the review queue. */
async function newApplication(sql: <T extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>, name: string) {
  const id = `e2e${randomBytes(8).toString("hex")}`;
  await sql(
    `INSERT INTO "Application" (id, email, name, company, "jobTitle", locale, status, "accessTokenHash", "consentedAt", "emailVerifiedAt", "updatedAt")
     VALUES ($1, $2, $3, 'Harbour Labs', 'CTO', 'en', 'NEW', $4, now(), now(), now())`,
    [id, `${id}@example.com`, name, createHash("sha256").update(id).digest("hex")],
  );
  return id;
}

test("after an 'already decided' refusal the page shows the current status and no decision buttons", async ({ page, browser, baseURL, loginAs, sql }) => {
  const id = await newApplication(sql, "Decided Twice");
  await loginAs(DEMO.owner.email);
  await page.goto(`/admin/applications/${id}`);
  await expect(page.getByRole("button", { name: "Approve and send the invitation" })).toBeVisible();

  // Meanwhile a curator approves it in another browser.
  const curator = await contextFor(browser, baseURL!, "ru-RU");
  await loginAs(DEMO.curator.email, curator.page);
  await curator.page.goto(`/admin/applications/${id}`);
  await curator.page.getByRole("button", { name: "Одобрить и отправить приглашение" }).click();
  await expect(curator.page.getByRole("status")).toBeVisible();
  await curator.context.close();

  await page.getByRole("button", { name: "Approve and send the invitation" }).click();
  await expect(page.getByRole("alert")).toContainText("already decided (Approved)");
  await expect(page.getByText("Approved", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve and send the invitation" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Put on the waiting list" })).toHaveCount(0);
});

test("the review queue reads in Russian with six criteria: no name broken mid-word, no column cut off", async ({ page, loginAs, sql }) => {
  // Two criteria more than the demo's four, with long Russian names, as a club may add.
  const extra = [`e2e-crit-${randomBytes(4).toString("hex")}`, `e2e-crit-${randomBytes(4).toString("hex")}`];
  await sql(
    `INSERT INTO "AdmissionCriterion" (id, "titleEn", "titleRu", kind, required, position, "updatedAt") VALUES
     ($1, 'Experience of international certification', 'Опыт международной сертификации', 'SCALE', false, 90, now()),
     ($2, 'Contribution to professional associations', 'Вклад в профессиональные ассоциации', 'SCALE', false, 91, now())`,
    extra,
  );
  try {
    await loginAs(DEMO.curator.email);
    await page.goto("/admin/applications?status=all");
    await expect(page.getByRole("heading", { name: "Заявки" })).toBeVisible();
    const table = page.getByRole("table");
    await expect(table.getByText("Вклад в профессиональные ассоциации").first()).toBeVisible();
    const layout = await table.evaluate((element) => {
      const scroller = element.parentElement!;
      const broken: string[] = [];
      for (const dt of element.querySelectorAll("dt")) {
        const text = dt.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) continue;
        const value = text.textContent ?? "";
        let start = 0;
        for (const word of value.split(" ")) {
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, start + word.length);
          if (word && range.getClientRects().length > 1) broken.push(word);
          start += word.length + 1;
        }
      }
      return { overflow: scroller.scrollWidth - scroller.clientWidth, broken, criteria: element.querySelector("tbody tr dl")?.children.length };
    });
    expect(layout.criteria).toBe(6);
    expect(layout.broken).toEqual([]);
    expect(layout.overflow).toBeLessThanOrEqual(1);
    await expectAccessible(page);
  } finally {
    await sql(`UPDATE "AdmissionCriterion" SET "archivedAt" = now() WHERE id = ANY($1)`, [extra]);
  }
});
