import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { vouchFor } from "~/admission/vouching.server";
import { getViewer } from "~/auth/guards.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as applyAction, loader as applyLoader } from "~/routes/apply";
import { loader as queueLoader } from "~/routes/admin.applications._index";
import { action as vouchAction, loader as vouchLoader } from "~/routes/members.vouch";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { emailsTo, fieldErrors, linkToken, outcome } from "./support";

afterAll(() => stopQueue());
beforeAll(() => ensureClubSettings());

async function vouch(user: { id: string }, form: Record<string, string>) {
  const request = appRequest("/members/vouch", { form: { locale: "en", ...form }, cookie: await sessionCookie(user.id) });
  return outcome(vouchAction(routeArgs(request)));
}

async function viewerOf(user: { id: string }) {
  return (await getViewer(appRequest("/", { cookie: await sessionCookie(user.id) })))!;
}

describe("vouching", () => {
  it("emails the person an invitation to apply, and their application arrives marked with the voucher's name", async () => {
    const voucher = await createUser({ tier: "professional", name: "Olga Ivanova" });
    const result = await vouch(voucher, { name: "Ivan Newcomer", email: "Ivan.Newcomer@example.com", note: "We built the SOC together.", locale: "ru" });
    expect(result.status).toBe(200);
    expect(result.data.sentTo).toBe("Ivan Newcomer");
    const [email] = await emailsTo("ivan.newcomer@example.com");
    expect(email.template).toBe("vouch-invitation");
    expect(email.locale).toBe("ru");
    expect(email.subject).toContain("Olga Ivanova");
    expect(email.text).toContain("We built the SOC together.");
    const token = linkToken(email.text, "/apply?vouch=");

    const page = await outcome(applyLoader(routeArgs(appRequest(`/apply?vouch=${token}`))));
    expect(page.data).toMatchObject({ vouchState: "valid", voucherName: "Olga Ivanova", defaults: { email: "ivan.newcomer@example.com", code: token } });

    const applied = await outcome(
      applyAction(
        routeArgs(
          appRequest(`/apply?vouch=${token}`, {
            form: { name: "Ivan Newcomer", email: "ivan.newcomer@example.com", company: "SOC", jobTitle: "Analyst", consent: "on", code: token },
          }),
        ),
      ),
    );
    expect(applied.status).toBe(302);
    const application = await db.application.findFirstOrThrow({ where: { email: "ivan.newcomer@example.com" } });
    await db.application.update({ where: { id: application.id }, data: { status: "NEW", emailVerifiedAt: new Date() } });

    const curator = await createUser({ role: "CURATOR" });
    const queue = await outcome(queueLoader(routeArgs(appRequest("/admin/applications?status=new", { cookie: await sessionCookie(curator.id) }))));
    const row = queue.data.applications.find((a: { id: string }) => a.id === application.id);
    expect(row.vouchedBy).toBe("Olga Ivanova");

    // The vouch is spent: a second application cannot claim it.
    const again = await outcome(applyLoader(routeArgs(appRequest(`/apply?vouch=${token}`))));
    expect(again.data.vouchState).toBe("used");
  });

  it("enforces the tier's referral quota: Professional has two vouches, the third is refused", async () => {
    const voucher = await createUser({ tier: "professional" });
    expect((await vouch(voucher, { name: "One", email: "one@example.com" })).status).toBe(200);
    expect((await vouch(voucher, { name: "Two", email: "two@example.com" })).status).toBe(200);
    const third = await vouch(voucher, { name: "Three", email: "three@example.com" });
    expect(third.status).toBe(409);
    expect(third.data.result.error[""]).toEqual(["admission.vouch.quotaUsed"]);
    expect(await db.vouch.count({ where: { voucherId: voucher.id } })).toBe(2);
    expect(await db.email.count({ where: { to: "three@example.com" } })).toBe(0);
    const page = await outcome(vouchLoader(routeArgs(appRequest("/members/vouch", { cookie: await sessionCookie(voucher.id) }))));
    expect(page.data.quota).toEqual({ quota: 2, used: 2, remaining: 0 });
  });

  it("lets no more vouches through than the quota when they are sent at the same moment", async () => {
    const voucher = await createUser({ tier: "private-client" });
    const viewer = await viewerOf(voucher);
    expect(viewer.membership?.tier.referralQuota).toBe(5);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => vouchFor(viewer, { name: `Person ${i}`, email: `person-${i}-${voucher.id}@example.com`, locale: "en" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "quota-used")).toHaveLength(7);
    expect(await db.vouch.count({ where: { voucherId: voucher.id } })).toBe(5);
  });

  it("gives a member of a tier without a quota 403, and refuses repeated emails", async () => {
    const community = await createUser({ tier: "community" });
    expect((await vouch(community, { name: "Someone", email: "someone@example.com" })).status).toBe(403);
    expect(await db.vouch.count({ where: { voucherId: community.id } })).toBe(0);

    const voucher = await createUser({ tier: "private-client" });
    await vouch(voucher, { name: "Friend", email: "friend@example.com" });
    const twice = await vouch(voucher, { name: "Friend", email: "FRIEND@example.com" });
    expect(fieldErrors(twice.data.result).email).toEqual(["admission.vouch.alreadyVouched"]);
    expect(await db.vouch.count({ where: { voucherId: voucher.id } })).toBe(1);
  });

  it("answers a vouch for a member's email exactly as one for anyone else, and sends the member no invitation", async () => {
    const voucher = await createUser({ tier: "private-client" });
    const member = await createUser();
    const forMember = await vouch(voucher, { name: "Member", email: member.email.toUpperCase() });
    const forStranger = await vouch(voucher, { name: "Stranger", email: "stranger@example.com" });
    expect(forMember.status).toBe(forStranger.status);
    expect(forMember.status).toBe(200);
    expect({ ...forMember.data, sentTo: null }).toEqual({ ...forStranger.data, sentTo: null });
    expect(forMember.data.sentTo).toBe("Member");
    const page = await outcome(vouchLoader(routeArgs(appRequest("/members/vouch", { cookie: await sessionCookie(voucher.id) }))));
    expect(page.data.quota.used).toBe(2);
    expect(page.data.vouches.map((v: { name: string; applicationStatus: unknown }) => [v.name, v.applicationStatus]).sort()).toEqual([
      ["Member", null],
      ["Stranger", null],
    ]);
    expect(await db.email.count({ where: { to: member.email, template: "vouch-invitation" } })).toBe(0);
    expect(await db.email.count({ where: { to: "stranger@example.com", template: "vouch-invitation" } })).toBe(1);
  });

  it("sends a visitor to sign in", async () => {
    const result = await outcome(vouchLoader(routeArgs(appRequest("/members/vouch"))));
    expect(result.status).toBe(302);
    expect(result.location).toContain("/login");
  });
});
