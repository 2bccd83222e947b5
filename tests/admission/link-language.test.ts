import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { resolveLocale } from "~/i18n/locale.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as applyAction } from "~/routes/apply";
import { action as vouchAction } from "~/routes/members.vouch";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, linkToken, outcome } from "./support";

afterAll(() => stopQueue());
beforeAll(() => ensureClubSettings());

const ENGLISH_BROWSER = { "Accept-Language": "en-GB,en;q=0.9" };

describe("pages opened from an emailed link", () => {
  it("are in the language the link was sent in, over the browser's, until the person chooses one", async () => {
    expect(await resolveLocale(appRequest("/invite/x?lang=ru", { headers: ENGLISH_BROWSER }))).toBe("ru");
    expect(await resolveLocale(appRequest("/invite/x?lang=xx", { headers: ENGLISH_BROWSER }))).toBe("en");
    expect(await resolveLocale(appRequest("/invite/x", { headers: ENGLISH_BROWSER }))).toBe("en");
    // A language the person chose (the cookie) wins over the link's.
    const chosen = { ...ENGLISH_BROWSER, Cookie: `coterie_lang=${Buffer.from(JSON.stringify("en")).toString("base64")}` };
    expect(await resolveLocale(appRequest("/invite/x?lang=ru", { headers: chosen }))).toBe("en");
  });

  it("a Russian vouch: the link says ru, the vouchee applies from an English browser, and the verification comes in Russian", async () => {
    const voucher = await createUser({ tier: "private-client", locale: "en" });
    const friend = "pavel.sokolov@example.com";
    const request = appRequest("/members/vouch", { form: { name: "Павел Соколов", email: friend, locale: "ru" }, cookie: await sessionCookie(voucher.id) });
    expect((await outcome(vouchAction(routeArgs(request)))).status).toBe(200);
    const [invitation] = await emailsTo(friend);
    expect(invitation.text).toMatch(/\/apply\?vouch=[a-z2-7]{32}&lang=ru/);
    const token = linkToken(invitation.text, "/apply?vouch=");

    const applied = await outcome(
      applyAction(
        routeArgs(
          appRequest(`/apply?vouch=${token}&lang=ru`, {
            headers: ENGLISH_BROWSER,
            form: { name: "Павел Соколов", email: friend, company: "SOC", jobTitle: "Аналитик", consent: "on", code: token },
          }),
        ),
      ),
    );
    expect(applied.status).toBe(302);
    expect(applied.location).toBe("/apply/sent?lang=ru");
    expect((await db.application.findFirstOrThrow({ where: { email: friend } })).locale).toBe("ru");
    const [verification] = await emailsTo(friend);
    expect(verification.template).toBe("application-verify");
    expect(verification.locale).toBe("ru");
    expect(verification.text).toMatch(/\/apply\/verify\/[a-z2-7]+\?lang=ru/);
  });
});
