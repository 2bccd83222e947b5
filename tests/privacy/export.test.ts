import { describe, expect, it } from "vitest";
import { loader as exportLoader } from "~/routes/account_.data[.]json";
import { loader as pageLoader } from "~/routes/account_.data";
import { createForumReply } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { memberWithHistory } from "./support";

async function download(cookie: string) {
  const response = (await settle(exportLoader(routeArgs(appRequest("/account/data.json", { cookie }))))) as Response;
  return { response, text: await response.text() };
}

describe("the data export", () => {
  it("is the signed-in member's data, from every area, as a JSON attachment", async () => {
    const mine = await memberWithHistory({ label: "mine" });
    const theirs = await memberWithHistory({ label: "theirs" });
    await createForumReply(theirs.member, theirs.opened.thread.id, "Only theirs: a xylophone recital on Tuesday.");
    const { response, text } = await download(mine.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="coterie-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: "coterie-member-data", version: 1, generatedAt: expect.any(String) });

    expect(data.profile).toMatchObject({ id: mine.member.id, email: mine.person.email, name: mine.person.name, role: "MEMBER" });
    expect(data.profile).not.toHaveProperty("passwordHash");
    expect(data.twoFactor).toEqual({ enabled: true, since: expect.any(String), unusedRecoveryCodes: 1 });
    expect(data.admission.applications).toHaveLength(1);
    expect(data.admission.applications[0]).toMatchObject({ id: mine.application.id, email: mine.person.email, status: "APPROVED" });
    expect(data.admission.applications[0].answers[0].value).toContain(mine.person.name);
    expect(data.admission.inviteRedeemed).toMatchObject({ id: mine.invite.id, source: "APPROVAL" });
    expect(data.admission.vouchesGiven).toEqual([expect.objectContaining({ id: mine.vouch.id, name: "Friend Of Theirs" })]);
    expect(data.admission.consent).toHaveLength(2);
    expect(data.admission.consent.map((c: { applicationId: string | null }) => c.applicationId).sort()).toEqual([mine.application.id, null].sort());
    expect(data.billing.subscriptions).toEqual([expect.objectContaining({ id: mine.subscription.id, status: "ACTIVE", tier: expect.objectContaining({ slug: "professional" }) })]);
    expect(data.billing.payments).toEqual([expect.objectContaining({ id: mine.payment.id, amount: 4900, currency: "eur" })]);
    expect(data.forum.threads.map((t: { title: string }) => t.title)).toEqual(["Sourdough at altitude"]);
    expect(data.forum.posts.map((p: { body: string }) => p.body)).toEqual(["My starter sulks above 2,000 metres.", "A snake plant, every time."]);
    expect(data.forum.reports).toEqual([expect.objectContaining({ id: mine.report.id, reason: "Off topic, says I." })]);
    expect(data.roadmap.items).toEqual([expect.objectContaining({ id: mine.item.id, title: "Quarterly dinners" })]);
    expect(data.roadmap.votes).toEqual([expect.objectContaining({ itemId: mine.item.id, itemTitle: "Quarterly dinners" })]);
    expect(data.roadmap.comments).toEqual([expect.objectContaining({ id: mine.comment.id, bodyMd: "Count me in." })]);
    expect(data.surveys.nps).toEqual([expect.objectContaining({ score: 6, comment: expect.stringContaining("dinners are too rare") })]);
    // A reply in their thread and a mention of them notified them.
    expect(data.notifications.received.map((n: { kind: string }) => n.kind).sort()).toEqual(expect.arrayContaining(["FORUM_REPLY", "FORUM_MENTION"]));
    expect(data.notifications.preferences).toEqual([{ kind: "DIGEST", channel: "EMAIL", enabled: false }]);
    expect(data.emails.map((e: { subject: string }) => e.subject)).toContain(`Hello ${mine.person.name}`);
    expect(data.sessions).toEqual([expect.objectContaining({ userAgent: "PrivacyTestBrowser/1.0", ip: "198.51.100.23", createdAt: expect.any(String), lastUsedAt: expect.any(String) })]);
    expect(Object.keys(data.sessions[0]).sort()).toEqual(["createdAt", "expiresAt", "ip", "lastUsedAt", "userAgent"]);
    expect(data.knownDevices).toEqual([{ createdAt: expect.any(String), lastUsedAt: expect.any(String) }]);
    expect(data.telegram).toMatchObject({ username: expect.any(String), firstName: expect.stringMatching(/^Zephyrine/) });
    expect(data.activity.map((a: { kind: string }) => a.kind)).toContain("POST");
    expect(data.staffFollowUps).toEqual([expect.objectContaining({ kind: "NOTE", note: expect.stringContaining(mine.person.name) })]);

    // Nothing secret, nothing of the other member.
    expect(text).not.toContain("JBSWY3DPEHPK3PXPSECRET");
    expect(text).not.toMatch(/argon2/);
    const lower = text.toLowerCase();
    for (const leak of [theirs.person.email, theirs.person.name, theirs.member.id, theirs.opened.thread.id, "xylophone recital"]) {
      expect(lower).not.toContain(leak.toLowerCase());
    }
  });

  it("sends a visitor to sign in, on the page and on the file", async () => {
    for (const call of [() => exportLoader(routeArgs(appRequest("/account/data.json"))), () => pageLoader(routeArgs(appRequest("/account/data")))]) {
      const response = (await settle(call())) as Response;
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Faccount%2Fdata/);
    }
  });
});
