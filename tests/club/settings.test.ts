import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getClubSettings } from "~/club.server";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.settings";
import { ensureClubSettings, createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { fieldErrors, outcome } from "../admission/support";
import { auditRows, publishTerms } from "./support";

afterAll(() => stopQueue());

const VALID = {
  name: "Test Club",
  taglineEn: "A test club",
  taglineRu: "Тестовый клуб",
  aboutEn: "",
  aboutRu: "",
  timeZone: "UTC",
  defaultLocale: "en",
  inviteValidityDays: "14",
  pastDueGraceDays: "7",
};

/** An owner; with `twoFactor`, one who has confirmed an authenticator (so a club requiring it lets her in). */
async function owner({ twoFactor = false } = {}) {
  const user = await createUser({ role: "OWNER", tier: null });
  if (twoFactor) await db.twoFactorCredential.create({ data: { userId: user.id, secret: "JBSWY3DPEHPK3PXP", confirmedAt: new Date() } });
  return { user, cookie: await sessionCookie(user.id) };
}

/** The audit rows of this actor's settings changes. */
const settingsAudits = (actorId: string) => db.auditEntry.findMany({ where: { action: "club.settings", actorId }, orderBy: { id: "asc" } });

// Each test starts from the same settings (written directly: a test's set-up, not an owner's change).
beforeEach(async () => {
  await ensureClubSettings();
  await db.clubSettings.update({
    where: { id: 1 },
    data: { name: "Test Club", taglineEn: "A test club", taglineRu: "Тестовый клуб", aboutEn: "", aboutRu: "", timeZone: "UTC", defaultLocale: "en", inviteValidityDays: 14, pastDueGraceDays: 7, staffTwoFactorRequired: false },
  });
});

function save(cookie: string, form: Record<string, string>) {
  return outcome(settingsAction(routeArgs(appRequest("/admin/settings", { form, cookie }))));
}

describe("/admin/settings", () => {
  it("saves the settings and audits only the fields that changed, before and after, and the layout's cached copy follows", async () => {
    const { user, cookie } = await owner({ twoFactor: true });
    // The layout's copy, cached for a minute.
    expect((await getClubSettings({ maxAgeMs: 60_000 })).name).toBe("Test Club");

    const saved = await save(cookie, {
      ...VALID,
      name: "Northwind Inner Circle",
      timeZone: "Europe/Moscow",
      pastDueGraceDays: "10",
      staffTwoFactorRequired: "on",
    });
    expect(saved.status).toBe(200);
    expect(saved.data).toMatchObject({ saved: true, changed: 4 });

    const row = await db.clubSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(row).toMatchObject({ name: "Northwind Inner Circle", timeZone: "Europe/Moscow", pastDueGraceDays: 10, staffTwoFactorRequired: true, inviteValidityDays: 14 });
    const [audit] = await settingsAudits(user.id);
    expect(audit).toMatchObject({
      actorId: user.id,
      subjectType: "ClubSettings",
      subjectId: "1",
      before: { name: "Test Club", timeZone: "UTC", pastDueGraceDays: 7, staffTwoFactorRequired: false },
      after: { name: "Northwind Inner Circle", timeZone: "Europe/Moscow", pastDueGraceDays: 10, staffTwoFactorRequired: true },
    });
    expect((await getClubSettings({ maxAgeMs: 60_000 })).name).toBe("Northwind Inner Circle");

    // The same values again: nothing to write, nothing to audit. Unticking the box turns it off.
    const again = await save(cookie, { ...VALID, name: "Northwind Inner Circle", timeZone: "Europe/Moscow", pastDueGraceDays: "10", staffTwoFactorRequired: "on" });
    expect(again.data).toMatchObject({ saved: true, changed: 0 });
    expect(await settingsAudits(user.id)).toHaveLength(1);
    await save(cookie, { ...VALID, name: "Northwind Inner Circle", timeZone: "Europe/Moscow", pastDueGraceDays: "10" });
    const audits = await settingsAudits(user.id);
    expect(audits).toHaveLength(2);
    expect([audits[1].before, audits[1].after]).toEqual([{ staffTwoFactorRequired: true }, { staffTwoFactorRequired: false }]);
  });

  it("refuses bad input with an error next to each field, and writes nothing", async () => {
    const { user, cookie } = await owner();
    const before = await db.clubSettings.findUniqueOrThrow({ where: { id: 1 } });
    const result = await save(cookie, {
      ...VALID,
      name: "x".repeat(81),
      taglineRu: "\u200b ",
      aboutEn: "a".repeat(4001),
      timeZone: "Mars/Olympus_Mons",
      defaultLocale: "de",
      inviteValidityDays: "-3",
      pastDueGraceDays: "2.5",
    });
    expect(result.status).toBe(400);
    expect(fieldErrors(result.data.result)).toEqual({
      name: ['form.tooLong|{"max":80}'],
      taglineRu: ["form.required"],
      aboutEn: ['form.tooLong|{"max":4000}'],
      timeZone: ["club.settings.timeZoneUnknown"],
      defaultLocale: ["club.settings.languageInvalid"],
      inviteValidityDays: ['club.settings.between|{"min":1,"max":90}'],
      pastDueGraceDays: ["club.settings.wholeNumber"],
    });
    expect(await db.clubSettings.findUniqueOrThrow({ where: { id: 1 } })).toEqual(before);
    expect(await settingsAudits(user.id)).toHaveLength(0);
    const tooMany = await save(cookie, { ...VALID, pastDueGraceDays: "61" });
    expect(fieldErrors(tooMany.data.result).pastDueGraceDays).toEqual(['club.settings.between|{"min":0,"max":60}']);
  });

  it("is for owners only: a curator or a member gets 403 from the page and from the form", async () => {
    const audited = (await auditRows("club.settings")).length;
    for (const role of ["CURATOR", "MEMBER"] as const) {
      const user = await createUser({ role, tier: role === "MEMBER" ? "community" : null });
      const cookie = await sessionCookie(user.id);
      const page = await outcome(settingsLoader(routeArgs(appRequest("/admin/settings", { cookie }))));
      expect(page.status).toBe(403);
      const posted = await save(cookie, { ...VALID, name: "Taken over" });
      expect(posted.status).toBe(403);
    }
    expect((await db.clubSettings.findUniqueOrThrow({ where: { id: 1 } })).name).toBe("Test Club");
    expect(await auditRows("club.settings")).toHaveLength(audited);
  });

  it("tells the owner whether consent is collected, and warns an owner without two-factor authentication", async () => {
    const { user, cookie } = await owner();
    const load = () => outcome(settingsLoader(routeArgs(appRequest("/admin/settings", { cookie }))));
    const before = await load();
    expect(before.data).toMatchObject({ terms: null, ownTwoFactor: false });
    expect(before.data.timeZones).toContain("Europe/Moscow");
    await publishTerms(user.id);
    await db.twoFactorCredential.create({ data: { userId: user.id, secret: "JBSWY3DPEHPK3PXP", confirmedAt: new Date() } });
    const after = await load();
    expect(after.data).toMatchObject({ terms: { rules: { version: 1 }, privacy: { version: 1 } }, ownTwoFactor: true });
  });
});

describe("requiring two-factor authentication of staff", () => {
  it("sends an owner who turned it on without a second factor of her own to set it up", async () => {
    const { cookie } = await owner();
    const saved = await save(cookie, { ...VALID, staffTwoFactorRequired: "on" });
    expect(saved.data).toMatchObject({ saved: true, changed: 1 });
    const page = await outcome(settingsLoader(routeArgs(appRequest("/admin/settings", { cookie }))));
    expect([page.status, page.location]).toEqual([302, "/account/two-factor"]);
  });
});
