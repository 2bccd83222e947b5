import { afterAll, describe, expect, it } from "vitest";
import { submitApplication } from "~/admission/applications.server";
import { redeemInvite } from "~/admission/invites.server";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { loader as reviewLoader } from "~/routes/admin.applications.$applicationId";
import { action as applyAction, loader as applyLoader } from "~/routes/apply";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { createInviteCode, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { fieldErrors, outcome } from "../admission/support";
import { consentFields, publishTerms } from "./support";

afterAll(() => stopQueue());

const PASSWORD = "a quiet harbour at dawn 2026";
let ipCounter = 0;
const freshIp = () => `198.19.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const unique = () => Math.random().toString(36).slice(2, 10);

/** The application form without criteria (this file's club has none), ticked for data storage. */
function applicationForm(extra: Record<string, string> = {}) {
  return { name: "Ada Lovelace", email: `ada-${unique()}@example.com`, company: "Analytical Engines", jobTitle: "Engineer", consent: "on", ...extra };
}

const apply = (form: Record<string, string>) => outcome(applyAction(routeArgs(appRequest("/apply", { form, ip: freshIp() }))));

function redeem(code: string, form: Record<string, string>) {
  return outcome(inviteAction(routeArgs(appRequest(`/invite/${code}`, { form, ip: freshIp() }), { token: code })));
}

const inviteForm = (extra: Record<string, string> = {}) => ({ name: "Grace Hopper", password: PASSWORD, confirmPassword: PASSWORD, ...extra });

// The tests run in order on one database: first with no texts published, then with them.
describe("consent before the club has published any texts", () => {
  it("shows no box and records nothing", async () => {
    await ensureClubSettings();
    const page = await outcome(applyLoader(routeArgs(appRequest("/apply"))));
    expect(page.data.terms).toBeNull();
    const form = applicationForm();
    expect((await apply(form)).status).toBe(302);
    const application = await db.application.findFirstOrThrow({ where: { email: form.email } });
    expect(await db.consentRecord.count({ where: { applicationId: application.id } })).toBe(0);

    const { code } = await createInviteCode({ email: `grace-${unique()}@example.com`, emailed: true });
    expect((await outcome(inviteLoader(routeArgs(appRequest(`/invite/${code}`), { token: code })))).data.terms).toBeNull();
    expect((await redeem(code, inviteForm())).status).toBe(302);
    expect(await db.consentRecord.count()).toBe(0);
  });
});

describe("consent on /apply", () => {
  it("records one ConsentRecord per document with the versions shown and the application's time, in its transaction", async () => {
    const terms = await publishTerms();
    const page = await outcome(applyLoader(routeArgs(appRequest("/apply"))));
    expect(page.data.terms).toEqual(terms);
    const form = applicationForm(await consentFields());
    expect((await apply(form)).status).toBe(302);
    const application = await db.application.findFirstOrThrow({ where: { email: form.email } });
    const records = await db.consentRecord.findMany({ where: { applicationId: application.id } });
    expect(records.map((r) => r.documentId).sort()).toEqual([terms!.rules!.id, terms!.privacy!.id].sort());
    for (const record of records) expect([record.userId, record.acceptedAt]).toEqual([null, application.createdAt]);

    // The staff's application page says what was accepted (once the applicant has confirmed the address).
    await db.application.update({ where: { id: application.id }, data: { status: "NEW", emailVerifiedAt: new Date() } });
    const curator = await createUser({ role: "CURATOR", tier: null });
    const review = await outcome(reviewLoader(routeArgs(appRequest(`/admin/applications/${application.id}`, { cookie: await sessionCookie(curator.id) }), { applicationId: application.id })));
    expect(review.data.consent).toEqual({ rules: terms!.rules!.version, privacy: terms!.privacy!.version, acceptedAt: application.createdAt.toISOString() });
  });

  it("refuses an unticked box next to it, and stores nothing", async () => {
    const form = applicationForm(await consentFields({ ticked: false }));
    const result = await apply(form);
    expect(result.status).toBe(400);
    expect(fieldErrors(result.data).legalAccepted).toEqual(["club.consent.required"]);
    expect(await db.application.count({ where: { email: form.email } })).toBe(0);
  });

  it("refuses a box ticked under versions no longer current: the page comes back with the new ones", async () => {
    const shown = await consentFields();
    const form = applicationForm(shown);
    const newer = await publishTerms();
    const result = await apply(form);
    expect(result.status).toBe(409);
    expect(fieldErrors(result.data).legalAccepted).toEqual(["club.consent.stale"]);
    // The tick is not carried over to the new versions.
    expect((result.data as { initialValue?: Record<string, unknown> }).initialValue?.legalAccepted).toBeUndefined();
    expect(await db.application.count({ where: { email: form.email } })).toBe(0);
    expect((await outcome(applyLoader(routeArgs(appRequest("/apply"))))).data.terms).toEqual(newer);
    // A form that showed no texts at all is stale too, once texts exist.
    const blind = await apply(applicationForm());
    expect([blind.status, fieldErrors(blind.data).legalAccepted]).toEqual([409, ["club.consent.stale"]]);
  });

  it("writes neither the application nor any consent when the transaction fails (a version published between the check and the write)", async () => {
    const stale = await consentFields();
    await publishTerms();
    const email = `late-${unique()}@example.com`;
    const before = await db.consentRecord.count();
    const result = await submitApplication(
      { name: "Late", email, company: "C", jobTitle: "J", consent: true, legalAccepted: true, rulesDocumentId: stale.rulesDocumentId, privacyDocumentId: stale.privacyDocumentId, answers: {} },
      [],
      { locale: "en", ip: freshIp() },
    );
    expect(result).toEqual({ ok: false, field: "legalAccepted", message: "club.consent.stale" });
    expect(await db.application.count({ where: { email } })).toBe(0);
    expect(await db.consentRecord.count()).toBe(before);
    expect(await db.email.count({ where: { to: email } })).toBe(0);
  });
});

describe("consent on /invite/:token", () => {
  it("records consent for the new member, in the transaction that makes them one", async () => {
    const terms = await publishTerms();
    const email = `grace-${unique()}@example.com`;
    const { code, invite } = await createInviteCode({ email, emailed: true });
    expect((await outcome(inviteLoader(routeArgs(appRequest(`/invite/${code}`), { token: code })))).data.terms).toEqual(terms);
    const redeemed = await redeem(code, inviteForm(await consentFields()));
    expect(redeemed.status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const records = await db.consentRecord.findMany({ where: { userId: user.id } });
    expect(records.map((r) => r.documentId).sort()).toEqual([terms!.rules!.id, terms!.privacy!.id].sort());
    const used = await db.invite.findUniqueOrThrow({ where: { id: invite.id } });
    for (const record of records) expect([record.applicationId, record.acceptedAt]).toEqual([null, used.usedAt]);
  });

  it("refuses an unticked box or stale versions next to the box; the invite stays unused and nobody is created", async () => {
    const email = `grace-${unique()}@example.com`;
    const { code, invite } = await createInviteCode({ email, emailed: true });
    const unticked = await redeem(code, inviteForm(await consentFields({ ticked: false })));
    expect(unticked.status).toBe(400);
    expect(fieldErrors(unticked.data.result).legalAccepted).toEqual(["club.consent.required"]);

    const shown = await consentFields();
    await publishTerms();
    const stale = await redeem(code, inviteForm(shown));
    expect(stale.status).toBe(409);
    expect(fieldErrors(stale.data.result).legalAccepted).toEqual(["club.consent.stale"]);

    // Past the route's check, inside the transaction: the member is not created either.
    const direct = await redeemInvite(code, { name: "Grace", password: PASSWORD, locale: "en", legalAccepted: true, ...shown });
    expect(direct).toEqual({ ok: false, reason: "consent", consent: "stale" });
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect((await db.invite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();

    expect((await redeem(code, inviteForm(await consentFields()))).status).toBe(302);
  });
});
