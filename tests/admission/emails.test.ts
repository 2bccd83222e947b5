import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as accountAction } from "~/routes/account";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction } from "~/routes/reset-password.$token";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, linkToken, outcome } from "./support";

afterAll(() => stopQueue());
beforeAll(async () => {
  await ensureClubSettings();
  await db.clubSettings.update({ where: { id: 1 }, data: { name: "Harbour Circle", timeZone: "Europe/Moscow" } });
});

const SIGN_OFF = { en: "With best wishes,\nThe Harbour Circle team", ru: "С наилучшими пожеланиями,\nкоманда Harbour Circle" };

describe("every email", () => {
  it("ends with the club's sign-off in the recipient's language, in the text and the HTML, after the button's link", async () => {
    for (const locale of ["en", "ru"] as const) {
      const to = `sign-off-${locale}@example.com`;
      await queueEmail({ to, locale, template: "test", subject: "Subject", text: "Hello,\n\nThe body.", action: { label: "Open", url: "https://club.example/x" } });
      const [email] = await emailsTo(to);
      expect(email.text.endsWith(`https://club.example/x\n\n${SIGN_OFF[locale]}`)).toBe(true);
      expect(email.html).toContain(SIGN_OFF[locale].replace("\n", "<br>"));
      expect(email.html.indexOf("https://club.example/x")).toBeLessThan(email.html.indexOf(SIGN_OFF[locale].split("\n")[0]));
    }
  });
});

describe("'your password was changed'", () => {
  it("is emailed after a reset, in the member's language, with the date and a way back", async () => {
    const user = await createUser({ locale: "ru", name: "Мария Орлова" });
    await outcome(forgotAction(routeArgs(appRequest("/forgot-password", { ip: "198.51.100.7", form: { email: user.email } }))));
    const token = linkToken((await emailsTo(user.email))[0].text, "/reset-password/");
    const password = "an entirely new passphrase";
    const done = await outcome(resetAction(routeArgs(appRequest(`/reset-password/${token}`, { form: { password, confirmPassword: password } }), { token })));
    expect(done.status).toBe(200);
    const [changed] = await emailsTo(user.email);
    expect(changed.template).toBe("password-changed");
    expect(changed.locale).toBe("ru");
    expect(changed.subject).toBe("Пароль от аккаунта в Harbour Circle изменён");
    expect(changed.text).toContain("Здравствуйте, Мария Орлова!");
    // The date ends with «г.»; the sentence's own full stop is not doubled.
    expect(changed.text).toMatch(/изменён \d{1,2} [а-я]+ \d{4} г\. Во всех/);
    expect(changed.text).not.toContain("..");
    expect(changed.text).toContain("/forgot-password");
    expect(changed.text.endsWith(SIGN_OFF.ru)).toBe(true);
  });

  it("is emailed after a change on /account", async () => {
    const user = await createUser({ password: "correct horse battery staple" });
    const cookie = await sessionCookie(user.id);
    const form = { intent: "change-password", currentPassword: "correct horse battery staple", password: "a lantern over the harbour 77", confirmPassword: "a lantern over the harbour 77" };
    expect((await outcome(accountAction(routeArgs(appRequest("/account", { cookie, form }))))).status).toBe(200);
    const [changed] = await emailsTo(user.email);
    expect(changed.template).toBe("password-changed");
    expect(changed.subject).toBe("Your Harbour Circle password was changed");
    expect(changed.text).toMatch(/was changed on \d{1,2} [A-Z][a-z]+ \d{4}\. Every other browser/);
  });
});
